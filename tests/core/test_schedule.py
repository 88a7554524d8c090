"""Scheduling rules: resurfacing, snooze, stalled plans, periods and review times (DST too)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from questionbook.core import schedule
from questionbook.core.errors import InvalidValue
from questionbook.core.schedule import ScheduleFacts, due_reasons, next_resurface

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def local(tz: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=tz).astimezone(UTC)


def facts(created: datetime, **kw: object) -> ScheduleFacts:
    base: dict[str, object] = {
        "kind": "question",
        "status": "open",
        "hardness": 3,
        "created_at": created,
        "updated_at": created,
    }
    base.update(kw)
    return ScheduleFacts(**base)  # type: ignore[arg-type]


def test_checkpoints_are_7_30_90_365_days_then_yearly() -> None:
    created = date(2025, 2, 28)
    seq = schedule.checkpoints(created)
    got = [next(seq) for _ in range(6)]
    assert got == [
        date(2025, 3, 7),
        date(2025, 3, 30),
        date(2025, 5, 29),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 28),
    ]


def test_next_resurface_crosses_month_and_year_boundaries() -> None:
    created = date(2026, 12, 28)
    assert next_resurface(created) == date(2027, 1, 4)  # 7 days: into the new year
    assert next_resurface(created, date(2027, 1, 4)) == date(2027, 1, 27)  # 30 days
    assert next_resurface(created, date(2027, 1, 27)) == date(2027, 3, 28)  # 90 days
    assert next_resurface(created, date(2027, 3, 28)) == date(2027, 12, 28)  # 365 days
    assert next_resurface(created, date(2027, 12, 28)) == date(2028, 12, 28)  # then yearly


def test_leap_day_anniversary_falls_on_28_february() -> None:
    assert schedule.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert schedule.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_entry_due_on_its_seventh_local_day_not_before() -> None:
    created = local(BERLIN, 2026, 11, 1, 23, 30)  # late evening: UTC date is still 1 Nov
    entry = facts(created)
    assert due_reasons(entry, local(BERLIN, 2026, 11, 7, 23, 59), 1, BERLIN) == ()
    assert due_reasons(entry, local(BERLIN, 2026, 11, 8, 0, 1), 1, BERLIN) == ("resurface",)


@pytest.mark.parametrize(
    ("tz", "created", "due_day"),
    [
        # Berlin leaves summer time on 25 Oct 2026: the week holds a 25-hour day.
        (BERLIN, (2026, 10, 20, 0, 30), (2026, 10, 27)),
        # New York starts summer time on 8 Mar 2026: the week holds a 23-hour day.
        (NEW_YORK, (2026, 3, 5, 0, 30), (2026, 3, 12)),
        # New York leaves summer time on 1 Nov 2026.
        (NEW_YORK, (2026, 10, 29, 23, 45), (2026, 11, 5)),
    ],
)
def test_due_dates_do_not_move_across_dst_changes(
    tz: ZoneInfo, created: tuple[int, ...], due_day: tuple[int, int, int]
) -> None:
    entry = facts(local(tz, *created))
    day_before = date(*due_day) - timedelta(days=1)
    just_before = local(tz, day_before.year, day_before.month, day_before.day, 23, 59)
    just_after = local(tz, *due_day, 0, 0)
    assert due_reasons(entry, just_before, 1, tz) == ()
    assert due_reasons(entry, just_after, 1, tz) == ("resurface",)


def test_review_moves_the_next_checkpoint() -> None:
    created = local(BERLIN, 2026, 1, 1, 12)
    reviewed = local(BERLIN, 2026, 1, 9, 12)  # after the 7-day checkpoint
    entry = facts(created, last_reviewed_at=reviewed)
    assert due_reasons(entry, local(BERLIN, 2026, 1, 30, 12), 1, BERLIN) == ()
    assert due_reasons(entry, local(BERLIN, 2026, 1, 31, 0, 1), 1, BERLIN) == ("resurface",)


@pytest.mark.parametrize("status", ["answered", "retired", "done", "dropped"])
def test_closed_entries_never_resurface(status: str) -> None:
    created = datetime(2020, 1, 1, tzinfo=UTC)
    kind = "plan" if status in ("done", "dropped") else "question"
    entry = facts(created, kind=kind, status=status, hardness=0)
    assert due_reasons(entry, datetime(2026, 6, 1, tzinfo=UTC), 4, UTC) == ()


def test_snooze_postpones_a_week_of_local_days_even_across_dst() -> None:
    now = local(BERLIN, 2026, 10, 22, 19, 0)
    until = schedule.snooze_until(now, BERLIN)
    assert until.astimezone(BERLIN) == datetime(2026, 10, 29, 19, 0, tzinfo=BERLIN)
    assert until - now == timedelta(days=7, hours=1)  # the week had a 25-hour day
    entry = facts(local(BERLIN, 2026, 9, 1, 12), snoozed_until=until)
    assert due_reasons(entry, until - timedelta(minutes=1), 1, BERLIN) == ()
    assert due_reasons(entry, until, 1, BERLIN) == ("resurface",)


def test_submerged_is_due_until_reviewed_after_the_water_reached_it() -> None:
    created = local(BERLIN, 2026, 11, 20, 12)
    now = local(BERLIN, 2026, 11, 22, 12)
    entry = facts(created, hardness=1, covered_at=created)
    assert due_reasons(entry, now, 1, BERLIN) == ("submerged",)
    seen = facts(created, hardness=1, covered_at=created, last_reviewed_at=now)
    assert due_reasons(seen, now + timedelta(hours=1), 1, BERLIN) == ()
    rerated = facts(created, hardness=0, covered_at=now + timedelta(hours=2), last_reviewed_at=now)
    assert due_reasons(rerated, now + timedelta(hours=3), 1, BERLIN) == ("submerged",)
    assert due_reasons(facts(created, hardness=2), now, 1, BERLIN) == ()


def test_active_plan_stalls_after_14_days_without_update_or_review() -> None:
    created = local(BERLIN, 2026, 11, 3, 12)
    plan = facts(created, kind="plan", status="active", hardness=None)
    assert "stalled" not in due_reasons(plan, local(BERLIN, 2026, 11, 16, 23), 1, BERLIN)
    assert "stalled" in due_reasons(plan, local(BERLIN, 2026, 11, 17, 0, 5), 1, BERLIN)
    idea = facts(created, kind="plan", status="idea", hardness=None)
    assert "stalled" not in due_reasons(idea, local(BERLIN, 2026, 11, 20, 12), 1, BERLIN)


def test_iso_week_periods_in_local_time() -> None:
    assert schedule.period_of(date(2026, 11, 25)).label == "2026-W48"
    # Sunday 23:30 in New York is already Monday in UTC: the local week counts.
    moment = local(NEW_YORK, 2026, 11, 29, 23, 30)
    assert schedule.period_at(moment, NEW_YORK).label == "2026-W48"
    assert schedule.period_at(moment, UTC).label == "2026-W49"
    # ISO week 1 of 2027 starts on 4 January; 1-3 January 2027 belong to 2026-W53.
    assert schedule.period_of(date(2027, 1, 2)).label == "2026-W53"
    assert schedule.period_of(date(2025, 12, 29)).label == "2026-W01"


def test_week_start_is_configurable() -> None:
    sunday_week = schedule.period_of(date(2026, 11, 29), week_start=7)
    assert sunday_week.start == date(2026, 11, 29)
    assert sunday_week.end == date(2026, 12, 6)
    assert sunday_week.label == "2026-W49"
    for ws in range(1, 8):
        for offset in range(7):
            day = date(2026, 12, 28) + timedelta(days=offset)
            period = schedule.period_of(day, ws)
            assert period.start <= day < period.end
            assert schedule.parse_period(period.label, ws) == period


def test_parse_period_rejects_nonsense() -> None:
    assert schedule.parse_period("2026w48").start == date(2026, 11, 23)
    with pytest.raises(InvalidValue):
        schedule.parse_period("2026-W60")
    with pytest.raises(InvalidValue):
        schedule.parse_period("last week")


def test_next_and_last_review_time_follow_local_wall_clock_across_dst() -> None:
    # Berlin, Sunday 19:00. 25 Oct 2026 is the day summer time ends.
    before = local(BERLIN, 2026, 10, 21, 12)
    nxt = schedule.next_review_time(before, 7, "19:00", BERLIN)
    assert nxt.astimezone(BERLIN) == datetime(2026, 10, 25, 19, 0, tzinfo=BERLIN)
    assert nxt.astimezone(UTC).hour == 18  # CET after the change, not CEST
    after = schedule.next_review_time(nxt, 7, "19:00", BERLIN)
    assert after.astimezone(BERLIN) == datetime(2026, 11, 1, 19, 0, tzinfo=BERLIN)
    last = schedule.last_review_time(local(BERLIN, 2026, 10, 25, 18, 59), 7, "19:00", BERLIN)
    assert last.astimezone(BERLIN) == datetime(2026, 10, 18, 19, 0, tzinfo=BERLIN)
    assert schedule.parse_review_time("nonsense").hour == 19


def test_review_on_the_first_day_of_the_week_looks_back_on_the_last_week() -> None:
    monday = local(BERLIN, 2026, 11, 30, 9)
    assert schedule.period_reviewed_at(monday, 1, BERLIN).label == "2026-W48"
    sunday = local(BERLIN, 2026, 11, 29, 19)
    assert schedule.period_reviewed_at(sunday, 1, BERLIN).label == "2026-W48"


def test_on_this_day_ranges_skip_missing_leap_days() -> None:
    ranges = schedule.on_this_day_ranges(date(2028, 2, 29), 2023, BERLIN)
    assert [year for year, _s, _e in ranges] == [2024]
    year, start, end = schedule.on_this_day_ranges(date(2027, 3, 29), 2026, BERLIN)[0]
    assert year == 2026
    assert end - start == timedelta(hours=23)  # Berlin springs forward on 29 March 2026


# -- the rules in SQL (questionbook.core.due_query) -------------------------------------------


def test_offset_changes_are_found_to_the_second() -> None:
    from questionbook.core.due_query import offset_changes

    lo, hi = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    assert offset_changes(BERLIN, lo, hi) == [
        (lo, 3600),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 7200),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 3600),
    ]
    assert [o for _t, o in offset_changes(NEW_YORK, lo, hi)] == [-18000, -14400, -18000]
    assert offset_changes(UTC, lo, hi) == [(lo, 0)]
    # However old an imported entry, probing starts where zone data does.
    ancient = offset_changes(BERLIN, datetime(1, 1, 1, tzinfo=UTC), lo)
    assert ancient[0][0].year == 1800
    assert len(ancient) < 400


def test_local_dates_in_sql_match_python_at_midnight_and_dst_changes(tmp_path: Path) -> None:
    """The SQL local date of a stored UTC time, to the microsecond around local midnights and
    offset changes, in zones east and west of UTC."""
    import random
    import sqlite3

    from questionbook.core.due_query import LocalDates, Params, offset_changes
    from questionbook.core.timeutil import format_utc, to_utc

    rng = random.Random(3)
    conn = sqlite3.connect(tmp_path / "dates.sqlite3")
    conn.execute("CREATE TABLE t (at TEXT)")
    zones = (BERLIN, NEW_YORK, ZoneInfo("Pacific/Auckland"), ZoneInfo("Asia/Kolkata"), UTC)
    lo, hi = datetime(2023, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    for tz in zones:
        moments = []
        for change, _offset in offset_changes(tz, lo, hi)[1:]:
            moments += [change + timedelta(microseconds=d) for d in (-1, 0, 1)]
        for _ in range(200):
            day = lo.date() + timedelta(days=rng.randrange(4 * 365))
            midnight = to_utc(datetime.combine(day, datetime.min.time()), tz)
            moments += [midnight + timedelta(microseconds=d) for d in (-1, 0, 1, -500)]
        params = Params()
        sql = f"SELECT at, {LocalDates(offset_changes(tz, lo, hi), params).of('at')} FROM t"
        conn.execute("DELETE FROM t")
        conn.executemany("INSERT INTO t VALUES (?)", [(format_utc(m),) for m in moments])
        for stored, day in conn.execute(sql, params):
            expected = datetime.fromisoformat(stored).astimezone(tz).date().isoformat()
            assert day == expected, (tz, stored)
    conn.close()
