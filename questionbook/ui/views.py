"""The sidebar's views as data: what each one lists, and the Today / "On this day" lookups.

Qt-free on purpose: a view is a query over the :class:`~questionbook.core.journal.Journal`, so
the list widget only has to show results and tests can check the queries without widgets.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from questionbook.core.entities import EntrySummary
from questionbook.core.journal import ON_THIS_DAY_YEARS, Journal
from questionbook.core.query import Query, parse_query
from questionbook.core.vocabulary import Kind
from questionbook.i18n import N_

TAG_PREFIX = "tag:"


@dataclass(frozen=True)
class View:
    """One sidebar entry that lists entries."""

    key: str
    title: str  # marked with N_, translated when shown
    icon: str
    kinds: tuple[str, ...] = ()
    starred: bool = False
    submerged: bool = False
    trash: bool = False

    @property
    def new_kind(self) -> Kind:
        """The kind Ctrl+N creates in this view."""
        return Kind(self.kinds[0]) if len(self.kinds) == 1 else Kind.QUESTION


VIEWS: tuple[View, ...] = (
    View("today", N_("Today"), "today"),
    View("all", N_("All entries"), "all"),
    View("questions", N_("Questions"), "question", kinds=("question",)),
    View("plans", N_("Plans"), "plan", kinds=("plan",)),
    View("notes", N_("Notes"), "note", kinds=("note",)),
    View("starred", N_("Starred"), "starred", starred=True),
    View("submerged", N_("Submerged"), "submerged", submerged=True),
    View("trash", N_("Trash"), "trash", trash=True),
)
_BY_KEY = {v.key: v for v in VIEWS}


def tag_view_key(tag: str) -> str:
    return TAG_PREFIX + tag


def is_view_key(key: str) -> bool:
    """True for keys the entry list shows (built-in views and tags)."""
    return key in _BY_KEY or (key.startswith(TAG_PREFIX) and len(key) > len(TAG_PREFIX))


def view_for(key: str) -> View:
    """The view for *key*; unknown keys fall back to Today (e.g. a stale setting)."""
    if key in _BY_KEY:
        return _BY_KEY[key]
    if key.startswith(TAG_PREFIX) and len(key) > len(TAG_PREFIX):
        return View(key, key[len(TAG_PREFIX) :], "tag")
    return _BY_KEY["today"]


def view_query(view: View, search: str = "") -> Query:
    """The query that lists *view*, narrowed by the user's *search* text.

    A search inside a view stays inside it (searching in Questions finds questions), except in
    Today, where a search looks through everything.
    """
    query = parse_query(search)
    if view.kinds:
        wanted = [k for k in query.kinds if k in view.kinds] if query.kinds else list(view.kinds)
        query.kinds = wanted or ["-"]  # "kind:plan" inside Questions finds nothing
    if view.starred:
        query.starred = True
    if view.submerged:
        query.submerged = True
    if view.key.startswith(TAG_PREFIX):
        query.tags.append(view.key[len(TAG_PREFIX) :])
    return query


def _day_query(day: date) -> Query:
    """Entries created on local calendar day *day* (``after``/``before`` are exclusive)."""
    return Query(after=day - timedelta(days=1), before=day + timedelta(days=1))


def today_entries(journal: Journal, today: date, limit: int = 500) -> list[EntrySummary]:
    """What was written today, newest first."""
    return journal.find(_day_query(today), limit=limit)


def on_this_day(
    journal: Journal, today: date, years: int = ON_THIS_DAY_YEARS, per_year: int = 50
) -> list[tuple[int, list[EntrySummary]]]:
    """Entries from this month and day in earlier years, as (year, entries), latest year first
    (:meth:`Journal.on_this_day`)."""
    return journal.on_this_day(today, years=years, per_year=per_year)


def local_today(tz: tzinfo | None = None) -> date:
    return datetime.now(tz).date() if tz else datetime.now().astimezone().date()


_INLINE_TAG_RE = re.compile(r"(?<!\S)[#＃][^\s#＃]+#?")


def snippet_for(head: str, terms: list[str] | tuple[str, ...] = (), length: int = 160) -> str:
    """A one-line preview of *head*, shifted so the first matched term is visible."""
    from questionbook.core.text import snippet

    head = _INLINE_TAG_RE.sub("", head) if head else ""  # tags show on their own line
    text = snippet(head, length=len(head) + 1) if head else ""
    if text.endswith("…"):
        text = text[:-1]
    start = 0
    lowered = text.lower()
    hits = [lowered.find(t.lower()) for t in terms if t]
    hits = [h for h in hits if h >= 0]
    if hits and min(hits) > length // 3:
        start = min(hits) - length // 4
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 12 else start
    piece = text[start : start + length].strip()
    if start > 0:
        piece = "…" + piece
    if start + length < len(text):
        piece += "…"
    return piece


@functools.cache
def _cjk_re() -> re.Pattern[str]:
    """Compiled when a search first highlights (the class takes ~5 ms to compile: not at
    start-up, issue 21)."""
    return re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]")


def _in_a_word(text: str, pos: int) -> bool:
    """True if *pos* is inside a Latin (or other spaced-script) word: the character before it
    is a letter or digit that is not CJK."""
    if pos == 0:
        return False
    before = text[pos - 1]
    return (before.isalnum() or before == "_") and not _cjk_re().match(before)


def highlight_spans(text: str, terms: list[str] | tuple[str, ...]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of *terms* in *text*, case-insensitive, sorted.

    They mark what the search matched: a Latin word matches at the start of a word ("elev"
    in "elevator", but "the" not inside "father"), as the full-text index does; Chinese,
    Japanese and Korean text has no spaces between words, so a CJK term matches anywhere.
    """
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for term in terms:
        needle = term.lower().strip()
        if not needle:
            continue
        anywhere = bool(_cjk_re().match(needle[0])) or not (needle[0].isalnum() or needle[0] == "_")
        pos = lowered.find(needle)
        while pos >= 0:
            if anywhere or not _in_a_word(lowered, pos):
                spans.append((pos, pos + len(needle)))
                pos = lowered.find(needle, pos + len(needle))
            else:
                pos = lowered.find(needle, pos + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
