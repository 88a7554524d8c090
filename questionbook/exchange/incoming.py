"""What a parser hands to the importer: entries and history read from a file, validated.

Parsers build :class:`Incoming` entries and pass each through :func:`normalise`, which applies
the same rules as :meth:`Journal.add` (so what the journal stored comes back unchanged) and
turns a bad kind, status or hardness into an :class:`ImportFormatError` naming the entry. The
same limits hold as for ``add``: a text of more than 10 million characters is refused, and so
are dates outside the years 1000-9000 and more than :data:`MAX_TAGS` tags on one entry.

An import holds every parsed entry until it is applied, so :class:`Incoming` is slotted: about
a third of the memory of a plain dataclass per entry.
"""

from __future__ import annotations

import functools
import operator
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from sys import intern
from typing import IO, Any, Protocol

from questionbook.core.entities import HardnessChange, StatusEvent, Trial, WaterlineEvent
from questionbook.core.entry_sql import MAX_BODY_CHARS, title_and_body
from questionbook.core.errors import ImportFormatError, InvalidValue
from questionbook.core.tags import clean_tag, memo, parse_tags, tag_key
from questionbook.core.text import clean_text
from questionbook.core.vocabulary import Kind, check_status, parse_hardness, parse_kind
from questionbook.i18n import _, label_value

#: More tags than this on one entry are not a journal's but an attack's.
MAX_TAGS = 1000


@dataclass(slots=True)
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
    tagged: bool = False  # :func:`finish_tags` has run
    #: The entry's AI trials (None: the file says nothing of them; an import never deletes).
    trials: list[Trial] | None = None
    #: The entry's files as (name, sha256, inline), when the format says (JSON, vault): an
    #: entry that holds them is given exactly these; ``None``: derived from the text alone.
    attachments: list[tuple[str, str, bool]] | None = None
    #: The search forms of the title, body and outcome, when the process reading a large file
    #: computed them (:func:`~questionbook.exchange.new_rows.prepare`).
    search: tuple[str, str, str] | None = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its field values in order (pages of entries cross from the reading
        process): loads in two thirds of the time of a slotted dataclass's own state."""
        return (Incoming, _values_of(self))


_values_of = operator.attrgetter(*(f.name for f in fields(Incoming)))


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


#: An import keeps at most this many parsed entries in memory; a larger vault is read twice:
#: once to check it all (keeping only the ids), then again a page at a time as it is applied.
KEEP_ENTRIES = 20_000
#: A file up to this size is read whole before the journal is touched, so a malformed one is
#: refused before the write lock is taken. A larger file is read once, as it is applied, a page
#: at a time, inside the import's one transaction (an error rolls it all back).
READ_FIRST_BYTES = 8 << 20

#: A streamed file larger than this is parsed by a process of its own while this one writes
#: (:mod:`~questionbook.exchange.reader_process`): starting it costs ~0.2 s, overlapped with
#: opening the import; a 10 MiB file takes ~2 s to import.
OWN_PROCESS_BYTES = READ_FIRST_BYTES

Consumer = Callable[[Incoming], None]


class Reading(Protocol):
    """Where a streamed reading is in its file (:class:`~questionbook.exchange.reading.TextChunks`)."""

    read_bytes: int
    size: int


