"""What every exporter and importer shares: progress, reports, safe reading and writing.

Exports are written to a temporary file beside the target and renamed into place, so a crash or
a cancel never leaves half a file where a good one was; the files are private (0600) because a
journal is. Imports read the whole file strictly (UTF-8, no NUL) so that a damaged file is
refused with its line number before anything touches the journal.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from questionbook.core.errors import ImportFormatError, QuestionBookError
from questionbook.core.query import Query, parse_query
from questionbook.core.tags import clean_tag
from questionbook.core.timeutil import (
    MAX_YEAR,
    MIN_YEAR,
    format_utc,
    in_supported_range,
    range_message,
)
from questionbook.i18n import _

#: ``progress(done, total)``; returning False asks the work to stop (it then raises Cancelled).
Progress = Callable[[int, int], bool]
PAGE = 500


class Cancelled(QuestionBookError):
    """The user cancelled an export or import; nothing was written."""


def no_progress(_done: int, _total: int) -> bool:
    return True


def cpus() -> int:
    """The CPUs this process may run on: a second process (reading an import, writing a
    vault's files) only pays off with two or more."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def check_progress(progress: Progress | None, done: int, total: int) -> None:
    """Report progress and turn a "stop" answer into :class:`Cancelled`."""
    if progress is not None and progress(done, total) is False:
        raise Cancelled(_("cancelled"))


@dataclass
class ExportReport:
    """What an export wrote."""

    path: Path
    entries: int = 0
    files_written: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    attachments: int = 0  # attachment files written (issue 18)
    #: Files in the way that QuestionBook did not write, left as they were.
    files_kept: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), entry by entry."""

    source: Path
    format: str
    dry_run: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    waterline_added: int = 0
    reviews_added: int = 0
    attachments_skipped: int = 0
    trials_added: int = 0
    trials_updated: int = 0
    attachments_added: int = 0  # attachment files whose bytes the import stored
    writing_added: int = 0  # templates and prompts of one's own (issue 19)
    writing_updated: int = 0

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def describe_report(report: ImportReport) -> str:
    """The import report as lines of text, for the terminal and the app's dialog."""
    head = (
        _("Dry run, nothing was written: {path} ({fmt})")
        if report.dry_run
        else _("Imported {path} ({fmt})")
    ).format(path=report.source, fmt=report.format)
    lines = [
        head,
        "  " + _("added: {n}").format(n=report.added),
        "  " + _("updated: {n}").format(n=report.updated),
        "  " + _("unchanged: {n}").format(n=report.unchanged),
        "  " + _("skipped: {n}").format(n=report.skipped_total),
    ]
    lines += [f"    {reason}: {n}" for reason, n in sorted(report.skipped.items())]
    if report.waterline_added:
        lines.append("  " + _("waterline marks added: {n}").format(n=report.waterline_added))
    if report.reviews_added:
        lines.append("  " + _("reviews added: {n}").format(n=report.reviews_added))
    if report.trials_added or report.trials_updated:
        lines.append(
            "  "
            + _("AI trials added: {n}, judged from the file: {m}").format(
                n=report.trials_added, m=report.trials_updated
            )
        )
    if report.attachments_added:
        lines.append("  " + _("attachments added: {n}").format(n=report.attachments_added))
    if report.writing_added or report.writing_updated:
        lines.append(
            "  "
            + _("templates and prompts added: {n}, updated: {m}").format(
                n=report.writing_added, m=report.writing_updated
            )
        )
    lines += [f"  {note}" for note in report.notes]
    return "\n".join(lines)


@dataclass
class ExportFilter:
    """Which entries to export: a search query plus the CLI's/dialog's simple filters."""

    query: str = ""
    since: date | None = None
    until: date | None = None
    kinds: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def is_everything(self) -> bool:
        return not (self.query.strip() or self.since or self.until or self.kinds or self.tags)

    def to_query(self) -> Query:
        """The :class:`Query` these filters mean (``since``/``until`` are inclusive days)."""
        q = parse_query(self.query)
        q.kinds += [k for k in self.kinds if k not in q.kinds]
        q.tags += [t for t in map(clean_tag, self.tags) if t]
        if self.since:
            after = self.since - timedelta(days=1)
            q.after = max(q.after, after) if q.after else after
        if self.until:
            before = self.until + timedelta(days=1)
            q.before = min(q.before, before) if q.before else before
        return q


def iso_week_bounds(text: str) -> tuple[date, date]:
    """``2026-W48`` → (Monday, Sunday) of that ISO week."""
    from questionbook.core.errors import InvalidValue
    from questionbook.core.timeutil import in_supported_range, range_message

    try:
        year, week = text.strip().upper().replace("W", "-W").replace("--", "-").split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise InvalidValue(
            _("not a week: {text!r} (use YYYY-Www, e.g. 2026-W48)").format(text=text)
        ) from None
    if not (in_supported_range(monday) and in_supported_range(monday + timedelta(days=6))):
        raise InvalidValue(_("{value}: {reason}").format(value=text, reason=range_message()))
    return monday, monday + timedelta(days=6)


