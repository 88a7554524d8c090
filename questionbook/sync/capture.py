"""Recording local changes: SQL triggers generated from the declarations.

Every insert, update and delete of a synced row — by the app, the command line, an import or a
foreign-key cascade — adds a ``sync_outbox`` row (table, natural key, operation, changed fields,
time) in the same transaction, whoever writes. The triggers exist only while sync is enabled,
so a journal that never syncs pays nothing. While remote changes are applied, a row in
``sync_quiet`` (written inside the applying transaction) silences them: what comes from the
folder is not sent back. A delete caused by the deletion of the row it belongs to is marked
``cascade`` (an entry's purge travels once, not with every rating it had).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from questionbook.core.store import Store
from questionbook.sync.plan import PLANS, TablePlan

PREFIX = "qbsync_"
NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
QUIET = "NOT EXISTS (SELECT 1 FROM sync_quiet)"
INSERTED, DELETED = "'i'", "'d'"


def _outbox(plan: TablePlan, key: str, op: str, fields: str) -> str:
    return (
        f"INSERT INTO sync_outbox (tbl, key, op, fields, at) "
        f"VALUES ('{plan.name}', {key}, {op}, {fields}, {NOW_MS});"
    )


def _when(*conds: str) -> str:
    return " AND ".join(f"({c})" for c in conds if c)


def trigger_statements(plan: TablePlan) -> list[str]:
    """``CREATE TRIGGER`` statements capturing changes to *plan*'s table."""
    t = plan.name
    out = [
        f"CREATE TRIGGER {PREFIX}{t}_i AFTER INSERT ON {t} "
        f"WHEN {_when(QUIET, plan.only_sql('new'))} "
        f"BEGIN {_outbox(plan, plan.key_sql('new'), INSERTED, 'NULL')} END"
    ]
    watched = plan.values + tuple(c for c, _v in plan.only if c not in plan.values)
    key_changed = f"{plan.key_sql('old')} IS NOT {plan.key_sql('new')}"
    changed_any = " OR ".join(f"old.{c} IS NOT new.{c}" for c in watched) or "0"
    in_scope = " OR ".join(
        c for c in (plan.only_sql("old"), plan.only_sql("new")) if c
    )  # rows moving into or out of the policy's filter count
    if plan.policy == "log":
        # History is append-only: a changed row is a new row; deletions are never sent.
        out.append(
            f"CREATE TRIGGER {PREFIX}{t}_u AFTER UPDATE ON {t} "
            f"WHEN {_when(QUIET, f'{changed_any} OR {key_changed}')} "
            f"BEGIN {_outbox(plan, plan.key_sql('new'), INSERTED, 'NULL')} END"
        )
        return out
    fields = " || ".join(
        f"CASE WHEN old.{c} IS NOT new.{c} THEN ',{c}' ELSE '' END" for c in watched
    )
    fields_sql = f"substr({fields}, 2)" if fields else "''"
    op = f"CASE WHEN {key_changed} THEN 'i' ELSE 'u' END"
    out.append(
        f"CREATE TRIGGER {PREFIX}{t}_u AFTER UPDATE ON {t} "
        f"WHEN {_when(QUIET, f'{changed_any} OR {key_changed}', in_scope)} "
        f"BEGIN {_outbox(plan, plan.key_sql('new'), op, fields_sql)} END"
    )
    out.append(
        f"CREATE TRIGGER {PREFIX}{t}_k AFTER UPDATE ON {t} "
        f"WHEN {_when(QUIET, key_changed, plan.only_sql('old'))} "
        f"BEGIN {_outbox(plan, plan.key_sql('old'), DELETED, 'NULL')} END"
    )
    orphaned = " OR ".join(
        f"(old.{c.column} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {c.parent} WHERE {c.parent_column} = old.{c.column}))"
        for c in plan.cascades
    )
    cascade = f"CASE WHEN {orphaned} THEN 'cascade' END" if orphaned else "NULL"
    out.append(
        f"CREATE TRIGGER {PREFIX}{t}_d AFTER DELETE ON {t} "
        f"WHEN {_when(QUIET, plan.only_sql('old'))} "
        f"BEGIN {_outbox(plan, plan.key_sql('old'), DELETED, cascade)} END"
    )
    return out


def all_statements() -> list[str]:
    return [s for plan in PLANS.values() for s in trigger_statements(plan)]


def installed_names(conn: sqlite3.Connection) -> dict[str, str]:
    """The capture triggers in the journal: name → SQL."""
    return {
        str(name): str(sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'qbsync%'"
        )
        if str(name).startswith(PREFIX)
    }


def is_current(conn: sqlite3.Connection) -> bool:
    """True if the installed triggers are exactly the ones the declarations call for (a
    migration that rebuilt a table, or a new table, needs them re-created)."""
    return sorted(installed_names(conn).values()) == sorted(all_statements())


def install(conn: sqlite3.Connection) -> None:
    """(Re)create every capture trigger, inside the caller's transaction."""
    remove(conn)
    for statement in all_statements():
        conn.execute(statement)


def refresh_if_enabled(db: Store) -> bool:
    """Re-create the triggers of a journal that syncs if they are not the ones its
    declarations call for (a migration that rebuilt or added a table). Returns True if it did.

    Called right after a migration, before anything else writes, so no change goes unrecorded.
    """
    with db.write() as conn:
        enabled = conn.execute("SELECT 1 FROM sync_state WHERE key = 'device'").fetchone()
        if enabled is None or is_current(conn):
            return False
        install(conn)
        return True


def remove(conn: sqlite3.Connection) -> None:
    for name in installed_names(conn):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


@contextmanager
def quiet(conn: sqlite3.Connection) -> Iterator[None]:
    """Silence the triggers inside the caller's transaction (applying remote changes)."""
    conn.execute("INSERT OR IGNORE INTO sync_quiet (flag) VALUES (1)")
    try:
        yield
    finally:
        conn.execute("DELETE FROM sync_quiet")
