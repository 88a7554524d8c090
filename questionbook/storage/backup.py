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
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.errors import (
    JournalCorrupt,
    JournalError,
    JournalInUse,
    JournalLocked,
    JournalTooNew,
    NotAJournal,
    QuestionBookError,
    StorageFull,
)
from questionbook.i18n import _
from questionbook.paths import create_private_dir, ensure_private_dir, make_private_dirs
from questionbook.storage.cipher import errors
from questionbook.storage.connection import (
    BUSY_TIMEOUT_MS,
    is_read_only,
    open_raw,
    open_read_only,
    translate_error,
    translate_os_error,
)
from questionbook.storage.keyfile import KeyFileError, copy_key_file, key_file_path, read_key_file
from questionbook.storage.locks import exclusive_writers_lock, hold_temp_file
from questionbook.storage.probe import FileState, is_encrypted, make_private, probe

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

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
    encrypted: bool = False  # the restored journal is encrypted (the backup was)


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
        try:
            st = item.stat()
        except FileNotFoundError:  # another process's rotation removed it just now
            continue
        info = BackupInfo(Path(item.path), created, st.st_size, m.group(2) or "")
        found.append((created, st.st_mtime_ns, item.name, info))
    found.sort(key=lambda t: t[:3], reverse=True)
    return [t[3] for t in found]


#: What :func:`check_file` found: a good file, a damaged one, or one it could not read.
GOOD, DAMAGED, UNREADABLE = "good", "damaged", "unreadable"


def file_key(path: Path, key: JournalKey | None) -> JournalKey | None:
    """The key that opens the journal or backup at *path*: ``None`` for a plain file, *key*
    for a file encrypted with it (its key file names the same key id). Raises
    :class:`JournalLocked` for an encrypted file *key* does not open (cheap: only the key
    file's id is read, nothing is derived).

    It reads the file's first bytes, so it must not be used on a journal this process has
    open: closing any descriptor of a file drops the process's POSIX locks on it, SQLite's
    included, and the next write may then damage the file. :func:`backup_to` therefore trusts
    the key it is given (the open Database's) instead."""
    if not is_encrypted(path):
        return None
    try:
        key_id = read_key_file(key_file_path(path)).key_id
    except KeyFileError as exc:
        raise JournalLocked(str(exc)) from exc
    if key is None or key.key_id != key_id:
        raise JournalLocked(
            _("{path} is encrypted with another key; give the passphrase it was made with").format(
                path=path
            )
        )
    return key


def check_file(
    path: Path, *, newer_is_good: bool = False, key: JournalKey | None = None
) -> tuple[str, str | None]:
    """``(GOOD, None)``, ``(DAMAGED, why)`` or ``(UNREADABLE, why)`` for the database at *path*.

    *Damaged* means the file itself is bad (not a journal, cut short, fails ``quick_check``).
    *Unreadable* means something outside it is in the way (no permission, a full or failing
    disk): a restore must never mistake that for damage and move a healthy journal aside.
    A journal written by a newer QuestionBook counts as damaged here (this version could not
    open it after restoring), unless *newer_is_good*: the journal being replaced by a restore is
    copied aside like any good one, not moved aside as damaged.
    """
    try:
        key = file_key(Path(path), key)
        state = probe(Path(path), key)
    except JournalTooNew as exc:
        if not newer_is_good:
            return DAMAGED, str(exc)
        state = FileState(exists=True, revision=None)
    except (JournalCorrupt, NotAJournal) as exc:
        return DAMAGED, str(exc)
    except JournalError as exc:
        return UNREADABLE, str(exc)
    except OSError as exc:
        return UNREADABLE, str(translate_os_error(exc, path) or exc)
    if not state.exists:
        return DAMAGED, _("the file is empty")
    try:
        conn = open_read_only(Path(path), key)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except errors() as exc:
        error = translate_error(exc)
        return (DAMAGED if error is None or isinstance(error, JournalCorrupt) else UNREADABLE), str(
            exc
        )
    return (GOOD, None) if rows == ["ok"] else (DAMAGED, "; ".join(str(r) for r in rows))


def verify_backup(path: Path, key: JournalKey | None = None) -> str | None:
    """``None`` if *path* is a readable QuestionBook database passing ``quick_check``, else why not.

    Opens the file read-only, so checking a backup never changes it (see :func:`check_file`).
    An encrypted backup is checked with *key*.
    """
    return check_file(path, key=key)[1]


def newest_good_backup(
    db_path: Path, backups_dir: Path | None = None, key: JournalKey | None = None
) -> BackupInfo | None:
    """The newest backup of *db_path* that passes :func:`verify_backup`, or ``None``."""
    for info in list_backups(db_path, backups_dir):
        if verify_backup(info.path, key) is None:
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


