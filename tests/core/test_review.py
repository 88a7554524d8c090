"""The review service on a real journal file: queue, actions, waterline, resume, reminders."""

from __future__ import annotations

import os
import random
import sqlite3
import time as pytime
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

from questionbook.core import schedule
from questionbook.core.due_query import DueQuery
from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.core.timeutil import format_utc, parse_stored, to_utc
from questionbook.core.vocabulary import DEFAULT_WATERLINE
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.settings import Settings
from questionbook.storage.connection import connect
from tests.conftest import FakeClock

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wednesday of 2026-W48


def make(services: Services, clock: FakeClock) -> tuple[Journal, ReviewService]:
    journal = Journal(services.db, clock=clock, tz=UTC)
    return journal, ReviewService(services.db, journal, clock=clock, tz=UTC)


@pytest.fixture
def fixture(services: Services, clock: FakeClock) -> dict[str, str]:
    """Old entries of every sort, created by moving the clock back."""
    journal, _r = make(services, clock)
    ids = {}

    def add(key: str, days_ago: int, title: str, **kw: object) -> None:
        clock.now = NOW - timedelta(days=days_ago)
        ids[key] = journal.add(title, **kw).id  # type: ignore[arg-type]

    add("month_old", 31, "Why does grokking happen suddenly? #ml", hardness=3)
    add("stalled", 40, "Build an elevator, not stairs", kind="plan", status="active")
    add("answered", 100, "What is a good question?", status="answered", hardness=4)
    add("fresh", 1, "Is 电梯 a good word?", hardness=2)
    add("sunk", 2, "Summarise a paper", hardness=0)
    add("young", 10, "Ten days old", hardness=3)
    clock.now = NOW
    return ids


