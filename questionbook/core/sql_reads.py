"""The reads the Journal service and the command line's quick path share, in plain SQL.

Both run :mod:`questionbook.core.search_sql` and :mod:`questionbook.core.entry_sql` on a read
transaction's ``sqlite3`` connection; they differ only in where that connection comes from
(under a SQLAlchemy session, or opened with the standard library alone). So the reads are
written once, here, over :meth:`SqlReads.reading`.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import tzinfo

from questionbook.core import entry_sql, search_sql
from questionbook.core.entities import Entry, EntrySummary, TagCount
from questionbook.core.query import Query


class SqlReads(ABC):
    """Searching, counting and loading entries, given :meth:`reading` and :attr:`tz`."""

    tz: tzinfo | None

    @abstractmethod
    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction (one snapshot) and its ``sqlite3`` connection."""

    def find(
        self,
        query: Query | str = "",
        *,
        trash: bool = False,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[EntrySummary]:
        """Entries matching *query* (text or parsed), one page: ranked by relevance, or newest
        first for filter-only queries and for text queries with very many hits."""
        with self.reading() as conn:
            return search_sql.find_summaries(
                conn, query, trash=trash, tz=self.tz, limit=limit, offset=offset
            )

    def count(self, query: Query | str = "", *, trash: bool = False) -> int:
        with self.reading() as conn:
            return search_sql.count_matches(conn, query, trash=trash, tz=self.tz)

    def find_ids(self, query: Query | str = "", *, trash: bool = False) -> list[str]:
        """Every matching id in order (cheap: used for paging in large lists and exports)."""
        with self.reading() as conn:
            return search_sql.find_ids(conn, query, trash=trash, tz=self.tz)

    def resolve_id(self, id_or_prefix: str) -> str:
        """The full id of the one entry whose id starts with *id_or_prefix*."""
        with self.reading() as conn:
            return entry_sql.resolve_id(conn, id_or_prefix)

    def get(self, id_or_prefix: str) -> Entry:
        """One whole entry, by its id or a unique prefix of 4 or more characters."""
        with self.reading() as conn:
            return entry_sql.load_entries(conn, [entry_sql.resolve_id(conn, id_or_prefix)])[0]

    def tag_counts(self) -> list[TagCount]:
        """Tags of entries not in the Trash, most used first, then by name."""
        with self.reading() as conn:
            return entry_sql.tag_counts(conn)

    def entries(self, ids: Sequence[str]) -> list[Entry]:
        """Whole entries for *ids*, in the order given (missing ids are skipped)."""
        with self.reading() as conn:
            return entry_sql.load_entries(conn, ids)

    def waterline(self) -> int:
        """Where the user says AI stands now (the latest waterline mark; 1 before any)."""
        with self.reading() as conn:
            return entry_sql.current_waterline(conn)
