"""Plain objects the services return: the UI and CLI never see a database session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from questionbook.core.columns import TAG_SEPARATOR, column
from questionbook.core.rows import computed, split_tags
from questionbook.core.timeutil import to_local

__all__ = ["TAG_SEPARATOR", "split_tags"]  # re-exported: where callers have always found them

#: How much of a body a list row carries (for its one-line snippet and the search highlight).
HEAD_CHARS = 400


_ID = column(length=36, unique=True)
_KIND = column(length=16)
_STATUS = column(length=16, index=True)
_PARENT = column(length=36, references="entry.id", on_delete="SET NULL", index=True)
_TAGS = column(stored_as="tags_text")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry with everything about it except its history.

    This is also the declaration of the ``entry`` table (:mod:`questionbook.core.schema`): a
    field here is a column there, read and written by name everywhere.
    """

    id: str = field(metadata=_ID)
    kind: str = field(metadata=_KIND)
    title: str
    body: str
    status: str | None = field(metadata=_STATUS)
    hardness: int | None = field(metadata=column(index=True))
    starred: bool
    outcome: str
    parent_id: str | None = field(metadata=_PARENT)
    #: Tag names, stored joined in ``tags_text`` so list rows and the index need no join.
    tags: tuple[str, ...] = field(metadata=_TAGS)
    created_at: datetime = field(metadata=column(index=True))
    updated_at: datetime = field(metadata=column(index=True))
    deleted_at: datetime | None = None
    last_reviewed_at: datetime | None = None
    snoozed_until: datetime | None = None
    #: How hard the entry is for *you* (0-4), beside how hard it is for an AI; None: unrated.
    reach: int | None = None
    #: A tide seal: the waterline level to wait for before the entry comes back (None: none).
    seal_level: int | None = None
    #: Where the waterline stood when the entry was sealed (for "what changed since?").
    seal_waterline: int | None = None
    #: Once the water reaches it: what part of the entry is still the user's own.
    still_mine: str = ""
    #: When ``still_mine`` was last written (the weekly summary lists that week's lines).
    still_mine_at: datetime | None = None
    #: "Ask me again on 1 March" (issue 19): a *local calendar day*, not an instant, so it stays
    #: 1 March when the user travels or the clocks change; due with the reason ``revisit``.
    revisit_on: date | None = field(default=None, metadata=column(index=True))

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    @property
    def sealed(self) -> bool:
        return self.seal_level is not None

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
            "reach": self.reach,
            "seal_level": self.seal_level,
            "seal_waterline": self.seal_waterline,
            "still_mine": self.still_mine,
            "revisit_on": None if self.revisit_on is None else self.revisit_on.isoformat(),
        }


#: The keys of a trial in ``questionbook trial list --json`` (a contract: exactly these).
TRIAL_JSON_KEYS = ("id", "entry_id", "asked_at", "model", "prompt", "answer", "verdict", "note")


@dataclass(frozen=True, slots=True, kw_only=True)
class Trial:
    """A record that the user put an entry to an AI: evidence for its hardness.

    Also the declaration of the ``trial`` table (:mod:`questionbook.core.schema`). ``id`` is a
    UUID, so trials keep their identity across exports, imports and devices.
    """

    id: str = field(metadata=column(length=36, primary=True))
    entry_id: str = field(
        metadata=column(length=36, references="entry.id", on_delete="CASCADE", index=True)
    )
    asked_at: datetime
    #: Free text: "GPT-5", "qwen3:8b".
    model: str = ""
    #: What was asked (by default the entry's title and body).
    prompt: str = ""
    #: The AI's answer (Markdown), if kept.
    answer: str = ""
    #: solved, partly, failed or pending (not judged yet).
    verdict: str = field(default="pending", metadata=column(length=16))
    note: str = ""

    def to_json(self, tz: tzinfo | None = None) -> dict[str, Any]:
        """The CLI's ``--json`` object: exactly :data:`TRIAL_JSON_KEYS`."""
        return {
            "id": self.id,
            "entry_id": self.entry_id,
            "asked_at": to_local(self.asked_at, tz).isoformat(timespec="seconds"),
            "model": self.model,
            "prompt": self.prompt,
            "answer": self.answer,
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """What a list row needs: no full body, just its first few hundred characters."""

    id: str
    kind: str
    title: str
    head: str = field(metadata=computed(f"substr(entry.body, 1, {HEAD_CHARS})"))
    status: str | None
    hardness: int | None
    starred: bool
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    outcome: str = ""
    #: Reach and the tide seal (issue 17): list rows show them, and the review's tide reason
    #: says where the water stood when the entry was sealed.
    reach: int | None = None
    seal_level: int | None = None
    seal_waterline: int | None = None
    #: The day the entry asked to come back (a list row can show it).
    revisit_on: date | None = None


@dataclass(frozen=True, slots=True)
class StillMineItem:
    """An entry's "still mine" line, with what a list of them shows (a projection of entry)."""

    id: str
    kind: str
    title: str
    hardness: int | None
    tags: tuple[str, ...]
    still_mine: str
    still_mine_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StillMineGroup:
    """The "Still mine" view's groups: one per tag (``tag`` None: entries without tags)."""

    tag: str | None
    items: list[StillMineItem] = field(default_factory=list)


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