def test_due_entries_collect_every_reason_and_skip_closed(
    services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    _j, review = make(services, clock)
    due = {item.entry.id: item.reasons for item in review.due_entries()}
    assert due[fixture["month_old"]] == ("resurface",)
    assert set(due[fixture["stalled"]]) == {"resurface", "stalled"}
    assert due[fixture["sunk"]] == ("submerged",)
    assert fixture["answered"] not in due
    assert fixture["fresh"] not in due
    assert fixture["young"] in due  # 7-day checkpoint passed, never reviewed


def test_start_freezes_queue_without_this_weeks_new_entries(
    services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    _j, review = make(services, clock)
    state = review.start()
    assert state.period.label == "2026-W48"
    assert state.step == "new"
    new_ids = [e.id for e in review.new_entries(state.period)]
    assert new_ids == [fixture["sunk"], fixture["fresh"]]
    queue = [i.entry.id for i in review.queue(state.id)]
    assert queue == [fixture["stalled"], fixture["month_old"], fixture["young"]]
    assert fixture["sunk"] not in queue  # shown among the new entries instead


def test_each_action_is_saved_and_updates_the_entry(
    services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    journal, review = make(services, clock)
    state = review.start()
    clock.now = NOW + timedelta(minutes=5)
    review.keep(state.id, fixture["stalled"])
    assert journal.get(fixture["stalled"]).last_reviewed_at == clock.now
    review.rerate(state.id, fixture["month_old"], 1)
    history = journal.hardness_history(fixture["month_old"])
    assert (history[-1].level, history[-1].source) == (1, "review")
    child = review.sharpen(state.id, fixture["young"], "Ten days old, but sharper")
    assert child.parent_id == fixture["young"]
    snoozed = review.snooze(state.id, fixture["sunk"])
    assert snoozed.snoozed_until == clock.now + timedelta(days=7)
    assert snoozed.last_reviewed_at is None
    actions = [(a.entry_id, a.action) for a in review.actions(state.id)]
    assert actions == [
        (fixture["stalled"], "keep"),
        (fixture["month_old"], "rerate"),
        (fixture["young"], "sharpen"),
        (fixture["sunk"], "snooze"),
    ]
    # Reviewed entries drop out of what is due; the snoozed one waits a week.
    due_now = {i.entry.id for i in review.due_entries()}
    assert not due_now & {fixture["stalled"], fixture["young"], fixture["sunk"]}
    later = {i.entry.id for i in review.due_entries(clock.now + timedelta(days=7))}
    assert fixture["sunk"] in later


def test_change_status_with_outcome_and_tags_of_sharpened_entry(
    services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    journal, review = make(services, clock)
    state = review.start()
    done = review.change_status(state.id, fixture["stalled"], "done", "Shipped it")
    assert (done.status, done.outcome) == ("done", "Shipped it")
    assert journal.status_history(fixture["stalled"])[-1].outcome == "Shipped it"
    child = review.sharpen(state.id, fixture["month_old"], "Why exactly then?\nMore detail")
    assert child.tags == ("ml",)
    assert child.body == "More detail"
    with pytest.raises(InvalidValue):
        review.change_status(state.id, fixture["month_old"], "done")  # not a question status
    with pytest.raises(InvalidValue):
        review.sharpen(state.id, fixture["month_old"], "   ")


def test_interrupted_review_resumes_exactly_in_a_new_service(
    app_paths: AppPaths, services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    _j, review = make(services, clock)
    state = review.start()
    queue = [i.entry.id for i in review.queue(state.id)]
    review.move_to(state.id, "due", 0)
    review.keep(state.id, queue[0])
    services.close()  # the app is closed mid-review

    reopened = open_services(app_paths)
    try:
        clock.now = NOW + timedelta(hours=2)
        _j2, review2 = make(reopened, clock)
        resumed = review2.start()
        assert resumed.id == state.id
        assert (resumed.step, resumed.position) == ("due", 1)
        assert [i.entry.id for i in review2.queue(resumed.id)] == queue
        assert review2.queue(resumed.id)[resumed.position].entry.id == queue[1]
        assert [a.action for a in review2.actions(resumed.id)] == ["keep"]
    finally:
        reopened.close()


def test_waterline_step_stores_newly_covered_entries(
    services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    journal, review = make(services, clock)
    state = review.start()
    result = review.set_waterline(state.id, 2)
    assert (result.previous, result.level) == (1, 2)
    assert [e.id for e in result.newly_submerged] == [fixture["fresh"]]
    assert [e.id for e in review.covered(state.id)] == [fixture["fresh"]]
    assert journal.waterline() == 2
    assert review.get(state.period).waterline == 2  # type: ignore[union-attr]


def test_finish_keeps_the_review_and_refuses_more_actions(
    services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    _j, review = make(services, clock)
    state = review.start()
    review.set_reflection(state.id, "  The water rose at my ankles.  ")
    done = review.finish(state.id)
    assert done.finished and done.step == "finished"
    assert done.reflection == "The water rose at my ankles."
    assert done.waterline == 1
    with pytest.raises(InvalidValue):
        review.keep(state.id, fixture["month_old"])
    assert review.start().finished  # starting again shows the finished review
    assert [r.period.label for r in review.reviews()] == ["2026-W48"]


def test_review_due_after_the_review_time_until_finished(
    services: Services, clock: FakeClock, fixture: dict[str, str]
) -> None:
    _j, review = make(services, clock)
    settings = Settings(review_weekday=7, review_time="19:00")
    saturday = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
    sunday_evening = datetime(2026, 11, 29, 19, 0, tzinfo=UTC)
    assert review.is_review_due(saturday, settings)  # last week's (W47) was never done
    state = review.start("2026-W47")
    review.finish(state.id)
    assert not review.is_review_due(saturday, settings)
    assert review.is_review_due(sunday_evening, settings)
    assert review.due_period(sunday_evening, settings).label == "2026-W48"  # type: ignore[union-attr]
    review.finish(review.start("2026-W48").id)
    assert not review.is_review_due(sunday_evening + timedelta(days=3), settings)


def test_empty_journal_has_no_review_due(services: Services, clock: FakeClock) -> None:
    _j, review = make(services, clock)
    assert not review.is_review_due(NOW, Settings())
    assert review.due_entries() == []


def test_on_this_day_finds_earlier_years(services: Services, clock: FakeClock) -> None:
    journal, _r = make(services, clock)
    clock.now = datetime(2024, 11, 25, 9, tzinfo=UTC)
    two_years = journal.add("Two years ago").id
    clock.now = datetime(2025, 11, 24, 23, tzinfo=UTC)
    journal.add("The day before")
    clock.now = NOW
    journal.add("Today itself")
    found = Journal(services.db, tz=UTC).on_this_day(date(2026, 11, 25))
    assert [(year, [e.id for e in entries]) for year, entries in found] == [(2024, [two_years])]


# -- the due rules in SQL against the rules in Python ----------------------------------------

ZONES = (
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Pacific/Auckland"),
    UTC,
)
#: Days after creation a review happened: on, just before and just after each checkpoint,
#: before creation, and far later.
REVIEW_OFFSETS = (-3, 0, 6, 7, 8, 29, 30, 31, 89, 90, 91, 364, 365, 366, 730, 731, 1096, 1500)


def python_due(
    conn: sqlite3.Connection,
    at: datetime,
    tz: tzinfo | None,
    created_before: datetime | None = None,
) -> list[tuple[str, tuple[str, ...]]]:
    """The rules as written in :mod:`schedule`, applied row by row: every live entry's facts,
    judged by ``due_reasons`` (what the review did before it asked SQL)."""
    marks = conn.execute(
        "SELECT level, set_at FROM waterline_mark WHERE set_at <= ? ORDER BY set_at, id",
        (format_utc(at),),
    ).fetchall()
    level, rises = DEFAULT_WATERLINE, {}
    for new, set_at in marks:
        for covered in range(level + 1, new + 1):
            rises[covered] = parse_stored(set_at)
        level = new
    rows = conn.execute(
        "SELECT id, kind, status, hardness, created_at, updated_at, last_reviewed_at,"
        " snoozed_until, seal_level,"
        " (SELECT max(rated_at) FROM hardness_rating r WHERE r.entry_id = e.id), revisit_on"
        " FROM entry e WHERE deleted_at IS NULL AND created_at < ? ORDER BY created_at, num",
        (format_utc(created_before or at),),
    )
    out = []
    for entry_id, kind, status, hardness, *times, seal, rated_text, revisit in rows:
        created, updated, reviewed, snoozed, rated = (
            None if t is None else parse_stored(t) for t in (*times, rated_text)
        )
        covered = None
        if hardness is not None:
            known = [t for t in (rated, rises.get(hardness)) if t is not None]
            covered = max(known) if known else None
        facts = schedule.ScheduleFacts(
            kind,
            status,
            hardness,
            created,
            updated,
            reviewed,
            snoozed,
            covered,
            seal,
            None if revisit is None else date.fromisoformat(revisit),
        )
        reasons = schedule.due_reasons(facts, at, level, tz)
        if reasons:
            out.append((entry_id, reasons))
    return out


def _at_eight(day: date) -> datetime:
    """08:00 UTC: the same local date in every zone of ``ZONES`` (UTC-5 to UTC+13)."""
    return datetime.combine(day, time(8, 0), tzinfo=UTC)


#: Reviews of entries created on 29 February 2024 and 1 March 2023, around their anniversaries.
LEAP_REVIEWS = tuple(
    _at_eight(date(year, month, day))
    for year in (2024, 2025, 2026, 2027)
    for month, day in ((2, 27), (2, 28), (3, 1))
)


def _near_midnight(rng: random.Random, day: date) -> datetime:
    """A moment on or near a local midnight of *day* in one of the zones, or any time."""
    tz = rng.choice(ZONES)
    start = to_utc(datetime.combine(day, time(0, 0)), tz)
    return start + rng.choice(
        (
            timedelta(0),
            timedelta(microseconds=-1),
            timedelta(seconds=1),
            timedelta(hours=-1),
            timedelta(minutes=rng.randrange(24 * 60)),
        )
    )


@pytest.fixture
def varied_schedule(services: Services, clock: FakeClock) -> Journal:
    """About 400 entries with every kind of schedule: created and reviewed on and around
    checkpoints and local midnights (29 February too), snoozed, re-rated, trashed, closed,
    stalled, under a waterline that rose and fell."""
    rng = random.Random(20261129)
    journal = Journal(services.db, clock=clock, tz=UTC)
    first = date(2021, 1, 1)
    created_days = [first + timedelta(days=rng.randrange(6 * 365)) for _ in range(380)]
    created_days += [date(2024, 2, 29)] * 8 + [date(2023, 3, 1), date(2024, 2, 28)] * 4
    made, fixed = [], []
    for i, day in enumerate(created_days):
        kind = rng.choice(("question", "question", "plan", "plan", "note"))
        status = {
            "question": rng.choice(("open", "exploring", "answered")),
            "plan": rng.choice(("idea", "active", "active", "done")),
            "note": None,
        }[kind]
        created = _near_midnight(rng, day)
        clock.now = created
        entry = journal.add(
            f"entry {i}",
            kind=kind,
            status=status,
            hardness=rng.choice((None, 0, 1, 2, 3, 4)),
            created_at=created,
        )
        made.append((entry.id, created))
    leap = _at_eight(date(2024, 2, 29)), _at_eight(date(2023, 3, 1))
    for created in leap:
        for reviewed in (None, *LEAP_REVIEWS):
            clock.now = created
            entry = journal.add(f"created {created:%d %B}", created_at=created)
            fixed.append((entry.id, reviewed))
    for created, reviewed in ((date(2021, 3, 1), date(2020, 12, 15)), (date(2021, 6, 1), None)):
        clock.now = _at_eight(created)  # imported: reviewed before the journal's first entry
        imported = journal.add("reviewed before the journal began", created_at=clock.now)
        fixed.append((imported.id, _at_eight(reviewed or date(2019, 5, 1))))
    conn = connect(services.db.path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for entry_id, created in made:
            reviewed = None
            if rng.random() < 0.6:
                days = rng.choice(REVIEW_OFFSETS)
                reviewed = _near_midnight(rng, to_utc(created).date() + timedelta(days=days))
                if rng.random() < 0.2:  # on an anniversary, 29 February falling on 28
                    years = rng.choice((1, 2, 3, 4))
                    base = schedule.add_years(created.date(), years)
                    reviewed = _near_midnight(rng, base + timedelta(days=rng.choice((-1, 0, 1))))
            updated = _near_midnight(
                rng, created.date() + timedelta(days=rng.choice((0, 13, 14, 15, 400)))
            )
            snoozed = None
            if rng.random() < 0.15:
                snoozed = _near_midnight(rng, first + timedelta(days=rng.randrange(6 * 365)))
            deleted = format_utc(created) if rng.random() < 0.05 else None
            seal = rng.randrange(5) if rng.random() < 0.2 else None  # reached as the water moves
            revisit = None  # a chosen day: closed, sealed and snoozed entries too
            if rng.random() < 0.25:
                revisit = (first + timedelta(days=rng.randrange(7 * 365))).isoformat()
            conn.execute(
                "UPDATE entry SET last_reviewed_at = ?, updated_at = ?, snoozed_until = ?,"
                " deleted_at = ?, seal_level = ?, revisit_on = ? WHERE id = ?",
                (
                    None if reviewed is None else format_utc(reviewed),
                    format_utc(max(updated, created)),
                    None if snoozed is None else format_utc(snoozed),
                    deleted,
                    seal,
                    revisit,
                    entry_id,
                ),
            )
            if reviewed is not None and rng.random() < 0.3:  # re-rated before or after the review
                rated = reviewed + timedelta(
                    days=rng.choice((-2, 0, 3)), seconds=rng.choice((-1, 0, 1))
                )
                conn.execute(
                    "INSERT INTO hardness_rating (entry_id, level, source, rated_at)"
                    " VALUES (?, ?, 'user', ?)",
                    (entry_id, rng.randrange(5), format_utc(rated)),
                )
        for entry_id, reviewed in fixed:
            conn.execute(
                "UPDATE entry SET last_reviewed_at = ? WHERE id = ?",
                (None if reviewed is None else format_utc(reviewed), entry_id),
            )
        for k in range(12):  # the water rises and falls
            set_at = _near_midnight(rng, date(2022, 1, 1) + timedelta(days=110 * k))
            conn.execute(
                "INSERT INTO waterline_mark (level, note, set_at) VALUES (?, '', ?)",
                (rng.randrange(5), format_utc(set_at)),
            )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return journal


def _moments(rng: random.Random) -> list[datetime]:
    """When to ask: local midnights and just before them, anniversaries around 29 February,
    DST change days, and random times, from 2021 to 2028."""
    days = [date(2021, 1, 1) + timedelta(days=rng.randrange(7 * 365)) for _ in range(14)]
    days += [date(2025, 2, 28), date(2025, 3, 1), date(2026, 3, 29), date(2026, 10, 25)]
    days += [date(2028, 2, 29), date(2027, 2, 28), date(2024, 2, 29)]
    out = [_at_eight(day) for day in (date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28))]
    out += [_at_eight(day) for day in (date(2024, 2, 29), date(2027, 3, 1), date(2028, 2, 29))]
    out += [_at_eight(day) for day in (date(2021, 4, 1), date(2021, 6, 15))]  # the first year
    for day in days:
        moment = _near_midnight(rng, day)
        out.append(moment)
        out.append(moment - timedelta(microseconds=1))
    return out


def test_sql_due_rules_match_the_python_rules(services: Services, varied_schedule: Journal) -> None:
    """Which entries are due, why, in which order and how many: the SQL the review runs gives
    exactly what the rules of ``schedule`` give row by row, in four time zones."""
    rng = random.Random(5)
    seen: Counter[str] = Counter()
    conn = connect(services.db.path)
    snoozes = conn.execute(  # the very moment a snooze ends: due again
        "SELECT snoozed_until FROM entry WHERE snoozed_until IS NOT NULL LIMIT 8"
    ).fetchall()
    try:
        for tz in ZONES:
            for at in _moments(rng) + [parse_stored(t) for (t,) in snoozes]:
                created_before = None if rng.random() < 0.5 else at - timedelta(days=3)
                expected = python_due(conn, at, tz, created_before)
                query = DueQuery.at(conn, at, tz=tz, created_before=created_before)
                assert query.pick(conn, None) == schedule.prioritise(expected, None), (tz, at)
                assert query.pick(conn) == schedule.prioritise(expected), (tz, at)
                assert query.count(conn) == len(expected), (tz, at)
                seen.update(r for _i, reasons in expected for r in reasons)
                seen["revisit only"] += sum(r == ("revisit",) for _i, r in expected)
                seen["total"] += len(expected)
    finally:
        conn.close()
    # The corpus exercises every rule, not just the easy cases.
    assert min(seen[r] for r in ("resurface", "submerged", "stalled", "tide", "revisit")) > 100, (
        seen
    )
    assert seen["revisit only"] > 50, seen  # closed or sealed, due for the chosen day alone


def test_sql_due_rules_in_the_machines_own_zone(
    services: Services, varied_schedule: Journal
) -> None:
    """``tz=None`` means the machine's zone (the app's default): the offsets are probed from it."""
    if not hasattr(pytime, "tzset"):
        pytest.skip("needs time.tzset")
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Sao_Paulo"  # had DST until 2019, changes at local midnight
    pytime.tzset()
    conn = connect(services.db.path)
    try:
        for at in _moments(random.Random(6)):
            expected = python_due(conn, at, None)
            query = DueQuery.at(conn, at)
            assert query.pick(conn, None) == schedule.prioritise(expected, None), at
            assert query.count(conn) == len(expected)
    finally:
        conn.close()
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        pytime.tzset()


def test_review_service_brings_up_what_the_rules_say(
    services: Services, clock: FakeClock, varied_schedule: Journal
) -> None:
    berlin = ZONES[0]
    clock.now = datetime(2026, 3, 29, 18, 30, tzinfo=UTC)
    review = ReviewService(services.db, varied_schedule, clock=clock, tz=berlin)
    period = review.period()
    start, _end = period.utc_bounds(berlin)
    conn = connect(services.db.path)
    try:
        expected = python_due(conn, clock.now, berlin, start)
        everything = python_due(conn, clock.now, berlin)
    finally:
        conn.close()
    assert len(expected) > schedule.REVIEW_LIMIT
    items, total = review.due_overview(created_before=start)
    assert [(i.entry.id, i.reasons) for i in items] == schedule.prioritise(expected)
    assert total == len(expected)
    listed = review.due_entries(limit=None)
    assert [(i.entry.id, i.reasons) for i in listed] == schedule.prioritise(everything, None)
    state = review.start(period)
    queued = [(i.entry.id, i.reasons) for i in review.queue(state.id)]
    assert queued == schedule.prioritise(expected)


def test_queue_is_capped_and_most_pressing_first() -> None:
    due = [(f"r{i}", ("resurface",)) for i in range(40)]
    due.insert(5, ("plan", ("resurface", "stalled")))
    due.insert(20, ("sunk", ("submerged",)))
    picked = schedule.prioritise(due)
    assert len(picked) == schedule.REVIEW_LIMIT
    assert [i for i, _r in picked[:3]] == ["sunk", "plan", "r0"]
    assert len(schedule.prioritise(due, None)) == 42


def test_a_new_journal_is_not_asked_about_a_week_before_it_began(
    services: Services, clock: FakeClock
) -> None:
    """Review on Mondays looks back on the week that just ended: a journal begun on a Monday
    morning has nothing to review that evening (issue 12)."""
    journal, review = make(services, clock)
    settings = Settings(review_weekday=1, review_time="19:00", week_start=1)
    clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday of W49: the first entry
    journal.add("My very first question")
    monday_evening = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    assert review.due_period(monday_evening, settings) is None  # W48: it did not exist yet
    next_monday = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    assert review.due_period(next_monday, settings).label == "2026-W49"  # type: ignore[union-attr]


def test_on_this_day_unions_day_ranges_with_a_large_journals_statistics(
    services: Services,
) -> None:
    """With the statistics of a 100,000-entry journal, SQLite walked the created_at index in
    order (every entry) to skip sorting; the statement must search the day ranges instead."""
    from questionbook.core.journal import on_this_day_statement
    from questionbook.storage.connection import connect

    Journal(services.db, tz=UTC).add("something to analyse")
    statement = on_this_day_statement(date(2026, 12, 6), UTC)
    assert statement is not None
    sql, params = statement
    conn = connect(services.db.path)
    try:
        conn.execute("ANALYZE")
        conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'entry'")
        conn.executemany(  # as measured on the benchmark's 100k corpus
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('entry', ?, ?)",
            [
                ("ix_entry_created_at", "96876 1"),
                ("ix_entry_live_created", "100800 401 1"),
                ("ix_entry_stats", "99940 401 401 401 401"),
                ("sqlite_autoindex_entry_1", "108240 1"),
            ],
        )
        conn.commit()
        conn.execute("ANALYZE sqlite_schema")  # load the planted statistics
        plan = [
            r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql.format(columns='id')}", params)
        ]
    finally:
        conn.close()
    assert not any(step.startswith("SCAN entry") for step in plan), plan
    assert "MULTI-INDEX OR" in plan
