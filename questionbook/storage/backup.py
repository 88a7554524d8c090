"""Backups of the journal: make, verify, list, rotate and restore.

A backup is a whole copy made with SQLite's online backup API in one step (``pages=-1``): it
finishes even while another connection keeps writing, whereas small steps restart on every
write and may never finish (TECH-NOTES.md). Each copy is written to a temporary file, switched
to a self-contained rollback-journal file, checked with ``PRAGMA quick_check`` and only then
renamed into place, so a file named like a backup is always a good one; a copy that fails its
check is deleted and reported. Backups are owner-only (0600) like the journal itself.

Backups of ``<dir>/journal.sqlite3`` live in ``<dir>/backups/`` named
``journal-2026-11-29T210455Z.sqlite3`` (UTC, so names sort by time), optionally followed by a
label (``-pre-restore``). Rotation keeps the newest copy of each of the last N days, weeks and
months that have copies, so a long holiday never empties the folder. Files that do not look
like our backups are never touched.

Restoring never destroys anything: the current file is backed up first; if it cannot be read
it is moved aside under a timestamped name instead. Stale ``-wal``/``-shm`` files are cleared,
because SQLite would otherwise replay the old journal's log onto the restored file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from questionbook.core.errors import JournalError, QuestionBookError
from questionbook.i18n import _
from questionbook.paths import create_private_dir, ensure_private_dir
from questionbook.storage.connection import BUSY_TIMEOUT_MS
from questionbook.storage.probe import make_private, probe

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
SUFFIX = ".sqlite3"
_STAMP = "%Y-%m-%dT%H%M%SZ"
_STAMP_RE = r"(\d{4}-\d{2}-\d{2}T\d{6}Z)"
SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(QuestionBookError):
    """A backup could not be made or verified, or a restore could not be done."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was made (UTC), its size and label."""

    path: Path
    created: datetime
    size: int
    label: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did, so the CLI and the app can say it plainly."""

    restored_from: Path
    database: Path
    safety_backup: Path | None  # the copy of the current journal made first
    moved_aside: Path | None  # where a damaged current journal was moved


def backups_dir_for(db_path: Path) -> Path:
    """The folder that holds the backups of *db_path* (``backups/`` next to it)."""
    return Path(db_path).expanduser().parent / BACKUP_DIR_NAME


def _name_re(stem: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(stem)}-{_STAMP_RE}(?:-([a-z0-9-]+))?{re.escape(SUFFIX)}$")


def _now() -> datetime:
    return datetime.now(UTC)


def list_backups(db_path: Path, backups_dir: Path | None = None) -> list[BackupInfo]:
    """The backups of *db_path*, newest first (by the time in the name; cheap, no file opened)."""
    folder = backups_dir or backups_dir_for(db_path)
    pattern = _name_re(Path(db_path).stem)
    found: list[tuple[datetime, int, str, BackupInfo]] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for item in entries:
        m = pattern.match(item.name)
        if not m or not item.is_file():
            continue
        created = datetime.strptime(m.group(1), _STAMP).replace(tzinfo=UTC)
        st = item.stat()
        info = BackupInfo(Path(item.path), created, st.st_size, m.group(2) or "")
        found.append((created, st.st_mtime_ns, item.name, info))
    found.sort(key=lambda t: t[:3], reverse=True)
    return [t[3] for t in found]


def verify_backup(path: Path) -> str | None:
    """``None`` if *path* is a readable QuestionBook database passing ``quick_check``, else why not.

    Opens the file read-only, so checking a backup never changes it. A backup written by a
    newer QuestionBook is not good either: this version could not open it after restoring.
    """
    try:
        state = probe(Path(path))
    except (JournalError, OSError) as exc:
        return str(exc)
    if not state.exists:
        return _("the file is empty")
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(str(r) for r in rows)


def newest_good_backup(db_path: Path, backups_dir: Path | None = None) -> BackupInfo | None:
    """The newest backup of *db_path* that passes :func:`verify_backup`, or ``None``."""
    for info in list_backups(db_path, backups_dir):
        if verify_backup(info.path) is None:
            return info
    return None


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private_temp(folder: Path, prefix: str) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    os.close(fd)
    if os.name == "posix":
        os.chmod(tmp, 0o600)
    return Path(tmp)


def _copy_database(source: Path, target: Path) -> None:
    """Copy the database at *source* into the (empty) file *target*, in one step, and check it.

    *source* is opened read-only, so a damaged journal is never written to by a backup attempt.
    """
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problems = [r[0] for r in dst.execute("PRAGMA quick_check(5)")]
        finally:
            dst.close()
    finally:
        src.close()
    if problems != ["ok"]:
        raise BackupError(
            _("the copy failed its check: {reason}").format(reason="; ".join(map(str, problems)))
        )
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())


def backup_to(db_path: Path, target: Path) -> BackupInfo:
    """Back up *db_path* to exactly *target* (a new file); used by ``questionbook backup PATH``."""
    target = Path(target).expanduser()
    if target.exists():
        raise BackupError(_("{path} already exists; choose a new file name").format(path=target))
    if not Path(db_path).is_file():
        raise BackupError(_("there is no journal at {path}").format(path=db_path))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _private_temp(target.parent, f".{target.name}-")
    try:
        _copy_database(db_path, tmp)
        os.replace(tmp, target)
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(
            _("could not back up {path}: {reason}").format(path=db_path, reason=exc)
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    make_private(target)
    _fsync_dir(target.parent)
    return BackupInfo(target, _now(), target.stat().st_size)


def make_backup(
    db_path: Path,
    backups_dir: Path | None = None,
    *,
    label: str = "",
    keep: tuple[int, int, int] | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Back up *db_path* into its backups folder under a timestamped name, then rotate.

    *keep* is (daily, weekly, monthly); ``None`` skips rotation. Raises :class:`BackupError`
    (nothing left behind) when the copy cannot be made or fails its check.
    """
    db_path = Path(db_path).expanduser()
    folder = ensure_private_dir(backups_dir or backups_dir_for(db_path))
    when = (now or _now()).astimezone(UTC)
    base = f"{db_path.stem}-{when.strftime(_STAMP)}"
    tail = f"-{label}" if label else ""
    target = folder / f"{base}{tail}{SUFFIX}"
    n = 2
    while target.exists():  # two backups in one second: number them
        target = folder / f"{base}{tail}-{n}{SUFFIX}"
        n += 1
    info = backup_to(db_path, target)
    info = BackupInfo(info.path, when.replace(microsecond=0), info.size, label)
    if keep is not None:
        rotate(db_path, folder, *keep)
    return info


