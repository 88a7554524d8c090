"""SQLModel tables: the stored shape of a journal.

Entries carry a UUID text ``id`` (what users, exports and imports see) and an integer ``num``
(the SQLite rowid alias). ``num`` never changes, so it doubles as the rowid of the full-text
index row; a bare rowid could be renumbered by VACUUM. ``tags_text`` repeats the entry's tag
names so that the list view and the search-index triggers need no join.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, types
from sqlmodel import Field, SQLModel

from questionbook.core.timeutil import format_utc, parse_stored


class UTCDateTime(types.TypeDecorator[datetime]):
    """Aware datetimes stored as fixed-width ISO text in UTC (sortable, zone never lost)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the journal; use timezone-aware UTC")
        return format_utc(value)

    def process_result_value(self, value: str | None, dialect: Any) -> datetime | None:
        return None if value is None else parse_stored(value)


def _fk(target: str, ondelete: str, *, nullable: bool = False, index: bool = True) -> Any:
    return Field(
        sa_column=Column(
            String(36), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
        )
    )


def _when(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class EntryRecord(SQLModel, table=True):
    __tablename__ = "entry"
    __table_args__ = (
        Index("ix_entry_live_created", "deleted_at", "created_at"),
        Index("ix_entry_kind_created", "kind", "created_at"),
        # Covers the sidebar counts (JournalStats) so they never read the table itself.
        Index("ix_entry_stats", "deleted_at", "kind", "starred", "hardness"),
    )

    num: int | None = Field(default=None, primary_key=True)
    id: str = Field(sa_column=Column(String(36), unique=True, nullable=False))
    kind: str = Field(max_length=16)
    title: str = ""
    body: str = ""
    status: str | None = Field(default=None, max_length=16, index=True)
    hardness: int | None = Field(default=None, index=True)
    starred: bool = False
    outcome: str = ""
    tags_text: str = ""
    parent_id: str | None = Field(
        default=None,
        sa_column=Column(
            String(36), ForeignKey("entry.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    created_at: datetime = _when(index=True)
    updated_at: datetime = _when(index=True)
    deleted_at: datetime | None = _when(nullable=True)
    last_reviewed_at: datetime | None = _when(nullable=True)
    snoozed_until: datetime | None = _when(nullable=True)


class TagRecord(SQLModel, table=True):
    __tablename__ = "tag"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    key: str = Field(unique=True)


class EntryTagLink(SQLModel, table=True):
    """An entry's tag; ``inline`` says it came from a ``#tag`` in the text (re-derived on edit)."""

    __tablename__ = "entry_tag"

    entry_id: str = Field(
        sa_column=Column(String(36), ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True)
    )
    tag_id: int = Field(foreign_key="tag.id", primary_key=True, index=True, ondelete="CASCADE")
    inline: bool = False


class HardnessRating(SQLModel, table=True):
    __tablename__ = "hardness_rating"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = _fk("entry.id", "CASCADE")
    level: int | None = None
    source: str = Field(default="user", max_length=16)
    rated_at: datetime = _when()


class StatusChange(SQLModel, table=True):
    __tablename__ = "status_change"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: str = _fk("entry.id", "CASCADE")
    status: str | None = Field(default=None, max_length=16)
    outcome: str = ""
    changed_at: datetime = _when()


class WaterlineMark(SQLModel, table=True):
    __tablename__ = "waterline_mark"

    id: int | None = Field(default=None, primary_key=True)
    level: int
    note: str = ""
    set_at: datetime = _when(index=True)


class ReviewRecord(SQLModel, table=True):
    """One weekly review: ``period`` is an ISO week like ``2026-W48``; ``step`` lets it resume."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(unique=True, max_length=16)
    started_at: datetime = _when()
    finished_at: datetime | None = _when(nullable=True)
    waterline: int | None = None
    reflection: str = ""
    step: str = Field(default="new", max_length=32)
    position: int = 0


class ReviewAction(SQLModel, table=True):
    __tablename__ = "review_action"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True, ondelete="CASCADE")
    entry_id: str = _fk("entry.id", "CASCADE")
    action: str = Field(max_length=16)
    detail: str = ""
    acted_at: datetime = _when()
