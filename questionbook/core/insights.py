"""Numbers behind the insights charts, from a handful of aggregate queries.

Each chart is one ``GROUP BY`` over an index, never a load of all entries, so the page opens as
fast on 100,000 entries as on ten. Weeks and months are *local* calendar periods: their UTC
bounds are computed in Python (23- and 25-hour days included) and bucketed in SQL with a
``CASE`` over those bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import case, func, select

from questionbook.core.models import EntryRecord, StatusChange, WaterlineMark
from questionbook.core.schedule import Period, period_of
from questionbook.core.timeutil import local_day_bounds
from questionbook.core.vocabulary import DEFAULT_WATERLINE, HARDNESS, Kind
from questionbook.storage.database import Database

E = EntryRecord.__table__.c  # type: ignore[attr-defined]
MARK = WaterlineMark.__table__.c  # type: ignore[attr-defined]


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


def _bucket(column: Any, bounds: list[datetime]) -> Any:
    """A SQL expression: the index of the [bounds[i], bounds[i+1]) range *column* falls in."""
    return case(*((column < bounds[i + 1], i) for i in range(len(bounds) - 1)), else_=-1)


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
    db: Database,
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
    live = E.deleted_at.is_(None)

    with db.read() as s:
        per_week = {k.value: [0] * weeks for k in Kind}
        bucket = _bucket(E.created_at, week_bounds).label("b")
        for kind, b, n in s.execute(
            select(E.kind, bucket, func.count())
            .where(live, E.created_at >= week_bounds[0], E.created_at < week_bounds[-1])
            .group_by(E.kind, bucket)
        ):
            if b >= 0 and kind in per_week:
                per_week[kind][b] = int(n)

        hardness: dict[int | None, int] = {h.level: 0 for h in HARDNESS} | {None: 0}
        for level, n in s.execute(
            select(E.hardness, func.count()).where(live).group_by(E.hardness)
        ):
            hardness[level] = int(n)

        marks = [
            (at, int(level))
            for level, at in s.execute(
                select(MARK.level, MARK.set_at).order_by(MARK.set_at, MARK.id)
            )
        ]

        answered, done = [0] * months, [0] * months
        sc = StatusChange.__table__.c  # type: ignore[attr-defined]
        mbucket = _bucket(sc.changed_at, month_bounds).label("b")
        for status, b, n in s.execute(
            select(sc.status, mbucket, func.count(func.distinct(sc.entry_id)))
            .join(EntryRecord, E.id == sc.entry_id)
            .where(
                live,
                sc.status.in_(("answered", "done")),
                sc.changed_at >= month_bounds[0],
                sc.changed_at < month_bounds[-1],
            )
            .group_by(sc.status, mbucket)
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
