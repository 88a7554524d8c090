"""Declaring a table as a dataclass of its columns (the machinery; the tables are in
:mod:`questionbook.core.schema`).

A field's type hint gives its column type (``str``, ``int``, ``bool``, ``datetime``, ``date``,
``bytes``, a tuple of tag names) and ``X | None`` a nullable column; :func:`column` adds the rest. Standard library
only: the command line reads these declarations without importing SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Codec = Literal["text", "int", "bool", "time", "date", "tags", "blob"]
SyncPolicy = Literal["fields", "set", "log", "local"]

#: Separator of tag names in ``entry.tags_text`` (a control character no tag can contain).
TAG_SEPARATOR = "\x1f"


def column(
    *,
    length: int | None = None,
    index: bool = False,
    unique: bool = False,
    references: str | None = None,
    on_delete: str | None = None,
    primary: bool = False,
    stored_as: str | None = None,
) -> dict[str, Any]:
    """Column options for a declaration field: ``x: str = field(metadata=column(length=16))``.

    *stored_as* names the column when it differs from the field (``tags`` is ``tags_text``).
    """
    return {
        "qb_column": {
            "length": length,
            "index": index,
            "unique": unique,
            "references": references,
            "on_delete": on_delete,
            "primary": primary,
            "stored_as": stored_as,
        }
    }


@dataclass(frozen=True, slots=True)
class Column:
    """One stored column, as derived from a declaration field."""

    field: str
    name: str
    codec: Codec
    nullable: bool
    length: int | None = None
    index: bool = False
    unique: bool = False
    references: str | None = None
    on_delete: str | None = None
    primary: bool = False


@dataclass(frozen=True, slots=True)
class Sync:
    """How a table's rows travel between journals that share a sync folder (``docs/sync.md``).

    The sync engine (:mod:`questionbook.sync`) reads nothing but this and the columns, so a new
    table syncs by declaring its policy here; there is no per-table sync code.

    - ``fields``: a row whose fields merge one by one, the last writer winning each field (a
      hybrid logical clock orders the writes); a text field both sides changed keeps the
      losing text as a conflict copy (*keep_losers*; by default every text column without a
      length limit). Deleting the row wins only if the deleter had seen every change to it.
    - ``set``: membership (an entry's manual tags): rows are added and removed; a removal
      wins only over additions the remover had seen.
    - ``log``: append-only history, merged as the union of rows by natural key.
    - ``local``: never leaves this journal (sync bookkeeping, caches).
    """

    policy: SyncPolicy
    #: Fields every journal computes for itself and never sends (``entry.tags``).
    derived: tuple[str, ...] = ()
    #: Only rows with these field values travel; the others are derived on each journal
    #: (``entry_tag`` rows with ``inline`` true come from the entry's text).
    only: tuple[tuple[str, Any], ...] = ()
    #: Text fields whose losing value is kept as a conflict copy (None: every text column
    #: without a length limit).
    keep_losers: tuple[str, ...] | None = None
    #: Deleting a row is housekeeping of one journal (a tag nobody uses any more): deletions
    #: are not sent, and a row another row refers to travels with it.
    local_deletes: bool = False

    @property
    def synced(self) -> bool:
        return self.policy != "local"


@dataclass(frozen=True, slots=True)
class Index:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table: its name, its row type and what is derived from the row type's fields."""

    name: str
    row: type
    columns: tuple[Column, ...]
    indexes: tuple[Index, ...] = ()
    #: Columns that identify a row across journals (an entry's UUID; a rating's entry, time,
    #: level and source): imports and sync match rows on them, never on local integer ids.
    natural_key: tuple[str, ...] = ()
    #: How the rows travel between journals that share a sync folder (None: not declared yet;
    #: a test requires every table to declare it).
    sync: Sync | None = None
    by_field: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)
    by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_field.update((c.field, c) for c in self.columns)
        self.by_name.update((c.name, c) for c in self.columns)

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.primary)

    def column_of(self, field_name: str) -> Column:
        return self.by_field[field_name]


def codec_of(hint: Any) -> tuple[Codec, bool]:
    """The codec and nullability for a field's type hint."""
    nullable = False
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(hint))
        hint = args[0]
    if hint is bool:
        return "bool", nullable
    if hint is int:
        return "int", nullable
    if hint is str:
        return "text", nullable
    if hint is datetime:
        return "time", nullable
    if hint is date:  # a calendar day, not an instant: stored as ``YYYY-MM-DD``
        return "date", nullable
    if hint is bytes:
        return "blob", nullable
    if typing.get_origin(hint) is tuple:
        return "tags", nullable
    raise TypeError(f"no column type for {hint!r}")


def columns_of(row: type, extra: tuple[Column, ...] = ()) -> tuple[Column, ...]:
    """The columns a row dataclass declares (plus storage-only *extra* columns first)."""
    hints = typing.get_type_hints(row)
    out = list(extra)
    for f in dataclasses.fields(row):
        opts = dict(f.metadata.get("qb_column") or {})
        codec, nullable = codec_of(hints[f.name])
        name = opts.pop("stored_as", None) or f.name
        out.append(Column(f.name, name, codec, nullable and not opts.get("primary"), **opts))
    return tuple(out)


def table(
    name: str,
    row: type,
    *,
    extra: tuple[Column, ...] = (),
    indexes: tuple[Index, ...] = (),
    natural_key: tuple[str, ...] = (),
    sync: Sync | None = None,
) -> Table:
    return Table(name, row, columns_of(row, extra), indexes, natural_key, sync)
