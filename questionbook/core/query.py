"""The search query language shared by the CLI and the GUI.

``words`` (AND), ``"exact phrase"``, ``-word`` (exclude), ``#tag``, ``kind:``, ``status:``,
``hardness:3`` / ``hardness>=highlands`` / ``hardness:山巅`` (``<=``, ``<``, ``>``; a level or its
name, English or Chinese), ``is:starred``, ``is:submerged``, ``before:YYYY-MM-DD``,
``after:YYYY-MM-DD``; for evidence (issue 17) ``reach:2`` / ``reach>=within`` (names too),
``is:edge``, ``is:moonshot``, ``is:delegate``, ``is:justdo``, ``is:sealed``, ``has:trial`` and
``verdict:failed``; for links (issue 18) ``links:ID`` (entries linking to ID) and
``linked-from:ID`` (entries ID links to; ID may be a prefix of 4+ characters). :func:`parse_query` never raises, so a query can be parsed on every
keystroke: a known operator with a value it does not accept is left out of the search and
reported in :attr:`Query.problems`, with a message that names the bad part and the accepted
values (the command line exits with status 2, the app shows it under the search box). A date
outside the supported years (1000-9000) is such a problem too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from questionbook.core.errors import InvalidValue
from questionbook.core.tags import clean_tag
from questionbook.core.timeutil import in_supported_range, range_message
from questionbook.core.vocabulary import (
    HARDNESS,
    REACH,
    STATUSES,
    VERDICTS,
    Kind,
    Quadrant,
    parse_hardness,
    parse_reach,
)
from questionbook.i18n import _, label_value

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_HARDNESS_RE = re.compile(r"(?i)^(?:hardness|h)(:|>=|<=|>|<|=)(.*)$")
_REACH_RE = re.compile(r"(?i)^reach(:|>=|<=|>|<|=)(.*)$")
_ALL_STATUSES = {s for statuses in STATUSES.values() for s in statuses}
_IS_VALUES = ("starred", "submerged", "unrated", "sealed", *(q.value for q in Quadrant))


@dataclass(frozen=True)
class QueryProblem:
    """A known operator with a value it does not accept (left out of the search)."""

    token: str
    message: str


_ID_PREFIX_RE = re.compile(r"^[0-9a-f][0-9a-f-]{3,35}$")


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
    # -- evidence (issue 17) --
    reach_min: int | None = None
    reach_max: int | None = None
    quadrants: list[str] = field(default_factory=list)
    sealed: bool | None = None
    has_trial: bool | None = None
    verdicts: list[str] = field(default_factory=list)
    problems: list[QueryProblem] = field(default_factory=list)
    #: ``links:ID``: entries whose text links to ID (its backlinks); ids or id prefixes.
    links_to: list[str] = field(default_factory=list)
    #: ``linked-from:ID``: the entries ID's text links to.
    linked_from: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        """True when the query ranks by relevance (it has words or phrases to match)."""
        return bool(self.terms or self.phrases)

    @property
    def highlight_terms(self) -> list[str]:
        """Words a view should highlight in snippets."""
        return [*self.terms, *self.phrases]


def _apply_range(query: Query, op: str, level: int, name: str = "hardness") -> None:
    """``name:level`` and its comparisons, on ``query.<name>_min``/``<name>_max``."""
    low, high = f"{name}_min", f"{name}_max"
    if op in (":", "="):
        setattr(query, low, level)
        setattr(query, high, level)
    elif op == ">=":
        setattr(query, low, level)
    elif op == ">":
        setattr(query, low, level + 1)
    elif op == "<=":
        setattr(query, high, level)
    elif op == "<":
        setattr(query, high, level - 1)


def _level(parse: Callable[[str], int | None], value: str) -> int | None:
    try:
        return parse(value) if value else None
    except InvalidValue:
        return None


def _problem(query: Query, token: str, message: str) -> bool:
    query.problems.append(QueryProblem(token, message))
    return True


def _apply_operator(query: Query, token: str) -> bool:
    """Apply ``key:value`` if *token* is a known operator; report whether it was one (a bad
    value is recorded in ``query.problems``)."""
    for pattern, name, parse, levels in (
        (_HARDNESS_RE, "hardness", parse_hardness, HARDNESS),
        (_REACH_RE, "reach", parse_reach, REACH),
    ):
        m = pattern.match(token)
        if not m:
            continue
        level = _level(parse, m.group(2))
        if level is None:
            names = ", ".join(f"{h.level} {h.key}" for h in levels)
            return _problem(
                query,
                token,
                _("{token}: {value!r} is not a level; use 0-4 or a name ({names})").format(
                    token=token, value=m.group(2), names=names
                ),
            )
        _apply_range(query, m.group(1), level, name)
        return True
    if ":" not in token:
        return False
    key, _sep, value = token.partition(":")
    key, value = key.lower(), value.strip()
    low = value.lower()
    if key == "kind":
        if low in {k.value for k in Kind}:
            query.kinds.append(low)
            return True
        accepted = ", ".join(k.value for k in Kind)
    elif key == "status":
        if low in _ALL_STATUSES:
            query.statuses.append(low)
            return True
        accepted = ", ".join(sorted(_ALL_STATUSES))
    elif key == "is":
        if low in {q.value for q in Quadrant}:
            query.quadrants.append(low)
            return True
        if low in _IS_VALUES:
            setattr(query, low, True)
            return True
        accepted = ", ".join(_IS_VALUES)
    elif key == "has":
        if low in ("trial", "trials"):
            query.has_trial = True
            return True
        accepted = "trial"
    elif key == "verdict":
        if low in VERDICTS:
            query.verdicts.append(low)
            return True
        accepted = ", ".join(VERDICTS)
    elif key in ("links", "linked-from"):
        if _ID_PREFIX_RE.match(low):
            (query.links_to if key == "links" else query.linked_from).append(low)
            return True
        return _problem(
            query,
            token,
            _("{token}: {value!r} is not an entry id; use 4 or more of its characters").format(
                token=token, value=value
            ),
        )
    elif key == "tag":
        if clean_tag(value):
            query.tags.append(clean_tag(value) or "")
            return True
        return _problem(query, token, _("{token}: a tag name is missing").format(token=token))
    elif key in ("before", "after"):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return _problem(
                query,
                token,
                _("{token}: {value!r} is not a date; use YYYY-MM-DD").format(
                    token=token, value=value
                ),
            )
        if not in_supported_range(day):
            return _problem(query, token, label_value(token, range_message()))
        setattr(query, key, day)
        return True
    else:
        return False
    return _problem(
        query,
        token,
        _("{token}: {value!r} is not accepted; use one of: {accepted}").format(
            token=token, value=value, accepted=accepted
        ),
    )


def parse_query(text: str) -> Query:
    """Parse *text* into a :class:`Query`. Never raises (see :attr:`Query.problems`)."""
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