# -- times --------------------------------------------------------------------------------------
def time_text(value: datetime | None) -> str | None:
    """A time as exported: ISO 8601 in UTC with microseconds (exact, sortable)."""
    return None if value is None else format_utc(value)


def parse_time(value: Any, where: str) -> datetime | None:
    """Read an exported time back (aware; naive means UTC); *where* names it in errors."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ImportFormatError(
                _("{where}: not a date and time: {value!r}").format(where=where, value=value)
            ) from None
    else:
        raise ImportFormatError(
            _("{where}: not a date and time: {value!r}").format(where=where, value=value)
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if parsed.tzinfo is UTC and MIN_YEAR <= parsed.year <= MAX_YEAR:
        return parsed  # as our exports write them: no conversion to check or make
    if not in_supported_range(parsed.replace(tzinfo=None)) or not in_supported_range(parsed):
        raise ImportFormatError(
            _("{where}: {value}: {reason}").format(where=where, value=value, reason=range_message())
        )
    return parsed.astimezone(UTC)


def parse_day(value: Any, where: str) -> date | None:
    """Read an exported calendar day back (``YYYY-MM-DD``; YAML may already have made it a
    date); *where* names it in errors. A day is not an instant: no time zone is applied."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ImportFormatError(
        _("{where}: not a date: {value!r} (use YYYY-MM-DD)").format(where=where, value=value)
    )


# -- reading ------------------------------------------------------------------------------------
def decode_text(data: bytes, name: str) -> str:
    """Strict UTF-8 (a BOM is allowed) without NUL; errors name the file and the line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFormatError(
            _("{file}: line {line}: not valid UTF-8 text").format(file=name, line=line)
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ImportFormatError(
            _(
                "{file}: line {line}: contains a NUL character (the file is damaged or not text)"
            ).format(file=name, line=line)
        )
    return text


def read_text(path: Path) -> str:
    """The whole text of *path*, checked by :func:`decode_text`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(
            _("{file}: cannot read: {reason}").format(file=path, reason=exc.strerror or exc)
        ) from None
    return decode_text(data, str(path))


# -- writing ------------------------------------------------------------------------------------
@contextlib.contextmanager
def atomic_writer(path: Path, *, binary: bool = False, fsync: bool = True) -> Iterator[IO[Any]]:
    """Write *path* through a private temp file in the same folder, renamed in on success.

    *fsync* makes the content durable before the rename; a vault of 100k small files skips it
    (one fsync each would take minutes) and relies on the rename alone being atomic.
    """
    from questionbook.core.errors import ExportError
    from questionbook.paths import make_private_dirs
    from questionbook.storage.locks import hold_temp_file

    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ExportError(
            _("{file} is a folder; give the name of a file to write").format(file=path)
        )
    try:
        make_private_dirs(folder)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(_write_failed(path, exc)) from None
    tmp = Path(tmp_name)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        hold_temp_file(fd)  # in use until closed: a later run can tell a leftover from it
        mode = "wb" if binary else "w"
        kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
        try:
            with os.fdopen(fd, mode, **kwargs) as fh:
                yield fh
                fh.flush()
                if fsync:
                    os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:  # named after the target, never the temp file
            raise ExportError(_write_failed(path, exc)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _write_failed(path: Path, exc: OSError) -> str:
    from questionbook.core.errors import DiskFull
    from questionbook.storage.connection import translate_os_error

    error = translate_os_error(exc)
    reason = str(error) if isinstance(error, DiskFull) else (exc.strerror or exc)
    return _("cannot write {file}: {reason}").format(file=path, reason=reason)


def write_new_text(path: str | Path, text: str) -> None:
    """Create *path* owner-only, without a temp file; raises FileExistsError if anything is
    there already (a link included), so callers try this first and look only then.

    For the many new files of a vault export (its folder must exist): ``O_EXCL`` refuses
    anything already there, and a file cut short by a crash is only an unfinished export.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise
    except OSError as exc:
        from questionbook.core.errors import ExportError

        raise ExportError(
            _("cannot write {file}: {reason}").format(file=path, reason=exc.strerror or exc)
        ) from None
    data = memoryview(text.encode("utf-8"))
    try:  # plain os.write: a text-mode file object costs three more system calls per file
        while data:
            data = data[os.write(fd, data) :]
    except OSError as exc:  # a full disk: named after the file, like the vault's child says
        from questionbook.core.errors import ExportError

        raise ExportError(_write_failed(Path(path), exc)) from None
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str, *, fsync: bool = True) -> None:
    with atomic_writer(path, fsync=fsync) as fh:
        fh.write(text)
