"""The due rules of :mod:`questionbook.core.schedule` in SQL, so a review never loads its backlog.

A never-reviewed journal of 100,000 entries has tens of thousands of due entries; judging each
row in Python took over a second. A review shows 30 of them and says how many more wait, so
here the rules become one SQL condition: the database sorts, stops after the first *limit* rows
and counts the rest, without handing them to Python.

The rules speak of *local calendar dates*; the journal stores UTC. Almost every rule compares
one timestamp with a date fixed by "now" (created 7 or more days before today, untouched for 14
days), and "the local date of *x* is before day *D*" is the same as "*x* is before the UTC
instant local day *D* starts": a plain, indexable text comparison. Only an entry that has been
reviewed needs local dates of its own (its next checkpoint depends on the day it was created
and the day it was last seen); for those the UTC offset comes from a short table of the time
zone's offset changes over the journal's span, written into the SQL as a nested ``CASE``.

Plain SQL on a :mod:`sqlite3` connection, like :mod:`questionbook.core.search_sql`: the review
service runs it on the connection under its session, ``questionbook due`` on the command line's
quick path without importing SQLAlchemy. The tests compare it with :func:`schedule.due_reasons`
applied row by row, on varied journals in time zones with DST.
"""

from __future__ import annotations

import calendar
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from questionbook.core.schedule import (
    RESURFACE,
    RESURFACE_DAYS,
    REVIEW_LIMIT,
    REVISIT,
    STALLED,
    STALLED_DAYS,
    SUBMERGED,
    TIDE,
)
from questionbook.core.timeutil import format_utc, local_day_bounds, parse_stored, to_local
from questionbook.core.vocabulary import CLOSED_STATUSES, DEFAULT_WATERLINE

#: (entry id, reasons) in the order a review brings them up.
Picked = list[tuple[str, tuple[str, ...]]]


# -- the waterline and the review week -------------------------------------------------------


def waterline_at(conn: sqlite3.Connection, when: datetime) -> int:
    """The waterline as it stood at *when*."""
    row = conn.execute(
        "SELECT level FROM waterline_mark WHERE set_at <= ? ORDER BY set_at DESC, id DESC LIMIT 1",
        (format_utc(when),),
    ).fetchone()
    return DEFAULT_WATERLINE if row is None else int(row[0])


def rise_times(conn: sqlite3.Connection, when: datetime) -> dict[int, datetime]:
    """For each level, the last time (up to *when*) the waterline rose to cover it."""
    marks = conn.execute(
        "SELECT level, set_at FROM waterline_mark WHERE set_at <= ? ORDER BY set_at, id",
        (format_utc(when),),
    )
    level, rises = DEFAULT_WATERLINE, {}
    for new, at in marks:
        for covered in range(level + 1, new + 1):
            rises[covered] = parse_stored(at)
        level = new
    return rises


# -- local dates in SQL ----------------------------------------------------------------------


#: Zone data has no offset changes before this (every zone kept local mean time until the
#: 1840s or later), so probing need not start earlier however old an imported entry is.
_ZONES_BEGIN = datetime(1800, 1, 1, tzinfo=UTC)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def offset_changes(tz: tzinfo | None, lo: datetime, hi: datetime) -> list[tuple[datetime, int]]:
    """(UTC instant, UTC offset in seconds from then on) for every change between *lo* and
    *hi*, starting with the offset at *lo* (which also holds before it).

    Found by probing each day and bisecting to the second (zone data changes offsets on whole
    seconds), which works for any ``tzinfo`` and for the machine's zone (``None``); about 1 ms
    per 1,000 days. Two changes within one day would be missed; no zone does that.
    """

    def offset(second: int) -> int:
        delta = to_local(_EPOCH + timedelta(seconds=second), tz).utcoffset()
        return 0 if delta is None else int(delta.total_seconds())

    first = int((max(lo, _ZONES_BEGIN) - _EPOCH).total_seconds())
    last = max(first, int((hi - _EPOCH).total_seconds()) + 1)
    changes = [(first, offset(first))]
    here = first
    while here < last:
        there = min(here + 86_400, last)
        if offset(there) != changes[-1][1]:
            before, after = here, there
            while after - before > 1:
                mid = (before + after) // 2
                if offset(mid) == changes[-1][1]:
                    before = mid
                else:
                    after = mid
            changes.append((after, offset(after)))
        here = there
    return [(_EPOCH + timedelta(seconds=t), o) for t, o in changes]


class Params(dict[str, Any]):
    """Named parameters collected while the SQL is written (timestamps in the stored form)."""

    def add(self, value: Any) -> str:
        name = f"p{len(self)}"
        self[name] = format_utc(value) if isinstance(value, datetime) else value
        return f":{name}"


