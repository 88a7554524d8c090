"""Entries on a ``sqlite3`` connection: find, read, count tags, add one, keep history, set tags.

Every face creates entries through :func:`new_entry` (check and clean) and :func:`insert_entry`
(store, with tags and the first history rows), and every change of an entry's tags goes through
:class:`TagBook` — the importer's bulk path included — so an entry added or imported any way is
the same entry, with the same tags, history and search index rows. Changing an existing entry
is :mod:`questionbook.core.entry_writes`.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from questionbook.core import rows
from questionbook.core.entities import Entry, HardnessChange, StatusEvent, TagCount
from questionbook.core.entry_refs import sync_refs
from questionbook.core.errors import AmbiguousId, EntryNotFound, InvalidValue
from questionbook.core.schema import ENTRY, ENTRY_TAG, HARDNESS_RATING, STATUS_CHANGE, TAG
from questionbook.core.tags import clean_tag, parse_tags, tag_key
from questionbook.core.text import clean_text, first_line_split
from questionbook.core.timeutil import to_utc
from questionbook.core.vocabulary import (
    DEFAULT_WATERLINE,
    RATING_SOURCES,
    Kind,
    check_status,
    parse_hardness,
    parse_kind,
    parse_reach,
)
from questionbook.i18n import _

MAX_BODY_CHARS = 10_000_000


def load_entries(conn: sqlite3.Connection, ids: Sequence[str]) -> list[Entry]:
    """Whole entries for *ids*, in the order given (missing ids are skipped)."""
    found: dict[str, Entry] = {}
    for chunk in rows.chunks(list(ids)):
        marks, params = rows.placeholders("id", chunk)
        for entry in rows.fetch(
            conn, Entry, ENTRY, f"SELECT {{columns}} FROM entry WHERE entry.id IN ({marks})", params
        ):
            found[entry.id] = entry
    return [found[i] for i in ids if i in found]


def load_entry(conn: sqlite3.Connection, id_or_prefix: str) -> Entry:
    """One whole entry, by its id or a unique prefix (4 characters or more)."""
    return load_entries(conn, [resolve_id(conn, id_or_prefix)])[0]


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


#: "In the Trash" as an index range: SQLite walks every entry for ``deleted_at IS NOT NULL``
#: (35 ms at 100k) but probes the index for ``> ''`` (stored times are never empty).
IN_TRASH = "deleted_at > ''"


def live_tag_counts(conn: sqlite3.Connection) -> dict[int, int]:
    """Entries per tag id, the Trash left out.

    Counting every link through the tag index and subtracting the Trash's (usually few)
    links avoids joining each of hundreds of thousands of links to its entry.
    """
    totals = dict(conn.execute("SELECT tag_id, count(*) FROM entry_tag GROUP BY tag_id"))
    for tag_id, n in conn.execute(
        "SELECT tag_id, count(*) FROM entry_tag WHERE entry_id IN "
        f"(SELECT id FROM entry WHERE {IN_TRASH}) GROUP BY tag_id"
    ):
        totals[tag_id] -= n
    return {int(t): int(n) for t, n in totals.items()}


def tag_counts(conn: sqlite3.Connection) -> list[TagCount]:
    """Tags of entries not in the Trash (full paths), most used first, then by name."""
    totals = live_tag_counts(conn)
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
    parent_id: str | None = None,
    reach: int | str | None = None,
) -> Entry:
    """Check and clean what a user gave for a new entry. An empty title takes the body's
    first line; a title of several lines keeps the first and moves the rest to the body.

    Every way of creating an entry (add, capture, a follow-up, sharpening in the review, the
    command line) goes through here and :func:`insert_entry`.
    """
    kind = parse_kind(kind) if isinstance(kind, str) else kind
    title, body = title_and_body(title, check_length(body))
    if not title:
        raise InvalidValue(_("an entry needs some text"))
    return Entry(
        id=entry_id or str(uuid.uuid4()),
        kind=kind.value,
        title=title,
        body=body,
        status=check_status(kind, status),
        hardness=parse_hardness(hardness),
        reach=parse_reach(reach),
        starred=bool(starred),
        outcome=clean_text(outcome),
        tags=tuple(t for t in map(clean_tag, tags) if t),
        parent_id=parent_id,
        created_at=to_utc(created_at, tz) if created_at else now,
        updated_at=now,
    )


def insert_entry(conn: sqlite3.Connection, new: Entry, *, rating_source: str = "user") -> Entry:
    """Insert *new* (checked by :func:`new_entry`) with its tags and the first steps of its
    hardness and status history; returns it as stored.

    The caller holds the write transaction (``BEGIN IMMEDIATE``); the index triggers add the
    entry to the full-text index in the same transaction.
    """
    if rating_source not in RATING_SOURCES:
        raise InvalidValue(f"unknown rating source {rating_source!r}")
    if new.parent_id:
        new = dataclasses.replace(new, parent_id=resolve_id(conn, new.parent_id))
    rows.insert(conn, ENTRY, rows.row_values(new) | {"tags": ()})
    tags_text = replace_tags(conn, new.id, f"{new.title}\n{new.body}", list(new.tags), "")
    sync_refs(conn, new.id, f"{new.title}\n{new.body}", now=new.updated_at, fresh=True)
    if new.hardness is not None:
        record_rating(conn, new.id, new.hardness, rating_source, new.created_at)
    if new.status is not None:
        record_status(conn, new.id, new.status, new.outcome, new.created_at)
    return dataclasses.replace(new, tags=rows.split_tags(tags_text))


def rating_row(entry_id: str, level: int | None, source: str, at: datetime) -> dict[str, Any]:
    """A ``hardness_rating`` row: one step of an entry's rating history."""
    return {"entry_id": entry_id, "level": level, "source": source, "rated_at": at}


