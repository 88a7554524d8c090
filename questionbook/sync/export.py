"""Local changes → versioned changes, packed into change files waiting to be written.

The outbox (filled by the capture triggers) says *which* rows changed; the rows themselves are
read as they stand now, so many edits of one entry between two syncs travel as one change. Each
changed field gets a new version from the journal's clock, using the time the change was made,
so that between two computers the later edit wins. Files are kept in ``sync_unsent`` until they
are in the folder: stamping and applying never wait for the folder, and a full or missing
folder loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from questionbook.sync import bookkeeping as bk
from questionbook.sync.codecs import PayloadCodec
from questionbook.sync.fileformat import CHANGES, TRAILER_SIZE, Header, encode_file
from questionbook.sync.hlc import Clock, Version
from questionbook.sync.plan import PLANS, TablePlan, canon
from questionbook.sync.records import DELETE, PUT, Change, dump_lines

#: Changes per file: bounds the memory and the transaction that applies one file.
FILE_CHANGES = 20_000


def read_row(conn: sqlite3.Connection, plan: TablePlan, key: list[Any]) -> dict[str, Any] | None:
    """The travelling values of the row with *key* (None if missing or outside the policy's
    filter)."""
    row = conn.execute(plan.select(plan.where_key()), key).fetchone()
    if row is None:
        return None
    return plan.split(row)[1]


@dataclass
class _Group:
    table: str
    key: str
    ops: set[str] = field(default_factory=set)
    fields: set[str] | None = field(default_factory=set)  # None: every field
    at: int = 0
    cascade: bool = False


@dataclass
class Stamper:
    """Turns the outbox into changes inside one write transaction."""

    conn: sqlite3.Connection
    clock: Clock
    device: str
    _sent: set[tuple[str, str]] = field(default_factory=set)

    def stamp(self, at: int | None = None) -> Version:
        return (self.clock.tick(at), self.device)

    def outbox(self) -> Iterator[Change]:
        """Every outbox row as changes (one per row, however often it changed); the outbox is
        emptied. Rows are read as they stand when the changes are made."""
        found = self.conn.execute(
            "SELECT id, tbl, key, op, fields, at FROM sync_outbox ORDER BY id"
        ).fetchall()
        if not found:
            return
        self.conn.execute("DELETE FROM sync_outbox WHERE id <= ?", (found[-1][0],))
        groups: dict[tuple[str, str], _Group] = {}
        for _id, tbl, raw_key, op, fields, at in found:
            try:
                key = canon(json.loads(raw_key))  # the triggers' JSON and ours, alike
            except ValueError:
                continue
            g = groups.setdefault((tbl, key), _Group(tbl, key))
            g.ops.add(op)
            g.at = max(g.at, int(at or 0))
            if op == "d":
                g.cascade = fields == "cascade"
            elif op == "i" or (op == "u" and fields is None):
                g.fields = None
            elif op == "u" and g.fields is not None:
                g.fields.update(f for f in str(fields).split(",") if f)
        order = {name: i for i, name in enumerate(PLANS)}
        ranked = sorted(
            (g for g in groups.values() if g.table in PLANS),
            key=lambda g: order[g.table],  # stable: first-change order within a table
        )
        for g in ranked:
            yield from self._group(PLANS[g.table], g)

    def _group(self, plan: TablePlan, g: _Group) -> Iterator[Change]:
        try:
            key = json.loads(g.key)
        except ValueError:
            return
        ckey = canon(key)
        values = read_row(self.conn, plan, key)
        if plan.policy == "log":
            if values is not None and g.ops & {"i", "r", "u"}:
                yield from self._embed(plan, key, values)
                yield Change(plan.name, key, PUT, values, full=True)
            return
        versions = bk.get_versions(self.conn, plan.name, ckey)
        if values is None:
            if versions is None or plan.local_deletes:
                return  # nobody saw it / housekeeping of this journal (its versions stay)
            if g.cascade:
                bk.drop_versions(self.conn, plan.name, ckey)
                return  # goes with its parent's deletion (and comes back with it)
            version = self.stamp(g.at)
            seen = {p.device: p.known_hlc for p in bk.peers(self.conn).values()}
            bk.set_tombstone(self.conn, plan.name, ckey, seen | {self.device: self.clock.value})
            yield Change(plan.name, key, DELETE, version=version)
            return
        reg = values if plan.local_deletes else None
        yield from self._embed(plan, key, values)
        revive = "r" in g.ops  # sent whole, as it stands, after a purge elsewhere lost
        if plan.policy == "set":
            if versions is None:
                version = self.stamp(g.at)
                bk.set_versions(self.conn, plan.name, ckey, {"*": version})
                yield Change(plan.name, key, PUT, values, version=version, full=True)
            elif revive:
                yield Change(plan.name, key, PUT, values, versions=versions, full=True)
            return  # otherwise already a member: membership is all a set row says
        if versions is None or "i" in g.ops:
            version = self.stamp(g.at)
            bk.set_versions(self.conn, plan.name, ckey, {"*": version}, reg)
            yield Change(plan.name, key, PUT, values, version=version, full=True)
            return
        changed = set(values) if g.fields is None else {c for c in g.fields if c in values}
        if changed:
            versions.update(dict.fromkeys(changed, self.stamp(g.at)))
            bk.set_versions(self.conn, plan.name, ckey, versions, reg)
        if revive:
            yield Change(plan.name, key, PUT, values, versions=dict(versions), full=True)
        elif changed:
            version = versions[next(iter(changed))]
            yield Change(plan.name, key, PUT, {c: values[c] for c in changed}, version=version)

    def _embed(self, plan: TablePlan, key: list[Any], values: dict[str, Any]) -> Iterator[Change]:
        """Rows this row refers to whose deletions stay local (tags) travel with it, as they
        stand, so the receiver has them even if it dropped them."""
        row = dict(zip(plan.key, key, strict=True)) | values
        for col, ref in plan.refs.items():
            parent = PLANS.get(ref.parent)
            if parent is None or not parent.local_deletes or row.get(col) is None:
                continue
            pkey = [row[col]]
            ident = (parent.name, canon(pkey))
            if ident in self._sent:
                continue
            self._sent.add(ident)
            pvalues = read_row(self.conn, parent, pkey)
            if pvalues is None:
                continue
            versions = bk.get_versions(self.conn, parent.name, ident[1])
            if versions is None:
                versions = {"*": self.stamp()}
                bk.set_versions(self.conn, parent.name, ident[1], versions, pvalues)
            yield Change(parent.name, pkey, PUT, pvalues, versions=versions, full=True)

    def whole_journal(self) -> Iterator[Change]:
        """Every synced row as a change stamped now (the first sync of a journal): all of them
        are news to the folder.

        Each row gets its own stamp: a receiver that has read one of this journal's files counts
        every version up to that file's clock as seen, so a version must never reappear in a
        later file (the rows are spread over many files).
        """
        for plan in PLANS.values():
            batch: list[tuple[str, str, str]] = []
            for row in self.conn.execute(plan.select()):  # streamed: a journal can be large
                key, values = plan.split(row)
                if plan.policy == "log":
                    yield Change(plan.name, key, PUT, values, full=True)
                    continue
                version = self.stamp()
                reg = values if plan.local_deletes else None
                batch.append((plan.name, canon(key), bk.encode_versions({"*": version}, reg)))
                yield Change(plan.name, key, PUT, values, version=version, full=True)
            self.conn.executemany(
                "INSERT INTO sync_version (tbl, key, versions) VALUES (?, ?, ?) "
                "ON CONFLICT (tbl, key) DO UPDATE SET versions = excluded.versions",
                batch,
            )


def deps(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """What this journal has applied: device → (change files without a gap, clock seen)."""
    return {p.device: (p.applied_seq, p.known_hlc) for p in bk.peers(conn).values()}


def pack(
    conn: sqlite3.Connection,
    changes: Iterable[Change],
    *,
    device: str,
    clock: Clock,
    codec: PayloadCodec,
    schema: str,
    name: str,
    size: int = FILE_CHANGES,
) -> int:
    """Pack *changes* into numbered change files kept in ``sync_unsent``; returns how many
    changes. Each file is recorded as this device's own (its digest tells it from a copy of the
    journal writing under the same id)."""
    total = 0
    chunk: list[Change] = []
    known = deps(conn)

    def flush() -> None:
        seq = bk.get_int(conn, bk.WRITTEN) + 1
        lines, n = dump_lines(chunk)
        payload = codec.encode(lines)
        header = Header(
            kind=CHANGES,
            device=device,
            seq=seq,
            hlc=clock.value,
            deps={d: v for d, v in known.items() if d != device},
            codec=codec.name,
            schema=schema,
            records=n,
            length=len(payload),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            name=name,
        )
        data = encode_file(header, payload)
        conn.execute("INSERT INTO sync_unsent (seq, data) VALUES (?, ?)", (seq, data))
        digest = hashlib.sha256(data[: len(data) - TRAILER_SIZE]).hexdigest()
        bk.mark_applied(conn, device, seq, digest)
        bk.put(conn, bk.WRITTEN, seq)
        chunk.clear()

    for change in changes:
        if change.op not in (PUT, DELETE):
            continue
        chunk.append(change)
        total += 1
        if len(chunk) >= size:
            flush()
    if chunk:
        flush()
    bk.put(conn, bk.CLOCK, clock.value)
    return total