class LocalDates:
    """SQL for the local date (``YYYY-MM-DD``) of stored UTC times within the span *changes*
    (from :func:`offset_changes`) covers: the offset is picked by a binary search written as
    nested ``CASE``, its instants bound once in *params* and shared by every column."""

    def __init__(self, changes: Sequence[tuple[datetime, int]], params: Params) -> None:
        self._offset = self._search(changes, params)

    def _search(self, changes: Sequence[tuple[datetime, int]], params: Params) -> str:
        if len(changes) == 1:
            return params.add(f"{changes[0][1]:+d} seconds")
        mid = len(changes) // 2
        return (
            f"CASE WHEN {{col}} < {params.add(changes[mid][0])} "
            f"THEN {self._search(changes[:mid], params)} "
            f"ELSE {self._search(changes[mid:], params)} END"
        )

    def of(self, column: str) -> str:
        # Whole seconds: SQLite rounds fractions to milliseconds, which could carry
        # 23:59:59.9999 into the next day; offsets change on whole seconds, so dropping the
        # fraction is exact.
        return f"date(substr({column}, 1, 19), {self._offset.format(col=column)})"


# -- the rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueQuery:
    """The due rules at one moment as SQL over ``entry e``, with their parameters.

    ``base`` is what every due entry must be (not trashed or snoozed, written before the
    cut-off); ``open`` what the usual rules also need (not closed, not sealed above the water);
    ``resurface``, ``submerged``, ``stalled``, ``tide`` and ``revisit`` are the reasons of
    :func:`schedule.due_reasons`, each 0 or 1. A revisit date holds whatever ``open`` says: the
    user chose the day.
    """

    base: str
    open: str
    resurface: str
    submerged: str
    stalled: str
    params: dict[str, Any]
    #: A live entry with a seal: the water has reached it (``open`` leaves out the others).
    tide: str = "(e.seal_level IS NOT NULL)"
    #: The day the user chose has come (``:p`` bound to today's local date).
    revisit: str = "0"

    @classmethod
    def at(
        cls,
        conn: sqlite3.Connection,
        at: datetime,
        *,
        tz: tzinfo | None = None,
        created_before: datetime | None = None,
    ) -> DueQuery:
        """The rules at *at* for entries written before *created_before* (default *at*); the
        waterline and its history are read on *conn*."""
        today = to_local(at, tz).date()

        def day_start(days: int) -> datetime:
            """When local day ``today + days`` begins, in UTC: ``local_date(x)`` is before that
            day exactly when ``x`` is before this instant."""
            return local_day_bounds(today + timedelta(days=days), tz)[0]

        p = Params()
        cutoff = created_before or at
        waterline = waterline_at(conn, at)
        closed = ", ".join(p.add(status) for status in sorted(CLOSED_STATUSES))
        base = (
            f"e.deleted_at IS NULL AND e.created_at < {p.add(cutoff)}"
            f" AND (e.snoozed_until IS NULL OR e.snoozed_until <= {p.add(at)})"
        )
        is_open = (
            f"(e.status IS NULL OR e.status NOT IN ({closed}))"
            f" AND (e.seal_level IS NULL OR e.seal_level <= {p.add(waterline)})"
        )
        row = conn.execute(
            "SELECT min(created_at) FROM entry WHERE deleted_at IS NULL"  # ix_entry_live_created
        ).fetchone()
        earliest = min(parse_stored(row[0]) if row[0] else at, at)
        changes = offset_changes(tz, earliest, max(day_start(1), cutoff))
        untouched = p.add(day_start(1 - STALLED_DAYS))
        stalled = (
            f"(e.kind = 'plan' AND e.status = 'active' AND e.updated_at < {untouched}"
            f" AND (e.last_reviewed_at IS NULL OR e.last_reviewed_at < {untouched}))"
        )
        # A calendar day against a calendar day: ``YYYY-MM-DD`` text sorts as dates do.
        revisit = f"(e.revisit_on IS NOT NULL AND e.revisit_on <= {p.add(today.isoformat())})"
        return cls(
            base=base,
            open=is_open,
            resurface=_resurface(today, day_start, earliest, changes, p),
            submerged=_submerged(conn, at, waterline, p),
            stalled=stalled,
            params=p,
            revisit=revisit,
        )

    @property
    def live(self) -> str:
        """Due for the usual rules: neither trashed, snoozed, closed nor sealed above water."""
        return f"{self.base} AND {self.open}"

    @property
    def due(self) -> str:
        # Cheapest first: SQLite stops at the first reason that holds.
        return (
            f"{self.base} AND ({self.revisit} OR ({self.open} AND ({self.tide}"
            f" OR {self.resurface} OR {self.stalled} OR {self.submerged})))"
        )

    def _flag(self, reason: str) -> str:
        """A usual reason, which counts only for an open entry (a closed entry with a revisit
        date is due for that alone)."""
        return f"(CASE WHEN {self.open} THEN {reason} ELSE 0 END)"

    def pick(self, conn: sqlite3.Connection, limit: int | None = REVIEW_LIMIT) -> Picked:
        """(id, reasons) of the first *limit* due entries (``None``: all), most pressing first
        (what the water covered, a tide brought back or a chosen day brought back, stalled
        plans, resurfacing; see :func:`schedule.prioritise`), oldest first within each."""
        resurface, submerged, stalled, tide = (
            self._flag(r) for r in (self.resurface, self.submerged, self.stalled, self.tide)
        )
        sql = (
            f"SELECT e.id, {resurface}, {submerged}, {stalled}, {tide}, {self.revisit}"
            f" FROM entry e WHERE {self.due} ORDER BY CASE WHEN {tide} OR {submerged}"
            f" OR {self.revisit} THEN 0"
            f" WHEN {stalled} THEN 1 ELSE 2 END, e.created_at, e.num LIMIT :limit"
        )
        params = {**self.params, "limit": -1 if limit is None else limit}
        names = (RESURFACE, SUBMERGED, STALLED, TIDE, REVISIT)  # schedule.due_reasons' order
        return [
            (entry_id, tuple(name for name, flag in zip(names, flags, strict=True) if flag))
            for entry_id, *flags in conn.execute(sql, params)
        ]

    def count(self, conn: sqlite3.Connection) -> int:
        """How many entries are due in all."""
        row = conn.execute(f"SELECT count(*) FROM entry e WHERE {self.due}", self.params)
        return int(row.fetchone()[0])