def select_to_keep(
    backups: Iterable[BackupInfo], daily: int, weekly: int, monthly: int, tz: tzinfo | None = None
) -> set[Path]:
    """Which backups rotation keeps: the newest of each of the last *daily* days (that have a
    backup), *weekly* ISO weeks and *monthly* months, in local time (*tz*)."""
    ordered = sorted(backups, key=lambda b: b.created, reverse=True)
    keep: set[Path] = set()
    periods: tuple[tuple[int, Callable[[datetime], object]], ...] = (
        (max(daily, 1), lambda d: d.date()),
        (max(weekly, 0), lambda d: d.isocalendar()[:2]),
        (max(monthly, 0), lambda d: (d.year, d.month)),
    )
    for count, key in periods:
        seen: set[object] = set()
        for b in ordered:
            if len(seen) >= count:
                break
            k = key(b.created.astimezone(tz))
            if k not in seen:
                seen.add(k)
                keep.add(b.path)
    return keep


def rotate(
    db_path: Path,
    backups_dir: Path | None = None,
    daily: int = 7,
    weekly: int = 4,
    monthly: int = 12,
    tz: tzinfo | None = None,
) -> list[Path]:
    """Delete the backups rotation does not keep; returns the deleted paths."""
    backups = list_backups(db_path, backups_dir)
    keep = select_to_keep(backups, daily, weekly, monthly, tz)
    removed = []
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(FileNotFoundError):
                b.path.unlink()
                removed.append(b.path)
    return removed


