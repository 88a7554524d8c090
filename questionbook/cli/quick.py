"""The command line's quick path: ``add``, ``list``, ``search``, ``show``, ``tags`` and ``due``
with the standard library.

Importing SQLAlchemy, SQLModel and pydantic takes about a third of a second, more than the
command's own work at 100,000 entries. So when a journal needs nothing but reading and adding,
these commands open it with :mod:`sqlite3` and run the very functions the Journal service runs
(:mod:`questionbook.core.entry_sql`, :mod:`questionbook.core.search_sql`) on that connection:
one implementation, so the results are the same by construction (and tests compare them).

The quick path is taken only when the file exists, has passed the same probe as a full open,
is at the current schema revision and already has today's backup. Otherwise (the first run, a
migration, the daily backup, ``--demo``) the command opens the full services, which do those.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime, tzinfo
from pathlib import Path

from questionbook.core import entry_sql
from questionbook.core.entities import Entry
from questionbook.core.sql_reads import SqlReads
from questionbook.core.timeutil import utcnow
from questionbook.storage.connection import connect, translate_error
from questionbook.storage.health import JournalGuard


class QuickJournal(SqlReads):
    """The part of :class:`~questionbook.core.journal.Journal` that the reading commands and
    ``add`` use, over one ``sqlite3`` connection (the reads are
    :class:`~questionbook.core.sql_reads.SqlReads`, like the Journal's)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        clock: Callable[[], datetime] = utcnow,
        tz: tzinfo | None = None,
        guard: JournalGuard | None = None,
    ) -> None:
        self.conn = conn
        self.clock = clock
        self.tz = tz
        self.guard = guard

    @contextmanager
    def _transaction(self, mode: str) -> Iterator[sqlite3.Connection]:
        """``BEGIN <mode>`` ... ``COMMIT``, all or nothing, driver errors made ours.

        SQLite rolls a transaction back by itself after some errors (a full disk at
        ``COMMIT``, an I/O error); the rollback here then has nothing to do and must not
        replace the real error with "cannot rollback - no transaction is active".
        """
        if mode == "IMMEDIATE" and self.guard is not None:
            self.guard.before_write()  # no write into a read-only or damaged file
        try:
            self.conn.execute(f"BEGIN {mode}")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    with suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            error = translate_error(exc) or exc
            raise (self.guard.failed(error) if self.guard else error) from exc

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction (one snapshot), as :meth:`Journal.reading` gives."""
        return self._transaction("DEFERRED")

    def insert(self, new: entry_sql.NewEntry) -> Entry:
        """Store an entry, exactly as :meth:`Journal.insert` does."""
        with self._transaction("IMMEDIATE") as conn:
            return entry_sql.insert_entry(conn, new)

    def close(self) -> None:
        self.conn.close()
        if self.guard is not None:
            self.guard.close()


def open_quick(path: Path) -> QuickJournal | None:
    """A :class:`QuickJournal` over *path*, or None when the full services must open it.

    Raises what the full open would raise for a file that is not a journal, is damaged or is
    from a newer version (the probe is the same).
    """
    from questionbook.storage.backup import has_backup_today
    from questionbook.storage.probe import probe

    state = probe(path)
    if not state.exists or state.needs_migration or not has_backup_today(path):
        return None
    guard = JournalGuard(path)  # the writers' lock, as every process that may write holds
    try:
        return QuickJournal(connect(path), guard=guard)
    except sqlite3.Error as exc:
        guard.close()
        raise (translate_error(exc) or exc) from exc
    except BaseException:
        guard.close()
        raise
