"""Connections and transactions over one journal file, with the standard library alone.

Every connection gets the same pragmas and search function
(:func:`questionbook.storage.connection.configure_connection`) and runs in autocommit mode, so
that this module issues ``BEGIN`` itself: writes start with ``BEGIN IMMEDIATE``, because a
deferred transaction that reads, then writes after another process committed fails at once with
"database is locked" (TECH-NOTES.md). One service call is one transaction.

Why not SQLAlchemy sessions: importing SQLAlchemy costs a third of a second (most of the command
line's and the app's start), and reading an entry three ways (ORM objects, raw SQL under the
session, positional rows) was the cause of several bugs. All reads and writes go through
:mod:`questionbook.core.rows`; SQLAlchemy and Alembic are imported only to migrate.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.errors import JournalBusy
from questionbook.storage.cipher import errors
from questionbook.storage.connection import (
    BUSY_TIMEOUT_MS,
    connect,
    connection_target,
    open_raw,
    translate_error,
)
from questionbook.storage.health import JournalGuard

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

log = logging.getLogger(__name__)

#: Idle connections kept for reuse; more are opened when threads overlap, then closed.
POOL_SIZE = 4


class JournalClosed(RuntimeError):
    """The journal was closed: a programming error if a live view meets it, so it stays a
    RuntimeError; code that may outlive its journal asks :attr:`Database.closed` first."""


class Database:
    """Hands out a connection per transaction: :meth:`read` (a snapshot) or :meth:`write`.

    Connections are pooled and may be used from any thread, one thread at a time (the app's
    writer thread and its UI thread each borrow their own). An encrypted journal is opened
    with its *key* (:mod:`questionbook.storage.keyfile`); every connection is keyed with it.
    """

    def __init__(
        self,
        path: Path,
        *,
        opener: Callable[[Path], sqlite3.Connection] | None = None,
        guard: JournalGuard | None = None,
        key: JournalKey | None = None,
    ) -> None:
        self.path = path
        self.key = key
        self._opener = opener or (connect if key is None else functools.partial(connect, key=key))
        self._idle: list[sqlite3.Connection] = []
        # Which opener made each connection (by id): one borrowed when the opener changed goes
        # back to be closed, not pooled (use_opener promises *every* later connection).
        self._opener_generation = 0
        self._made_by: dict[int, int] = {}
        self._lock = threading.Lock()
        self._watcher: sqlite3.Connection | None = None
        self._closed = False
        # The writers' lock for the Database's lifetime (no restore swaps the file under it),
        # and the refusal to write into a read-only or damaged file (storage/health.py).
        self.guard = guard or JournalGuard(path, key=key)

    # -- connections ----------------------------------------------------------------------------
    def use_opener(self, opener: Callable[[Path], sqlite3.Connection]) -> None:
        """Open every later connection with *opener* (idle connections are dropped): a test's
        simulated full disk."""
        with self._lock:
            self._opener = opener
            self._opener_generation += 1
        self._close_idle()

    def _close_idle(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            for conn in idle:
                self._made_by.pop(id(conn), None)
        for conn in idle:
            conn.close()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran: a window being replaced (a restore, encrypting) may
        still get a timer tick or an event before it is gone, and must not read then."""
        return self._closed

    def write_lock_taken(self) -> bool:
        """True if another connection holds the write lock now (never waits)."""
        from questionbook.storage.connection import write_lock_taken

        return write_lock_taken(self.path, self.key)

    def _borrow(self) -> sqlite3.Connection:
        with self._lock:
            if self._closed:
                raise JournalClosed("the journal is closed")
            if self._idle:
                return self._idle.pop()
            opener, generation = self._opener, self._opener_generation
        try:
            conn = opener(self.path)
        except errors() as exc:
            raise self.guard.failed(translate_error(exc) or exc) from exc
        with self._lock:
            self._made_by[id(conn)] = generation
        return conn

    def _give_back(self, conn: sqlite3.Connection) -> None:
        try:
            reusable = not conn.in_transaction  # never hand on a half-finished transaction
        except errors("ProgrammingError"):  # closed after a failed rollback
            with self._lock:
                self._made_by.pop(id(conn), None)
            return
        with self._lock:
            current = self._made_by.get(id(conn)) == self._opener_generation
            if reusable and current and not self._closed and len(self._idle) < POOL_SIZE:
                self._idle.append(conn)
                return
            self._made_by.pop(id(conn), None)
        conn.close()

    @contextmanager
    def _transaction(self, begin: str, *, bulk: bool = False) -> Iterator[sqlite3.Connection]:
        """Borrow a connection, ``begin``, yield, ``COMMIT`` (or ``ROLLBACK`` on any error).

        A busy journal is waited for by SQLite's busy timeout; if ``BEGIN IMMEDIATE`` still
        finds it locked, the start is retried until the timeout has passed in all. *bulk*: in
        rollback-journal mode if it can be (:meth:`bulk_write`).
        """
        if begin != "BEGIN DEFERRED":
            self.guard.before_write()  # no write into a read-only or damaged file
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            conn = self._borrow()
            rollback_journal = bulk and _leave_wal(conn)
            try:
                conn.execute(begin)
                break
            except errors() as exc:
                if rollback_journal:
                    _back_to_wal(conn)
                self._give_back(conn)
                error = translate_error(exc)
                if not isinstance(error, JournalBusy) or time.monotonic() > deadline:
                    raise self.guard.failed(error or exc) from exc
                time.sleep(0.05)
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            self._rollback(conn)
            if isinstance(exc, errors()):
                raise self.guard.failed(translate_error(exc) or exc) from exc
            raise
        finally:
            if rollback_journal:
                _back_to_wal(conn)
            self._give_back(conn)

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if not conn.in_transaction:  # SQLite rolled back already (e.g. the disk was full)
            return
        try:
            conn.execute("ROLLBACK")
        except errors():
            log.warning("rollback failed; the connection is dropped", exc_info=True)
            conn.close()

    # -- transactions ---------------------------------------------------------------------------
    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction: one consistent snapshot until the block ends."""
        return self._transaction("BEGIN DEFERRED")

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction for one user action: ``BEGIN IMMEDIATE`` ... ``COMMIT``, all or
        nothing; :class:`~questionbook.core.errors.JournalBusy` if another program holds the
        write lock for longer than the busy timeout."""
        return self._transaction("BEGIN IMMEDIATE")

    def bulk_write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction for a large import by a process that does nothing else with
        the journal until it ends: the command line's ``import``.

        If no other connection has the journal open, the transaction runs in SQLite's
        rollback-journal mode, and the journal goes back to write-ahead logging when it ends.
        Pages added to the file are then written once, where the log writes them, syncs them,
        and the checkpoint writes them again into the file: a 100k-entry JSON import on ext4
        took 8.8–10.0 s in the log, 7.5–7.9 s without it (measured side by side). It is as
        atomic: a process killed half-way leaves a "hot" rollback journal, which the next
        connection plays back before anything reads the file.

        The price: while it runs, another process cannot open the journal (it waits the busy
        timeout, then gets :class:`~questionbook.core.errors.JournalBusy`), where the log would
        let it read. So the app, whose window keeps reading while it imports, uses
        :meth:`write`; and this process's own idle connections are closed first, as any open
        connection (another process's too) keeps the journal in write-ahead mode.
        """
        self._close_idle()
        return self._transaction("BEGIN IMMEDIATE", bulk=True)

    # -- upkeep ---------------------------------------------------------------------------------
    def data_version(self) -> int:
        """``PRAGMA data_version`` on a connection kept for this alone.

        Its value changes whenever any *other* connection commits, and every write goes through
        the pooled connections, so any change by this or another process shows up here. The app
        polls it to pick up entries added from a terminal.
        """
        try:
            if self._watcher is None:
                target, uri = connection_target(self.path)  # issue 14: read-only too
                self._watcher = open_raw(target, key=self.key, uri=uri, check_same_thread=False)
                self._watcher.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return int(self._watcher.execute("PRAGMA data_version").fetchone()[0])
        except errors() as exc:
            raise (translate_error(exc) or exc) from exc

    def refresh_statistics(self) -> None:
        """Refresh the query planner's statistics (``ANALYZE``, sampled: ~25 ms at 100k).

        Without them SQLite guesses that ``deleted_at IS NULL`` picks a few rows and walks the
        whole table for a tag; with them it starts from the tag. Called once a day (with the
        daily backup) and after imports; failing only costs speed, so it never raises.
        """
        try:
            conn = self._borrow()
        except Exception as exc:
            log.warning("could not refresh the query statistics: %s", exc)
            return
        try:
            conn.execute("PRAGMA analysis_limit = 400")
            conn.execute("ANALYZE")
        except errors() as exc:
            log.warning("could not refresh the query statistics: %s", exc)
        finally:
            self._give_back(conn)

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._close_idle()
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
        self.guard.close()  # drops the writers' lock


def _leave_wal(conn: sqlite3.Connection) -> bool:
    """Switch *conn*'s journal to rollback-journal mode; False (and still in write-ahead mode)
    if another connection has it open, which SQLite says at once, without waiting."""
    try:
        return str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower() == "delete"
    except errors():
        return False


def _back_to_wal(conn: sqlite3.Connection) -> None:
    """Back to write-ahead mode after :func:`_leave_wal`. If that fails (a connection closed
    by a failed rollback, another process waiting to open), every connection's own
    ``PRAGMA journal_mode = WAL`` switches the file back the next time one is opened; this
    one is closed rather than pooled in the wrong mode."""
    try:
        if str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() == "wal":
            return
    except errors():
        pass
    log.warning("the journal could not go back to write-ahead mode after an import")
    conn.close()
