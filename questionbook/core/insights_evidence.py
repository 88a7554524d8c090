"""Numbers behind the evidence charts of Insights (issue 17): the 5×5 grid of hardness against
reach, verdicts by hardness level, and the freeboard week by week.

Like :mod:`questionbook.core.insights`, each is a few aggregate queries, never a load of all
entries; the page calls :func:`gather_evidence_insights` when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from questionbook.core.evidence import Calibration, calibration
from questionbook.core.freeboard import Freeboard, freeboard_series
from questionbook.core.schedule import Period, period_of
from questionbook.core.store import Store
from questionbook.core.timeutil import local_day_bounds
from questionbook.core.vocabulary import CLOSED_STATUSES, MAX_LEVEL, Quadrant, quadrant


@dataclass(frozen=True)
class ReachGrid:
    """Entries still open (notes too) rated for both, counted by hardness and reach."""

    #: ``counts[hardness][reach]``, 5×5.
    counts: list[list[int]]
    waterline: int

    def quadrant_counts(self) -> dict[Quadrant, int]:
        out = dict.fromkeys(Quadrant, 0)
        for hardness, row in enumerate(self.counts):
            for reach, n in enumerate(row):
                q = quadrant(hardness, reach, self.waterline)
                if q is not None:
                    out[q] += n
        return out

    @property
    def total(self) -> int:
        return sum(map(sum, self.counts))


@dataclass(frozen=True)
class EvidenceInsights:
    grid: ReachGrid
    calibration: Calibration
    weeks: list[Period]
    #: The freeboard at the end of each week of ``weeks`` (oldest first).
    freeboard: list[Freeboard]


def reach_grid(db: Store) -> ReachGrid:
    from questionbook.core.entry_sql import current_waterline

    size = MAX_LEVEL + 1
    counts = [[0] * size for _h in range(size)]
    closed = sorted(CLOSED_STATUSES)
    marks = ", ".join("?" for _c in closed)
    with db.read() as conn:
        waterline = current_waterline(conn)
        for hardness, reach, n in conn.execute(
            "SELECT hardness, reach, count(*) FROM entry WHERE deleted_at IS NULL"
            " AND hardness IS NOT NULL AND reach IS NOT NULL"
            f" AND (status IS NULL OR status NOT IN ({marks})) GROUP BY hardness, reach",
            closed,
        ):
            counts[int(hardness)][int(reach)] = int(n)
    return ReachGrid(counts, waterline)


def gather_evidence_insights(
    db: Store,
    *,
    today: date,
    tz: tzinfo | None = None,
    week_start: int = 1,
    weeks: int = 12,
) -> EvidenceInsights:
    """The grid, the calibration (all trials) and the freeboard at the end of each of the last
    *weeks* weeks, ending with the week of *today* (its end: now, for the current week)."""
    last = period_of(today, week_start)
    periods = [period_of(last.start - timedelta(days=7 * i), week_start) for i in range(weeks)]
    periods.reverse()
    ends = [local_day_bounds(p.end, tz)[0] for p in periods]
    with db.read() as conn:
        cal = calibration(conn)
        series = freeboard_series(conn, ends)
    return EvidenceInsights(reach_grid(db), cal, periods, series)
