"""The full-text index and the triggers that keep it in step with the ``entry`` table.

The index holds a *search text* (see :mod:`questionbook.core.text`) computed by the SQL function
``qb_search_text``, which :mod:`questionbook.storage.database` registers on every connection.
Triggers make every write to an entry update the index in the same transaction, whoever writes.
"""

from __future__ import annotations

FTS_TABLE = "entry_fts"
SEARCH_FUNCTION = "qb_search_text"

_VALUES = (
    "{p}.num, qb_search_text({p}.title), qb_search_text({p}.body), "
    "qb_search_text({p}.tags_text), qb_search_text({p}.outcome)"
)

CREATE_STATEMENTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "title, body, tags, outcome, tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS entry_fts_insert AFTER INSERT ON entry BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body, tags, outcome) VALUES ({_VALUES.format(p='new')});"
    " END",
    f"CREATE TRIGGER IF NOT EXISTS entry_fts_delete AFTER DELETE ON entry BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.num; END",
    f"CREATE TRIGGER IF NOT EXISTS entry_fts_update AFTER UPDATE OF title, body, tags_text, outcome"
    f" ON entry BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.num; "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body, tags, outcome) VALUES ({_VALUES.format(p='new')});"
    " END",
)
TRIGGERS = ("entry_fts_insert", "entry_fts_delete", "entry_fts_update")

DROP_STATEMENTS = (
    *(f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)

REBUILD_STATEMENTS = (
    f"DELETE FROM {FTS_TABLE}",
    f"INSERT INTO {FTS_TABLE}(rowid, title, body, tags, outcome) "
    f"SELECT {_VALUES.format(p='entry')} FROM entry",
)


def is_fts_name(name: str | None) -> bool:
    """True for the index table and its shadow tables (Alembic must leave them alone)."""
    return bool(name) and str(name).startswith(FTS_TABLE)
