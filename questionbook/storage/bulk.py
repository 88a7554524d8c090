"""Bulk writes into empty tables: their secondary indexes built once, at the end.

An import into a new journal inserts 100,000 entries in random id order; SQLite then updates
every index of the ``entry`` table (ten of them) row by row, each a B-tree descent into pages
that the page cache soon cannot hold. Building an index over a full table instead sorts its
keys once. This is done only for a table that is *empty* when the import starts, so nothing
anyone already has is ever without its index, and only inside the caller's write
transaction: no other connection sees the indexes missing, and an error or a cancel rolls the
drop back with everything else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

#: Pages SQLite keeps in memory while an import writes (KiB, as ``PRAGMA cache_size`` takes a
#: negative number): the default 2 MiB makes each of the entry table's indexes re-read pages
#: from the file as 100,000 random ids go in; 16 MiB took a fifth off the writing.
IMPORT_CACHE_KIB = 16 * 1024


@contextmanager
def larger_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache for the block, then the connection's own again (which frees it)."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def _declared_indexes(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes declared on *table*: those a ``UNIQUE`` or
    ``PRIMARY KEY`` makes (``sqlite_autoindex_…``, no statement) stay, since lookups by id
    need them while the rows go in."""
    return [
        (str(name), str(sql))
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY name",
            (table,),
        )
    ]


def unique_index(conn: sqlite3.Connection, table: str, column: str) -> str:
    """The name of the index that a ``UNIQUE`` constraint on *column* alone gave *table*,
    for ``INDEXED BY``.

    A large import looks its entries up by id a page at a time while it inserts them. The
    query planner's statistics (``ANALYZE``) date from before it and may say the table holds
    a few rows, so the planner scans it for ``id IN (...)``; as 100,000 rows go in, every page
    then reads them all (a 100k import into a journal of one entry: 12.7 s, 40 % of it in that
    lookup; 9.2 s with the index named). Naming the index keeps each lookup a search, whatever
    the statistics say."""
    for row in conn.execute(f'PRAGMA index_list("{table}")'):
        name, unique = str(row[1]), bool(row[2])
        info = conn.execute(f'PRAGMA index_info("{name}")').fetchall()
        if unique and [r[2] for r in info] == [column]:
            return name
    raise LookupError(f"{table}.{column} has no unique index")


def _is_empty(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is None


@contextmanager
def indexes_built_at_end(conn: sqlite3.Connection, tables: Sequence[str]) -> Iterator[list[str]]:
    """Inside a write transaction: drop the declared indexes of those of *tables* that are
    empty, and create them again, with their own statements, when the block ends normally.

    Yields the names of the tables whose indexes wait. On an exception the indexes are not
    rebuilt: the caller's transaction rolls back, which restores them as they were."""
    if not conn.in_transaction:
        raise RuntimeError("indexes_built_at_end needs the caller's write transaction")
    waiting: list[tuple[str, str]] = []
    emptied: list[str] = []
    for table in tables:
        if not _is_empty(conn, table):
            continue
        indexes = _declared_indexes(conn, table)
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        waiting += indexes
        emptied.append(table)
    yield emptied
    for _name, sql in waiting:
        conn.execute(sql)
