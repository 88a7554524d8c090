"""The search query language shared by the CLI and the GUI.

``words`` (AND), ``"exact phrase"``, ``-word`` (exclude), ``#tag``, ``kind:``, ``status:``,
``hardness:3`` / ``hardness>=3`` (``<=``, ``<``, ``>``), ``is:starred``, ``is:submerged``,
``before:YYYY-MM-DD``, ``after:YYYY-MM-DD``. Any string is a valid query: an operator with a
value that does not parse is searched for as a plain word, so :func:`parse_query` never raises.
A date outside the supported years (1000-9000) is not applied; it is kept in
:attr:`Query.problems` so that the command line can say so (search as you type ignores it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from questionbook.core.tags import clean_tag
from questionbook.core.timeutil import in_supported_range, range_message
from questionbook.core.vocabulary import STATUSES, Kind

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_HARDNESS_RE = re.compile(r"(?i)^(?:hardness|h)(:|>=|<=|>|<|=)(\d)$")
_ALL_STATUSES = {s for statuses in STATUSES.values() for s in statuses}


@dataclass
class Query:
    """A parsed query: free-text terms plus structured filters."""

    terms: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    hardness_min: int | None = None
    hardness_max: int | None = None
    starred: bool | None = None
    submerged: bool | None = None
    unrated: bool | None = None
    before: date | None = None
    after: date | None = None
    #: Why part of the query was not applied (a date outside the supported range).
    problems: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        """True when the query ranks by relevance (it has words or phrases to match)."""
        return bool(self.terms or self.phrases)

    @property
    def highlight_terms(self) -> list[str]:
        """Words a view should highlight in snippets."""
        return [*self.terms, *self.phrases]


def _apply_hardness(query: Query, op: str, level: int) -> None:
    if op in (":", "="):
        query.hardness_min = query.hardness_max = level
    elif op == ">=":
        query.hardness_min = level
    elif op == ">":
        query.hardness_min = level + 1
    elif op == "<=":
        query.hardness_max = level
    elif op == "<":
        query.hardness_max = level - 1


def _apply_operator(query: Query, token: str) -> bool:
    """Apply ``key:value`` if it is a known operator with a valid value; report whether it was."""
    m = _HARDNESS_RE.match(token)
    if m and 0 <= int(m.group(2)) <= 4:
        _apply_hardness(query, m.group(1), int(m.group(2)))
        return True
    if ":" not in token:
        return False
    key, _sep, value = token.partition(":")
    key, value = key.lower(), value.strip()
    low = value.lower()
    if key == "kind" and low in {k.value for k in Kind}:
        query.kinds.append(low)
        return True
    if key == "status" and low in _ALL_STATUSES:
        query.statuses.append(low)
        return True
    if key == "is" and low in ("starred", "submerged", "unrated"):
        setattr(query, low, True)
        return True
    if key == "tag" and clean_tag(value):
        query.tags.append(clean_tag(value) or "")
        return True
    if key in ("before", "after"):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return False
        if in_supported_range(day):
            setattr(query, key, day)
        else:
            query.problems.append(f"{token}: {range_message()}")
        return True
    return False


def parse_query(text: str) -> Query:
    """Parse *text* into a :class:`Query`. Never raises."""
    query = Query()
    for m in _TOKEN_RE.finditer(text or ""):
        negated, phrase, word = m.group(1), m.group(2), m.group(3)
        if phrase is not None:
            phrase = phrase.strip()
            if phrase:
                (query.excluded if negated else query.phrases).append(phrase)
            continue
        if word[0] in "#＃" and len(word) > 1:
            tag = clean_tag(word)
            if tag:
                query.tags.append(tag)
                continue
        if _apply_operator(query, word):
            continue
        if word.startswith("-") and len(word) > 1:
            query.excluded.append(word[1:])
        else:
            query.terms.append(word)
    return query
