"""The SQLite engine and transactions.

Every connection sets WAL, ``synchronous=FULL`` (a saved entry survives power loss),
``foreign_keys=ON`` and a busy timeout, and registers the search-text function the index
triggers call. The driver runs in autocommit mode and we issue ``BEGIN`` ourselves, so that
writes can start with ``BEGIN IMMEDIATE``: a deferred transaction that reads, then writes after
another process committed fails at once with "database is locked" (TECH-NOTES.md).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from questionbook.storage.connection import (
    BUSY_TIMEOUT_MS,
    configure_connection,
    connection_target,
    translate_error,
)
from questionbook.storage.health import JournalGuard

log = logging.getLogger(__name__)


def create_journal_engine(path: Path) -> Engine:
    """An engine over the journal at *path* (which must already have passed the file checks)."""
    target, uri = connection_target(path)  # issue 14: a read-only journal opens read-only

    def _connect() -> sqlite3.Connection:
        return sqlite3.connect(
            target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )

    engine = create_engine(f"sqlite:///{path}", creator=_connect)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        configure_connection(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.info.pop("qb_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def driver_connection(session: Session) -> sqlite3.Connection:
    """The ``sqlite3`` connection under *session*, inside the session's transaction.

    The plain-SQL functions the command line's quick path shares with the services
    (:mod:`questionbook.core.entry_sql`, :mod:`questionbook.core.search_sql`) run on it.
    """
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


class Database:
    """Owns the engine; hands out read and write sessions (one per service call)."""

    def __init__(self, path: Path, engine: Engine, guard: JournalGuard | None = None) -> None:
        self.path = path
        self.engine = engine
        self._watcher: sqlite3.Connection | None = None
        # issue 14 (storage/health.py): the writers' lock for the Database's lifetime; refuses
        # writes into a read-only or damaged file.
        self.guard = guard or JournalGuard(path)

    def data_version(self) -> int:
        """``PRAGMA data_version`` on a connection kept for this alone.

        Its value changes whenever any *other* connection commits, and every write goes
        through the engine's pooled connections, so any change by this or another process
        shows up here.
        """
        try:
            if self._watcher is None:
                target, uri = connection_target(self.path)  # issue 14: read-only too
                self._watcher = sqlite3.connect(target, uri=uri, check_same_thread=False)
                self._watcher.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return int(self._watcher.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            raise (translate_error(exc) or exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (deferred transaction, a consistent snapshot)."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise self.guard.failed(translate_error(exc) or exc) from exc  # issue 14

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session for one user action: ``BEGIN IMMEDIATE`` ... ``COMMIT``, all or nothing.

        The busy timeout covers waiting for another writer; if SQLite still reports a lock when
        starting, the start is retried for a while before :class:`JournalBusy` reaches the user.
        """
        self.guard.before_write()  # issue 14: no write into a read-only or damaged file
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            conn = self.engine.connect()
            try:
                conn.info["qb_begin"] = "IMMEDIATE"
                conn.begin()
                break
            except OperationalError as exc:
                conn.close()
                if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                    raise self.guard.failed(translate_error(exc) or exc) from exc  # issue 14
                time.sleep(0.05)
        try:
            with Session(bind=conn, expire_on_commit=False, autoflush=True) as session:
                try:
                    yield session
                    session.flush()
                    conn.commit()
                except BaseException:
                    session.rollback()
                    conn.rollback()
                    raise
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise self.guard.failed(translate_error(exc) or exc) from exc  # issue 14
        finally:
            conn.close()

    def refresh_statistics(self) -> None:
        """Refresh the query planner's statistics (``ANALYZE``, sampled: ~25 ms at 100k).

        Without them SQLite guesses that ``deleted_at IS NULL`` picks a few rows and walks
        the whole table for a tag; with them it starts from the tag. Called once a day (with
        the daily backup) and after imports; failing only costs speed, so it never raises.
        """
        try:
            with self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                assert raw is not None
                raw.execute("PRAGMA analysis_limit = 400")
                raw.execute("ANALYZE")
        except (SQLAlchemyError, sqlite3.Error) as exc:
            log.warning("could not refresh the query statistics: %s", exc)

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
        self.engine.dispose()
        self.guard.close()  # issue 14: drops the writers' lock
