"""Reach and its quadrants, tide seals, "still mine", and search for them (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from questionbook.core import schedule
from questionbook.core.errors import InvalidValue
from questionbook.core.insights_evidence import reach_grid
from questionbook.core.journal import Journal
from questionbook.core.query import parse_query
from questionbook.core.review import ReviewService
from questionbook.core.schedule import ScheduleFacts, due_reasons
from questionbook.core.trials import TrialService
from questionbook.core.vocabulary import REACH, Quadrant, parse_reach, quadrant
from questionbook.i18n import set_language
from questionbook.services import Services
from tests.conftest import FakeClock


def test_reach_levels_have_names_in_both_languages() -> None:
    assert [r.level for r in REACH] == [0, 1, 2, 3, 4]
    assert [r.zh for r in REACH] == ["手边", "伸手", "踮脚", "攀登", "天边"]
    assert parse_reach("3") == 3 and parse_reach("far-off") == 4 and parse_reach("手边") == 0
    assert parse_reach("Within reach") == 1 and parse_reach("none") is None
    with pytest.raises(InvalidValue):
        parse_reach("7")
    set_language("zh_CN")
    try:
        assert REACH[2].label == "踮脚"
        assert parse_reach("攀登") == 3
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("hardness", "reach", "expected"),
    [
        (2, 0, Quadrant.EDGE),  # above the water (1), within your reach
        (4, 2, Quadrant.EDGE),
        (2, 3, Quadrant.MOONSHOT),
        (1, 4, Quadrant.DELEGATE),  # at the waterline counts as under it
        (0, 2, Quadrant.JUST_DO_IT),
        (None, 2, None),
        (3, None, None),
    ],
)
def test_quadrants(hardness: int | None, reach: int | None, expected: Quadrant | None) -> None:
    assert quadrant(hardness, reach, 1) == expected


def test_reach_on_add_and_edit_and_search(clocked_journal: Journal) -> None:
    j = clocked_journal
    edge = j.add("Edge", hardness=3, reach=1)
    moon = j.add("Moonshot", hardness=4, reach=4)
    delegate = j.add("Delegate", hardness=0, reach=3)
    just = j.add("Just do it", hardness=1, reach="at hand")
    j.add("Unrated reach", hardness=3)
    assert j.get(just.id).reach == 0

    def ids(q: str) -> set[str]:
        return {s.id for s in j.find(q)}

    assert ids("is:edge") == {edge.id}
    assert ids("is:moonshot") == {moon.id}
    assert ids("is:delegate") == {delegate.id}
    assert ids("is:justdo") == {just.id}
    assert ids("reach>=3") == {moon.id, delegate.id}
    assert ids("reach:1") == {edge.id}
    assert ids("reach<1") == {just.id}
    assert j.count("is:edge kind:question") == 1
    j.set_waterline(3)  # the water rises over the edge: it becomes "just do it"
    assert ids("is:edge") == set() and ids("is:justdo") == {edge.id, just.id}
    assert j.update(edge.id, reach=None).reach is None
    bad = parse_query("reach:9 is:bogus")  # bad operators are reported, not searched
    assert [p.token for p in bad.problems] == ["reach:9", "is:bogus"] and not bad.terms


def test_reach_grid_counts_open_entries_rated_for_both(
    services: Services, journal: Journal
) -> None:
    journal.add("a", hardness=3, reach=1)
    journal.add("b", hardness=3, reach=1)
    journal.add("c", hardness=0, reach=4)
    journal.add("closed", hardness=3, reach=1, status="answered")
    journal.add("no reach", hardness=3)
    gone = journal.add("trash", hardness=2, reach=2)
    journal.delete(gone.id)
    grid = reach_grid(services.db)
    assert grid.counts[3][1] == 2 and grid.counts[0][4] == 1 and grid.total == 3
    assert grid.quadrant_counts() == {
        Quadrant.EDGE: 2,
        Quadrant.MOONSHOT: 0,
        Quadrant.DELEGATE: 1,
        Quadrant.JUST_DO_IT: 0,
    }


# -- tide seals -------------------------------------------------------------------------------


def test_seal_needs_a_level_above_the_water_and_keeps_where_it_was(
    clocked_journal: Journal,
) -> None:
    e = clocked_journal.add("Will an AI write my eulogy?", hardness=3)
    with pytest.raises(InvalidValue, match="the water is already at 1 Shallows"):
        clocked_journal.update(e.id, seal_until="shallows")
    sealed = clocked_journal.update(e.id, seal_until="Highlands")
    assert (sealed.seal_level, sealed.seal_waterline, sealed.sealed) == (3, 1, True)
    assert clocked_journal.find("is:sealed")[0].id == e.id
    unsealed = clocked_journal.update(e.id, seal_until=None)
    assert (unsealed.seal_level, unsealed.seal_waterline) == (None, None)


def test_seal_rules_in_python() -> None:
    created = datetime(2026, 1, 1, 12, tzinfo=UTC)
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    plain = ScheduleFacts("question", "open", 1, created, created)
    assert due_reasons(plain, now, 1, UTC) == ("resurface", "submerged")
    sealed = ScheduleFacts("question", "open", 1, created, created, seal_level=3)
    assert due_reasons(sealed, now, 2, UTC) == ()  # resting: not even submerged
    assert due_reasons(sealed, now, 3, UTC) == ("resurface", "submerged", "tide")
    closed = ScheduleFacts("question", "answered", 1, created, created, seal_level=1)
    assert due_reasons(closed, now, 4, UTC) == ()
    assert schedule.prioritise([("a", ("resurface",)), ("b", ("tide",))]) == [
        ("b", ("tide",)),
        ("a", ("resurface",)),
    ]
    assert schedule.tide_message(1, 3) == (
        "Sealed when the water was at Shallows; it is at Highlands now: what changed?"
    )


def test_a_sealed_entry_comes_back_with_the_tide_and_the_review_lifts_its_seal(
    services: Services, clock: FakeClock
) -> None:
    journal = Journal(services.db, clock=clock, tz=UTC)
    review = ReviewService(services.db, journal, clock=clock, tz=UTC)
    clock.now = datetime(2026, 10, 1, 12, tzinfo=UTC)
    sealed = journal.add("What will my job be in five years?", hardness=3)
    journal.update(sealed.id, seal_until=3)
    other = journal.add("Plain old question", hardness=4)
    clock.now = datetime(2026, 11, 25, 12, tzinfo=UTC)

    def due() -> dict[str, tuple[str, ...]]:
        return {i.entry.id: i.reasons for i in review.due_entries(limit=None)}

    assert sealed.id not in due() and due()[other.id] == ("resurface",)
    journal.set_waterline(2)
    assert sealed.id not in due()
    journal.set_waterline(3)
    assert due()[sealed.id] == ("resurface", "submerged", "tide")
    state = review.start()
    assert review.queue(state.id)[0].entry.id == sealed.id  # tide first
    review.snooze(state.id, sealed.id)  # a snooze keeps the seal: back with the tide later
    assert journal.get(sealed.id).seal_level == 3
    kept = review.keep(state.id, sealed.id)
    assert (kept.seal_level, kept.seal_waterline) == (None, None)
    assert journal.get(sealed.id).seal_level is None
    assert sealed.id not in due()


# -- still mine -------------------------------------------------------------------------------


def test_still_mine_is_kept_with_its_time_and_grouped_by_tag(
    clocked_journal: Journal, clock: FakeClock
) -> None:
    j = clocked_journal
    a = j.add("Write the team's onboarding guide #work #writing", hardness=1)
    b = j.add("Choose the wine for the dinner #taste", hardness=0)
    c = j.add("Untagged thing", hardness=0)
    j.add("No line here #work")
    saved = j.update(a.id, still_mine="  which stories\n to tell  ")
    assert (saved.still_mine, saved.still_mine_at) == ("which stories to tell", clock.now)
    clock.now += timedelta(hours=1)
    j.update(b.id, still_mine="my palate")
    j.update(c.id, still_mine="the decision")
    j.update(a.id, title="Write the team's onboarding guide #work #writing!")  # not rewritten
    assert j.get(a.id).still_mine_at == saved.still_mine_at
    groups = j.still_mine()
    assert [(g.tag, [i.id for i in g.items]) for g in groups] == [
        ("taste", [b.id]),
        ("work", [a.id]),
        ("writing", [a.id]),
        (None, [c.id]),
    ]
    cleared = j.update(c.id, still_mine="")
    assert (cleared.still_mine, cleared.still_mine_at) == ("", None)
    assert [g.tag for g in j.still_mine()] == ["taste", "work", "writing"]


def test_trials_and_verdicts_are_searchable(clocked_journal: Journal, services: Services) -> None:
    trials = TrialService(services.db)
    a = clocked_journal.add("Tried and failed")
    b = clocked_journal.add("Tried and solved")
    clocked_journal.add("Never tried")
    trials.add(a.id, verdict="failed")
    trials.add(a.id, verdict="partly")
    trials.add(b.id, verdict="solved")
    assert {s.id for s in clocked_journal.find("has:trial")} == {a.id, b.id}
    assert [s.id for s in clocked_journal.find("verdict:failed")] == [a.id]
    assert clocked_journal.count("verdict:solved has:trial") == 1
    assert clocked_journal.count("verdict:failed verdict:solved") == 2  # like kind: and status:
