"""AI trials as evidence: the trial service, what an entry's trials suggest, calibration and the
waterline step's hint (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from questionbook.core.errors import AmbiguousId, EntryNotFound, InvalidValue, TrialNotFound
from questionbook.core.evidence import evidence_text, weigh
from questionbook.core.journal import Journal
from questionbook.core.trials import TrialService
from questionbook.i18n import set_language
from questionbook.services import Services
from tests.conftest import FakeClock


@pytest.fixture
def trials(services: Services, clock: FakeClock) -> TrialService:
    return TrialService(services.db, clock=clock, tz=UTC)


def test_add_judge_list_newest_first(
    clocked_journal: Journal, trials: TrialService, clock: FakeClock
) -> None:
    entry = clocked_journal.add("Why does grokking happen suddenly?", "Phase change?", hardness=2)
    first = trials.add(entry.id[:8], verdict="failed", model="  qwen3:8b ", note="wrong")
    assert first.prompt == "Why does grokking happen suddenly?\n\nPhase change?"  # the default
    assert (first.model, first.verdict, first.asked_at) == ("qwen3:8b", "failed", clock.now)
    clock.now += timedelta(hours=1)
    second = trials.add(entry.id, verdict="pending", prompt="Explain grokking", answer="# Maybe")
    earlier = trials.add(
        entry.id, verdict="Solved", asked_at=datetime(2026, 1, 1, 9, tzinfo=UTC), model="GPT-5"
    )
    assert [t.id for t in trials.for_entry(entry.id)] == [second.id, first.id, earlier.id]
    judged = trials.judge(second.id[:6], "partly", note="half of it")
    assert (judged.verdict, judged.note, judged.answer) == ("partly", "half of it", "# Maybe")
    assert trials.get(second.id) == judged
    trials.delete(earlier.id)
    assert [t.id for t in trials.for_entry(entry.id)] == [second.id, first.id]


def test_bad_input_is_refused_and_changes_nothing(
    clocked_journal: Journal, trials: TrialService
) -> None:
    entry = clocked_journal.add("A question?")
    with pytest.raises(InvalidValue, match="unknown verdict 'great'"):
        trials.add(entry.id, verdict="great")
    with pytest.raises(EntryNotFound):
        trials.add("ffffffff", verdict="failed")
    with pytest.raises(TrialNotFound):
        trials.judge("abcd1234", "solved")
    with pytest.raises(TrialNotFound, match="at least 4 characters"):
        trials.get("ab")
    assert trials.for_entry(entry.id) == []


def test_trial_ids_resolve_by_prefix_and_ambiguity_is_an_error(
    clocked_journal: Journal, trials: TrialService
) -> None:
    entry = clocked_journal.add("A question?")
    a = trials.add(entry.id, verdict="failed", trial_id="aaaa0000-0000-4000-8000-000000000001")
    trials.add(entry.id, verdict="failed", trial_id="aaaa0000-0000-4000-8000-000000000002")
    with pytest.raises(AmbiguousId):
        trials.get("aaaa0000")
    assert trials.get("aaaa0000-0000-4000-8000-000000000001") == a


def test_trials_go_with_their_entry(clocked_journal: Journal, trials: TrialService) -> None:
    entry = clocked_journal.add("Purge me")
    trial = trials.add(entry.id, verdict="failed")
    clocked_journal.delete(entry.id)
    assert trials.get(trial.id) == trial  # the Trash keeps them
    clocked_journal.purge(entry.id)
    with pytest.raises(TrialNotFound):
        trials.get(trial.id)


@pytest.mark.parametrize(
    ("counts", "hardness", "low", "high", "suggestion"),
    [
        ({}, None, None, None, None),
        ({"pending": 2}, 1, None, None, None),
        ({"failed": 2}, 1, 2, None, 2),  # "AI failed 2 of 2 — at least Shoreline?"
        ({"failed": 2}, 3, 2, None, None),  # already at least Shoreline
        ({"failed": 2}, None, 2, None, 2),
        ({"solved": 3, "failed": 1}, 3, None, 1, 1),
        ({"solved": 3}, 0, None, 1, None),
        ({"solved": 1}, None, None, 1, 1),
        ({"partly": 2}, 4, 1, 2, 2),
        ({"partly": 1}, 0, 1, 2, 1),
        ({"solved": 1, "failed": 1}, None, 1, 2, 2),
    ],
)
def test_what_the_evidence_suggests(
    counts: dict[str, int], hardness: int | None, low: int, high: int, suggestion: int
) -> None:
    ev = weigh(counts, hardness)
    assert (ev.suggested_min, ev.suggested_max, ev.suggestion) == (low, high, suggestion)


def test_the_editors_line_in_english_and_chinese() -> None:
    set_language("en")
    try:
        assert evidence_text(weigh({"failed": 2}, 1)) == "AI failed 2 of 2 — at least Shoreline?"
        assert evidence_text(weigh({"failed": 2}, 3)) == "AI failed 2 of 2"
        assert evidence_text(weigh({"solved": 3, "pending": 1}, 4)) == (
            "AI solved 3 of 3 (1 pending) — at most Shallows?"
        )
        assert evidence_text(weigh({"solved": 1, "partly": 1, "failed": 1}, 4)) == (
            "AI solved 1, partly 1, failed 1 of 3 — Shallows or Shoreline?"
        )
        assert evidence_text(weigh({"pending": 1}, 4)) == "1 AI trial waits for your verdict"
        assert evidence_text(weigh({}, 4)) == ""
        set_language("zh_CN")
        assert evidence_text(weigh({"failed": 2}, 1)) == "AI 失败 2/2 次 — 至少是岸线？"
    finally:
        set_language("en")


def test_accepting_the_suggestion_rates_with_source_trial(
    clocked_journal: Journal, trials: TrialService
) -> None:
    entry = clocked_journal.add("Plan my garden for this climate", hardness=1)
    with pytest.raises(InvalidValue, match="suggest no other rating"):
        trials.accept_suggestion(entry.id)  # no trials: no evidence
    trials.add(entry.id, verdict="failed")
    trials.add(entry.id, verdict="failed")
    assert evidence_text(trials.evidence(entry.id)) == "AI failed 2 of 2 — at least Shoreline?"
    rated = trials.accept_suggestion(entry.id[:8])
    assert rated.hardness == 2
    history = clocked_journal.hardness_history(entry.id)
    assert [(h.level, h.source) for h in history] == [(1, "user"), (2, "trial")]
    with pytest.raises(InvalidValue):
        trials.accept_suggestion(entry.id)  # the rating fits now


def test_calibration_counts_each_trial_at_the_rating_it_had_when_tried(
    clocked_journal: Journal, trials: TrialService, clock: FakeClock
) -> None:
    a = clocked_journal.add("Shoreline question", hardness=2)
    b = clocked_journal.add("Highlands question", hardness=3)
    c = clocked_journal.add("Unrated question")
    clock.now += timedelta(minutes=1)
    trials.add(a.id, verdict="solved")
    trials.add(a.id, verdict="solved")
    trials.add(b.id, verdict="failed")
    trials.add(c.id, verdict="partly")
    trials.add(b.id, verdict="pending")
    clock.now += timedelta(minutes=1)
    clocked_journal.rate(a.id, 1, source="trial")  # re-rated after (because of) the trials
    gone = clocked_journal.add("In the Trash", hardness=2)
    trials.add(gone.id, verdict="failed")
    clocked_journal.delete(gone.id)
    cal = trials.calibration()
    assert cal.by_level[2] == {"solved": 2}
    assert cal.by_level[3] == {"failed": 1, "pending": 1}
    assert cal.by_level[None] == {"partly": 1}
    assert cal.by_level[1] == {} and cal.judged(3) == 1
    assert trials.calibration(since=clock.now + timedelta(hours=1)).is_empty


def test_waterline_hints_say_what_the_quarters_trials_suggest(
    clocked_journal: Journal, trials: TrialService, clock: FakeClock
) -> None:
    shore = [clocked_journal.add(f"Shoreline {i}", hardness=2) for i in range(5)]
    clock.now += timedelta(minutes=1)
    assert trials.waterline_hints() == []
    for entry, verdict in zip(
        shore, ("solved", "solved", "solved", "solved", "failed"), strict=True
    ):
        trials.add(entry.id, verdict=verdict)
    hints = trials.waterline_hints()
    assert [(h.level, h.text) for h in hints] == [
        (
            2,
            "AI solved 4 of 5 Shoreline trials in the last three months: "
            "the water may be above Shoreline.",
        )
    ]
    # An old trial counts no more; the water's own level is no hint of rising.
    assert trials.waterline_hints(now=clock.now + timedelta(days=120)) == []
    clocked_journal.set_waterline(2)
    assert trials.waterline_hints() == []
    shallow = [clocked_journal.add(f"Shallows {i}", hardness=1) for i in range(3)]
    clock.now += timedelta(minutes=1)
    for entry in shallow:
        trials.add(entry.id, verdict="failed")
    assert [(h.level, h.tried_level) for h in trials.waterline_hints()] == [(0, 1)]


def test_the_waterline_step_gets_the_hints_and_the_freeboard(
    services: Services, clocked_journal: Journal, trials: TrialService, clock: FakeClock
) -> None:
    from questionbook.core.review import ReviewService

    review = ReviewService(services.db, clocked_journal, clock=clock, tz=UTC)
    shore = [clocked_journal.add(f"Shoreline {i}", hardness=2) for i in range(3)]
    clock.now += timedelta(minutes=1)
    for entry in shore:
        trials.add(entry.id, verdict="solved")
    advice = review.waterline_advice()
    assert [h.level for h in advice.hints] == [2]
    assert advice.freeboard.flood and advice.freeboard.ask_level == 3
    clock.now += timedelta(days=100)
    assert review.waterline_advice().hints == []
