"""The tables sync adds, declared like every other table (:mod:`questionbook.core.schema`).

Two of them travel: ``conflict_copy`` (a text that lost a merge, kept and shown, never
dropped) and ``journal_setting`` (preferences that belong to the journal, such as the review's
weekday, as opposed to the window's). The rest is each journal's own bookkeeping and never
leaves it (policy ``local``): which device this journal is, what it has read from the others,
the per-field versions of its rows and the changes waiting to be written. ``docs/sync.md``
explains how they are used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from questionbook.core.columns import column

_NAME = column(length=64)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConflictCopyRow:
    """A text that lost a merge: the same field was changed on two computers before either saw
    the other's change. The later change is the field's value; this keeps the other one.

    ``id`` is derived from what lost (table, row, field and the losing version), so every
    journal that meets the same conflict makes the same copy.
    """

    id: str = field(metadata=column(length=32, primary=True))
    entry_id: str | None = field(
        default=None,
        metadata=column(length=36, references="entry.id", on_delete="CASCADE", index=True),
    )
    table_name: str = field(metadata=_NAME)
    row_key: str
    field_name: str = field(metadata=_NAME)
    value: str
    lost_at: datetime
    lost_device: str = field(metadata=column(length=32))
    #: When the user looked at it and dismissed it (None: still shown).
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class JournalSettingRow:
    """A preference of the journal itself (review weekday and time, week start): the same on
    every computer that shares the journal. Window and look-and-feel settings stay local."""

    key: str = field(metadata=column(length=64, primary=True))
    value: str


# -- local bookkeeping (never synced) ---------------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class SyncStateRow:
    """This journal's sync settings and counters: device id, folder, clock, last file number."""

    key: str = field(metadata=column(length=64, primary=True))
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncPeerRow:
    """What this journal has read from one device: its change files up to ``applied_seq``
    (without a gap) and its clock up to ``known_hlc``."""

    device: str = field(metadata=column(length=32, primary=True))
    applied_seq: int = 0
    known_hlc: int = 0
    name: str = ""
    last_seen: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncVersionRow:
    """The versions of one synced row's fields (``versions``: JSON, ``"*"`` for the fields
    not named); ``key`` is the row's natural key as a JSON array."""

    tbl: str = field(metadata=column(length=64, primary=True))
    key: str = field(metadata=column(primary=True))
    versions: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncOutboxRow:
    """A local change not yet written to the folder, recorded by the capture triggers."""

    id: int | None = field(default=None, metadata=column(primary=True))
    tbl: str = field(metadata=_NAME)
    key: str
    op: str = field(metadata=column(length=1))
    #: The fields an update changed (comma-separated); ``cascade`` for a delete caused by its
    #: parent's; None for inserts.
    fields: str | None = None
    #: When it happened (milliseconds since 1970, UTC).
    at: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncUnsentRow:
    """A change file made but not yet in the folder (the folder was unreachable or full)."""

    seq: int = field(metadata=column(primary=True))
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncAppliedRow:
    """A change file already applied (a device's file and its engine's conflict copies of it
    are told apart by their digest)."""

    device: str = field(metadata=column(length=32, primary=True))
    seq: int = field(metadata=column(primary=True))
    digest: str = field(metadata=column(length=64, primary=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class SyncQuietRow:
    """Present only inside the transaction that applies remote changes: the capture triggers
    then record nothing (what arrives from the folder must not be sent back)."""

    flag: int = field(metadata=column(primary=True))