def has_backup_today(
    db_path: Path, backups_dir: Path | None = None, now: datetime | None = None
) -> bool:
    """True if a backup of *db_path* was made today (local date). Only reads a folder listing."""
    backups = list_backups(db_path, backups_dir)
    if not backups:
        return False
    today = (now or _now()).astimezone().date()
    return backups[0].created.astimezone().date() >= today


def daily_backup(
    db_path: Path,
    backups_dir: Path | None = None,
    *,
    keep: tuple[int, int, int] = (7, 4, 12),
    now: datetime | None = None,
) -> BackupInfo | None:
    """Make today's automatic backup unless one exists; failures are logged, never raised,
    so that a full disk never stops someone from writing down a question."""
    try:
        if has_backup_today(db_path, backups_dir, now) or not Path(db_path).is_file():
            return None
        return make_backup(db_path, backups_dir, keep=keep, now=now)
    except (BackupError, OSError, sqlite3.Error) as exc:
        log.warning(_("the daily backup of %s failed: %s"), db_path, exc)
        return None


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in SIDE_FILES]


def move_aside(db_path: Path, now: datetime | None = None) -> Path:
    """Rename a (damaged) journal and its side files to ``<name>.damaged-<time>``; never delete."""
    stamp = (now or _now()).astimezone(UTC).strftime(_STAMP)
    aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 2
    while aside.exists():
        aside = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
        n += 1
    os.replace(db_path, aside)
    for side, suffix in zip(_side_files(db_path), SIDE_FILES, strict=True):
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def restore_backup(
    db_path: Path,
    backup: Path | None = None,
    backups_dir: Path | None = None,
    *,
    now: datetime | None = None,
) -> RestoreResult:
    """Put *backup* (default: the newest good one) in place of the journal at *db_path*.

    The current journal is backed up first (without rotation, which could otherwise delete the
    very backup being restored); if it cannot be read it is moved aside instead. The caller
    must have closed its own connections to *db_path*.
    """
    db_path = Path(db_path).expanduser()
    if backup is None:
        newest = newest_good_backup(db_path, backups_dir)
        if newest is None:
            raise BackupError(
                _("there is no good backup of {path} to restore").format(path=db_path)
            )
        backup = newest.path
    backup = Path(backup).expanduser()
    problem = verify_backup(backup)
    if problem is not None:
        raise BackupError(
            _("{path} cannot be restored: {reason}").format(path=backup, reason=problem)
        )
    create_private_dir(db_path.parent)
    # Copy the backup next to the journal first: if that fails nothing has been touched yet.
    tmp = _private_temp(db_path.parent, f".{db_path.name}-restore-")
    try:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        safety: Path | None = None
        aside: Path | None = None
        if db_path.exists() and db_path.stat().st_size > 0:
            # Checking first means a file that is not a database at all is never opened.
            problem = verify_backup(db_path)
            if problem is None:
                try:
                    safety = make_backup(db_path, backups_dir, label="pre-restore", now=now).path
                except (BackupError, sqlite3.Error) as exc:
                    problem = str(exc)
            if problem is not None:
                log.info("current journal unreadable (%s); moving it aside", problem)
                aside = move_aside(db_path, now)
        for side in _side_files(db_path):
            side.unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    make_private(db_path)
    _fsync_dir(db_path.parent)
    return RestoreResult(
        restored_from=backup, database=db_path, safety_backup=safety, moved_aside=aside
    )


def backup_before_migrate(db_path: Path) -> BackupInfo:
    """The ``before_migrate`` hook of :func:`~questionbook.storage.migrate.open_database`:
    a failed backup raises, so the migration does not run without a copy to go back to."""
    return make_backup(db_path, label="pre-migrate")
