"""Changing an entry inside a write transaction: the one implementation every service uses.

A review action must be one transaction that also records the review's progress, so the review
service cannot call :class:`~questionbook.core.journal.Journal` methods (each opens its own
transaction); both call :func:`change_entry` on the connection they already hold. Hardness and
status changes are kept in the entry's history here, tags are re-derived here, and the row is
written by field name through :mod:`questionbook.core.rows`.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo
from typing import Any

from questionbook.core import rows
from questionbook.core.entities import Entry, EntrySummary
from questionbook.core.entry_refs import sync_refs
from questionbook.core.entry_sql import (
    check_length,
    manual_tags,
    record_rating,
    record_status,
    replace_tags,
)
from questionbook.core.errors import InvalidValue
from questionbook.core.schema import ENTRY
from questionbook.core.tags import clean_tag, tag_key
from questionbook.core.text import clean_text
from questionbook.core.timeutil import parse_date, to_utc
from questionbook.core.vocabulary import (
    HARDNESS,
    MAX_LEVEL,
    MIN_LEVEL,
    RATING_SOURCES,
    Kind,
    check_status,
    parse_hardness,
    parse_kind,
    parse_reach,
)
from questionbook.i18n import _

#: Fields set through their own rules (tags are derived; ``id`` never changes).
_NOT_DIRECT = frozenset({"id", "tags"})


class Unset:
    """The type of :data:`UNSET`: "leave this field as it is" where ``None`` is a value."""

    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


def checked_changes(
    entry: Entry,
    *,
    title: str | None = None,
    body: str | None = None,
    kind: Kind | str | None = None,
    status: str | None = None,
    outcome: str | None = None,
    hardness: int | str | Unset | None = UNSET,
    reach: int | str | Unset | None = UNSET,
    starred: bool | None = None,
    created_at: datetime | None = None,
    tz: tzinfo | None = None,
    seal_until: int | str | Unset | None = UNSET,
    waterline: int | None = None,
    still_mine: str | None = None,
    revisit: date | str | Unset | None = UNSET,
    today: date | None = None,
) -> dict[str, Any]:
    """What a user asked to change, checked and cleaned, as field values (``None``: unchanged;
    an empty *status* clears it). A new kind resets the status to the kind's first.

    *seal_until* seals the entry until the water reaches that level (``None`` unseals it); it
    needs the current *waterline*, which the seal keeps and must lie below the level.
    *revisit* is the day to see the entry again (a date, ``YYYY-MM-DD``, ``+30d``; ``None`` or
    ``"none"`` clears it); it must not lie before *today* (the user's local date).
    """
    changes: dict[str, Any] = {}
    if title is not None:
        new_title = " ".join(clean_text(title).split())
        if not new_title:
            raise InvalidValue(_("the title cannot be empty"))
        changes["title"] = new_title
    if body is not None:
        changes["body"] = check_length(clean_text(body))
    new_kind = Kind(entry.kind)
    if kind is not None:
        new_kind = parse_kind(kind) if isinstance(kind, str) else kind
        if new_kind.value != entry.kind:
            changes["kind"] = new_kind.value
            if status is None:
                changes["status"] = check_status(new_kind, None)
    if status is not None:
        changes["status"] = check_status(new_kind, status or None)
    if outcome is not None:
        changes["outcome"] = clean_text(outcome)
    if not isinstance(hardness, Unset):
        changes["hardness"] = parse_hardness(hardness)
    if not isinstance(reach, Unset):
        changes["reach"] = parse_reach(reach)
    if not isinstance(seal_until, Unset):
        changes |= seal_changes(seal_until, waterline)
    if not isinstance(revisit, Unset):
        changes["revisit_on"] = parse_revisit(revisit, today or date.today())
    if still_mine is not None:
        changes["still_mine"] = " ".join(clean_text(still_mine).split())
    if starred is not None:
        changes["starred"] = bool(starred)
    if created_at is not None:
        changes["created_at"] = to_utc(created_at, tz)
    return changes


def change_entry(
    conn: sqlite3.Connection,
    entry: Entry,
    changes: Mapping[str, Any],
    *,
    now: datetime,
    rating_source: str = "user",
    manual: Iterable[str] | None = None,
    touch: bool = True,
) -> Entry:
    """Write *changes* (field values) to *entry*; returns the entry as saved.

    A new hardness or status is kept in the history (with *rating_source* for ratings). Tags
    are re-derived from the text when the title or body changes, or set to *manual* ∪ the
    inline ``#tags`` when *manual* is given. *touch* sets ``updated_at`` (the review's "looked
    at it" does not).
    """
    if rating_source not in RATING_SOURCES:
        raise InvalidValue(f"unknown rating source {rating_source!r}")
    bad = _NOT_DIRECT & set(changes)
    if bad:
        raise ValueError(f"{sorted(bad)} cannot be changed directly")
    changed = {k: v for k, v in changes.items() if getattr(entry, k) != v}
    if "still_mine" in changed:  # when it was written: the weekly summary lists the week's
        changed["still_mine_at"] = now if changed["still_mine"] else None
    if "hardness" in changed:
        record_rating(conn, entry.id, changed["hardness"], rating_source, now)
    if "status" in changed:
        outcome = changed.get("outcome", entry.outcome)
        record_status(conn, entry.id, changed["status"], outcome, now)
    if touch:
        changed["updated_at"] = now
    text_changed = "title" in changed or "body" in changed
    if manual is not None or text_changed:
        # The tags first, so that the row is written once: each UPDATE of the text or the
        # tags re-indexes the entry for search, which is most of what saving it costs.
        text = f"{changed.get('title', entry.title)}\n{changed.get('body', entry.body)}"
        wanted = manual_tags(conn, entry.id) if manual is None else list(manual)
        tags_text = replace_tags(conn, entry.id, text, wanted, None)
        if rows.split_tags(tags_text) != entry.tags:
            changed["tags"] = rows.split_tags(tags_text)
    rows.update(conn, ENTRY, changed, "id = :id", {"id": entry.id})
    saved = dataclasses.replace(entry, **changed)
    if text_changed:
        sync_refs(conn, entry.id, f"{saved.title}\n{saved.body}", now=now)
    return saved


def merged_manual_tags(
    conn: sqlite3.Connection,
    entry_id: str,
    *,
    set_tags: Iterable[str] | None = None,
    add_tags: Iterable[str] = (),
    remove_tags: Iterable[str] = (),
) -> list[str] | None:
    """The hand-added tags after a tag edit, or ``None`` when no tag edit was asked for."""
    add_tags, remove_tags = list(add_tags), list(remove_tags)
    if set_tags is None and not add_tags and not remove_tags:
        return None
    manual = manual_tags(conn, entry_id)
    if set_tags is not None:
        manual = [t for t in map(clean_tag, set_tags) if t]
    manual += [t for t in map(clean_tag, add_tags) if t]
    removed = {tag_key(t) for t in remove_tags if clean_tag(t)}
    return [t for t in manual if tag_key(t) not in removed]


def seal_changes(level: int | str | None, waterline: int | None) -> dict[str, Any]:
    """The fields of a tide seal until *level* (a number or a level name; ``None``: no seal),
    made while the water stands at *waterline*."""
    new = parse_hardness(level)
    if new is None:
        return {"seal_level": None, "seal_waterline": None}
    if waterline is None:
        raise ValueError("sealing needs the current waterline")
    if new <= waterline:
        raise InvalidValue(
            _(
                "the water is already at {level} {name}: seal until a higher level, "
                "or review the entry now"
            ).format(level=waterline, name=HARDNESS[waterline].label)
        )
    return {"seal_level": new, "seal_waterline": waterline}


def parse_revisit(value: date | str | None, today: date) -> date | None:
    """A revisit day from a date or what a user typed (``2027-03-01``, ``+30d``, ``none``);
    a day before *today* is refused: it could never come."""
    if value is None or (isinstance(value, str) and value.strip().lower() in _NO_DAY):
        return None
    day = value if isinstance(value, date) else parse_date(value, today=today)
    if day < today:
        raise InvalidValue(
            _("{day} has passed: choose today or a later day to see the entry again").format(
                day=day.isoformat()
            )
        )
    return day


_NO_DAY = frozenset({"", "none", "no", "off", "clear", "无", "不"})


def mark_reviewed(
    conn: sqlite3.Connection, entry_id: str, when: datetime, snoozed_until: datetime | None = None
) -> None:
    """Record that a review looked at the entry (or snoozed it); not an edit."""
    rows.update(
        conn,
        ENTRY,
        {"last_reviewed_at": when, "snoozed_until": snoozed_until},
        "id = :id",
        {"id": entry_id},
    )


def parse_waterline(level: int | str) -> int:
    """A waterline level from a number or a level name; one rule for every face."""
    new = parse_hardness(level)
    if new is None or not MIN_LEVEL <= new <= MAX_LEVEL:
        raise InvalidValue(_("the waterline must be a level from 0 to 4"))
    return new


def newly_covered(conn: sqlite3.Connection, old: int, new: int) -> list[EntrySummary]:
    """Live entries the water covers when it rises from *old* to *new* (hardest first)."""
    if new <= old:
        return []
    return rows.fetch(
        conn,
        EntrySummary,
        ENTRY,
        "SELECT {columns} FROM entry WHERE entry.deleted_at IS NULL AND entry.hardness > ? "
        "AND entry.hardness <= ? ORDER BY entry.hardness DESC, entry.created_at DESC",
        (old, new),
    )
