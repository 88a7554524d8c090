"""Conflict copies as the app shows and settles them, and the editor's guard against
overwriting a text it has not seen.

A conflict copy (``conflict_copy``) is a text that lost: the same field was changed in two
places before either saw the other's change. The sync engine makes them while merging
(:mod:`questionbook.sync.merge`); the app makes one more kind with :func:`keep_overwritten`:
when the editor stores a text whose stored value changed since the editor read it (a sync
applied a change from another computer while the user was typing, or another program wrote),
the user's text is stored and the text it replaces is kept as a copy, never dropped unseen.

Everything here works with or without sync turned on (a journal that does not sync can still be
written by two programs at once), is Qt-free and works inside the caller's transaction or in
one of its own.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from questionbook.core import entry_sql, rows
from questionbook.core.entities import Entry
from questionbook.core.entry_writes import change_entry, checked_changes
from questionbook.core.errors import EntryNotFound, InvalidValue
from questionbook.core.schema import ENTRY
from questionbook.core.store import Store
from questionbook.core.text import clean_text
from questionbook.core.timeutil import utcnow
from questionbook.i18n import _
from questionbook.sync import bookkeeping as bk
from questionbook.sync.hlc import stamp_time
from questionbook.sync.plan import PLANS, canon

#: The entry's texts the editor writes (and so may overwrite).
TEXT_FIELDS = ("title", "body", "outcome")
#: What :meth:`Journal.update` calls in its transaction (its ``guard`` argument).
Guard = Callable[[sqlite3.Connection, Entry, Mapping[str, Any]], None]
#: Entry fields :func:`settle` writes through the entry's own rules (tags, links, history).
_ENTRY_TEXTS = ("title", "body", "outcome", "still_mine")


@dataclass(frozen=True)
class Origin:
    """Where and when a field's value was written, as far as this journal knows."""

    device: str
    """The device id that wrote it ("" when unknown, e.g. sync was never turned on)."""
    at: datetime | None
    """When (None: not known, or a change of this computer not yet sent)."""
    this_device: bool


@dataclass(frozen=True)
class Place:
    """What a conflict copy belongs to, for a person: *kind* is ``entry``, ``review``,
    ``trial``, ``template``, ``prompt`` or ``other``; *name* the entry's title, the review's
    period, the template's name ... ("" if the row is gone)."""

    kind: str
    name: str
    entry_id: str | None


# -- the editor's guard --------------------------------------------------------------------------
def keep_overwritten(base: Mapping[str, str]) -> Guard:
    """A guard for :meth:`Journal.update` (its ``guard`` argument): *base* holds the texts the
    editor's draft was made from (``{"title": ..., "body": ..., "outcome": ...}``). A text
    about to be written whose stored value is neither that base nor the new value changed
    under the editor: it is kept as a conflict copy in the same transaction."""

    def guard(conn: sqlite3.Connection, entry: Entry, changes: Mapping[str, Any]) -> None:
        for name in TEXT_FIELDS:
            if name not in changes or name not in base:
                continue
            stored = str(getattr(entry, name) or "")
            if not stored.strip() or stored == changes[name] or stored == _clean(name, base[name]):
                continue
            keep_copy(
                conn, ENTRY.name, [entry.id], name, stored, entry_id=entry.id, at=entry.updated_at
            )

    return guard


def _clean(name: str, text: str) -> str:
    """*text* as the journal stores it (a title on one line, every text NFC)."""
    return " ".join(clean_text(text).split()) if name == "title" else clean_text(text)


def keep_copy(
    conn: sqlite3.Connection,
    table: str,
    key: Sequence[Any],
    name: str,
    value: str,
    *,
    entry_id: str | None,
    at: datetime,
) -> str:
    """Keep *value* of *table*'s row *key*, field *name*, as an unresolved conflict copy
    (marked with who wrote it, when sync knows). Returns its id."""
    ckey = canon(key)
    who = origin(conn, table, ckey, name)
    copy_id = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO conflict_copy (id, entry_id, table_name, row_key, field_name, value, "
        "lost_at, lost_device, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        (
            copy_id,
            entry_id,
            table,
            ckey,
            name,
            value,
            rows.encode("time", who.at if who is not None and who.at is not None else at),
            who.device if who is not None else "",
        ),
    )
    return copy_id


# -- where a text came from ------------------------------------------------------------------------
def origin(conn: sqlite3.Connection, table: str, ckey: str, name: str) -> Origin | None:
    """Who last wrote field *name* of *table*'s row *ckey* (its key as canonical JSON), from
    the sync bookkeeping; None when sync is off or the field has no version yet."""
    own = bk.get(conn, bk.DEVICE)
    if not own:
        return None
    for fields, at in conn.execute(
        "SELECT fields, at FROM sync_outbox WHERE tbl = ? AND key = ? ORDER BY id DESC",
        (table, ckey),
    ):
        if fields is None or name in str(fields).split(","):
            # Written here and not sent yet.
            return Origin(own, datetime.fromtimestamp(int(at) / 1000, UTC), True)
    version = bk.version_of(bk.get_versions(conn, table, ckey), name)
    if version is None:
        return None
    return Origin(version[1], stamp_time(version[0]), version[1] == own)


