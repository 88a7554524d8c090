"""Plain objects the services return: the UI and CLI never see a database session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from questionbook.core.timeutil import to_local

if TYPE_CHECKING:
    from questionbook.core.models import EntryRecord

TAG_SEPARATOR = "\x1f"


def split_tags(tags_text: str) -> tuple[str, ...]:
    return tuple(t for t in tags_text.split(TAG_SEPARATOR) if t)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry with everything about it except its history."""

    id: str
    kind: str
    title: str
    body: str
    status: str | None
    hardness: int | None
    starred: bool
    outcome: str
    parent_id: str | None
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    last_reviewed_at: datetime | None = None
    snoozed_until: datetime | None = None

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    def to_json(self, tz: tzinfo | None = None) -> dict[str, Any]:
        """The CLI's ``--json`` object: exactly these keys, times in ISO 8601 with offset."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "status": self.status,
            "hardness": self.hardness,
            "tags": list(self.tags),
            "starred": self.starred,
            "outcome": self.outcome,
            "parent_id": self.parent_id,
            "created_at": to_local(self.created_at, tz).isoformat(timespec="seconds"),
            "updated_at": to_local(self.updated_at, tz).isoformat(timespec="seconds"),
        }


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """What a list row needs: no full body, just its first few hundred characters."""

    id: str
    kind: str
    title: str
    head: str
    status: str | None
    hardness: int | None
    starred: bool
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class HardnessChange:
    level: int | None
    source: str
    rated_at: datetime


@dataclass(frozen=True, slots=True)
class StatusEvent:
    status: str | None
    outcome: str
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class WaterlineEvent:
    level: int
    note: str
    set_at: datetime


@dataclass(frozen=True, slots=True)
class WaterlineResult:
    """What setting the waterline did, including the entries the water newly covers."""

    previous: int
    level: int
    newly_submerged: list[EntrySummary] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TagCount:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class JournalStats:
    """Counts for the sidebar and the status bar."""

    total: int
    by_kind: dict[str, int]
    starred: int
    submerged: int
    trash: int
    waterline: int


def entry_from_record(rec: EntryRecord) -> Entry:
    """The plain :class:`Entry` for a stored row."""
    return Entry(
        id=rec.id,
        kind=rec.kind,
        title=rec.title,
        body=rec.body,
        status=rec.status,
        hardness=rec.hardness,
        starred=bool(rec.starred),
        outcome=rec.outcome,
        parent_id=rec.parent_id,
        tags=split_tags(rec.tags_text),
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        deleted_at=rec.deleted_at,
        last_reviewed_at=rec.last_reviewed_at,
        snoozed_until=rec.snoozed_until,
    )