def status_row(entry_id: str, status: str | None, outcome: str, at: datetime) -> dict[str, Any]:
    """A ``status_change`` row: one step of an entry's status history."""
    return {"entry_id": entry_id, "status": status, "outcome": outcome, "changed_at": at}


def record_rating(
    conn: sqlite3.Connection, entry_id: str, level: int | None, source: str, at: datetime
) -> None:
    """Keep a hardness rating in the entry's history."""
    rows.insert(conn, HARDNESS_RATING, rating_row(entry_id, level, source, at))


def record_status(
    conn: sqlite3.Connection, entry_id: str, status: str | None, outcome: str, at: datetime
) -> None:
    """Keep a status change in the entry's history."""
    rows.insert(conn, STATUS_CHANGE, status_row(entry_id, status, outcome, at))


def load_histories(
    conn: sqlite3.Connection, ids: Sequence[str]
) -> dict[str, tuple[list[HardnessChange], list[StatusEvent]]]:
    """Hardness and status histories of *ids* (every id present), each in time order."""
    out: dict[str, tuple[list[HardnessChange], list[StatusEvent]]] = {i: ([], []) for i in ids}
    for chunk in rows.chunks(list(ids)):
        marks, params = rows.placeholders("id", chunk)
        for entry_id, change in rows.fetch_with_key(
            conn,
            HardnessChange,
            HARDNESS_RATING,
            "entry_id",
            f"SELECT {{columns}} FROM hardness_rating WHERE entry_id IN ({marks}) "
            "ORDER BY rated_at, id",
            params,
        ):
            out[entry_id][0].append(change)
        for entry_id, event in rows.fetch_with_key(
            conn,
            StatusEvent,
            STATUS_CHANGE,
            "entry_id",
            f"SELECT {{columns}} FROM status_change WHERE entry_id IN ({marks}) "
            "ORDER BY changed_at, id",
            params,
        ):
            out[entry_id][1].append(event)
    return out


