"""What every connection to a journal needs, with the standard library alone.

Both the SQLAlchemy engine (:mod:`questionbook.storage.database`) and the command line's quick
path (:mod:`questionbook.cli.quick`) open connections through this module, so the pragmas, the
search-text function the index triggers call and the meaning of driver errors are the same
whichever path wrote a row. Importing SQLAlchemy costs a third of a second, which the quick
path exists to avoid; so nothing here may import it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook.core.errors import (
    DiskFull,
    JournalBusy,
    JournalCorrupt,
    JournalReadOnly,
    StorageFull,
)
from questionbook.core.text import search_text
from questionbook.i18n import _
from questionbook.storage.cipher import errors
from questionbook.storage.fts import SEARCH_FUNCTION

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

BUSY_TIMEOUT_MS = 10_000
#: Identifies a QuestionBook file in the SQLite header (``PRAGMA application_id``): "QBk1".
APPLICATION_ID = 0x51426B31


def is_read_only(path: Path) -> bool:
    """True if the journal at *path* must not be written: the file or its folder is read-only.

    Judged by the owner's write bit as well as by :func:`os.access`, so that a journal the user
    made read-only (``chmod 0400``) stays read-only even for a process that could write it
    anyway (root): QuestionBook never makes such a file writable again, it only reads it.
    """
    path = Path(path)
    folder = path.parent
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError:
        return True
    if st is not None and (not st.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)):
        return True
    try:
        fst = folder.stat()
    except OSError:
        return True
    return not fst.st_mode & stat.S_IWUSR or not os.access(folder, os.W_OK | os.X_OK)


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens *path* for reading only and never creates a file beside it.

    ``mode=ro`` still needs the write-ahead log's ``-shm`` file; in a read-only folder where it
    cannot exist, nobody can be writing the journal either, so it is opened ``immutable``.
    """
    uri = Path(path).resolve().as_uri()
    shm = Path(f"{path}-shm")
    folder = Path(path).parent
    if not shm.exists() and (
        not os.access(folder, os.W_OK | os.X_OK) or not folder.stat().st_mode & stat.S_IWUSR
    ):
        return f"{uri}?immutable=1"
    return f"{uri}?mode=ro"


def connection_target(path: Path) -> tuple[str, bool]:
    """``(database, uri)`` arguments that open the journal at *path*: read-only when
    :func:`is_read_only` says so, else read-write."""
    if Path(path).exists() and is_read_only(path):
        return read_only_uri(path), True
    return str(path), False


def open_raw(
    target: str | Path, *, key: JournalKey | None = None, uri: bool = False, **kwargs: Any
) -> sqlite3.Connection:
    """A bare connection (no pragmas) to *target*: the standard library's for a plain journal,
    SQLCipher's keyed with *key* for an encrypted one. Every connection QuestionBook opens to
    a journal or a backup comes from here, so none can forget the key."""
    if key is None:
        return sqlite3.connect(target, uri=uri, **kwargs)
    from questionbook.storage import cipher

    return cipher.connect(str(target), uri=uri, key=key, **kwargs)


#: How long :func:`settle_hot_journal` waits for a lock (seconds): only two programs playing
#: back the same journal at once make it wait at all, for as long as the playback takes.
SETTLE_WAIT_S = 1.0


def settle_hot_journal(path: Path, key: JournalKey | None = None) -> None:
    """Play back the rollback journal a killed writer left beside *path* (``-journal``).

    A large command-line import writes in rollback-journal mode (``Database.bulk_write``);
    killed half-way, it leaves a *hot* journal, and only a read-write connection may roll it
    back: every read-only one (the start-up probe, the doctor) failed with "attempt to write a
    readonly database" until something opened the journal for writing. Opening it here, and
    reading, rolls it back (SQLite's own recovery; the journal as it was before the import).
    A journal that is not hot (an import still running holds its lock) is left to its writer
    after a short wait (:data:`SETTLE_WAIT_S`; a hot journal has no lock holder, so it is never
    kept waiting longer): the caller's read then waits for the import, as any other. Errors
    are left to the caller's own connection."""
    journal = Path(f"{path}-journal")
    try:
        if not journal.is_file() or journal.stat().st_size == 0 or is_read_only(path):
            return
        conn = open_raw(path, key=key, timeout=SETTLE_WAIT_S)
    except errors("Error", OSError):
        return
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except errors():
        pass
    finally:
        conn.close()


def open_read_only(path: Path, key: JournalKey | None = None, **kwargs: Any) -> sqlite3.Connection:
    """A bare read-only connection to *path* (:func:`read_only_uri`), never creating a file."""
    return open_raw(read_only_uri(Path(path)), key=key, uri=True, **kwargs)


def _main_file(conn: sqlite3.Connection) -> str:
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return str(file or "")
    return ""


