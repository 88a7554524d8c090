"""Entries in plain SQL on a ``sqlite3`` connection: find, read, count tags, add one, set tags.

The Journal service runs these on the connection under its SQLAlchemy session (inside the
session's transaction), and the command line's quick path runs them on a connection of its
own without importing SQLAlchemy at all (a third of a second saved on every ``add``). One
implementation, two callers: an entry added either way is the same entry, with the same tags,
history and search index rows.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from questionbook.core.entities import TAG_SEPARATOR, Entry, TagCount, split_tags
from questionbook.core.errors import AmbiguousId, EntryNotFound, InvalidValue
from questionbook.core.tags import clean_tag, parse_tags, tag_key
from questionbook.core.text import clean_text, first_line_split
from questionbook.core.timeutil import format_utc, parse_stored, to_utc
from questionbook.core.vocabulary import (
    DEFAULT_WATERLINE,
    RATING_SOURCES,
    Kind,
    check_status,
    parse_hardness,
    parse_kind,
)
from questionbook.i18n import _

MAX_BODY_CHARS = 10_000_000
#: Columns of a whole entry, in the order :func:`entry_from_row` reads them.
ENTRY_FIELDS = (
    "id", "kind", "title", "body", "status", "hardness", "starred", "outcome", "parent_id",
    "tags_text", "created_at", "updated_at", "deleted_at", "last_reviewed_at", "snoozed_until",
)  # fmt: skip
ENTRY_SELECT = ", ".join(f"entry.{f}" for f in ENTRY_FIELDS)
#: SQLite allows 32,766 bound parameters; lists of ids are sent in chunks well below that.
ID_CHUNK = 500


def stored_time(value: Any) -> datetime | None:
    """A timestamp column's value as an aware datetime, whether it arrives as the stored text
    (plain SQL) or already converted (SQLAlchemy's typed columns)."""
    if value is None or isinstance(value, datetime):
        return value
    return parse_stored(str(value))


def entry_from_row(row: Sequence[Any]) -> Entry:
    """The :class:`Entry` for a row of :data:`ENTRY_SELECT`."""
    (id_, kind, title, body, status, hardness, starred, outcome, parent_id, tags_text,
     created, updated, deleted, reviewed, snoozed) = row  # fmt: skip
    return Entry(
        id=id_,
        kind=kind,
        title=title,
        body=body,
        status=status,
        hardness=hardness,
        starred=bool(starred),
        outcome=outcome,
        parent_id=parent_id,
        tags=split_tags(tags_text),
        created_at=stored_time(created),  # type: ignore[arg-type]
        updated_at=stored_time(updated),  # type: ignore[arg-type]
        deleted_at=stored_time(deleted),
        last_reviewed_at=stored_time(reviewed),
        snoozed_until=stored_time(snoozed),
    )


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``:p0, :p1, ...`` and their parameters, for an ``IN (...)`` list."""
    params = {f"{prefix}{i}": v for i, v in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params


def load_entries(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Entry]:
    """Whole entries for *ids*, in the order given (missing ids are skipped)."""
    found: dict[str, Entry] = {}
    for start in range(0, len(ids), ID_CHUNK):
        marks, params = placeholders("id", list(ids[start : start + ID_CHUNK]))
        sql = f"SELECT {ENTRY_SELECT} FROM entry WHERE entry.id IN ({marks})"
        for row in conn.execute(sql, params):
            found[row[0]] = entry_from_row(row)
    return [found[i] for i in ids if i in found]


def resolve_id(conn: sqlite3.Connection, id_or_prefix: str) -> str:
    """The full id of the one entry whose id starts with *id_or_prefix* (4 characters or more:
    what a person copies from a list)."""
    prefix = id_or_prefix.strip().lower()
    if len(prefix) < 4 and len(prefix) != 36:
        raise EntryNotFound(_("an id needs at least 4 characters: {id!r}").format(id=id_or_prefix))
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM entry WHERE id >= ? AND id < ? LIMIT 6", (prefix, prefix + "\uffff")
        )
    ]
    if not ids:
        raise EntryNotFound(_("no entry with id {id!r}").format(id=id_or_prefix))
    if len(ids) > 1:
        raise AmbiguousId(id_or_prefix, ids)
    return str(ids[0])


def tag_counts(conn: sqlite3.Connection) -> list[TagCount]:
    """Tags of entries not in the Trash, most used first, then by name.

    Counting every link through the tag index and subtracting the Trash's (usually few)
    links avoids joining each of hundreds of thousands of links to its entry.
    """
    totals = dict(conn.execute("SELECT tag_id, count(*) FROM entry_tag GROUP BY tag_id"))
    for tag_id, n in conn.execute(
        "SELECT tag_id, count(*) FROM entry_tag WHERE entry_id IN "
        "(SELECT id FROM entry WHERE deleted_at IS NOT NULL) GROUP BY tag_id"
    ):
        totals[tag_id] -= n
    names = dict(conn.execute("SELECT id, name FROM tag"))
    counts = [TagCount(names[t], int(n)) for t, n in totals.items() if n > 0 and t in names]
    return sorted(counts, key=lambda c: (-c.count, tag_key(c.name)))


def current_waterline(conn: sqlite3.Connection) -> int:
    """The latest waterline mark's level (1 before any is set)."""
    row = conn.execute(
        "SELECT level FROM waterline_mark ORDER BY set_at DESC, id DESC LIMIT 1"
    ).fetchone()
    return DEFAULT_WATERLINE if row is None else int(row[0])


def check_length(body: str) -> str:
    if len(body) > MAX_BODY_CHARS:
        raise InvalidValue(
            _("the text is too long ({n:,} characters; the limit is {limit:,})").format(
                n=len(body), limit=MAX_BODY_CHARS
            )
        )
    return body


def title_and_body(title: str, body: str) -> tuple[str, str]:
    """Cleaned title and body: an empty title takes the body's first line; a title of several
    lines keeps the first and moves the rest to the body. (Imports use it too, so an entry
    exported and imported again comes back unchanged.)"""
    title, body = clean_text(title).strip(), clean_text(body)
    if not title:
        return first_line_split(body)
    if "\n" in title:
        title, rest = first_line_split(title)
        body = f"{rest}\n\n{body}".strip("\n") if body else rest
    return title, body


@dataclass(frozen=True)
class NewEntry:
    """A checked, cleaned entry ready to insert (see :func:`new_entry`)."""

    id: str
    kind: Kind
    title: str
    body: str
    status: str | None
    hardness: int | None
    starred: bool
    outcome: str
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime


def new_entry(
    title: str,
    body: str = "",
    *,
    kind: Kind | str = Kind.QUESTION,
    status: str | None = None,
    hardness: int | str | None = None,
    tags: Iterable[str] = (),
    starred: bool = False,
    outcome: str = "",
    created_at: datetime | None = None,
    now: datetime,
    tz: tzinfo | None = None,
    entry_id: str | None = None,
) -> NewEntry:
    """Check and clean what a user gave for a new entry. An empty title takes the body's
    first line; a title of several lines keeps the first and moves the rest to the body."""
    kind = parse_kind(kind) if isinstance(kind, str) else kind
    title, body = title_and_body(title, check_length(body))
    if not title:
        raise InvalidValue(_("an entry needs some text"))
    return NewEntry(
        id=entry_id or str(uuid.uuid4()),
        kind=kind,
        title=title,
        body=body,
        status=check_status(kind, status),
        hardness=parse_hardness(hardness),
        starred=bool(starred),
        outcome=clean_text(outcome),
        tags=tuple(t for t in map(clean_tag, tags) if t),
        created_at=to_utc(created_at, tz) if created_at else now,
        updated_at=now,
    )


def insert_entry(
    conn: sqlite3.Connection,
    new: NewEntry,
    *,
    parent_id: str | None = None,
    rating_source: str = "user",
) -> Entry:
    """Insert *new* with its tags and the first steps of its hardness and status history.

    The caller holds the write transaction (``BEGIN IMMEDIATE``); the index triggers add the
    entry to the full-text index in the same transaction.
    """
    if rating_source not in RATING_SOURCES:
        raise InvalidValue(f"unknown rating source {rating_source!r}")
    created = format_utc(new.created_at)
    conn.execute(
        "INSERT INTO entry (id, kind, title, body, status, hardness, starred, outcome, "
        "tags_text, parent_id, created_at, updated_at) VALUES (:id, :kind, :title, :body, "
        ":status, :hardness, :starred, :outcome, '', :parent, :created, :updated)",
        {
            "id": new.id,
            "kind": new.kind.value,
            "title": new.title,
            "body": new.body,
            "status": new.status,
            "hardness": new.hardness,
            "starred": int(new.starred),
            "outcome": new.outcome,
            "parent": parent_id,
            "created": created,
            "updated": format_utc(new.updated_at),
        },
    )
    tags_text = replace_tags(conn, new.id, f"{new.title}\n{new.body}", list(new.tags), "")
    if new.hardness is not None:
        conn.execute(
            "INSERT INTO hardness_rating (entry_id, level, source, rated_at) VALUES (?, ?, ?, ?)",
            (new.id, new.hardness, rating_source, created),
        )
    if new.status is not None:
        conn.execute(
            "INSERT INTO status_change (entry_id, status, outcome, changed_at) VALUES (?, ?, ?, ?)",
            (new.id, new.status, new.outcome, created),
        )
    return Entry(
        id=new.id,
        kind=new.kind.value,
        title=new.title,
        body=new.body,
        status=new.status,
        hardness=new.hardness,
        starred=new.starred,
        outcome=new.outcome,
        parent_id=parent_id,
        tags=split_tags(tags_text),
        created_at=new.created_at,
        updated_at=new.updated_at,
    )


def replace_tags(
    conn: sqlite3.Connection, entry_id: str, text: str, manual: list[str], tags_text: str
) -> str:
    """Make the entry's tags = *manual* ∪ the inline ``#tags`` of *text*; returns the new
    ``tags_text`` (written to the row only if it changed from *tags_text*).

    A tag removed by hand but still written inline stays (as inline): the text wins. A tag is
    spelled everywhere as it was first written (``#AI`` and ``#ai`` are one tag, "AI").
    """
    wanted: dict[str, tuple[str, bool]] = {}
    for name in parse_tags(text):
        wanted.setdefault(tag_key(name), (name, True))
    for name in manual:
        key = tag_key(name)
        wanted[key] = (wanted[key][0] if key in wanted else name, False)
    existing: dict[str, tuple[int, str]] = {}
    keys = list(wanted)
    for start in range(0, len(keys), ID_CHUNK):
        marks, params = placeholders("k", keys[start : start + ID_CHUNK])
        for tag_id, name, key in conn.execute(
            f"SELECT id, name, key FROM tag WHERE key IN ({marks})", params
        ):
            existing[key] = (int(tag_id), name)
    for key, (name, _inline) in wanted.items():
        if key not in existing:
            cur = conn.execute("INSERT INTO tag (name, key) VALUES (?, ?)", (name, key))
            existing[key] = (int(cur.lastrowid or 0), name)
    conn.execute("DELETE FROM entry_tag WHERE entry_id = ?", (entry_id,))
    conn.executemany(
        "INSERT INTO entry_tag (entry_id, tag_id, inline) VALUES (?, ?, ?)",
        [(entry_id, existing[key][0], int(inline)) for key, (_n, inline) in wanted.items()],
    )
    shown = sorted((existing[key][1] for key in wanted), key=tag_key)
    new_text = TAG_SEPARATOR.join(shown)
    if new_text != tags_text:
        conn.execute("UPDATE entry SET tags_text = ? WHERE id = ?", (new_text, entry_id))
    return new_text