@dataclass
class ImportBatch:
    """Everything a file holds, validated, plus what was skipped while reading it.

    Parsers hand each entry to :meth:`add`. There are three ways a batch holds its entries,
    and :meth:`each` hides the difference from the importer:

    - a small file's entries are kept in :attr:`entries` (read before the import starts);
    - a large file is *streamed* (:func:`read_once`): :attr:`stream` parses it only when
      :meth:`each` runs, handing every entry straight on, so memory stays near one page
      whatever the file holds and the text is parsed once. What follows the entries in the
      file (a JSON file's attachments, waterline and reviews; the skips and notes) is in the
      batch once :meth:`each` has returned;
    - a vault too large to keep is *spilled* (:func:`read_in_two_passes`): the first reading
      keeps only ids (a vault's ``[[file name]]`` links need every file's name before any
      entry is applied) and :attr:`replay` reads it again.
    """

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
    #: Attachment bytes by SHA-256 (issue 18), stored once the entries are in.
    blobs: dict[str, IncomingBlob] = field(default_factory=dict)
    #: Writing templates and the user's prompts by JSON key (issue 19): rows of their tables.
    writing: dict[str, list[Any]] = field(default_factory=dict)
    #: Entries read (duplicates included), their distinct ids and the ids they follow up.
    total: int = 0
    ids: set[str] = field(default_factory=set)
    parent_ids: set[str] = field(default_factory=set)
    #: Set when the entries were too many to keep: reads the file again (see :meth:`each`).
    replay: Callable[[Consumer], None] | None = None
    consumer: Consumer | None = field(default=None, repr=False)
    spilled: bool = False
    #: A streamed file's parser, run once by :meth:`each` (see :func:`read_once`).
    stream: Callable[[ImportBatch], None] | None = field(default=None, repr=False)
    #: The streamed file being read, for progress in bytes (set by the reader).
    reading: Reading | None = field(default=None, repr=False)
    #: Read by a process of its own while the entries are applied (a large file; see
    #: :func:`read_once`); :attr:`stream` must then be picklable.
    own_process: bool = False
    #: That process, when :meth:`start_reading` started it ahead of :meth:`each`.
    reader: Any = field(default=None, repr=False)

    def start_reading(self, *, fork: bool = False) -> None:
        """Start the process that reads a large file now, before the journal is opened (the
        command line): its start then overlaps the journal's. :meth:`each` takes its pages;
        :meth:`stop_reading` ends it if they are never wanted. Other batches: nothing.
        *fork*: see :meth:`~questionbook.exchange.reader_process.Reader.start`."""
        if self.stream is not None and self.own_process and self.reader is None:
            from questionbook.exchange.reader_process import Reader

            self.reader = Reader.start(self.stream, self, fork=fork)

    def stop_reading(self) -> None:
        """End the process :meth:`start_reading` started, if :meth:`each` has not."""
        reader, self.reader = self.reader, None
        if reader is not None:
            reader.stop()

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def empty_like(self) -> ImportBatch:
        """A batch for the same format and policy, holding nothing yet."""
        return ImportBatch(
            format=self.format, authoritative=self.authoritative, kept_fields=self.kept_fields
        )

    def tail(self) -> ImportBatch:
        """After a reading: what the file held besides its entries (waterline, reviews,
        attachments, skips, notes...), without the reading's own state, to be sent across
        processes and given to :meth:`take_tail`."""
        kept = {name: getattr(self, name) for name in _tail_fields()}
        return replace(self.empty_like(), **kept)

    def take_tail(self, other: ImportBatch) -> None:
        """Hold what *other*'s reading found besides its entries (see :meth:`tail`)."""
        for name in _tail_fields():
            setattr(self, name, getattr(other, name))

    def add(self, inc: Incoming) -> None:
        """Take one checked entry from a parser."""
        if self.consumer is not None:  # streamed, or a second reading: straight on
            finish_tags(inc)
            self.consumer(inc)
            return
        self.total += 1
        self.ids.add(inc.id)
        if inc.parent_id:
            self.parent_ids.add(inc.parent_id)
        if self.spilled:
            return
        finish_tags(inc)
        self.entries.append(inc)
        if len(self.entries) > KEEP_ENTRIES:
            self.entries.clear()
            self.spilled = True

    @property
    def streamed(self) -> bool:
        """True until :meth:`each` has read a streamed file (its entries are not known yet)."""
        return self.stream is not None

    def each(self, consume: Consumer) -> None:
        """Hand every entry, in file order, to *consume*: from memory, by reading a streamed
        file (once), or by reading a spilled one again."""
        if self.stream is not None:
            fill, self.stream = self.stream, None
            if self.own_process:
                from questionbook.exchange.reader_process import read_in_child

                if read_in_child(fill, self, consume):
                    return
            self.consumer = consume
            try:
                fill(self)
            finally:
                self.consumer = None
        elif not self.spilled:
            for inc in self.entries:
                consume(inc)
        elif self.replay is None:
            raise RuntimeError("a spilled import batch needs a replay function")
        else:
            self.replay(consume)


#: ImportBatch fields that are a reading's state or its entries, not what the file held.
_READING_STATE = frozenset(
    {"format", "authoritative", "kept_fields", "entries", "total", "ids", "parent_ids"}
    | {"replay", "consumer", "spilled", "stream", "reading", "own_process", "reader"}
)


@functools.cache
def _tail_fields() -> tuple[str, ...]:
    """What a parser records besides entries: every other field, so a new one crosses too."""
    return tuple(f.name for f in fields(ImportBatch) if f.name not in _READING_STATE)


