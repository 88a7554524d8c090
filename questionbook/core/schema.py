"""The journal's tables, each declared once, as a dataclass of its columns.

A table is a frozen dataclass whose fields are its columns (see :mod:`questionbook.core.columns`
for how type hints and :func:`~questionbook.core.columns.column` become columns). From that one
declaration:

- :mod:`questionbook.core.rows` writes the SQL: select lists, rows decoded *by column name*,
  values encoded for ``INSERT``/``UPDATE`` (standard library only, so the command line starts
  without SQLAlchemy);
- :mod:`questionbook.storage.sa_schema` derives the SQLAlchemy metadata that Alembic compares
  the migrations with (a test fails if a declaration and the migrations disagree);
- the lossless JSON export and sync walk :data:`TABLES` instead of naming columns; each
  table's ``sync`` policy (:class:`~questionbook.core.columns.Sync`) says how its rows travel
  between journals that share a sync folder.

Adding a field to entries is therefore one line in :class:`~questionbook.core.entities.Entry`,
a migration, and the places that show it. Values that are *parts* of a row (a list row, a
history event) are dataclasses whose field names are column names, read with the same codecs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from questionbook.core.columns import Column, Index, Sync, Table, column, table
from questionbook.core.entities import Entry, Trial
from questionbook.core.sync_schema import (
    ConflictCopyRow,
    JournalSettingRow,
    SyncAppliedRow,
    SyncOutboxRow,
    SyncPeerRow,
    SyncQuietRow,
    SyncStateRow,
    SyncUnsentRow,
    SyncVersionRow,
)

# -- the rows of the tables other than ``entry`` (declared in entities, the domain's value) -----
_ENTRY_REF = column(length=36, references="entry.id", on_delete="CASCADE", index=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class TagRow:
    id: int | None = field(default=None, metadata=column(primary=True))
    name: str
    key: str = field(metadata=column(unique=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryTagRow:
    """An entry's tag; ``inline`` says it came from a ``#tag`` in the text (re-derived on edit)."""

    entry_id: str = field(
        metadata=column(length=36, references="entry.id", on_delete="CASCADE", primary=True)
    )
    tag_id: int = field(
        metadata=column(references="tag.id", on_delete="CASCADE", primary=True, index=True)
    )
    inline: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class HardnessRow:
    id: int | None = field(default=None, metadata=column(primary=True))
    entry_id: str = field(metadata=_ENTRY_REF)
    level: int | None
    source: str = field(default="user", metadata=column(length=16))
    rated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusRow:
    id: int | None = field(default=None, metadata=column(primary=True))
    entry_id: str = field(metadata=_ENTRY_REF)
    status: str | None = field(default=None, metadata=column(length=16))
    outcome: str = ""
    changed_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class WaterlineRow:
    id: int | None = field(default=None, metadata=column(primary=True))
    level: int
    note: str = ""
    set_at: datetime = field(metadata=column(index=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewRow:
    """One weekly review: ``period`` is an ISO week like ``2026-W48``; ``step`` lets it resume."""

    id: int | None = field(default=None, metadata=column(primary=True))
    period: str = field(metadata=column(length=16, unique=True))
    started_at: datetime
    finished_at: datetime | None = None
    waterline: int | None = None
    reflection: str = ""
    step: str = field(default="new", metadata=column(length=32))
    position: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewActionRow:
    id: int | None = field(default=None, metadata=column(primary=True))
    review_id: int = field(metadata=column(references="review.id", on_delete="CASCADE", index=True))
    entry_id: str = field(metadata=_ENTRY_REF)
    action: str = field(metadata=column(length=16))
    detail: str = ""
    acted_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class BlobRow:
    """An attachment's bytes, once per content (issue 18): keyed by their SHA-256, so the same
    picture attached to ten entries is stored once. ``data`` is written and read in pieces
    (SQLite's incremental blob I/O), never as one Python object."""

    sha256: str = field(metadata=column(length=64, primary=True))
    size: int
    mime: str = field(default="application/octet-stream", metadata=column(length=128))
    data: bytes = b""
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryAttachmentRow:
    """A file attached to an entry under a name (unique within the entry). ``inline`` says
    the entry's text refers to it (re-derived on every save, like inline tags); a file
    attached without a reference in the text stays until it is detached."""

    entry_id: str = field(
        metadata=column(length=36, references="entry.id", on_delete="CASCADE", primary=True)
    )
    sha256: str = field(
        metadata=column(length=64, references="attachment_blob.sha256", primary=True, index=True)
    )
    name: str = field(metadata=column(length=255))
    inline: bool = True
    added_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryLinkRow:
    """A ``[[link]]`` from one entry to another, derived from the source's text on every save.
    The target is not a foreign key: a link to a missing entry is kept, and shown as such."""

    source_id: str = field(
        metadata=column(length=36, references="entry.id", on_delete="CASCADE", primary=True)
    )
    target_id: str = field(metadata=column(length=36, primary=True, index=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateRow:
    """A writing template of one kind (issue 19). The built-in templates live in code
    (:mod:`questionbook.core.templates`, translated when shown); a row with ``builtin`` set is
    the user's edit of one (``hidden``: deleted), with an id derived from the built-in's key,
    so two devices editing the same built-in write the same row. Templates are journal rows,
    not settings: they travel with the journal to every device that syncs it."""

    id: str = field(metadata=column(length=36, primary=True))
    kind: str = field(metadata=column(length=16))
    name: str
    body: str = ""
    builtin: str = field(default="", metadata=column(length=64))
    hidden: bool = False
    position: int = 0
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PromptRow:
    """A prompt of the day the user wrote (the built-in ones live in
    :mod:`questionbook.core.prompt_texts`)."""

    id: str = field(metadata=column(length=36, primary=True))
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PromptShownRow:
    """Which prompt was shown on a local day: the memory that keeps a prompt from coming
    back within a month. ``prompt`` is ``builtin:<key>`` or a :class:`PromptRow` id."""

    day: date = field(metadata=column(primary=True))
    prompt: str = field(metadata=column(length=64))
    shown_at: datetime


FIELDS, SET, LOG, LOCAL = Sync("fields"), Sync("set"), Sync("log"), Sync("local")


def _build() -> dict[str, Table]:
    entry = table(
        "entry",
        Entry,
        # The integer primary key is SQLite's rowid alias: it never changes, so it is also the
        # rowid of the entry's row in the full-text index (a bare rowid could be renumbered by
        # VACUUM). Storage only: users, exports and sync see the UUID ``id``.
        extra=(Column("num", "num", "int", False, primary=True),),
        indexes=(
            Index("ix_entry_live_created", ("deleted_at", "created_at")),
            Index("ix_entry_kind_created", ("kind", "created_at")),
            # Covers the sidebar counts so they never read the table itself.
            Index("ix_entry_stats", ("deleted_at", "kind", "starred", "hardness")),
        ),
        natural_key=("id",),
        # Tags are derived from the text and the manual tag links on each journal.
        sync=Sync("fields", derived=("tags",)),
    )
    tables = (
        entry,
        # A tag's spelling merges; a tag nobody uses is dropped by each journal itself, and a
        # tag travels with the manual links that use it.
        table(
            "tag",
            TagRow,
            natural_key=("key",),
            sync=Sync("fields", keep_losers=(), local_deletes=True),
        ),
        # Manual tags are a set; inline ones come from the text on each journal.
        table(
            "entry_tag",
            EntryTagRow,
            natural_key=("entry_id", "tag_id"),
            sync=Sync("set", only=(("inline", False),)),
        ),
        table(
            "hardness_rating",
            HardnessRow,
            natural_key=("entry_id", "rated_at", "level", "source"),
            sync=LOG,
        ),
        table(
            "status_change",
            StatusRow,
            natural_key=("entry_id", "changed_at", "status", "outcome"),
            sync=LOG,
        ),
        table(
            "waterline_mark",
            WaterlineRow,
            natural_key=("set_at", "level", "note"),
            sync=LOG,
        ),
        table("review", ReviewRow, natural_key=("period",), sync=FIELDS),
        table(
            "review_action",
            ReviewActionRow,
            natural_key=("review_id", "entry_id", "action", "acted_at"),
            sync=LOG,
        ),
        # A trial is edited (judged) after it is made: its fields merge.
        table("trial", Trial, natural_key=("id",), sync=FIELDS),
        # Attachment bytes never change (they are named by their hash): a union.
        table("attachment_blob", BlobRow, natural_key=("sha256",), sync=LOG),
        # Files attached by hand are a set; those the text refers to come from the text.
        table(
            "entry_attachment",
            EntryAttachmentRow,
            natural_key=("entry_id", "sha256"),
            sync=Sync("set", only=(("inline", False),)),
        ),
        # Links come from the text on each journal.
        table("entry_link", EntryLinkRow, natural_key=("source_id", "target_id"), sync=LOCAL),
        table("entry_template", TemplateRow, natural_key=("id",), sync=FIELDS),
        table("prompt", PromptRow, natural_key=("id",), sync=FIELDS),
        # Which prompt a day showed: the same everywhere (chosen from the date), merged by day.
        table(
            "prompt_shown",
            PromptShownRow,
            natural_key=("day",),
            sync=Sync("fields", keep_losers=()),
        ),
        # Conflict copies travel so that every journal shows them, and so does dismissing one;
        # a copy of a copy is never made.
        table(
            "conflict_copy",
            ConflictCopyRow,
            natural_key=("id",),
            sync=Sync("fields", keep_losers=()),
        ),
        table(
            "journal_setting",
            JournalSettingRow,
            natural_key=("key",),
            sync=Sync("fields", keep_losers=()),
        ),
        # Each journal's own sync bookkeeping.
        table("sync_state", SyncStateRow, natural_key=("key",), sync=LOCAL),
        table("sync_peer", SyncPeerRow, natural_key=("device",), sync=LOCAL),
        table("sync_version", SyncVersionRow, natural_key=("tbl", "key"), sync=LOCAL),
        table("sync_outbox", SyncOutboxRow, sync=LOCAL),
        table("sync_unsent", SyncUnsentRow, natural_key=("seq",), sync=LOCAL),
        table("sync_applied", SyncAppliedRow, natural_key=("device", "seq", "digest"), sync=LOCAL),
        table("sync_quiet", SyncQuietRow, sync=LOCAL),
    )
    return {t.name: t for t in tables}


TABLES: dict[str, Table] = _build()
ENTRY = TABLES["entry"]
TAG = TABLES["tag"]
ENTRY_TAG = TABLES["entry_tag"]
HARDNESS_RATING = TABLES["hardness_rating"]
STATUS_CHANGE = TABLES["status_change"]
WATERLINE_MARK = TABLES["waterline_mark"]
REVIEW = TABLES["review"]
REVIEW_ACTION = TABLES["review_action"]
TRIAL = TABLES["trial"]
ATTACHMENT_BLOB = TABLES["attachment_blob"]
ENTRY_ATTACHMENT = TABLES["entry_attachment"]
ENTRY_LINK = TABLES["entry_link"]
ENTRY_TEMPLATE = TABLES["entry_template"]
PROMPT = TABLES["prompt"]
PROMPT_SHOWN = TABLES["prompt_shown"]
CONFLICT_COPY = TABLES["conflict_copy"]
JOURNAL_SETTING = TABLES["journal_setting"]