def _resurface(
    today: date,
    day_start: Callable[[int], datetime],
    earliest: datetime,
    changes: Sequence[tuple[datetime, int]],
    p: Params,
) -> str:
    """Resurfacing: the first checkpoint after the last review has come
    (:func:`schedule.next_resurface`).

    Never reviewed, that is "created 7 or more days before today", one indexed comparison.
    Reviewed, it is "reviewed before the latest checkpoint that has come", computed from the
    local creation date: which fixed checkpoint (7, 30, 90 or 365 days) follows from comparing
    the creation time with a few instants; past those, it is this year's or last year's
    anniversary (29 February taken as 28 February in common years), or day 365 while no second
    anniversary has come.
    """
    local = LocalDates(changes, p)
    created = local.of("e.created_at")
    first, *later = RESURFACE_DAYS
    fixed = " ".join(
        f"WHEN e.created_at >= {p.add(day_start(1 - next_days))}"
        f" THEN date({created}, {p.add(f'+{days} days')})"
        for days, next_days in zip(RESURFACE_DAYS, later, strict=False)
    )
    year_day = f"date({created}, {p.add(f'+{RESURFACE_DAYS[-1]} days')})"
    latest = f"CASE {fixed} ELSE {_anniversary(today, created, year_day, p)} END"
    reviewed = "e.last_reviewed_at"
    return (
        f"CASE WHEN e.created_at >= {p.add(day_start(1 - first))} THEN 0"
        f" WHEN {reviewed} IS NULL THEN 1"
        # Decided without local dates: reviewed today or later, so after every checkpoint that
        # has come; reviewed more than 365 days ago, so before the latest one (checkpoints are
        # at most 366 days apart); reviewed before the first entry. Only the reviews of the
        # past year need the offset table (in daily use, a year of weekly reviews).
        f" WHEN {reviewed} >= {p.add(day_start(0))} THEN 0"
        f" WHEN {reviewed} < {p.add(day_start(-RESURFACE_DAYS[-1]))} THEN 1"
        f" WHEN {reviewed} < {p.add(earliest)} THEN 1"
        f" ELSE {local.of(reviewed)} < {latest} END"
    )


def _anniversary(today: date, created: str, year_day: str, p: Params) -> str:
    """The latest yearly checkpoint (second anniversary on) that has come, or day 365
    (*year_day*) if none has, for an entry created 365 or more days before *today*."""
    month_day = f"substr({created}, 6, 5)"

    def in_year(year: int) -> str:
        shown = month_day
        if not calendar.isleap(year):
            shown = f"(CASE WHEN {month_day} = '02-29' THEN '02-28' ELSE {month_day} END)"
        return f"({p.add(f'{year:04d}-')} || {shown})"

    def from_year(year: int) -> str:
        # An anniversary in *year* is the second or later for entries created before year - 1.
        return (
            f"CASE WHEN {created} < {p.add(f'{year - 1:04d}-01-01')}"
            f" THEN {in_year(year)} ELSE {year_day} END"
        )

    year = today.year
    return (
        f"(CASE WHEN {in_year(year)} <= {p.add(today.isoformat())}"
        f" THEN {from_year(year)} ELSE {from_year(year - 1)} END)"
    )


def _submerged(conn: sqlite3.Connection, at: datetime, waterline: int, p: Params) -> str:
    """At or below the waterline, and never reviewed or covered since: re-rated after the
    review, or reached by a rising waterline after it."""
    rises = rise_times(conn, at)
    reviewed = "e.last_reviewed_at"
    rose = ""
    if rises:
        levels = " ".join(f"WHEN {level} THEN {p.add(t)}" for level, t in sorted(rises.items()))
        rose = f" WHEN (CASE e.hardness {levels} END) > {reviewed} THEN 1"
    rated = "(SELECT max(r.rated_at) FROM hardness_rating r WHERE r.entry_id = e.id)"
    return (
        f"CASE WHEN e.hardness IS NULL OR e.hardness > {p.add(waterline)} THEN 0"
        f" WHEN {reviewed} IS NULL THEN 1{rose}"
        f" WHEN {rated} > {reviewed} THEN 1 ELSE 0 END"
    )