@contextlib.contextmanager
def _private_temp(folder: Path, prefix: str) -> Iterator[Path]:
    """A new owner-only temporary file in *folder*, held (locked) while the block runs and
    deleted if it fails. A temporary file left behind by a killed process is not held, so
    :mod:`questionbook.storage.leftovers` can tell it from one still being written."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        hold_temp_file(fd)
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


def _backup_failed(db_path: Path, exc: BaseException) -> BackupError:
    """A failed copy as a :class:`BackupError` that says why: a full disk or a folder that
    cannot be written is said so, never called damage."""
    if isinstance(exc, OSError):
        reason: object = translate_os_error(exc) or exc.strerror or exc
    else:
        reason = translate_error(exc) or exc
    return BackupError(_("could not back up {path}: {reason}").format(path=db_path, reason=reason))


def _copy_database(source: Path, target: Path, key: JournalKey | None = None) -> None:
    """Copy the database at *source* into the (empty) file *target*, in one step, and check it.

    *source* is opened read-only, so a damaged journal is never written to by a backup attempt.
    An encrypted journal (*key*) is copied into a file encrypted with the same key: SQLCipher's
    backup API re-encrypts page by page, so no page is written in the clear.
    """
    src = open_read_only(Path(source), key)
    try:
        src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dst = open_raw(target, key=key)
        try:
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            problems = [r[0] for r in dst.execute("PRAGMA quick_check(5)")]
        finally:
            dst.close()
    finally:
        src.close()
    if problems != ["ok"]:
        from questionbook.storage.health import forget_check

        forget_check(source)  # the journal itself may be damaged: check before the next write
        raise BackupError(
            _("the copy failed its check: {reason}").format(reason="; ".join(map(str, problems)))
        )
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())


def backup_to(db_path: Path, target: Path, *, key: JournalKey | None = None) -> BackupInfo:
    """Back up *db_path* to exactly *target* (a new file); used by ``questionbook backup PATH``.

    The backup of an encrypted journal is encrypted with the journal's *key*, and a copy of the
    key file goes beside it (``<target>.key``): it opens with the same passphrase or recovery
    key, and on its own wherever it is copied together with that file.
    """
    target = Path(target).expanduser()
    if target.exists():
        raise BackupError(_("{path} already exists; choose a new file name").format(path=target))
    if not Path(db_path).is_file():
        raise BackupError(_("there is no journal at {path}").format(path=db_path))
    try:
        make_private_dirs(target.parent)
        with _private_temp(target.parent, f".{target.name}-") as tmp:
            _copy_database(db_path, tmp, key)
            if key is not None:
                copy_key_file(key_file_path(db_path), key_file_path(target))
            os.replace(tmp, target)
    except errors("Error", OSError) as exc:
        raise _backup_failed(db_path, exc) from exc
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
    key: JournalKey | None = None,
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
    info = backup_to(db_path, target, key=key)
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
            with contextlib.suppress(FileNotFoundError):
                key_file_path(b.path).unlink()  # an encrypted backup's key file goes with it
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
    key: JournalKey | None = None,
) -> BackupInfo | None:
    """Make today's automatic backup unless one exists; failures are logged, never raised,
    so that a full disk never stops someone from writing down a question."""
    try:
        if has_backup_today(db_path, backups_dir, now) or not Path(db_path).is_file():
            return None
        if is_read_only(Path(db_path)):
            return None  # it cannot change, so there is nothing new to keep
        from questionbook.storage.leftovers import clean_journal_leftovers

        for item in clean_journal_leftovers(Path(db_path)):
            log.warning(
                "removed %s (%d bytes), left by an interrupted backup or restore",
                item.path,
                item.size,
            )
        return make_backup(db_path, backups_dir, keep=keep, now=now, key=key)
    except errors("Error", BackupError, OSError) as exc:
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
    if key_file_path(db_path).is_file():  # an encrypted journal stays readable aside
        shutil.copyfile(key_file_path(db_path), key_file_path(aside))
        make_private(key_file_path(aside))
    return aside


def restore_backup(
    db_path: Path,
    backup: Path | None = None,
    backups_dir: Path | None = None,
    *,
    now: datetime | None = None,
    key: JournalKey | None = None,
    backup_key: JournalKey | None = None,
) -> RestoreResult:
    """Put *backup* (default: the newest good one) in place of the journal at *db_path*.

    *key* opens the current journal if it is encrypted, *backup_key* (default: *key*) the
    backup. An encrypted backup brings its key file along (the journal is then encrypted with
    it); a plain one leaves a plain journal (:attr:`RestoreResult.encrypted` says which).

    Refused at once while any process has the journal open for writing (it holds the writers'
    lock, :mod:`questionbook.storage.locks`): its saved writes would otherwise be lost with the
    file it is writing to. Refused too, before anything changes, when the disk lacks room for
    the copies a restore makes. The current journal is backed up first (without rotation,
    which could otherwise delete the very backup being restored); only if the file itself is
    damaged is it moved aside instead. A full disk or a folder that cannot be written is
    never taken for damage. The caller must have closed its own connections to *db_path*.
    """
    db_path = Path(db_path).expanduser()
    if backup_key is None:
        backup_key = key
    if backup is None:
        newest = newest_good_backup(db_path, backups_dir, backup_key)
        if newest is None:
            raise BackupError(
                _("there is no good backup of {path} to restore").format(path=db_path)
            )
        backup = newest.path
    backup = Path(backup).expanduser()
    problem = verify_backup(backup, backup_key)
    if problem is not None:
        raise BackupError(
            _("{path} cannot be restored: {reason}").format(path=backup, reason=problem)
        )
    create_private_dir(db_path.parent)
    try:
        with exclusive_writers_lock(db_path):
            return _restore_locked(db_path, backup, backups_dir, now, key)
    except JournalInUse as exc:
        raise BackupError(str(exc)) from exc
    except OSError as exc:
        raise BackupError(
            _("could not restore {path}: {reason}").format(
                path=db_path, reason=translate_os_error(exc, db_path) or exc
            )
        ) from exc


#: Room a restore leaves on the disk beyond its copies, so the journal can still grow.
SPARE_BYTES = 2 << 20


def _journal_bytes(db_path: Path) -> int:
    return sum(p.stat().st_size for p in (db_path, *_side_files(db_path)) if p.exists())


def _check_room(db_path: Path, backup: Path, backups_dir: Path | None) -> None:
    """Raise unless the disk has room for the copy of *backup* and the pre-restore backup."""
    current = _journal_bytes(db_path) if db_path.exists() else 0
    folders: dict[int, tuple[Path, int]] = {}
    for folder, need in (
        (db_path.parent, backup.stat().st_size),
        (ensure_private_dir(backups_dir or backups_dir_for(db_path)), current),
    ):
        dev = folder.stat().st_dev
        shown, total = folders.get(dev, (folder, 0))
        folders[dev] = (shown, total + need)
    for folder, need in folders.values():
        free = shutil.disk_usage(folder).free
        if free < need + SPARE_BYTES:
            raise BackupError(
                _(
                    "the disk is too full to restore: it needs about {need} MB free in {folder} "
                    "and has {free} MB; free some space and try again. Nothing was changed."
                ).format(need=(need + SPARE_BYTES) >> 20, folder=folder, free=free >> 20)
            )


def _restore_locked(
    db_path: Path,
    backup: Path,
    backups_dir: Path | None,
    now: datetime | None,
    key: JournalKey | None,
) -> RestoreResult:
    """:func:`restore_backup`'s work, with the writers' lock held exclusively."""
    _check_room(db_path, backup, backups_dir)
    # Copy the backup next to the journal first: if that fails nothing has been touched yet.
    with _private_temp(db_path.parent, f".{db_path.name}-restore-") as tmp:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        safety: Path | None = None
        aside: Path | None = None
        if db_path.exists() and db_path.stat().st_size > 0:
            # Checking first means a file that is not a database at all is never opened.
            state, problem = check_file(db_path, newer_is_good=True, key=key)
            if state == UNREADABLE:
                raise BackupError(
                    _("cannot read the current journal, so it was left as it is: {reason}").format(
                        reason=problem
                    )
                )
            if state == GOOD:
                try:
                    safety = make_backup(
                        db_path, backups_dir, label="pre-restore", now=now, key=key
                    ).path
                except BackupError as exc:
                    if not _is_damage(exc):
                        raise
                    problem = str(exc)
            if problem is not None:
                log.info("current journal damaged (%s); moving it aside", problem)
                aside = move_aside(db_path, now)
        for side in _side_files(db_path):
            side.unlink(missing_ok=True)
        encrypted = is_encrypted(backup)
        if encrypted:  # the key file first: a key file beside a plain journal is harmless
            copy_key_file(key_file_path(backup), key_file_path(db_path))
        os.replace(tmp, db_path)
        if not encrypted:
            key_file_path(db_path).unlink(missing_ok=True)
    make_private(db_path)
    _fsync_dir(db_path.parent)
    return RestoreResult(
        restored_from=backup,
        database=db_path,
        safety_backup=safety,
        moved_aside=aside,
        encrypted=encrypted,
    )


def _is_damage(exc: BackupError) -> bool:
    """True if a failed backup failed because the journal is damaged (its copy failed the
    check, or SQLite said so), not because of the disk or the folder."""
    cause = exc.__cause__
    if cause is None:
        return True  # the copy was made but failed its check
    if isinstance(cause, OSError):
        return False
    error = translate_error(cause)
    return not isinstance(error, (StorageFull, JournalError)) or isinstance(error, JournalCorrupt)


def backup_before_migrate(db_path: Path, key: JournalKey | None = None) -> BackupInfo:
    """The ``before_migrate`` hook of :func:`~questionbook.storage.migrate.open_database`:
    a failed backup raises, so the migration does not run without a copy to go back to."""
    return make_backup(db_path, label="pre-migrate", key=key)
