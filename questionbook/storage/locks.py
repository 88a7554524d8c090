"""Advisory file locks: who may replace the journal, and which temporary files are still in use.

**The writers' lock.** Every process that has the journal open for writing (the app, any
``questionbook`` command, an import) holds a *shared* lock on ``<journal>.writers`` for as long
as it has the journal open. ``restore-backup`` replaces the file only while it holds the same
lock *exclusively*, taken without waiting: if anyone has the journal open for writing, the
restore is refused with a clear message instead of swapping the file under them (their
writes, already reported as saved, would have gone into the file that was moved away). A writer
that starts while a restore runs waits for it (up to the busy timeout) and then opens the
restored file.

**Temporary files in use.** Backups and exports write to a hidden temporary file first; its
writer holds an exclusive lock on it while working, so that a later run can tell a leftover
of an interrupted run (no lock: remove it) from a file another process is still writing.

POSIX ``flock`` locks belong to an open file, are released by the kernel when the process
dies (so a crash never leaves a journal locked), and do not interfere with SQLite's own
``fcntl`` locks. On Windows there is no shared ``flock``: the writers' lock is not taken there,
and Windows itself refuses to replace a file another process has open.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from questionbook.core.errors import JournalBusy, JournalInUse
from questionbook.i18n import _

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

WRITERS_SUFFIX = ".writers"
#: How long a writer waits for a restore that holds the lock exclusively.
WAIT_SECONDS = 10.0
_POLL = 0.05


def writers_lock_path(db_path: Path) -> Path:
    """``<journal>.writers``, next to the journal."""
    return Path(f"{Path(db_path).expanduser()}{WRITERS_SUFFIX}")


def open_lock_file(path: Path) -> int | None:
    """An fd on the lock file (created 0600), read-only if the folder is; None if impossible."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        try:
            return os.open(path, os.O_RDONLY)  # flock works on a read-only descriptor too
        except OSError:
            return None
    with contextlib.suppress(OSError):
        if os.name == "posix" and os.fstat(fd).st_uid == os.geteuid():
            os.fchmod(fd, 0o600)
    return fd


def _flock(fd: int, exclusive: bool) -> bool:
    """Try once, without waiting; True if the lock was taken."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # a file system without flock: behave as if there were no other process
        return True
    return True


class WriterLock:
    """The shared lock a process holds while it has the journal open for writing."""

    def __init__(self, db_path: Path) -> None:
        self.path = writers_lock_path(db_path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    @property
    def fd(self) -> int | None:
        """The open lock file (for the small state the health check keeps in it)."""
        return self._fd

    def acquire(self, wait: float = WAIT_SECONDS) -> bool:
        """Take the shared lock, waiting up to *wait* seconds while a restore holds it.

        Returns False when no lock file can exist (a read-only folder: nothing can be
        written or restored there either). Raises :class:`JournalBusy` if a restore is still
        running after *wait* seconds.
        """
        if self._fd is not None:
            return True
        fd = open_lock_file(self.path)
        if fd is None:
            return False
        deadline = time.monotonic() + wait
        while not _flock(fd, exclusive=False):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise JournalBusy(
                    _("the journal is being restored from a backup; try again in a moment")
                )
            time.sleep(_POLL)
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None


@contextlib.contextmanager
def exclusive_writers_lock(db_path: Path) -> Iterator[None]:
    """Hold ``<journal>.writers`` exclusively, or raise :class:`JournalInUse` at once.

    For replacing the journal: nobody may have it open for writing meanwhile.
    """
    path = writers_lock_path(db_path)
    fd = open_lock_file(path)
    if fd is None:
        yield  # no lock file can exist here: nobody can have taken it either
        return
    try:
        if not _flock(fd, exclusive=True):
            raise JournalInUse(
                _(
                    "{path} is open for writing in another program (the QuestionBook app, an "
                    "import or another questionbook command); close it or let it finish, then "
                    "try again. Nothing was changed."
                ).format(path=db_path)
            )
        yield
    finally:
        os.close(fd)


def hold_temp_file(fd: int) -> None:
    """Mark a temporary file as in use by this process (until *fd* is closed)."""
    _flock(fd, exclusive=True)


def temp_file_in_use(path: Path) -> bool:
    """True if another process holds *path* (see :func:`hold_temp_file`); never waits.

    Without ``flock`` (Windows) a file counts as in use for a day after its last change.
    """
    if fcntl is None:  # pragma: no cover - Windows
        try:
            return time.time() - path.stat().st_mtime < 86_400
        except OSError:
            return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        return not _flock(fd, exclusive=True)
    finally:
        os.close(fd)
