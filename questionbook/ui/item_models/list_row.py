"""One row of the entry list as the model keeps it: compact, because a list may hold 100,000.

Why (issue 21): after a scroll to the end of a 100,000-entry journal the model holds every
row, and the app must stay under 200 MB. A summary as read took ~890 bytes a row; a
:class:`ListRow` keeps only what the list shows: its id as 16 bytes, its snippet (cut to what
the widest list can show) and title as one UTF-8 string, its times as floats, its tags as a
tuple shared with the rows of the same tags, what few entries have in one slot (~520 bytes a
row).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from sys import getsizeof, intern

from questionbook.core.entities import EntrySummary
from questionbook.ui.views import snippet_for

#: A stored snippet is cut to this many columns (a CJK character takes two). A snippet is at most
#: 160 characters, so only one more than three quarters Chinese is ever cut, and then what is
#: kept is at least ~1,500 px wide at the default font: more than the snippet line of the widest
#: list (a 1,920 px window: the list 1,381 px beside the editor's minimum, ~1,317 px of text).
#: 220 columns cut text that such a list showed (seen in a side-by-side screenshot).
SNIPPET_COLUMNS = 280


_Extra = tuple[datetime | None, int | None, int | None, int | None, date | None]
_NO_EXTRA: _Extra = (None, None, None, None, None)


class ListRow:
    """What the list keeps of one entry (see the module docstring for why it is compact).

    Its id is kept as 16 bytes when it is a standard UUID, and its snippet and title as one
    string (UTF-8 when that is smaller): one object instead of three, ~90 bytes a row less.
    The snippet is made when first asked for if the row came with the first page of a search
    (the body's head is kept until then): a keystroke then makes the snippets of the rows
    painted, not of all 50 (issue 21).
    """

    __slots__ = (
        "_extra",
        "_id",
        "_texts",
        "created",
        "hardness",
        "kind",
        "starred",
        "status",
        "tags",
        "updated",
    )

    def __init__(self, item: EntrySummary, snippet: str | None, tags: tuple[str, ...]) -> None:
        self._id = pack_id(item.id)
        self.kind = intern(item.kind)
        self._texts: str | bytes | tuple[str, str] = (
            _pack(snippet, item.title)
            if snippet is not None
            else (item.head or item.outcome, item.title)
        )
        self.status = intern(item.status) if item.status else item.status
        self.hardness = item.hardness
        self.starred = item.starred
        self.tags = tags
        self.created = item.created_at.timestamp()
        # Most entries were never edited after the day they were written down... or imported:
        # then the creation time says it (None is shared, a float is 24 bytes a row).
        updated = item.updated_at.timestamp()
        self.updated = None if updated == self.created else updated
        # What few entries have (in the Trash, a reach, a seal, a revisit day): one slot.
        extra = (item.deleted_at, item.reach, item.seal_level, item.seal_waterline, item.revisit_on)
        self._extra: _Extra | None = None if extra == _NO_EXTRA else extra

    @property
    def deleted_at(self) -> datetime | None:
        return None if self._extra is None else self._extra[0]

    @property
    def reach(self) -> int | None:
        return None if self._extra is None else self._extra[1]

    @property
    def seal_level(self) -> int | None:
        return None if self._extra is None else self._extra[2]

    @property
    def seal_waterline(self) -> int | None:
        return None if self._extra is None else self._extra[3]

    @property
    def revisit_on(self) -> date | None:
        return None if self._extra is None else self._extra[4]

    @property
    def id(self) -> str:
        key = self._id
        return key if isinstance(key, str) else _unpack_id(key)

    def has_id(self, key: str | bytes) -> bool:
        """Whether this row's entry is the one *key* (from :func:`pack_id`) names."""
        return self._id == key

    @property
    def title(self) -> str:
        texts = self._texts
        if isinstance(texts, tuple):
            return texts[1]
        return (texts if isinstance(texts, str) else texts.decode()).split("\x00", 1)[1]

    def snippet(self, terms: tuple[str, ...]) -> str:
        """The one-line snippet, made now if the row has not been shown yet."""
        texts = self._texts
        if isinstance(texts, tuple):
            text = make_snippet(texts[0], terms).replace("\x00", "")
            self._texts = _pack(text, texts[1])
            return text
        return (texts if isinstance(texts, str) else texts.decode()).split("\x00", 1)[0]

    @property
    def created_at(self) -> datetime:
        return datetime.fromtimestamp(self.created, UTC)

    def summary(self, terms: tuple[str, ...] = ()) -> EntrySummary:
        """The row as an :class:`EntrySummary` (its head is the snippet)."""
        return EntrySummary(
            id=self.id,
            kind=self.kind,
            title=self.title,
            head=self.snippet(terms),
            status=self.status,
            hardness=self.hardness,
            starred=self.starred,
            tags=self.tags,
            created_at=self.created_at,
            updated_at=datetime.fromtimestamp(
                self.created if self.updated is None else self.updated, UTC
            ),
            deleted_at=self.deleted_at,
            reach=self.reach,
            seal_level=self.seal_level,
            seal_waterline=self.seal_waterline,
            revisit_on=self.revisit_on,
        )


def pack_id(entry_id: str) -> str | bytes:
    """*entry_id* as its 16 bytes if it is a UUID written the standard way (49 bytes instead
    of 85), else as it is."""
    if len(entry_id) == 36 and entry_id.count("-") == 4:
        try:
            packed = bytes.fromhex(entry_id.replace("-", ""))
        except ValueError:
            return entry_id
        if _unpack_id(packed) == entry_id:  # lower case, dashes where a UUID has them
            return packed
    return entry_id


def _unpack_id(packed: bytes) -> str:
    h = packed.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _pack(snippet: str, title: str) -> str | bytes:
    """The snippet (which holds no NUL) and the title as one string, as UTF-8 if that is
    smaller: a Python string with one Chinese character in it takes two bytes for every
    character, and most snippets and titles of a mixed journal are English with a few Chinese
    words (a snippet: 324 bytes as text, ~180 as UTF-8)."""
    text = f"{snippet}\x00{title}"
    if text.isascii():
        return text
    encoded = text.encode()
    return encoded if getsizeof(encoded) < getsizeof(text) else text


_WIDE_RE = re.compile(
    r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\U00020000-\U0003fffd]"
)


def cap_columns(text: str, columns: int) -> str:
    """*text* cut to *columns* columns of a monospaced line, where a CJK or full-width
    character takes two (it is about twice as wide as a Latin letter), ending with "…" if cut.

    Why: a list row shows one elided line; a Chinese snippet of 160 characters is twice as
    wide as any list, and 100,000 of them cost 16 MB more than what can be seen (issue 21).
    """
    if len(text) <= columns // 2:
        return text
    wide = len(_WIDE_RE.findall(text))
    if len(text) + wide <= columns:
        return text
    used = 0
    for i, char in enumerate(text):
        used += 2 if _WIDE_RE.match(char) else 1
        if used > columns - 1:
            return text[:i].rstrip() + "…"
    return text


def make_snippet(source: str, terms: tuple[str, ...]) -> str:
    """The snippet a row keeps: the line around the first search word, cut to
    :data:`SNIPPET_COLUMNS`."""
    return cap_columns(snippet_for(source, terms), SNIPPET_COLUMNS) if source else ""
