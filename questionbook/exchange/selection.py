"""Stream the entries an export wants, oldest first, a page at a time.

At 100k entries loading everything at once would hold every body in memory twice (records and
entities); instead the ids and creation times are selected once with the same SQL the search
uses, and whole entries (and their histories) are fetched in pages of :data:`PAGE`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from questionbook.core.entities import Entry, HardnessChange, StatusEvent, Trial
from questionbook.core.entry_sql import current_waterline, load_histories
from questionbook.core.journal import Journal
from questionbook.core.search_sql import search_statement
from questionbook.exchange.common import PAGE, ExportFilter


@dataclass(frozen=True)
class Histories:
    hardness: dict[str, list[HardnessChange]]
    status: dict[str, list[StatusEvent]]


def select_ids(journal: Journal, flt: ExportFilter, *, include_trash: bool = False) -> list[str]:
    """Ids of the entries *flt* selects, oldest first (Trash too when asked)."""
    query = flt.to_query()
    rows: list[tuple[str, str]] = []
    with journal.reading() as conn:
        waterline = current_waterline(conn)
        for trash in (False, True) if include_trash else (False,):
            sql, params = search_statement(
                query,
                waterline=waterline,
                trash=trash,
                tz=journal.tz,
                columns="entry.id, entry.created_at",
                ordered=False,
            )
            rows.extend(conn.execute(sql, params))
    rows.sort(key=lambda r: (r[1], r[0]))  # stored times are fixed-width UTC text
    return [r[0] for r in rows]


def iter_pages(journal: Journal, ids: Sequence[str]) -> Iterator[list[Entry]]:
    """Whole entries for *ids* in pages, in the order given."""
    for start in range(0, len(ids), PAGE):
        yield journal.entries(ids[start : start + PAGE])


def histories(journal: Journal, ids: Sequence[str]) -> Histories:
    """Hardness and status histories of *ids*, each in time order."""
    with journal.reading() as conn:
        both = load_histories(conn, ids)
    return Histories(
        {i: h for i, (h, _s) in both.items() if h}, {i: s for i, (_h, s) in both.items() if s}
    )


def trials_for(journal: Journal, ids: Sequence[str]) -> dict[str, list[Trial]]:
    """The AI trials of *ids* (entries without trials left out), each list newest first."""
    from questionbook.core.trials import trials_of

    with journal.reading() as conn:
        return {i: t for i, t in trials_of(conn, list(ids)).items() if t}
