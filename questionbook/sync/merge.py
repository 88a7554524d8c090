"""Applying another journal's changes: the merge rules, one field at a time.

A file carries what its writer had seen (``deps``: each device's clock). For each incoming field
value with version *r*, against the local version *l*:

- *r* already seen here (a row sent as it stands, a duplicate): nothing to do;
- *l* is missing, or the writer had seen *l*: the incoming value replaces it;
- otherwise both changed the field without seeing each other: the larger version wins, and for
  a text field the other text is kept as a **conflict copy** (``conflict_copy``, keyed by what
  lost, so every journal makes the same copy, and sent on like any new row).

Deleting a row (an entry's purge, a manual tag's removal) takes effect only if the deleter had
seen every version the row holds here; otherwise the row stays and is sent again whole, so the
journals that did delete it get it back (a purge never destroys an edit it had not seen). History
rows are a union. Files are applied in causal order (:mod:`questionbook.sync.engine`), so "the
writer had seen *l*" is exact. Everything runs inside the caller's write transaction with the
capture triggers silenced.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from questionbook.core import rows
from questionbook.core.schema import ENTRY
from questionbook.sync import bookkeeping as bk
from questionbook.sync.capture import NOW_MS
from questionbook.sync.fileformat import Header
from questionbook.sync.hlc import Version, encode_version, stamp_time
from questionbook.sync.plan import PLANS, TablePlan, canon
from questionbook.sync.records import DELETE, PUT, Change

_EMPTY = {"text": "", "tags": "", "int": 0, "bool": 0, "blob": b""}


@dataclass
class Memo:
    """What one sync run knows about rows it inserted, across its transactions: which tables
    were empty when it began (a joining journal's are) and which keys it has put in them."""

    empty: dict[str, bool] = field(default_factory=dict)
    added: dict[str, set[str]] = field(default_factory=dict)

    def forget(self) -> None:
        """Rows were deleted (and others with them, by cascade): trust the database again."""
        self.empty.clear()
        self.added.clear()


@dataclass
class Applied:
    """What applying changed (for the report and for re-deriving)."""

    received: int = 0
    conflicts: int = 0
    skipped: int = 0
    touched: dict[str, set[str]] = field(default_factory=dict)
    revive: set[tuple[str, str]] = field(default_factory=set)

    def touch(self, table: str, key: str) -> None:
        self.touched.setdefault(table, set()).add(key)


def writer_clocks(header: Header) -> dict[str, int]:
    """What a file's writer had seen: each device's clock (its own: the file's)."""
    writer = {d: h for d, (_s, h) in header.deps.items()}
    writer[header.device] = max(writer.get(header.device, 0), header.hlc)
    return writer


def covered(version: Version, seen_by: dict[str, int]) -> bool:
    return version[0] <= seen_by.get(version[1], -1)


class Applier:
    """Applies changes to the journal on *conn* (inside a write transaction, triggers quiet)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        me: str,
        known: dict[str, int],
        prefill: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None,
        memo: Memo | None = None,
    ) -> None:
        self.conn, self.me, self.known, self.prefill = conn, me, known, prefill
        self.result = Applied()
        # A journal joining a folder inserts tens of thousands of rows into empty tables:
        # remembering what it inserted spares a lookup per row, and buffered writes go out
        # with one executemany per table.
        self.memo = memo or Memo()
        self._empty = self.memo.empty
        self._added = self.memo.added
        self._versions: dict[tuple[str, str], tuple[dict[str, Version], Any]] = {}
        self._tombs: dict[tuple[str, str], dict[str, int]] = {}
        self._rows: dict[str, list[list[Any]]] = {}

    def seen(self, version: Version) -> bool:
        return version[1] == self.me or covered(version, self.known)

    def apply(self, header: Header, changes: Iterable[Change], *, last: bool = True) -> None:
        """Apply one file's changes (or a part: *last* says whether it is the final one);
        after the final part the writer's clock counts as seen."""
        writer = writer_clocks(header)
        for change in changes:
            self.one(change, writer)
        self.flush()
        if not last:
            return
        for device, stamp in writer.items():
            if header.kind == "snapshot" or device == header.device:
                self.known[device] = max(self.known.get(device, 0), stamp)

    def one(self, change: Change, writer: dict[str, int]) -> None:
        plan = PLANS.get(change.table)
        if plan is None or len(change.key) != len(plan.key):
            self.result.skipped += 1
            return
        change.values = {c: v for c, v in change.values.items() if c in plan.values}
        if plan.policy == "log":
            if change.op == PUT:
                self._log(plan, change)
            return
        ckey = canon(change.key)
        current = self._read(plan, change.key, ckey)
        if current is None and plan.local_deletes:
            current = self._ghost(plan, change.key, ckey)
        if change.op == DELETE:
            self._delete(plan, change, ckey, current, writer)
        elif current is None:
            self._insert(plan, change, ckey)
        elif plan.policy == "set":
            self._member(plan, change, ckey)
        else:
            self._merge(plan, change, ckey, current, writer)

    def flush(self) -> None:
        """Write the buffered rows and versions (before anything else reads them)."""
        for table, params in self._rows.items():
            plan = PLANS[table]
            self.conn.executemany(self._insert_sql(plan), params)
        self._rows.clear()
        if self._versions:
            self.conn.executemany(
                "INSERT INTO sync_version (tbl, key, versions) VALUES (?, ?, ?) "
                "ON CONFLICT (tbl, key) DO UPDATE SET versions = excluded.versions",
                [(t, k, bk.encode_versions(v, r)) for (t, k), (v, r) in self._versions.items()],
            )
            self._versions.clear()
        if self._tombs:
            self.conn.executemany(
                "INSERT INTO sync_version (tbl, key, versions) VALUES (?, ?, ?) "
                "ON CONFLICT (tbl, key) DO UPDATE SET versions = excluded.versions",
                [(t, k, bk.encode_tombstone(v)) for (t, k), v in self._tombs.items()],
            )
            self._tombs.clear()

    # -- reading -----------------------------------------------------------------------------
    def _absent(self, plan: TablePlan, ckey: str) -> bool:
        """True if the row is surely missing: its table was empty when this applier began and
        the row was not inserted since (tables derivations write to are always looked up)."""
        if plan.local_deletes or plan.policy == "set":
            return False
        if plan.name not in self._empty:
            found = self.conn.execute(f"SELECT 1 FROM {plan.name} LIMIT 1").fetchone()
            self._empty[plan.name] = found is None and not self._rows.get(plan.name)
        return self._empty[plan.name] and ckey not in self._added.get(plan.name, ())

    def _read(self, plan: TablePlan, key: list[Any], ckey: str = "") -> dict[str, Any] | None:
        if ckey and self._absent(plan, ckey):
            return None
        self._flush_rows(plan)
        row = self.conn.execute(plan.select(plan.where_key()), key).fetchone()
        return None if row is None else plan.split(row)[1]

    def _exists(self, plan: TablePlan, key: list[Any], ckey: str = "") -> bool:
        if ckey and self._absent(plan, ckey):
            return False
        self._flush_rows(plan)
        sql = f"SELECT 1 FROM {plan.name} WHERE {plan.where_key()}"
        return self.conn.execute(sql, key).fetchone() is not None

    def _flush_rows(self, plan: TablePlan) -> None:
        if self._rows.get(plan.name):
            self.conn.executemany(self._insert_sql(plan), self._rows.pop(plan.name))

    def _get_versions(self, table: str, ckey: str) -> dict[str, Version] | None:
        if (table, ckey) in self._versions:
            return dict(self._versions[table, ckey][0])
        if (table, ckey) in self._tombs:
            return None
        return bk.get_versions(self.conn, table, ckey)

    def _set_versions(
        self, table: str, ckey: str, versions: dict[str, Version], values: Any = None
    ) -> None:
        self._tombs.pop((table, ckey), None)
        self._versions[table, ckey] = (dict(versions), values)

    def _get_tombstone(self, table: str, ckey: str) -> dict[str, int] | None:
        if (table, ckey) in self._tombs:
            return self._tombs[table, ckey]
        if (table, ckey) in self._versions:
            return None
        return bk.tombstone(self.conn, table, ckey)

    def _bury(self, table: str, ckey: str, seen: dict[str, int]) -> None:
        """Remember a deletion and what its deleter had seen (merged with an earlier one)."""
        old = self._get_tombstone(table, ckey) or {}
        self._versions.pop((table, ckey), None)
        self._tombs[table, ckey] = {d: max(old.get(d, 0), seen.get(d, 0)) for d in {*old, *seen}}

    def _parents_present(self, plan: TablePlan, row: dict[str, Any]) -> bool:
        """False if a referenced row this one cannot exist without is missing here (an entry
        purged here: its history and tags stay away until the entry itself comes back)."""
        for col, ref in plan.refs.items():
            value = row.get(col)
            if value is None or self._has(ref.parent, ref.parent_key, value):
                continue
            parent = PLANS.get(ref.parent)
            # A tag dropped here as unused comes back as the journals last agreed on it.
            if parent is None or not parent.local_deletes:
                return False
            if self._ghost(parent, [value], canon([value])) is None:
                return False
        for cascade in plan.cascades:
            value = row.get(cascade.column)
            if value is None or cascade.column in plan.refs:
                continue
            if not self._has(cascade.parent, cascade.parent_column, value):
                return False
        return True

    def _has(self, table: str, column: str, value: Any) -> bool:
        parent = PLANS.get(table)
        if parent is None:
            return False
        if parent.key == (column,) and not parent.local_deletes:
            ckey = canon([value])
            if ckey in self._added.get(table, ()):
                return True
            if self._absent(parent, ckey):
                return False
        sql = f"SELECT 1 FROM {table} WHERE {column} IS ?"
        return self.conn.execute(sql, (value,)).fetchone() is not None

    def _ghost(self, plan: TablePlan, key: list[Any], ckey: str) -> dict[str, Any] | None:
        """Bring back a row this journal dropped as unused, as it last knew it, so that what
        arrives merges with it by version (a tag's spelling)."""
        self.flush()
        found = bk.get_register(self.conn, plan.name, ckey)
        if found is None or not found[1]:
            return None
        values = {c: v for c, v in found[1].items() if c in plan.values}
        self._insert_row(plan, dict(zip(plan.key, key, strict=True)) | values)
        self.result.touch(plan.name, ckey)  # dropped again by housekeeping if still unused
        return self._read(plan, key)

    # -- writing -----------------------------------------------------------------------------
    def _log(self, plan: TablePlan, change: Change) -> None:
        ckey = canon(change.key)
        row = dict(zip(plan.key, change.key, strict=True)) | change.values
        if ckey in self._added.get(plan.name, ()):
            return
        if not self._parents_present(plan, row) or self._exists(plan, change.key, ckey):
            return
        self._insert_row(plan, row, ckey, buffered=True)
        self.result.received += 1
        self.result.touch(plan.name, ckey)

    @staticmethod
    def _insert_sql(plan: TablePlan) -> str:
        cols = [*plan.key, *plan.values, *plan.fill]
        marks = ", ".join(plan.param_sql(c) for c in cols)
        return f"INSERT INTO {plan.name} ({', '.join(cols)}) VALUES ({marks})"

    def _insert_row(
        self, plan: TablePlan, row: dict[str, Any], ckey: str = "", *, buffered: bool = False
    ) -> None:
        derived = self.prefill(plan.name, row) if self.prefill and plan.fill else {}
        params = []
        for col in (*plan.key, *plan.values, *plan.fill):
            if col in plan.fill:
                params.append(derived.get(col, plan.fill[col]))
            elif col in row:
                params.append(plan.stored(col, row[col]))
            else:
                params.append(self._default(plan, col))
        if buffered:
            self._rows.setdefault(plan.name, []).append(params)
        else:
            self.conn.execute(self._insert_sql(plan), params)
        if ckey:
            self._added.setdefault(plan.name, set()).add(ckey)

    @staticmethod
    def _default(plan: TablePlan, col: str) -> Any:
        column = plan.table.by_name[col]
        return None if column.nullable else _EMPTY.get(column.codec, "")

    def _insert(self, plan: TablePlan, change: Change, ckey: str) -> None:
        if not change.full:
            self.result.skipped += 1  # a change to a row purged here; it comes back whole
            return
        buried = self._get_tombstone(plan.name, ckey)
        if buried is not None and all(
            covered(v, buried) for c in (*plan.values, "*") if (v := change.version_of(c))
        ):
            return  # deleted here by someone who had seen all of it (an old snapshot's copy)
        row = dict(zip(plan.key, change.key, strict=True)) | change.values
        if not self._parents_present(plan, row):
            self.result.skipped += 1
            return
        if plan.policy == "set" and self._exists(plan, change.key, ckey):
            # present but outside the policy's filter (an inline tag now also added by hand)
            self._update(plan, change.key, change.values)
        else:
            self._insert_row(plan, row, ckey)
        versions = {c: v for c in plan.values if (v := change.version_of(c)) is not None}
        star = change.version_of("*")
        if star is not None:
            versions["*"] = star
        elif versions:
            versions["*"] = max(versions.values())
        reg = change.values if plan.local_deletes else None
        self._set_versions(plan.name, ckey, versions, reg)
        self.result.received += 1
        self.result.touch(plan.name, ckey)

    def _update(self, plan: TablePlan, key: list[Any], values: dict[str, Any]) -> None:
        sets = ", ".join(f"{c} = {plan.param_sql(c)}" for c in values)
        params = [plan.stored(c, v) for c, v in values.items()]
        self.conn.execute(f"UPDATE {plan.name} SET {sets} WHERE {plan.where_key()}", params + key)

    def _member(self, plan: TablePlan, change: Change, ckey: str) -> None:
        incoming = change.version_of("*")
        versions = self._get_versions(plan.name, ckey) or {}
        local = versions.get("*")
        if incoming is not None and (local is None or incoming > local):
            self._set_versions(plan.name, ckey, {"*": incoming})

    def _delete(
        self,
        plan: TablePlan,
        change: Change,
        ckey: str,
        current: dict[str, Any] | None,
        writer: dict[str, int],
    ) -> None:
        if current is None:
            self._bury(plan.name, ckey, writer)
            return
        versions = self._get_versions(plan.name, ckey) or {}
        if not all(covered(v, writer) for v in versions.values()):
            self.result.revive.add((plan.name, ckey))  # changed here since the deleter looked
            return
        where = " AND ".join(c for c in (plan.where_key(), plan.only_sql(plan.name)) if c)
        self.flush()  # rows that may go with it by cascade are written first
        self.conn.execute(f"DELETE FROM {plan.name} WHERE {where}", change.key)
        self.memo.forget()
        self._bury(plan.name, ckey, writer)
        self.result.received += 1
        self.result.touch(plan.name, ckey)

    def _merge(
        self,
        plan: TablePlan,
        change: Change,
        ckey: str,
        current: dict[str, Any],
        writer: dict[str, int],
    ) -> None:
        versions = self._get_versions(plan.name, ckey) or {}
        updated = dict(versions)
        changes: dict[str, Any] = {}
        for col, value in change.values.items():
            incoming = change.version_of(col)
            if incoming is None:
                continue
            local = bk.version_of(versions, col)
            if local == incoming or self.seen(incoming):
                continue
            take = local is None or covered(local, writer) or incoming > local
            if local is not None and not covered(local, writer):
                # Both changed it without seeing each other: keep the losing text.
                lost = (current[col], local) if take else (value, incoming)
                kept = value if take else current[col]
                if col in plan.keep_losers and lost[0] not in (None, "", kept):
                    self._copy(plan, change.key, ckey, col, lost[0], lost[1], current)
            if take:
                updated[col] = incoming
                if value != current[col]:
                    changes[col] = value
        if changes:
            self._update(plan, change.key, changes)
            self.result.received += 1
            self.result.touch(plan.name, ckey)
        if updated != versions or (changes and plan.local_deletes):
            reg = current | changes if plan.local_deletes else None
            self._set_versions(plan.name, ckey, updated, reg)

    def _copy(
        self,
        plan: TablePlan,
        key: list[Any],
        ckey: str,
        col: str,
        value: Any,
        version: Version,
        current: dict[str, Any],
    ) -> None:
        """Keep *value*, which lost the merge of *col*, as a conflict copy."""
        ident = f"{plan.name}\x1f{ckey}\x1f{col}\x1f{encode_version(version)}"
        copy_id = hashlib.sha256(ident.encode()).hexdigest()[:32]
        row = dict(zip(plan.key, key, strict=True)) | current
        entry_id = key[0] if plan.name == ENTRY.name else None
        for c in plan.table.columns:
            if c.references == f"{ENTRY.name}.id" and row.get(c.name):
                entry_id = row[c.name]
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO conflict_copy (id, entry_id, table_name, row_key, field_name, "
            "value, lost_at, lost_device, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                copy_id,
                entry_id,
                plan.name,
                ckey,
                col,
                str(value),
                rows.encode("time", stamp_time(version[0])),
                version[1],
            ),
        )
        if cur.rowcount:
            self.result.conflicts += 1
            self.conn.execute(
                f"INSERT INTO sync_outbox (tbl, key, op, fields, at) "
                f"VALUES ('conflict_copy', ?, 'i', NULL, {NOW_MS})",
                (canon([copy_id]),),
            )


