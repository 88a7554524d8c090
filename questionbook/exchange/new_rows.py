"""A new entry's rows and its search-index row, built from an :class:`Incoming` alone.

What an import writes for an entry the journal does not have yet needs nothing of the journal
but its tags (resolved by :class:`~questionbook.core.entry_sql.TagBook`) and, for the index,
the ``num`` SQLite gives the row. So it is built here, apart from the importer's decisions
(:mod:`~questionbook.exchange.importer`), and the costliest part, the search texts, can be
computed by the process reading a large file (:func:`prepare`,
:mod:`~questionbook.exchange.reader_process`) without importing the importer.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from questionbook.core import rows
from questionbook.core.entities import Entry
from questionbook.core.entry_sql import rating_row, status_row
from questionbook.core.schema import ENTRY, HARDNESS_RATING, STATUS_CHANGE
from questionbook.core.text import search_text
from questionbook.exchange.incoming import Incoming
from questionbook.storage.fts import IndexRow

#: The entry fields an import compares and writes: every stored field (tags are resolved
#: apart; the id is what entries are matched on).
COMPARED = tuple(f.name for f in dataclasses.fields(Entry) if f.name not in ("id", "tags"))
DEFAULTS = {f.name: f.default for f in dataclasses.fields(Entry)}
#: Indexes new entries for search (:func:`~questionbook.storage.fts.indexed_by_caller`).
Indexer = Callable[[Iterable[IndexRow]], None]


#: A new entry's fields: those every format reads (attributes of :class:`Incoming`), then
#: those only our lossless formats carry (:attr:`Incoming.more`, else the default).
_READ = tuple(c for c in ("id", *COMPARED) if c in Incoming.__dataclass_fields__)
_MORE = tuple(c for c in COMPARED if c not in Incoming.__dataclass_fields__)
_read_fields = operator.attrgetter(*_READ)


#: A new entry's row, as :func:`new_row` encodes it: its tags (resolved against the journal's
#: own) go last.
NEW_FIELDS = (*_READ, *_MORE, "tags")
_encode_new = rows.row_encoder(ENTRY, NEW_FIELDS)


def new_row(inc: Incoming) -> list[Any]:
    """A new entry's stored values (the file's, else each field's default), its tags left to
    fill in."""
    more = inc.more
    return _encode_new(
        (
            *_read_fields(inc),
            *(more[name] if name in more else DEFAULTS[name] for name in _MORE),
            None,
        )
    )


def prepare(inc: Incoming) -> None:
    """Do ahead the costliest work on *inc* that needs nothing of the journal: its search
    texts. The process reading a large file does it while this one writes
    (:mod:`~questionbook.exchange.reader_process`); otherwise :func:`index_rows` does.
    (Encoding its rows there too made that process the slower of the two.)"""
    inc.search = searchable(inc)


#: A new entry's rows, encoded (:func:`stored`): its ``entry`` row (tags left to fill in),
#: then its ``hardness_rating`` and ``status_change`` rows.
Stored = tuple[list[Any], list[list[Any]], list[list[Any]]]
HARD_FIELDS = ("entry_id", "level", "source", "rated_at")
STAT_FIELDS = ("entry_id", "status", "outcome", "changed_at")
LINK_FIELDS = ("entry_id", "tag_id", "inline")
_encode_hard = rows.row_encoder(HARDNESS_RATING, HARD_FIELDS)
_encode_stat = rows.row_encoder(STATUS_CHANGE, STAT_FIELDS)


def stored(inc: Incoming) -> Stored:
    """A new entry's rows, encoded for :func:`~questionbook.core.rows.insert_encoded`: the
    rows :func:`history_rows` gives, built as lists in :data:`HARD_FIELDS` and
    :data:`STAT_FIELDS` order without their dictionaries (an import builds 100,000)."""
    if inc.hardness_history is not None:
        hard = [[inc.id, h.level, h.source, h.rated_at] for h in inc.hardness_history]
    elif inc.hardness is not None:
        hard = [[inc.id, level(inc), "import", inc.created_at]]
    else:
        hard = []
    if inc.status_history is not None:
        stat = [[inc.id, h.status, h.outcome, h.changed_at] for h in inc.status_history]
    elif inc.status is not None:
        stat = [[inc.id, inc.status, inc.outcome, inc.created_at]]
    else:
        stat = []
    return new_row(inc), [_encode_hard(r) for r in hard], [_encode_stat(r) for r in stat]


def history_rows(inc: Incoming) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """History rows for a new entry: the file's, or one rating/status at its creation."""
    if inc.hardness_history is not None:
        hard = [rating_row(inc.id, h.level, h.source, h.rated_at) for h in inc.hardness_history]
    elif inc.hardness is not None:
        hard = [rating_row(inc.id, level(inc), "import", inc.created_at)]
    else:
        hard = []
    if inc.status_history is not None:
        stat = [status_row(inc.id, h.status, h.outcome, h.changed_at) for h in inc.status_history]
    elif inc.status is not None:
        stat = [status_row(inc.id, inc.status, inc.outcome, inc.created_at)]
    else:
        stat = []
    return hard, stat


def level(inc: Incoming) -> int | None:
    """The parsed hardness (:func:`~questionbook.exchange.incoming.normalise` made it an int)."""
    assert inc.hardness is None or isinstance(inc.hardness, int)
    return inc.hardness


def index_rows(
    conn: sqlite3.Connection, last: int, fresh: list[tuple[Incoming, tuple[str, ...]]]
) -> list[IndexRow]:
    """The search index's rows of the entries just inserted after ``num`` *last*: the texts
    the reading process computed (:func:`prepare`), or computed here."""
    out: list[IndexRow] = []
    for num, (inc, names) in zip(nums(conn, last, fresh), fresh, strict=True):
        title, body, outcome = inc.search or searchable(inc)
        out.append((num, title, body, tags_search(names), outcome))
    return out


def nums(
    conn: sqlite3.Connection, last: int, fresh: list[tuple[Incoming, tuple[str, ...]]]
) -> Iterable[int]:
    """The ``num`` of each entry just inserted after ``num`` *last*, in insertion order.

    SQLite gives a new row the largest rowid plus one; so when the largest is now *last* plus
    the number inserted, they are *last* + 1, + 2, ... (no query per page). Otherwise (a
    rowid at the top of its range makes SQLite pick at random) they are read back."""
    top = conn.execute("SELECT max(num) FROM entry").fetchone()[0]
    if top == last + len(fresh):
        return range(last + 1, top + 1)
    nums = dict(conn.execute("SELECT id, num FROM entry WHERE num > ?", (last,)))
    return [nums[inc.id] for inc, _names in fresh]


def searchable(inc: Incoming) -> tuple[str, str, str]:
    """The search forms of an entry's title, body and outcome (the index's costly columns)."""
    return search_text(inc.title), search_text(inc.body), search_text(inc.outcome)


@functools.lru_cache(maxsize=4096)
def tags_search(tags: tuple[str, ...]) -> str:
    """The indexed form of an entry's tags (as the ``tags_text`` column stores them); a few
    combinations of tags recur across thousands of entries."""
    return search_text(rows.encode("tags", tags))