def device_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Device id → the name it gave itself (this computer's included)."""
    names = {p.device: p.name for p in bk.peers(conn).values() if p.name}
    own = bk.get(conn, bk.DEVICE)
    if own:
        names[own] = bk.get(conn, bk.NAME) or names.get(own, "")
    return names


def place(conn: sqlite3.Connection, table: str, key: Sequence[Any]) -> Place:
    """What the row *key* of *table* is, for a person."""
    if table == ENTRY.name:
        found = conn.execute("SELECT title FROM entry WHERE id = ?", (key[0],)).fetchone()
        return Place("entry", found[0] if found else "", str(key[0]))
    if table == "review":
        return Place("review", str(key[0]), None)
    one = {
        "trial": "SELECT e.title, e.id FROM trial t JOIN entry e ON e.id = t.entry_id "
        "WHERE t.id = ?",
        "entry_template": "SELECT name, NULL FROM entry_template WHERE id = ?",
        "prompt": "SELECT text, NULL FROM prompt WHERE id = ?",
    }
    if table in one:
        found = conn.execute(one[table], (key[0],)).fetchone()
        kind = "template" if table == "entry_template" else table
        return Place(kind, str(found[0]) if found else "", found[1] if found else None)
    return Place("other", table, None)


@dataclass(frozen=True)
class CopyDetails:
    """Everything the compare dialog says about one copy besides the two texts."""

    place: Place
    current: Origin | None
    names: dict[str, str]


def details(db: Store, table: str, row_key: Sequence[Any], name: str) -> CopyDetails:
    with db.read() as conn:
        return CopyDetails(
            place(conn, table, row_key),
            origin(conn, table, canon(row_key), name),
            device_names(conn),
        )


def overview(
    db: Store, keys: Sequence[tuple[str, Sequence[Any]]]
) -> tuple[list[Place], dict[str, str]]:
    """The places of several copies (``(table, row key)`` each) and the device names, in one
    read (the Conflicts page)."""
    with db.read() as conn:
        return [place(conn, t, k) for t, k in keys], device_names(conn)


def count_unresolved(db: Store) -> int:
    with db.read() as conn:
        return int(
            conn.execute("SELECT count(*) FROM conflict_copy WHERE resolved_at IS NULL").fetchone()[
                0
            ]
        )


# -- settling a copy -------------------------------------------------------------------------------
def settle(
    db: Store,
    copy_id: str,
    value: str | None,
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> str | None:
    """Settle a conflict copy in one transaction: with *value* (the other text, or a merge the
    user made) the field becomes *value*; either way the copy is marked as looked at (it
    stays in the journal, hidden; the mark travels). Returns the entry it belongs to."""
    when = now or utcnow()
    with db.write() as conn:
        found = conn.execute(
            "SELECT table_name, row_key, field_name, entry_id FROM conflict_copy WHERE id = ?",
            (copy_id,),
        ).fetchone()
        if found is None:
            raise InvalidValue(_("this conflict copy no longer exists"))
        table, row_key, name, entry_id = found
        if value is not None:
            _write_field(conn, str(table), json.loads(row_key), str(name), value, when, tz)
        conn.execute(
            "UPDATE conflict_copy SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
            (rows.encode("time", when), copy_id),
        )
    return str(entry_id) if entry_id else None


def _write_field(
    conn: sqlite3.Connection,
    table: str,
    key: list[Any],
    name: str,
    value: str,
    now: datetime,
    tz: tzinfo | None,
) -> None:
    gone = InvalidValue(_("what this text belonged to was deleted"))
    if table == ENTRY.name:
        try:
            entry = entry_sql.load_entry(conn, str(key[0]))
        except EntryNotFound as exc:  # purged meanwhile
            raise gone from exc
        if name in _ENTRY_TEXTS:
            texts: dict[str, Any] = {name: value}
            changes = checked_changes(entry, tz=tz, **texts)
        else:
            changes = {name: value}
        change_entry(conn, entry, changes, now=now)
        return
    plan = PLANS.get(table)
    if plan is None or name not in plan.values:
        raise InvalidValue(_("this text cannot be written back here"))
    sets = [f"{name} = ?"]
    params: list[Any] = [clean_text(value)]
    if "updated_at" in plan.values and name != "updated_at":
        sets.append("updated_at = ?")
        params.append(rows.encode("time", now))
    cur = conn.execute(
        f"UPDATE {table} SET {', '.join(sets)} WHERE {plan.where_key()}", [*params, *key]
    )
    if cur.rowcount == 0:
        raise gone
