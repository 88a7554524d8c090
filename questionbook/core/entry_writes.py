"""Changes to entries inside one write session, shared by the Journal and the review service.

A review action must be one transaction that also records the review's progress, so the
review service cannot call :class:`~questionbook.core.journal.Journal` methods (each opens its
own transaction); both call these functions on the session they already hold.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from questionbook.core import entry_sql
from questionbook.core.entry_sql import replace_tags
from questionbook.core.errors import InvalidValue
from questionbook.core.models import (
    EntryRecord,
    EntryTagLink,
    HardnessRating,
    StatusChange,
    TagRecord,
)
from questionbook.core.text import clean_text
from questionbook.core.vocabulary import RATING_SOURCES, Kind, check_status
from questionbook.storage.database import driver_connection

E = EntryRecord.__table__.c  # type: ignore[attr-defined]
LINK = EntryTagLink.__table__.c  # type: ignore[attr-defined]
TAG = TagRecord.__table__.c  # type: ignore[attr-defined]


def current_waterline(s: Session) -> int:
    """The latest waterline mark's level (1 before any is set)."""
    return entry_sql.current_waterline(driver_connection(s))


def apply_status(
    s: Session, rec: EntryRecord, status: str | None, outcome: str | None, now: datetime
) -> None:
    """Set status and/or outcome; a status change is kept in the entry's history."""
    kind = Kind(rec.kind)
    new_status = rec.status
    if status is not None:
        new_status = check_status(kind, status or None)
    new_outcome = rec.outcome if outcome is None else clean_text(outcome)
    if new_status != rec.status or new_outcome != rec.outcome:
        if new_status != rec.status:
            s.add(
                StatusChange(
                    entry_id=rec.id, status=new_status, outcome=new_outcome, changed_at=now
                )
            )
        rec.status, rec.outcome = new_status, new_outcome


def apply_hardness(
    s: Session, rec: EntryRecord, level: int | None, source: str, now: datetime
) -> None:
    """Rate (or clear) an entry; every change is kept with its time and source."""
    if source not in RATING_SOURCES:
        raise InvalidValue(f"unknown rating source {source!r}")
    if level != rec.hardness:
        rec.hardness = level
        s.add(HardnessRating(entry_id=rec.id, level=level, source=source, rated_at=now))


def manual_tags(s: Session, rec: EntryRecord) -> list[str]:
    """The tags added by hand (not written inline as ``#tag``)."""
    return list(
        s.scalars(
            select(TAG.name)
            .join(EntryTagLink)
            .where(LINK.entry_id == rec.id, LINK.inline.is_(False))
        )
    )


def set_tags(s: Session, rec: EntryRecord, *, manual: list[str]) -> None:
    """Make the entry's tags = *manual* ∪ the inline ``#tags`` of its text (see
    :func:`questionbook.core.entry_sql.replace_tags`, which adding an entry uses too)."""
    s.flush()  # the plain SQL below must see the entry's current title and body
    tags_text = replace_tags(
        driver_connection(s), rec.id, f"{rec.title}\n{rec.body}", manual, rec.tags_text
    )
    set_committed_value(rec, "tags_text", tags_text)  # already written; no second UPDATE


def drop_unused_tags(s: Session) -> None:
    """Forget tags no entry uses any more."""
    s.execute(delete(TagRecord).where(~TAG.id.in_(select(LINK.tag_id))))


def mark_reviewed(
    s: Session, entry_id: str, when: datetime, snoozed_until: datetime | None = None
) -> None:
    """Record that a review looked at the entry (or snoozed it)."""
    s.execute(
        update(EntryRecord)
        .where(E.id == entry_id)
        .values(last_reviewed_at=when, snoozed_until=snoozed_until)
    )
