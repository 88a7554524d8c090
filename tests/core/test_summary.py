"""The weekly summary on a fixed journal: counts, histogram, streak, words, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from questionbook.core import schedule
from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.core.summary import (
    build_summary,
    render_markdown,
    summary_for_period,
    summary_json,
)
from questionbook.core.summary_markdown import hardness_histogram
from questionbook.i18n import _, set_language
from questionbook.services import Services
from tests.conftest import FakeClock

WEEK = schedule.parse_period("2026-W48")  # Mon 23 Nov - Sun 29 Nov 2026
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def journal(services: Services, clock: FakeClock) -> Journal:
    """Last week: three questions, a plan, a note (in Chinese), an answer and a done plan."""
    j = Journal(services.db, clock=clock, tz=UTC)

    def at(day: int, hour: int = 9) -> datetime:
        clock.now = MONDAY + timedelta(days=day, hours=hour - 9)
        return clock.now

    at(-20)
    old_q = j.add("An old question about #ai", hardness=2).id
    old_plan = j.add("Ship the prototype", kind="plan", status="active", hardness=3).id
    at(-8)
    j.add("An entry from two weeks ago", hardness=4)  # Sun 15 Nov
    at(-1)
    j.add("Sunday entry, just before the week", kind="note")  # Sun 22 Nov: W47
    at(0)
    j.add("Why does grokking happen suddenly? #ai #ml", hardness=4)
    at(1)
    j.add("What makes a question good? #ai", hardness=3)
    j.add("Build an elevator, not stairs #plans", kind="plan", hardness=4)
    at(2)
    j.add("今天想到电梯的问题 #思考", kind="note")
    at(3)
    j.add("Summarise this paper", hardness=0)
    j.set_status(old_q, "answered", "It was the learning-rate schedule.")
    j.set_status(old_plan, "done", "Shipped on Thursday")
    at(6, 22)
    j.set_waterline(2)  # covers the old question (hardness 2)
    clock.now = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    return j


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def test_counts_by_kind_and_status(services: Services, journal: Journal) -> None:
    s = summary_for_period(services.db, WEEK, tz=UTC)
    assert s.new_counts == {"question": 2 + 1, "plan": 1, "note": 1}
    assert s.totals == {"question": 5, "plan": 2, "note": 2}
    assert s.status_counts["question"] == {"open": 4, "answered": 1}
    assert s.status_counts["plan"] == {"idea": 1, "done": 1}
    assert [c.entry.title for c in s.closed] == [
        "An old question about #ai",
        "Ship the prototype",
    ]
    assert s.closed[0].outcome == "It was the learning-rate schedule."


def test_hardness_distribution_and_newly_submerged(services: Services, journal: Journal) -> None:
    s = summary_for_period(services.db, WEEK, tz=UTC)
    assert s.waterline == 2
    assert s.hardness == {0: 1, 1: 0, 2: 1, 3: 2, 4: 3, None: 2}
    assert {e.title for e in s.newly_submerged} == {
        "An old question about #ai",
        "Summarise this paper",
    }
    # The previous week: before the waterline moved, nothing had gone under.
    before = summary_for_period(services.db, schedule.parse_period("2026-W47"), tz=UTC)
    assert before.waterline == 1
    assert before.newly_submerged_count == 0


def test_streak_words_and_tags(services: Services, journal: Journal) -> None:
    s = summary_for_period(services.db, WEEK, tz=UTC)
    # Entries on Sun 22 (W47) and Mon 23 .. Thu 26; nothing Fri-Sun.
    assert s.streak == 0
    assert s.active_days == 4
    thursday = build_summary(services.db, date(2026, 11, 20), date(2026, 11, 27), tz=UTC)
    assert thursday.streak == 5  # Sun 22 to Thu 26
    # Chinese counts by character: 今天想到电梯的问题 (9) + 思考 (2); English by words.
    assert s.words == 7 + 6 + 6 + 11 + 3
    assert [(t.name, t.count) for t in s.top_tags][:1] == [("ai", 2)]
    assert {t.name for t in s.top_tags} == {"ai", "ml", "plans", "思考"}


def test_streak_grace_for_today(services: Services, journal: Journal, clock: FakeClock) -> None:
    today = date(2026, 11, 27)  # Friday: nothing written yet today
    s = summary_for_period(services.db, WEEK, tz=UTC, today=today)
    assert s.streak == 5


def test_markdown_document_in_english(services: Services, journal: Journal, english: None) -> None:
    review = ReviewService(services.db, journal, clock=journal.clock, tz=UTC)
    state = review.start(WEEK)
    review.finish(state.id, "The water rose to the shoreline.\nTime to aim higher.")
    md = render_markdown(summary_for_period(services.db, WEEK, tz=UTC))
    assert md.startswith("# Weekly summary · 2026-W48\n\n*2026-11-23 – 2026-11-29*")
    assert "- New entries: 5 (Questions: 3, Plans: 1, Notes: 1)" in md
    assert "| Questions | 3 | 5 | 4 open · 0 exploring · 1 answered · 0 retired |" in md
    assert "### Notes\n\n- 今天想到电梯的问题 #思考\n" in md
    assert "- **Answered:** An old question about #ai  \n  → It was the learning-rate" in md
    assert "> The water rose to the shoreline.\n> Time to aim higher." in md
    assert "- Words written: 33" in md
    # The streak says what it counts, so that beside "wrote on 4 days" a 0 is no riddle.
    assert "- Wrote on 4 days of 7\n- Writing streak: 0 days in a row up to 2026-11-29" in md
    assert "## Top tags\n\n\\#ai (2) · #ml (1)" in md
    from questionbook.core.markdown import render_markdown as to_html

    html = to_html(md)
    assert html.count("<h1") == 1  # the title; no tag line became a heading
    assert "#ai (2)" in html


def test_histogram_draws_the_waterline_between_levels(english: None) -> None:
    text = hardness_histogram({4: 8, 3: 4, 2: 0, 1: 2, 0: 1, None: 0}, 1)
    lines = text.splitlines()
    assert lines[0] == "4 Summit      " + "█" * 24 + " 8"
    assert lines[1] == "3 Highlands   " + "█" * 12 + " 4"
    assert lines[2] == "2 Shoreline    0"
    assert lines[3].startswith("~~~") and "waterline 1 Shallows" in lines[3]
    assert lines[4] == "1 Shallows    " + "█" * 6 + " 2"
    assert lines[-1] == "– Unrated      0"


def test_titles_cannot_inject_markdown_or_html(services: Services, clock: FakeClock) -> None:
    j = Journal(services.db, clock=clock, tz=UTC)
    clock.now = MONDAY
    j.add("<script>alert(1)</script> *bold* [x](javascript:y)")
    j.add("# not a heading")
    md = render_markdown(summary_for_period(services.db, WEEK, tz=UTC))
    assert "<script>" not in md
    assert "\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[x\\](javascript:y)" in md
    assert "- \\# not a heading" in md


def test_chinese_summary_uses_translated_headings_and_widths(
    services: Services, journal: Journal
) -> None:
    try:
        assert set_language("zh_CN") == "zh_CN"
        md = render_markdown(summary_for_period(services.db, WEEK, tz=UTC))
        assert md.startswith(f"# {_('Weekly summary')} · 2026 年第 48 周")
        assert f"## {_('Hardness against the waterline')}" in md
        assert "今天想到电梯的问题" in md
        histogram = md.split("```text\n")[1].split("```")[0]
        counts = [line.rsplit(" ", 1)[-1] for line in histogram.splitlines() if "~~" not in line]
        assert counts == ["3", "2", "1", "0", "1", "2"]
    finally:
        set_language("en")


def test_json_form(services: Services, journal: Journal) -> None:
    data = summary_json(summary_for_period(services.db, WEEK, tz=UTC))
    assert data["period"] == "2026-W48"
    assert data["new"] == {"question": 3, "plan": 1, "note": 1}
    assert data["statuses"]["plan"] == {"idea": 1, "active": 0, "done": 1, "dropped": 0}
    assert data["hardness"]["unrated"] == 2
    assert data["closed"][1]["outcome"] == "Shipped on Thursday"
    assert data["words"] == 33


def test_empty_journal_summary(services: Services, english: None) -> None:
    s = summary_for_period(services.db, WEEK, tz=UTC)
    assert s.totals == {"question": 0, "plan": 0, "note": 0}
    md = render_markdown(s)
    assert "Nothing new this time." in md
    assert "(No reflection written.)" in md


def test_the_summary_of_a_review_says_what_the_review_did(
    services: Services, journal: Journal, clock: FakeClock, english: None
) -> None:
    """Issue 12 #10: a review held after its week raises the waterline and closes a plan; its
    own summary must say so (the week's counts cannot: it all happened after the week)."""
    review = ReviewService(services.db, journal, clock=clock, tz=UTC)
    plan = journal.find("elevator")[0]
    question = journal.find("grokking")[0]
    state = review.start(WEEK)  # Monday 30 November, after the week
    covered = review.set_waterline(state.id, "shoreline").newly_submerged
    review.change_status(state.id, plan.id, "done", "Built the first floor")
    review.rerate(state.id, question.id, 3)
    follow = review.sharpen(state.id, question.id, "What makes grokking sudden in small nets?")
    review.finish(state.id, "The water rose this week.")

    summary = summary_for_period(services.db, WEEK, tz=UTC, today=date(2026, 11, 30))
    digest = summary.review
    assert digest is not None
    assert summary.waterline == digest.waterline == 2
    assert [e.id for e in digest.covered] == [e.id for e in covered]
    assert [(c.entry.id, c.status, c.outcome) for c in digest.closed] == [
        (plan.id, "done", "Built the first floor")
    ]
    assert [(r.entry.id, r.level) for r in digest.rerated] == [(question.id, 3)]
    assert digest.sharpened[0].follow_up is not None
    assert digest.sharpened[0].follow_up.id == follow.id

    text = render_markdown(summary)
    part = text.split("## In this review", 1)[1].split("\n## ", 1)[0]
    assert "Waterline set to 2 Shoreline" in part
    assert "Built the first floor" in part and "Build an elevator" in part
    assert "Re-rated: Why does grokking happen suddenly? #ai #ml → 3 Highlands" in part
    assert "What makes grokking sudden in small nets?" in part
    assert "- Waterline: 2 Shoreline" in text  # the week's waterline is the one the review set

    data = summary_json(summary)["in_this_review"]
    assert data["waterline"] == 2
    assert data["closed"][0]["id"] == plan.id and data["closed"][0]["outcome"]
    assert data["sharpened"][0]["follow_up"]["id"] == follow.id


def test_a_range_without_a_review_has_no_review_part(services: Services, journal: Journal) -> None:
    summary = build_summary(services.db, date(2026, 11, 23), date(2026, 11, 30), tz=UTC)
    assert summary.review is None
    assert "In this review" not in render_markdown(summary)
    assert summary_json(summary)["in_this_review"] is None