def read_once(fill: Callable[[ImportBatch], None], batch: ImportBatch, path: Path) -> ImportBatch:
    """A batch for the file at *path* that *fill* parses: read now when it is small (or not a
    file: *fill* refuses it with the reason), otherwise streamed (parsed once, while
    :meth:`ImportBatch.each` applies it)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    if size <= READ_FIRST_BYTES:
        return read_in_two_passes(fill, batch)
    batch.stream = fill
    batch.own_process = size > OWN_PROCESS_BYTES
    return batch


def read_in_two_passes(fill: Callable[[ImportBatch], None], batch: ImportBatch) -> ImportBatch:
    """Run *fill* (a parser writing into a batch) on *batch*; if it held too many entries to
    keep, let :meth:`ImportBatch.each` run it again on a throw-away batch that feeds them on."""
    fill(batch)
    if batch.spilled:

        def replay(consume: Consumer) -> None:
            again = ImportBatch(
                format=batch.format,
                authoritative=batch.authoritative,
                kept_fields=batch.kept_fields,
                consumer=consume,
            )
            fill(again)

        batch.replay = replay
    return batch


#: An id already as we store it (our own exports write them so): no need to parse it.
_CANONICAL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def canonical_id(value: Any, where: str) -> str:
    """An entry id as we store it: a lower-case UUID (Day One's 32 hex digits are accepted)."""
    if type(value) is str and _CANONICAL_ID.fullmatch(value):
        return value
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        raise ImportFormatError(
            _("{where}: not an entry id: {value!r}").format(where=where, value=value)
        ) from None


def normalise(inc: Incoming, *, with_tags: bool = True) -> Incoming | None:
    """Clean and validate *inc* like :meth:`Journal.add` would; ``None`` if it has no text.

    Parsers pass ``with_tags=False`` and hand the entry to :meth:`ImportBatch.add`, which
    works out the tags only for the entries it keeps or applies."""
    for label, text in (("title", inc.title), ("body", inc.body), ("outcome", inc.outcome)):
        if len(text) > MAX_BODY_CHARS:
            raise ImportFormatError(
                _(
                    "{where}: the {field} is too long ({n:,} characters; the limit is {limit:,})"
                ).format(where=inc.where, field=label, n=len(text), limit=MAX_BODY_CHARS)
            )
    if len(inc.tags) > MAX_TAGS:
        raise ImportFormatError(
            _("{where}: {n:,} tags; an entry may have at most {limit:,}").format(
                where=inc.where, n=len(inc.tags), limit=MAX_TAGS
            )
        )
    try:
        kind = parse_kind(inc.kind)
        inc.kind = kind.value
        inc.status = None if kind is Kind.NOTE else check_status(kind, inc.status)
        inc.hardness = parse_hardness(inc.hardness)
    except InvalidValue as exc:
        raise ImportFormatError(label_value(inc.where, exc)) from None
    title, body = title_and_body(inc.title, inc.body)  # the rules of Journal.add
    if not title:
        return None
    inc.title, inc.body, inc.outcome = title, body, clean_text(inc.outcome)
    for ev in inc.hardness_history or ():
        if ev.level is not None and not 0 <= ev.level <= 4:
            raise ImportFormatError(
                _("{where}: hardness must be between 0 and 4").format(where=inc.where)
            )
    if with_tags:
        finish_tags(inc)
    return inc


def finish_tags(inc: Incoming) -> None:
    """The entry's tags as the journal stores them: written ``#tags`` and the file's own,
    cleaned and de-duplicated. (Never fails, so a first reading that only checks a large
    file leaves it to the entries it keeps; see :meth:`ImportBatch.add`.)"""
    if inc.tagged:
        return
    keys: dict[str, str] = {}
    inline = parse_tags(f"{inc.title}\n{inc.body}")
    inc.inline = frozenset(intern(tag_key(t)) for t in inline)
    for name in [*inline, *inc.tags]:
        tag = _tag_of(name)
        if tag is not None:
            keys.setdefault(*tag)
    inc.tags = tuple(keys.values())
    inc.tagged = True


@memo
def _tag_of(name: str) -> tuple[str, str] | None:
    """(key, name) of a tag as written in a file, or None when nothing is left of it.

    Tags repeat across thousands of entries: cleaned once each, and one string object per
    distinct tag, not one per use (an import may hold many entries at once)."""
    cleaned = clean_tag(clean_text(name))
    return (intern(tag_key(cleaned)), intern(cleaned)) if cleaned else None
