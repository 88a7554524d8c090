"""The full-text index and the triggers that keep it in step with the ``entry`` table.

The index holds a *search text* (see :mod:`questionbook.core.text`) computed by the SQL function
``qb_search_text``, which :mod:`questionbook.storage.database` registers on every connection.
Triggers make every write to an entry update the index in the same transaction, whoever writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from questionbook.storage.cipher import errors

FTS_TABLE = "entry_fts"
SEARCH_FUNCTION = "qb_search_text"

_COLUMNS = "title, body, tags, outcome"


def _values(p: str) -> str:
    return (
        f"{p}.num, qb_search_text({p}.title), qb_search_text({p}.body), "
        f"qb_search_text({p}.tags_text), qb_search_text({p}.outcome)"
    )


_INSERT_NEW = f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES ({_values('new')});"
# A contentless table forgets a row by being told the exact tokens it indexed.
_DELETE_OLD = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', {_values('old')});"
)

_CREATE_INSERT_TRIGGER = (
    f"CREATE TRIGGER IF NOT EXISTS entry_fts_insert AFTER INSERT ON entry BEGIN {_INSERT_NEW} END"
)

#: The index is *contentless* (``content=''``): it stores tokens, not a second copy of every
#: text, which keeps the file about a third smaller. The price: changing ``search_text`` needs
#: a migration that rebuilds the index (REBUILD_STATEMENTS), since deletes must name the tokens.
CREATE_STATEMENTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({_COLUMNS}, content='', "
    "tokenize='unicode61 remove_diacritics 2')",
    _CREATE_INSERT_TRIGGER,
    f"CREATE TRIGGER IF NOT EXISTS entry_fts_delete AFTER DELETE ON entry BEGIN {_DELETE_OLD} END",
    "CREATE TRIGGER IF NOT EXISTS entry_fts_update AFTER UPDATE OF title, body, tags_text, outcome"
    f" ON entry BEGIN {_DELETE_OLD} {_INSERT_NEW} END",
)
TRIGGERS = ("entry_fts_insert", "entry_fts_delete", "entry_fts_update")

DROP_STATEMENTS = (
    *(f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)

REBUILD_STATEMENTS = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",
    f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) SELECT {_values('entry')} FROM entry",
)


def is_fts_name(name: str | None) -> bool:
    """True for the index table and its shadow tables (Alembic must leave them alone)."""
    return bool(name) and str(name).startswith(FTS_TABLE)


@contextmanager
def indexed_in_one_pass(conn: sqlite3.Connection) -> Iterator[None]:
    """Index the entries inserted inside the block in one statement at its end.

    For a bulk fill whose search texts are left to the SQL function (``bench/corpus.py``): the
    insert trigger is off inside the block (:func:`indexed_by_caller`), so an *update* inside
    it must not touch the indexed columns of a row inserted inside it (its tokens are not in
    the index yet)."""
    before = conn.execute("SELECT coalesce(max(num), 0) FROM entry").fetchone()[0]
    with indexed_by_caller(conn):
        yield
        conn.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) SELECT {_values('entry')} "
            "FROM entry WHERE entry.num > ?",
            (before,),
        )


#: One row of the index as :func:`indexed_by_caller` takes it: the entry's ``num`` and its
#: title, body, tags text and outcome already in search form (:func:`~questionbook.core.text.search_text`).
IndexRow = tuple[int, str, str, str, str]
_INSERT_ROW = f"INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS}) VALUES (?, ?, ?, ?, ?)"


@contextmanager
def indexed_by_caller(conn: sqlite3.Connection) -> Iterator[Callable[[Iterable[IndexRow]], None]]:
    """Inside a write transaction: the insert trigger off, and a function that indexes the
    entries the caller inserts, given as :data:`IndexRow` (search texts computed by the caller).

    For imports: the search texts can then be computed in the process that reads the file
    (:mod:`questionbook.exchange.reader_process`), and the index grows page by page while the
    file is read instead of in one pass after it, which left the last ~3 s of a 100k import
    to one core. (Executing the rows costs FTS5 what one ``INSERT ... SELECT`` does: 3.0 s
    against 3.2 s at 100k, measured.) Every entry inserted inside the block must be indexed
    through the function; a rollback undoes it all, like :func:`indexed_in_one_pass`."""

    def index(rows: Iterable[IndexRow]) -> None:
        conn.executemany(_INSERT_ROW, rows)

    conn.execute("DROP TRIGGER IF EXISTS entry_fts_insert")
    try:
        with _larger_pending_terms(conn):
            yield index
    finally:
        conn.execute(_CREATE_INSERT_TRIGGER)


#: FTS5 keeps the terms of the rows being indexed in memory until they reach ``hashsize``
#: bytes (1 MiB by default), then writes them as a new segment, and merges segments as they
#: pile up. Indexing 100,000 entries with 32 MiB writes a third as many segments and merges
#: less: 2.2 s → 1.4 s of CPU at 100k (the terms' memory is freed as they are written, at the
#: latest when the import commits).
BULK_HASHSIZE = 32 << 20
DEFAULT_HASHSIZE = 1 << 20  # FTS5_DEFAULT_HASHSIZE


@contextmanager
def _larger_pending_terms(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger ``hashsize`` for the block, then the default again.

    The setting is stored in the index's config table, hence set back inside the same
    transaction. ``hashsize`` is not in FTS5's documented options: an SQLite that refuses it
    (an "SQL logic error" for that one statement) indexes at the default size."""
    if not _set_hashsize(conn, BULK_HASHSIZE):
        yield
        return
    try:
        yield
    finally:
        _set_hashsize(conn, DEFAULT_HASHSIZE)


def _set_hashsize(conn: sqlite3.Connection, size: int) -> bool:
    try:
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', ?)", (size,))
    except errors("DatabaseError"):  # the standard library's or SQLCipher's
        return False
    return True
