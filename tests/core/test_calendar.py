"""The calendar (issue 19): entries per local day of a month, in the journal's zone."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from questionbook.core.calendar_days import (
    Calendar,
    month_statement,
    parse_month,
    weekday_headers,
)
from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.i18n import set_language
from questionbook.services import Services
from questionbook.storage.connection import connect
from tests.conftest import FakeClock

ZONES = (
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Pacific/Auckland"),
    UTC,
)


def test_a_late_evening_entry_belongs_to_its_local_day(
    services: Services, clock: FakeClock
) -> None:
    tz = ZoneInfo("America/New_York")
    journal = Journal(services.db, clock=clock, tz=tz)
    late = datetime(2026, 11, 30, 23, 30, tzinfo=tz)  # 04:30 UTC on 1 December
    journal.add("late", created_at=late)
    journal.add("early", created_at=datetime(2026, 12, 1, 0, 10, tzinfo=tz))
    gone = journal.add("trashed", created_at=datetime(2026, 12, 1, 9, 0, tzinfo=tz))
    journal.delete(gone.id)
    cal = Calendar(services.db, tz=tz, clock=clock)
    nov, dec = cal.month(2026, 11), cal.month(2026, 12)
    assert nov.days[-1].count == 1 and nov.total == 1
    assert dec.days[0].count == 1 and dec.total == 1
    assert [e.title for e in cal.day(date(2026, 11, 30))] == ["late"]
    assert [e.title for e in cal.day(date(2026, 12, 1))] == ["early"]
    assert len(dec.days) == 31 and dec.label == "2026-12"
    clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # still 30 November in New York
    assert cal.today() == date(2026, 11, 30) and cal.month().month == 11


@pytest.mark.parametrize("tz", ZONES)
def test_counts_match_bucketing_in_python(
    services: Services, clock: FakeClock, tz: ZoneInfo
) -> None:
    """Around DST changes and midnights, the SQL's local days are Python's local days."""
    rng = random.Random(19)
    journal = Journal(services.db, clock=clock, tz=tz)
    moments = []
    for month in (3, 4, 10, 11):  # DST changes in March/April and October/November
        start = datetime(2026, month, 1, tzinfo=tz)
        for _ in range(60):
            moments.append(start + timedelta(minutes=rng.randrange(31 * 24 * 60)))
        for day in (1, 15, 28):  # just either side of local midnight
            midnight = datetime(2026, month, day, tzinfo=tz)
            moments += [midnight, midnight - timedelta(microseconds=1)]
    for i, moment in enumerate(moments):
        journal.add(f"entry {i}", created_at=moment)
    expected = Counter(m.astimezone(tz).date() for m in moments)
    cal = Calendar(services.db, tz=tz, clock=clock)
    for month in (2, 3, 4, 5, 9, 10, 11, 12):
        shown = cal.month(2026, month)
        assert {d.day: d.count for d in shown.days if d.count} == {
            d: n for d, n in expected.items() if (d.year, d.month) == (2026, month)
        }, (tz, month)


def test_the_month_is_one_query_on_the_covering_index(services: Services, journal: Journal) -> None:
    journal.add("one")
    sql, params = month_statement(2026, 11, ZoneInfo("Europe/Berlin"))
    conn = connect(services.db.path)
    try:
        plan = " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    finally:
        conn.close()
    assert "COVERING INDEX ix_entry_live_created" in plan, plan  # never reads the table


def test_weeks_start_on_the_chosen_day(services: Services, clock: FakeClock) -> None:
    cal = Calendar(services.db, tz=UTC, clock=clock)
    dec = cal.month(2026, 12)  # 1 December 2026 is a Tuesday
    monday = dec.weeks(1)
    assert monday[0][0] is None and monday[0][1].day == date(2026, 12, 1)  # type: ignore[union-attr]
    sunday = dec.weeks(7)
    assert sunday[0][:2] == [None, None] and sunday[0][2].day == date(2026, 12, 1)  # type: ignore[union-attr]
    assert all(len(w) == 7 for w in monday + sunday)
    assert sum(d is not None for w in monday for d in w) == 31
    with pytest.raises(InvalidValue):
        dec.weeks(0)


def test_heat_is_relative_to_the_busiest_day(services: Services, journal: Journal) -> None:
    for _ in range(8):
        journal.add("busy", created_at=datetime(2026, 12, 2, 12, tzinfo=UTC))
    journal.add("quiet", created_at=datetime(2026, 12, 3, 12, tzinfo=UTC))
    dec = Calendar(services.db, tz=UTC).month(2026, 12)
    assert [dec.heat(n) for n in (0, 1, 2, 4, 8)] == [0, 1, 1, 2, 4]
    assert (dec.busiest, dec.days_written, dec.total) == (8, 2, 9)


def test_month_names_and_weekday_headers_in_both_languages() -> None:
    try:
        set_language("en")
        assert weekday_headers(7)[:2] == ["Su", "Mo"]
        set_language("zh_CN")
        assert weekday_headers(1) == ["一", "二", "三", "四", "五", "六", "日"]
        from questionbook.core.calendar_days import CalendarMonth

        assert CalendarMonth(2026, 12).title() == "2026年12月"
    finally:
        set_language("en")


@pytest.mark.parametrize("text", ["2026-13", "December", "", "2026-00", "26-1-1"])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue, match="not a month"):
        parse_month(text)
    assert parse_month("2026-1") == (2026, 1) == parse_month("202601")
