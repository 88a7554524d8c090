"""What every connection to a journal needs, with the standard library alone.

Both the SQLAlchemy engine (:mod:`questionbook.storage.database`) and the command line's quick
path (:mod:`questionbook.cli.quick`) open connections through this module, so the pragmas, the
search-text function the index triggers call and the meaning of driver errors are the same
whichever path wrote a row. Importing SQLAlchemy costs a third of a second, which the quick
path exists to avoid; so nothing here may import it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from questionbook.core.errors import JournalBusy, JournalCorrupt, StorageFull
from questionbook.core.text import search_text
from questionbook.i18n import _
from questionbook.storage.fts import SEARCH_FUNCTION

BUSY_TIMEOUT_MS = 10_000
#: Identifies a QuestionBook file in the SQLite header (``PRAGMA application_id``): "QBk1".
APPLICATION_ID = 0x51426B31


def configure_connection(conn: sqlite3.Connection) -> None:
    """Pragmas and functions every QuestionBook connection needs."""
    conn.create_function(SEARCH_FUNCTION, 1, search_text, deterministic=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def connect(path: Path) -> sqlite3.Connection:
    """A configured connection in autocommit mode: callers issue ``BEGIN`` themselves.

    It may be used from any thread, one at a time (:class:`~questionbook.storage.database.
    Database` lends each connection to one transaction at a time).
    """
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    try:
        configure_connection(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def translate_error(exc: BaseException) -> Exception | None:
    """Map a driver error to one of our errors, or ``None`` if it is a programming error."""
    orig = getattr(exc, "orig", exc)
    message = str(orig).lower()
    if "locked" in message or "busy" in message:
        return JournalBusy(_("the journal is busy in another program; try again in a moment"))
    if (
        "full" in message
        or "readonly" in message
        or "read-only" in message
        or "disk i/o" in message
    ):
        return StorageFull(_("cannot write the journal: {reason}").format(reason=orig))
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return JournalCorrupt(_("the journal file is damaged: {reason}").format(reason=orig))
    return None


def write_lock_taken(path: Path) -> bool:
    """True if another connection holds the journal's write lock right now; never waits.

    ``BEGIN IMMEDIATE`` with no busy timeout on a throwaway connection, rolled back at once:
    SQLite has no other way to ask. Any other problem (no file yet, a damaged file) reads as
    "not taken": the write itself will meet it and say what it is.
    """
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0, isolation_level=None
        )
    except (sqlite3.Error, OSError, ValueError):
        return False
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        message = str(exc).lower()
        return "locked" in message or "busy" in message
    except sqlite3.Error:
        return False
    finally:
        conn.close()