def manual_tags(conn: sqlite3.Connection, entry_id: str) -> list[str]:
    """The tags added by hand (not written inline as ``#tag``)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT tag.name FROM entry_tag JOIN tag ON tag.id = entry_tag.tag_id "
            "WHERE entry_tag.entry_id = ? AND entry_tag.inline = 0",
            (entry_id,),
        )
    ]


def drop_unused_tags(conn: sqlite3.Connection) -> None:
    """Forget tags no entry uses any more."""
    conn.execute(f"DELETE FROM {TAG.name} WHERE id NOT IN (SELECT tag_id FROM {ENTRY_TAG.name})")


def drop_unused(conn: sqlite3.Connection) -> None:
    """Forget unused tags and free attachments no entry holds: purging an entry or emptying the
    Trash is when bytes are given back (never an edit, and never sync, where bytes may arrive
    before the text that refers to them)."""
    from questionbook.core.attachments import drop_unused_blobs

    drop_unused_tags(conn)
    drop_unused_blobs(conn)


class TagBook:
    """Tag ids by key, each tag spelled as it was first written (``#AI`` and ``#ai`` are one
    tag, "AI"); tags are created as they are met. Editing one entry loads only its keys; an
    import loads every tag once (*preload*). In a *dry_run* nothing is written: new tags get
    negative ids. *spell* picks the spelling of a new tag (sync: the one the shared journal
    last agreed on for that key)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        preload: bool = False,
        dry_run: bool = False,
        spell: Callable[[str, str], str] | None = None,
    ):
        self.conn, self.dry_run, self.spell = conn, dry_run, spell
        self.by_key: dict[str, tuple[int, str]] = {}
        if preload:
            for tag_id, name, key in conn.execute("SELECT id, name, key FROM tag"):
                self.by_key[key] = (int(tag_id), name)

    def load(self, keys: Iterable[str]) -> None:
        missing = [k for k in dict.fromkeys(keys) if k not in self.by_key]
        for chunk in rows.chunks(missing):
            marks, params = rows.placeholders("k", chunk)
            for tag_id, name, key in self.conn.execute(
                f"SELECT id, name, key FROM tag WHERE key IN ({marks})", params
            ):
                self.by_key[key] = (int(tag_id), name)

    def resolve(self, names: Iterable[str]) -> list[tuple[int, str, str]]:
        """(id, name as spelled in the journal, key) for *names*, once per key, in order."""
        out: list[tuple[int, str, str]] = []
        seen: set[str] = set()
        for name in names:
            key = tag_key(name)
            if key in seen:
                continue
            seen.add(key)
            if key not in self.by_key:
                if self.spell is not None:
                    name = self.spell(key, name)
                if self.dry_run:
                    tag_id = -len(self.by_key) - 1
                else:
                    tag_id = rows.insert(self.conn, TAG, {"name": name, "key": key})
                self.by_key[key] = (tag_id, name)
            tag_id, shown = self.by_key[key]
            out.append((tag_id, shown, key))
        return out

    @staticmethod
    def tags_text(resolved: Iterable[tuple[int, str, str]]) -> str:
        """``entry.tags_text`` for resolved tags: names sorted by key."""
        return rows.encode("tags", sorted((name for _i, name, _k in resolved), key=tag_key))

    @staticmethod
    def link_rows(
        entry_id: str, resolved: Iterable[tuple[int, str, str]], inline: Iterable[str]
    ) -> list[dict[str, Any]]:
        """``entry_tag`` rows; *inline* holds the keys written as ``#tag`` in the text."""
        inline = set(inline)
        return [
            {"entry_id": entry_id, "tag_id": tag_id, "inline": key in inline}
            for tag_id, _name, key in resolved
        ]


