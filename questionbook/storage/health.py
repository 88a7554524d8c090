"""May this process write to the journal? The guard every open journal holds.

A :class:`JournalGuard` lives as long as a process has the journal open. It

- holds the writers' lock (:mod:`questionbook.storage.locks`), so that no restore replaces the
  file while this process may still write to it;
- knows whether the journal is read-only (the user made the file or its folder read-only):
  such a journal is read, never written, and never made writable again;
- refuses to write into a damaged file. Before the first write of a day it runs SQLite's
  ``quick_check`` over the journal's tables (read-only, about 0.1 s at 100,000 entries), and
  the day of the last passing check is kept in the lock file, so one check a day serves every
  process. Whenever SQLite reports damage (``SQLITE_CORRUPT``) during a read or a write, the
  check is forgotten, so that every process checks again before it next writes, and this
  process writes no more.

Damage between two checks that no read or write runs into is found by the next day's check,
by ``questionbook doctor`` and by the next backup (each backup is checked before it is kept).
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.errors import JournalCorrupt, JournalReadOnly
from questionbook.i18n import _
from questionbook.storage.cipher import errors, sqlite_version_info
from questionbook.storage.connection import BUSY_TIMEOUT_MS, is_read_only, read_only_message
from questionbook.storage.locks import WriterLock, open_lock_file, writers_lock_path
from questionbook.storage.probe import FileState

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

log = logging.getLogger(__name__)

_STAMP = b"checked "
_STAMP_LEN = len(_STAMP) + 10


def _read_stamp(fd: int | None) -> str | None:
    if fd is None or not hasattr(os, "pread"):
        return None
    try:
        data = os.pread(fd, _STAMP_LEN, 0)
    except OSError:
        return None
    return data[len(_STAMP) :].decode("ascii", "replace") if data.startswith(_STAMP) else None


def _write_stamp(fd: int | None, day: str) -> bool:
    """Keep *day* in the lock file; False where it cannot be kept (no ``pwrite``, a
    read-only lock file): the guard then remembers the day itself."""
    if fd is None or not hasattr(os, "pwrite"):
        return False
    try:
        os.pwrite(fd, _STAMP + day.encode("ascii").ljust(10, b"-")[:10] + b"\n", 0)
    except OSError:
        return False
    return True


def check_tables(path: Path, key: JournalKey | None = None) -> str | None:
    """``None`` if SQLite's ``quick_check`` finds every table of *path* sound, else what it found.

    Before SQLite 3.44 one whole-file ``quick_check`` (0.25 s at 100,000 entries). From 3.44
    that also re-checks the full-text index, which takes seconds (TECH-NOTES.md), so the
    tables are checked one by one, leaving out virtual tables; the index's own storage tables
    are ordinary tables and are checked like the others.
    """
    from questionbook.storage.connection import open_read_only

    try:
        conn = open_read_only(path, key)
    except errors() as exc:
        return str(exc)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if sqlite_version_info(conn) < (3, 44):
            statements = ["PRAGMA quick_check(5)"]
        else:
            statements = [
                "PRAGMA quick_check(" + '"' + r[0].replace('"', '""') + '"' + ")"
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'"
                )
            ]
        for statement in statements:
            rows = [r[0] for r in conn.execute(statement)]
            if rows != ["ok"]:
                return "; ".join(str(r) for r in rows[:5])
    except errors("DatabaseError") as exc:
        return str(exc)
    finally:
        conn.close()
    return None


def damaged_message(path: Path, problem: str) -> str:
    return _(
        "{path} is damaged ({problem}), so nothing more is written to it; "
        "'questionbook doctor' tells more, and 'questionbook restore-backup' brings back "
        "the newest good backup"
    ).format(path=path, problem=problem)


class JournalGuard:
    """The writers' lock, the read-only state and the damage check of one open journal."""

    def __init__(
        self, db_path: Path, *, today: date | None = None, key: JournalKey | None = None
    ) -> None:
        self.path = Path(db_path)
        self.key = key
        self.read_only = self.path.exists() and is_read_only(self.path)
        self.lock = WriterLock(self.path)
        self._damage: str | None = None
        self._today = today
        self._checked: str | None = None  # the day this process's own check passed
        self._shared = False  # whether that day is kept in the lock file for everyone
        if not self.read_only:
            self.lock.acquire()

    @property
    def damage(self) -> str | None:
        """What the check (or SQLite) found wrong with the file, if anything."""
        return self._damage

    def before_write(self) -> None:
        """Raise instead of letting a write start into a read-only or damaged journal.

        Also takes the writers' lock again if :meth:`close` dropped it (a Database used after
        being closed), so no write ever happens without it.
        """
        if self.read_only:
            raise JournalReadOnly(read_only_message(self.path))
        if self._damage is None:
            self.lock.acquire()
            self._check_once_a_day()
        if self._damage is not None:
            raise JournalCorrupt(damaged_message(self.path, self._damage))

    def check_in_advance(self) -> None:
        """Run today's check now (e.g. from a worker thread after the app's window is up), so
        that the first write of the day does not wait for it."""
        if not self.read_only and self._damage is None and self.lock.held:
            self._check_once_a_day()

    def _check_once_a_day(self) -> None:
        today = (self._today or date.today()).isoformat()
        if _read_stamp(self.lock.fd) == today:
            return
        if self._checked == today and not self._shared:
            return  # no shared stamp here (Windows, a read-only lock file): once per process
        problem = check_tables(self.path, self.key)
        if problem is not None:
            log.error("the journal %s failed its check: %s", self.path, problem)
            self._damage = problem
            return
        self._checked = today
        self._shared = _write_stamp(self.lock.fd, today)

    def failed(self, error: BaseException) -> BaseException:
        """Note *error* (already translated); a damaged file is checked again before any write.

        Returns *error*, so callers can ``raise guard.failed(err) from exc``.
        """
        if isinstance(error, JournalCorrupt):
            self._damage = str(error)
            self._checked = None
            _write_stamp(self.lock.fd, "")
        return error

    def close(self) -> None:
        self.lock.release()


def forget_check(db_path: Path) -> None:
    """Make every process check *db_path* again before its next write (e.g. a backup of it
    failed its check)."""
    fd = open_lock_file(writers_lock_path(db_path))
    if fd is not None:
        _write_stamp(fd, "")
        os.close(fd)


def prepare_journal_file(path: Path, state: FileState) -> None:
    """Create a missing journal (0600, in a private folder if the folder is new), make an
    existing one owner-only, and refuse to upgrade one that is read-only.

    A read-only journal keeps its permissions: tightening them must never add a write bit.
    A folder or disk that cannot take a new journal gets its own message.
    """
    from questionbook.paths import create_private_dir
    from questionbook.storage.connection import translate_os_error
    from questionbook.storage.probe import make_private

    try:
        if state.exists and is_read_only(path):
            if state.needs_migration:
                raise JournalReadOnly(
                    _(
                        "{path} is read-only, but this version of QuestionBook must upgrade it "
                        "before using it; make it writable, then open it again"
                    ).format(path=path)
                )
            return
        create_private_dir(path.parent)
        if not state.exists and not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        make_private(path)
    except OSError as exc:
        raise (translate_os_error(exc, path) or exc) from exc
