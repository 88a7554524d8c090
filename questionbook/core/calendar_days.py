"""The calendar (issue 19): how many entries were written on each local day of a month, and the
entries of one day.

A day is a day of the journal's time zone, as everywhere else (a 23:30 entry belongs to the
evening it was written, not to UTC's next morning). The month is one indexed query: the range
of ``created_at`` covering the month's local days, read from the covering index
``ix_entry_live_created`` and grouped by local date in SQL, with the zone's offset changes
written into the statement as the due rules do (:class:`~questionbook.core.due_query.LocalDates`).
No streaks: the calendar shows where writing happened, never what was missed.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from questionbook.core import rows
from questionbook.core.due_query import LocalDates, Params, offset_changes
from questionbook.core.entities import EntrySummary
from questionbook.core.errors import InvalidValue
from questionbook.core.schema import ENTRY
from questionbook.core.store import Store
from questionbook.core.timeutil import local_day_bounds, to_local, utcnow
from questionbook.i18n import N_, _

#: Short weekday names for a calendar's header, Monday first (ISO weekday - 1).
WEEKDAY_HEADERS = (N_("Mo"), N_("Tu"), N_("We"), N_("Th"), N_("Fr"), N_("Sa"), N_("Su"))
MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
#: Heat levels a day can have (0: nothing written).
HEAT_LEVELS = 4


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    count: int


@dataclass(frozen=True)
class CalendarMonth:
    """Every day of one month with its count of entries (Trash left out)."""

    year: int
    month: int
    days: list[CalendarDay] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(d.count for d in self.days)

    @property
    def busiest(self) -> int:
        return max((d.count for d in self.days), default=0)

    @property
    def days_written(self) -> int:
        return sum(1 for d in self.days if d.count)

    @property
    def label(self) -> str:
        """``2026-12``: the form ``--month`` takes."""
        return f"{self.year:04d}-{self.month:02d}"

    def title(self) -> str:
        """ "December 2026", "2026年12月"."""
        return _("{month_name} {year}").format(
            month_name=_(MONTH_NAMES[self.month - 1]), year=self.year
        )

    def weeks(self, week_start: int = 1) -> list[list[CalendarDay | None]]:
        """The month as rows of seven days from *week_start* (an ISO weekday); days of the
        neighbouring months are ``None``."""
        if not 1 <= week_start <= 7:
            raise InvalidValue(_("the week must start on a weekday from 1 to 7"))
        lead = (self.days[0].day.isoweekday() - week_start) % 7
        cells: list[CalendarDay | None] = [None] * lead + list(self.days)
        cells += [None] * (-len(cells) % 7)
        return [cells[i : i + 7] for i in range(0, len(cells), 7)]

    def heat(self, count: int) -> int:
        """0 for an empty day, else 1-4 by the share of the month's busiest day (a dot's
        shade: relative, so a quiet month still shows its own rhythm)."""
        if count <= 0:
            return 0
        return max(1, -(-count * HEAT_LEVELS // max(self.busiest, 1)))


def weekday_headers(week_start: int = 1) -> list[str]:
    """The seven short weekday names from *week_start*, translated ("Mo", "一")."""
    return [_(WEEKDAY_HEADERS[(week_start - 1 + i) % 7]) for i in range(7)]


def parse_month(text: str) -> tuple[int, int]:
    """``2026-12`` (also ``2026-1``, ``202612``) to (year, month)."""
    value = text.strip().replace("/", "-")
    try:
        if "-" in value:
            year_text, month_text = value.split("-")
        else:
            year_text, month_text = value[:4], value[4:]
        year, month = int(year_text), int(month_text)
        date(year, month, 1)
    except ValueError:
        raise InvalidValue(
            _("not a month: {text!r} (use YYYY-MM, e.g. 2026-12)").format(text=text)
        ) from None
    return year, month


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_statement(year: int, month: int, tz: tzinfo | None) -> tuple[str, dict[str, object]]:
    """(local date, count) of the live entries of each day of the month that has any."""
    first, last = date(year, month, 1), date(year, month, _days_in(year, month))
    start, end = local_day_bounds(first, tz)[0], local_day_bounds(last, tz)[1]
    params = Params()
    day = LocalDates(offset_changes(tz, start, end), params).of("entry.created_at")
    sql = (
        f"SELECT {day} AS day, count(*) FROM entry WHERE entry.deleted_at IS NULL"
        f" AND entry.created_at >= {params.add(start)} AND entry.created_at < {params.add(end)}"
        " GROUP BY day"
    )
    return sql, params


class Calendar:
    """Entries per local day (a month view) and the entries of one day."""

    def __init__(
        self, db: Store, *, tz: tzinfo | None = None, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.tz = tz
        self.clock = clock

    def today(self) -> date:
        return to_local(self.clock(), self.tz).date()

    def month(self, year: int | None = None, month: int | None = None) -> CalendarMonth:
        """Counts for every day of *year*-*month* (default: this month), in one query."""
        today = self.today()
        year, month = year or today.year, month or today.month
        sql, params = month_statement(year, month, self.tz)
        with self.db.read() as conn:
            counts = {str(d): int(n) for d, n in conn.execute(sql, params)}
        first = date(year, month, 1)
        return CalendarMonth(
            year,
            month,
            [
                CalendarDay(d, counts.get(d.isoformat(), 0))
                for d in (first + timedelta(days=i) for i in range(_days_in(year, month)))
            ],
        )

    def day(self, day: date) -> list[EntrySummary]:
        """The entries written on local *day*, oldest first (Trash left out)."""
        start, end = local_day_bounds(day, self.tz)
        with self.db.read() as conn:
            return rows.fetch(
                conn,
                EntrySummary,
                ENTRY,
                "SELECT {columns} FROM entry WHERE entry.deleted_at IS NULL"
                " AND entry.created_at >= ? AND entry.created_at < ?"
                " ORDER BY entry.created_at, entry.num",
                (rows.encode("time", start), rows.encode("time", end)),
            )