def revive(conn: sqlite3.Connection, wanted: set[tuple[str, str]]) -> int:
    """Queue rows a deletion could not remove to be sent again whole, with every row that
    would have gone with them (an entry's history, tags and conflict copies)."""
    count = 0
    todo = list(wanted)
    done: set[tuple[str, str]] = set()
    while todo:
        table, ckey = todo.pop()
        if (table, ckey) in done or table not in PLANS:
            continue
        done.add((table, ckey))
        plan = PLANS[table]
        key = json.loads(ckey)
        if conn.execute(f"SELECT 1 FROM {table} WHERE {plan.where_key()}", key).fetchone() is None:
            continue
        conn.execute(
            f"INSERT INTO sync_outbox (tbl, key, op, fields, at) VALUES (?, ?, 'r', NULL, {NOW_MS})",
            (table, ckey),
        )
        count += 1
        for child in PLANS.values():
            for cascade in child.cascades:
                if cascade.parent != table:
                    continue
                ref = conn.execute(
                    f"SELECT {cascade.parent_column} FROM {table} WHERE {plan.where_key()}", key
                ).fetchone()
                if ref is None:
                    continue
                sql = child.select(f"{child.name}.{cascade.column} = ?")
                for row in conn.execute(sql, (ref[0],)).fetchall():
                    todo.append((child.name, canon(child.split(row)[0])))
    return count