def wanted_tags(
    text: str, manual: Iterable[str], book: TagBook, parsed: list[str] | None = None
) -> tuple[list[tuple[int, str, str]], set[str]]:
    """The rule for an entry's tags: *manual* ∪ the inline ``#tags`` of *text*, resolved in
    *book*; and the keys that count as inline (written in the text and not added by hand).

    A tag added by hand and also written inline counts as added by hand, so it stays when the
    text loses it; a tag removed by hand but still written inline stays: the text wins.
    *parsed* is ``parse_tags(text)`` if the caller has it already.
    """
    manual = list(manual)
    inline: dict[str, str] = {}
    for name in parse_tags(text) if parsed is None else parsed:
        inline.setdefault(tag_key(name), name)
    manual_keys = {tag_key(name) for name in manual}
    names = [*inline.values(), *manual]
    book.load(tag_key(n) for n in names)
    return book.resolve(names), set(inline) - manual_keys


def replace_tags(
    conn: sqlite3.Connection,
    entry_id: str,
    text: str,
    manual: list[str],
    tags_text: str | None,
    book: TagBook | None = None,
) -> str:
    """Make the entry's tags follow :func:`wanted_tags`; returns the new ``tags_text``
    (written to the row only if it changed from *tags_text*; with ``None`` the caller writes
    it, in the same UPDATE as the rest of the row)."""
    if book is None:
        book = TagBook(conn)
    resolved, inline = wanted_tags(text, manual, book)
    conn.execute("DELETE FROM entry_tag WHERE entry_id = ?", (entry_id,))
    rows.insert_many(conn, ENTRY_TAG, book.link_rows(entry_id, resolved, inline))
    new_text = book.tags_text(resolved)
    if tags_text is not None and new_text != tags_text:
        conn.execute("UPDATE entry SET tags_text = ? WHERE id = ?", (new_text, entry_id))
    return new_text


def retag_many(
    conn: sqlite3.Connection,
    ids: Sequence[str],
    book: TagBook,
    parsed: Mapping[str, tuple[str, list[str]]] | None = None,
) -> None:
    """:func:`replace_tags` for many entries at once (missing ids are skipped), writing only
    the links and ``tags_text`` that differ: sync re-derives thousands of entries after a
    join, and rewriting an unchanged ``tags_text`` would re-index the entry for search.
    *parsed* maps an entry id to a text and its ``parse_tags`` (used if the text is the same).
    """
    parsed = parsed or {}
    for chunk in rows.chunks(list(ids)):
        marks, params = rows.placeholders("id", chunk)
        have: dict[str, dict[int, bool]] = {}
        manual: dict[str, list[str]] = {}
        for entry_id, tag_id, inline, name in conn.execute(
            "SELECT entry_tag.entry_id, entry_tag.tag_id, entry_tag.inline, tag.name "
            "FROM entry_tag JOIN tag ON tag.id = entry_tag.tag_id "
            f"WHERE entry_tag.entry_id IN ({marks})",
            params,
        ):
            have.setdefault(entry_id, {})[int(tag_id)] = bool(inline)
            if not inline:
                manual.setdefault(entry_id, []).append(name)
        drop: list[tuple[str, int]] = []
        add: list[dict[str, Any]] = []
        retext: list[tuple[str, str]] = []
        for entry_id, title, body, tags_text in conn.execute(
            f"SELECT id, title, body, tags_text FROM entry WHERE id IN ({marks})", params
        ).fetchall():
            text = f"{title}\n{body}"
            known = parsed.get(entry_id)
            names = known[1] if known is not None and known[0] == text else None
            resolved, inline = wanted_tags(text, manual.get(entry_id, ()), book, names)
            wanted = {tag_id: key in inline for tag_id, _name, key in resolved}
            old = have.get(entry_id, {})
            drop += [(entry_id, t) for t, flag in old.items() if wanted.get(t) != flag]
            add += [
                {"entry_id": entry_id, "tag_id": t, "inline": flag}
                for t, flag in wanted.items()
                if old.get(t) != flag
            ]
            new_text = book.tags_text(resolved)
            if new_text != tags_text:
                retext.append((new_text, entry_id))
        conn.executemany("DELETE FROM entry_tag WHERE entry_id = ? AND tag_id = ?", drop)
        rows.insert_many(conn, ENTRY_TAG, add)
        conn.executemany("UPDATE entry SET tags_text = ? WHERE id = ?", retext)
