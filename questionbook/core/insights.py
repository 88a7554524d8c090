"""Numbers behind the insights charts, from a handful of aggregate queries.

Each chart is one ``GROUP BY`` over an index, never a load of all entries, so the page opens as
fast on 100,000 entries as on ten. Weeks and months are *local* calendar periods: their UTC
bounds are computed in Python (23- and 25-hour days included) and bucketed in SQL with a
``CASE`` over those bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from questionbook.core import rows
from questionbook.core.schedule import Period, period_of
from questionbook.core.store import Store
from questionbook.core.timeutil import format_utc, local_day_bounds, to_local
from questionbook.core.vocabulary import DEFAULT_WATERLINE, HARDNESS, Kind

if TYPE_CHECKING:
    from questionbook.core.insights_evidence import EvidenceInsights


@dataclass(frozen=True)
class Insights:
    """What the insights page draws."""

    weeks: list[Period]
    per_week: dict[str, list[int]]  # kind -> count per week, oldest week first
    hardness: dict[int | None, int]  # live entries by current hardness (None = unrated)
    waterline: int
    waterline_history: list[tuple[datetime, int]]
    months: list[date]  # first day of each month, oldest first
    answered: list[int]  # questions answered per month
    done: list[int]  # plans done per month

    @property
    def is_empty(self) -> bool:
        return not any(self.hardness.values())


def _bucket(column: str, bounds: list[datetime]) -> tuple[str, list[str]]:
    """An SQL expression: the index of the [bounds[i], bounds[i+1]) range *column* falls in,
    and its parameters."""
    cases = " ".join(f"WHEN {column} < ? THEN {i}" for i in range(len(bounds) - 1))
    return f"CASE {cases} ELSE -1 END", [format_utc(b) for b in bounds[1:]]


def month_starts(today: date, months: int) -> list[date]:
    """First days of the last *months* months, oldest first, ending with today's month."""
    out, year, month = [], today.year, today.month
    for _ in range(months):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def gather_insights(
    db: Store,
    *,
    today: date,
    tz: tzinfo | None = None,
    week_start: int = 1,
    weeks: int = 12,
    months: int = 12,
) -> Insights:
    """Aggregate the journal for the charts, ending with the week and month of *today*."""
    last = period_of(today, week_start)
    periods = [period_of(last.start - timedelta(days=7 * i), week_start) for i in range(weeks)]
    periods.reverse()
    week_bounds = [local_day_bounds(p.start, tz)[0] for p in periods]
    week_bounds.append(local_day_bounds(last.end, tz)[0])
    firsts = month_starts(today, months)
    month_bounds = [local_day_bounds(d, tz)[0] for d in firsts]
    month_bounds.append(local_day_bounds(_next_month(firsts[-1]), tz)[0])
    with db.read() as conn:
        per_week = {k.value: [0] * weeks for k in Kind}
        bucket, params = _bucket("created_at", week_bounds)
        for kind, b, n in conn.execute(
            f"SELECT kind, {bucket} AS b, count(*) FROM entry WHERE deleted_at IS NULL "
            "AND created_at >= ? AND created_at < ? GROUP BY kind, b",
            [*params, format_utc(week_bounds[0]), format_utc(week_bounds[-1])],
        ):
            if b >= 0 and kind in per_week:
                per_week[kind][b] = int(n)

        hardness: dict[int | None, int] = {h.level: 0 for h in HARDNESS} | {None: 0}
        for level, n in conn.execute(
            "SELECT hardness, count(*) FROM entry WHERE deleted_at IS NULL GROUP BY hardness"
        ):
            hardness[level] = int(n)

        marks = [
            (rows.decode_time(at), int(level))
            for level, at in conn.execute(
                "SELECT level, set_at FROM waterline_mark ORDER BY set_at, id"
            )
        ]

        answered, done = [0] * months, [0] * months
        mbucket, params = _bucket("status_change.changed_at", month_bounds)
        for status, b, n in conn.execute(
            f"SELECT status_change.status, {mbucket} AS b, count(DISTINCT status_change.entry_id) "
            "FROM status_change JOIN entry ON entry.id = status_change.entry_id "
            "WHERE entry.deleted_at IS NULL AND status_change.status IN ('answered', 'done') "
            "AND status_change.changed_at >= ? AND status_change.changed_at < ? "
            "GROUP BY status_change.status, b",
            [*params, format_utc(month_bounds[0]), format_utc(month_bounds[-1])],
        ):
            if b >= 0:
                (answered if status == "answered" else done)[b] = int(n)

    return Insights(
        weeks=periods,
        per_week=per_week,
        hardness=hardness,
        waterline=marks[-1][1] if marks else DEFAULT_WATERLINE,
        waterline_history=marks,
        months=firsts,
        answered=answered,
        done=done,
    )


class InsightsService:
    """What the Insights page reads: the charts' numbers for a day, over one journal.

    The page holds this rather than the database (the UI sees services only); the clock and
    time zone come from the journal, so "today" is the user's today.
    """

    def __init__(self, db: Store, *, clock: Callable[[], datetime], tz: tzinfo | None) -> None:
        self.db, self.clock, self.tz = db, clock, tz

    def today(self) -> date:
        return to_local(self.clock(), self.tz).date()

    def gather(self, *, week_start: int = 1, today: date | None = None) -> Insights:
        return gather_insights(
            self.db, today=today or self.today(), tz=self.tz, week_start=week_start
        )

    def evidence(self, *, week_start: int = 1, today: date | None = None) -> EvidenceInsights:
        """The evidence charts' numbers (issue 17): verdicts by hardness, the hardness × reach
        grid, and the freeboard week by week."""
        from questionbook.core.insights_evidence import gather_evidence_insights

        return gather_evidence_insights(
            self.db, today=today or self.today(), tz=self.tz, week_start=week_start
        )
