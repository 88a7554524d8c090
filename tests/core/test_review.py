"""The review service on a real journal file: queue, actions, waterline, resume, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from questionbook.core import schedule
from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.settings import Settings
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
    with services.db.read() as s:
        found = schedule.on_this_day(s, date(2026, 11, 25), UTC)
    assert found == [(2024, two_years)]


def test_sql_prefilter_loses_no_due_entry(services: Services, clock: FakeClock) -> None:
    """The coarse SQL window keeps every entry the exact local-date rules find due."""
    import random
    from zoneinfo import ZoneInfo

    from sqlalchemy import update

    from questionbook.core.models import EntryRecord

    berlin = ZoneInfo("Europe/Berlin")
    rng = random.Random(7)
    journal = Journal(services.db, clock=clock, tz=berlin)
    start = datetime(2023, 3, 1, tzinfo=UTC)
    for i in range(160):
        clock.now = start + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        kind = rng.choice(("question", "plan", "note"))
        status = {"question": "open", "plan": rng.choice(("idea", "active")), "note": None}[kind]
        entry = journal.add(
            f"entry {i}", kind=kind, status=status, hardness=rng.choice((None, 0, 1, 2, 3, 4))
        )
        reviewed = entry.created_at + timedelta(
            days=rng.choice((0, 6, 7, 29, 30, 89, 364, 366, 800))
        )
        with services.db.write() as s:
            s.execute(
                update(EntryRecord)
                .where(EntryRecord.id == entry.id)  # type: ignore[arg-type]
                .values(last_reviewed_at=reviewed if rng.random() < 0.6 else None)
            )
    clock.now = datetime(2025, 6, 1, tzinfo=UTC)
    journal.set_waterline(2)
    with services.db.read() as s:
        for days in range(0, 1200, 37):
            at = start + timedelta(days=days, hours=rng.randrange(24))
            exact = schedule.due_ids(s, at, tz=berlin, coarse=False)
            assert schedule.due_ids(s, at, tz=berlin) == exact


def test_queue_is_capped_and_most_pressing_first() -> None:
    due = [(f"r{i}", ("resurface",)) for i in range(40)]
    due.insert(5, ("plan", ("resurface", "stalled")))
    due.insert(20, ("sunk", ("submerged",)))
    picked = schedule.prioritise(due)
    assert len(picked) == schedule.REVIEW_LIMIT
    assert [i for i, _r in picked[:3]] == ["sunk", "plan", "r0"]
    assert len(schedule.prioritise(due, None)) == 42
