"""Stream the entries an export wants, oldest first, a page at a time.

At 100k entries loading everything at once would hold every body in memory twice (records and
entities); instead the ids and creation times are selected once with the same SQL the search
uses, and whole entries (and their histories) are fetched in pages of :data:`PAGE`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from questionbook.core.entities import Entry, HardnessChange, StatusEvent
from questionbook.core.entry_sql import current_waterline
from questionbook.core.journal import Journal
from questionbook.core.models import HardnessRating, StatusChange
from questionbook.core.search_sql import search_statement
from questionbook.exchange.common import PAGE, ExportFilter
from questionbook.storage.database import driver_connection

HR = HardnessRating.__table__.c  # type: ignore[attr-defined]
SC = StatusChange.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Histories:
    hardness: dict[str, list[HardnessChange]]
    status: dict[str, list[StatusEvent]]


def select_ids(journal: Journal, flt: ExportFilter, *, include_trash: bool = False) -> list[str]:
    """Ids of the entries *flt* selects, oldest first (Trash too when asked)."""
    query = flt.to_query()
    rows: list[tuple[str, str]] = []
    with journal.db.read() as s:
        conn = driver_connection(s)
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
    hard: dict[str, list[HardnessChange]] = {}
    stat: dict[str, list[StatusEvent]] = {}
    with journal.db.read() as s:
        for r in s.execute(
            select(
                HR.entry_id,
                HR.level,
                HR.source,
                HR.rated_at,
            )
            .where(HR.entry_id.in_(list(ids)))
            .order_by(HR.rated_at, HR.id)
        ):
            hard.setdefault(r[0], []).append(HardnessChange(r[1], r[2], r[3]))
        for r in s.execute(
            select(
                SC.entry_id,
                SC.status,
                SC.outcome,
                SC.changed_at,
            )
            .where(SC.entry_id.in_(list(ids)))
            .order_by(SC.changed_at, SC.id)
        ):
            stat.setdefault(r[0], []).append(StatusEvent(r[1], r[2], r[3]))
    return Histories(hard, stat)