def configure_connection(conn: sqlite3.Connection) -> None:
    """Pragmas and functions every QuestionBook connection needs.

    A connection to a read-only journal (see :func:`is_read_only`) also gets ``query_only``, so
    no statement can change it, and keeps the file's journal mode.
    """
    conn.create_function(SEARCH_FUNCTION, 1, search_text, deterministic=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    main = _main_file(conn)
    if main and is_read_only(Path(main)):
        conn.execute("PRAGMA query_only = ON")
    else:
        _write_ahead(conn)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _write_ahead(conn: sqlite3.Connection) -> None:
    """Put the journal in write-ahead mode (it stays so, in the file's header).

    While another process imports in rollback-journal mode
    (:meth:`~questionbook.storage.database.Database.bulk_write`), the switch is refused as
    "busy": the connection then works in the file's present mode, waiting for the lock like
    any reader or writer, and follows the file back into write-ahead mode when the import
    ends (SQLite reads the mode from the header at every transaction). Refusing to open at
    all would turn a ``list`` during an import into an error."""
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except errors() as exc:
        if not isinstance(translate_error(exc), JournalBusy):
            raise


def connect(path: Path, key: JournalKey | None = None) -> sqlite3.Connection:
    """A configured connection in autocommit mode: callers issue ``BEGIN`` themselves.

    It may be used from any thread, one at a time (:class:`~questionbook.storage.database.
    Database` lends each connection to one transaction at a time). A journal the user made
    read-only is opened read-only (:func:`connection_target`); an encrypted one is keyed with
    *key*.
    """
    target, uri = connection_target(path)
    conn = open_raw(
        target,
        key=key,
        uri=uri,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        configure_connection(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def disk_full_message() -> str:
    return _("the disk is full — free some space and try again; nothing was lost")


def read_only_message(path: Path | str | None = None) -> str:
    if path:
        return _(
            "{path} is read-only (the file or its folder cannot be written), so QuestionBook "
            "only reads it; nothing was changed"
        ).format(path=path)
    return _(
        "the journal is read-only (the file or its folder cannot be written); nothing was changed"
    )


_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_ACCESS_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def translate_os_error(exc: OSError, path: Path | str | None = None) -> StorageFull | None:
    """A full disk or a read-only place as our error; ``None`` for any other OS error."""
    if exc.errno in _FULL_ERRNOS:
        return DiskFull(disk_full_message())
    if exc.errno in _ACCESS_ERRNOS:
        return JournalReadOnly(read_only_message(path or exc.filename))
    return None


def translate_error(exc: BaseException) -> Exception | None:
    """Map a driver error to one of our errors, or ``None`` if it is a programming error.

    SQLite's own error name decides where it is known (Python 3.11+): only ``SQLITE_CORRUPT``
    and ``SQLITE_NOTADB`` mean a damaged file. A full disk, a read-only file or folder and a
    failing disk each get their own message and never the "damaged" one, which would send
    the user to restore a backup over a healthy journal.
    """
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, OSError):
        return translate_os_error(orig)
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    message = str(orig).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or (
        not name and ("locked" in message or "busy" in message)
    ):
        return JournalBusy(_("the journal is busy in another program; try again in a moment"))
    if name == "SQLITE_FULL" or (not name and "full" in message):
        return DiskFull(disk_full_message())
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_CANTOPEN")) or (
        not name and ("readonly" in message or "read-only" in message)
    ):
        return JournalReadOnly(read_only_message())
    if name.startswith("SQLITE_IOERR") or (not name and "disk i/o" in message):
        return StorageFull(
            _(
                "the disk reported an error while reading or writing the journal ({reason}); "
                "nothing was changed — check the disk and try again"
            ).format(reason=orig)
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        not name and ("malformed" in message or "not a database" in message or "corrupt" in message)
    ):
        return JournalCorrupt(_("the journal file is damaged: {reason}").format(reason=orig))
    return None


def write_lock_taken(path: Path, key: JournalKey | None = None) -> bool:
    """True if another connection holds the journal's write lock right now; never waits.

    ``BEGIN IMMEDIATE`` with no busy timeout on a throwaway connection, rolled back at once:
    SQLite has no other way to ask. Any other problem (no file yet, a damaged file) reads as
    "not taken": the write itself will meet it and say what it is.

    An encrypted journal needs its *key*. Without it, the file is not opened at all when a key
    file lies beside it: the standard library's SQLite and SQLCipher's are two copies of SQLite
    in one process, and one closing its descriptor of the file would drop the locks the
    other's connections hold on it (SQLite's "how to corrupt" §2.2.1).
    """
    if key is None and Path(f"{path}.key").is_file():
        return False
    try:
        conn = open_raw(
            f"{path.resolve().as_uri()}?mode=rw", key=key, uri=True, timeout=0, isolation_level=None
        )
    except errors("Error", OSError, ValueError):
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except errors("OperationalError") as exc:
        message = str(exc).lower()
        return "locked" in message or "busy" in message
    except errors():
        return False
    finally:
        conn.close()
