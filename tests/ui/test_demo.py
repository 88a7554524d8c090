"""The demo journal: about forty entries in English and Chinese, with history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from questionbook.core.journal import Journal
from questionbook.core.text import has_cjk
from questionbook.demo import fill_demo
from questionbook.ui.views import on_this_day, today_entries


def test_demo_fills_a_varied_journal(journal: Journal) -> None:
    now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    n = fill_demo(journal, now=now)
    assert 35 <= n <= 45
    entries = journal.find("", limit=None)
    assert len(entries) == n
    titles = [e.title for e in entries]
    assert sum(has_cjk(t) for t in titles) >= 12
    assert sum(not has_cjk(t) for t in titles) >= 12
    assert {e.kind for e in entries} == {"question", "plan", "note"}
    assert sum(e.hardness is not None for e in entries) >= 25
    assert any(e.outcome for e in entries)
    assert any(e.starred for e in entries)
    assert len(journal.tag_counts()) >= 15
    assert len(journal.waterline_history()) >= 2
    rerated = [e for e in entries if len(journal.hardness_history(e.id)) > 1]
    assert rerated
    answered = [e for e in entries if e.status == "answered"]
    assert answered and len(journal.status_history(answered[0].id)) >= 2
    assert min(e.created_at for e in entries) < now - timedelta(days=365)
    day = now.astimezone().date()
    assert today_entries(journal, day)
    assert len(on_this_day(journal, day)) >= 2


def test_demo_shows_trials_reach_a_seal_and_a_flood_warning(services) -> None:
    """Issue 17 in ``--demo``: a newcomer sees each of them."""
    from questionbook.core.review import ReviewService

    now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    journal = Journal(services.db, clock=lambda: now)
    fill_demo(journal, now=now)
    assert journal.count("has:trial") >= 5 and journal.count("verdict:pending") == 1
    assert (
        journal.count("is:edge") and journal.count("is:moonshot") and journal.count("is:delegate")
    )
    assert journal.count("is:sealed") == 2
    assert journal.freeboard().flood
    assert journal.still_mine()
    review = ReviewService(services.db, journal, clock=lambda: now)
    assert any("tide" in item.reasons for item in review.due_entries(limit=None))
    advice = review.waterline_advice()  # the waterline step has something to say
    assert advice.freeboard.flood and [h.level for h in advice.hints] == [3]
