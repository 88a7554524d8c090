"""What a parser hands to the importer: entries and history read from a file, validated.

Parsers build :class:`Incoming` entries and pass each through :func:`normalise`, which applies
the same rules as :meth:`Journal.add` (so what the journal stored comes back unchanged) and
turns a bad kind, status or hardness into an :class:`ImportFormatError` naming the entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from questionbook.core.entities import HardnessChange, StatusEvent, Trial, WaterlineEvent
from questionbook.core.entry_sql import title_and_body
from questionbook.core.errors import ImportFormatError, InvalidValue
from questionbook.core.tags import clean_tag, parse_tags, tag_key
from questionbook.core.text import clean_text
from questionbook.core.vocabulary import Kind, check_status, parse_hardness, parse_kind
from questionbook.i18n import _


@dataclass
class Incoming:
    """One entry read from a file, before it meets the journal."""

    id: str
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
    kind: str = "note"
    status: str | None = None
    hardness: int | str | None = None  # a level or its name until normalise() parses it
    starred: bool = False
    outcome: str = ""
    parent_id: str | None = None
    tags: tuple[str, ...] = ()
    deleted_at: datetime | None = None
    last_reviewed_at: datetime | None = None
    snoozed_until: datetime | None = None
    hardness_history: list[HardnessChange] | None = None
    status_history: list[StatusEvent] | None = None
    where: str = ""
    #: Other stored entry fields, by name, that only our lossless formats carry (read by their
    #: declaration, so a new entry field needs no change to this class).
    more: dict[str, Any] = field(default_factory=dict)
    #: Keys of the ``#tags`` written in the text (set by :func:`normalise`; links are "inline").
    inline: frozenset[str] = frozenset()
    #: The entry's AI trials (None: the file says nothing of them; an import never deletes).
    trials: list[Trial] | None = None
    #: The entry's files as (name, sha256, inline), when the format says (JSON, vault): an
    #: entry that holds them is given exactly these; ``None``: derived from the text alone.
    attachments: list[tuple[str, str, bool]] | None = None


@dataclass
class IncomingReview:
    period: str
    started_at: datetime
    finished_at: datetime | None
    waterline: int | None
    reflection: str
    step: str
    position: int
    actions: list[tuple[str, str, str, datetime]] = field(default_factory=list)


@dataclass
class IncomingBlob:
    """An attachment's bytes in the file being imported: *opener* gives them (it is called
    twice: to hash, then to copy into the journal, so nothing is held in memory)."""

    sha256: str
    name: str
    opener: Callable[[], IO[bytes]]
    mime: str | None = None  # as the file declares it (the content's signature wins)


@dataclass
class ImportBatch:
    """Everything a file holds, validated, plus what was skipped while reading it."""

    format: str
    authoritative: bool
    entries: list[Incoming] = field(default_factory=list)
    waterline: list[WaterlineEvent] = field(default_factory=list)
    reviews: list[IncomingReview] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    attachments: int = 0  # media files referenced but not imported (Day One)
    #: Fields the format does not hold (a vault has no Trash): existing entries keep theirs.
    kept_fields: frozenset[str] = frozenset()
    #: Attachment bytes by SHA-256 (issue 18), stored before the entries that refer to them.
    blobs: dict[str, IncomingBlob] = field(default_factory=dict)
    #: Writing templates and the user's prompts by JSON key (issue 19): rows of their tables.
    writing: dict[str, list[Any]] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def canonical_id(value: Any, where: str) -> str:
    """An entry id as we store it: a lower-case UUID (Day One's 32 hex digits are accepted)."""
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        raise ImportFormatError(
            _("{where}: not an entry id: {value!r}").format(where=where, value=value)
        ) from None


def normalise(inc: Incoming) -> Incoming | None:
    """Clean and validate *inc* like :meth:`Journal.add` would; ``None`` if it has no text."""
    try:
        kind = parse_kind(inc.kind)
        inc.kind = kind.value
        inc.status = None if kind is Kind.NOTE else check_status(kind, inc.status)
        inc.hardness = parse_hardness(inc.hardness)
    except InvalidValue as exc:
        raise ImportFormatError(f"{inc.where}: {exc}") from None
    title, body = title_and_body(inc.title, inc.body)  # the rules of Journal.add
    if not title:
        return None
    inc.title, inc.body, inc.outcome = title, body, clean_text(inc.outcome)
    keys: dict[str, str] = {}
    inline = parse_tags(f"{title}\n{body}")
    inc.inline = frozenset(tag_key(t) for t in inline)
    for name in [*inline, *inc.tags]:
        cleaned = clean_tag(clean_text(name))
        if cleaned:
            keys.setdefault(tag_key(cleaned), cleaned)
    inc.tags = tuple(keys.values())
    for ev in inc.hardness_history or ():
        if ev.level is not None and not 0 <= ev.level <= 4:
            raise ImportFormatError(
                _("{where}: hardness must be between 0 and 4").format(where=inc.where)
            )
    return inc
