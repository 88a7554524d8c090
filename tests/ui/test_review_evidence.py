"""The review's evidence (issue 17): the waterline step's hints, freeboard and flood capture,
the "still mine" question for entries that went under, and the tide's question."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from pytestqt.qtbot import QtBot

from questionbook.core.journal import Journal
from questionbook.core.schedule import tide_message
from questionbook.core.trials import TrialService
from questionbook.services import Services
from tests.conftest import FakeClock
from tests.ui.test_review_page import NOW, click, make_page, settled

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def old_entries(services: Services, clock: FakeClock, *levels: int) -> list[str]:
    """Open questions written five weeks ago (due for review now), rated *levels*."""
    journal = Journal(services.db, clock=clock, tz=UTC)
    ids = []
    for i, level in enumerate(levels):
        clock.now = NOW - timedelta(days=35, hours=i)
        ids.append(journal.add(f"Old question {i}", hardness=level).id)
    clock.now = NOW
    return ids


def to_waterline_step(qtbot: QtBot, page) -> None:
    click(qtbot, page.start_button)
    click(qtbot, page.new_next)
    while page.stack.currentWidget() is page.due:
        click(qtbot, page.due.skip_button)
    assert page.stack.currentWidget() is page.water


def test_waterline_step_shows_hints_freeboard_and_takes_a_flood_entry(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    ids = old_entries(services, clock, 1, 2, 2, 2)
    trials = TrialService(services.db, clock=clock, tz=UTC)
    for entry_id in ids[1:]:  # three Shoreline entries an AI solved this quarter
        trials.add(entry_id, verdict="solved", model="GPT-5")
    page = make_page(qtbot, services, clock)
    to_waterline_step(qtbot, page)
    advice = page.water.advice
    assert advice.hints.text() == (
        "AI solved 3 of 3 Shoreline trials in the last three months: "
        "the water may be above Shoreline."
    )
    assert advice.freeboard.text() == (
        "Freeboard: +1 level. The median open entry stands at Shoreline (4 rated); "
        "the water is at Shallows."
    )
    assert advice.flood.isVisible()
    assert "4 of 4 open entries sit at most one level above the water" in advice.flood_text.text()
    assert "Highlands or higher" in advice.flood_text.text()
    assert Journal(services.db).waterline() == 1  # the advice never moves the water

    advice.capture.setText("What would I build if the water stood at Summit?")
    click(qtbot, advice.add_button)
    found = Journal(services.db).find("Summit", limit=5)
    assert [(e.title, e.hardness) for e in found] == [
        ("What would I build if the water stood at Summit?", 3)
    ]
    assert advice.capture.text() == ""
    assert advice.added.text() == (
        "Added as Highlands: What would I build if the water stood at Summit?"
    )
    assert "(5 rated)" in advice.freeboard.text()  # read again after the new entry


def test_no_flood_no_capture_box(qtbot: QtBot, services: Services, clock: FakeClock) -> None:
    old_entries(services, clock, 4, 4, 3)
    page = make_page(qtbot, services, clock)
    to_waterline_step(qtbot, page)
    assert not page.water.advice.flood.isVisible()
    assert not page.water.advice.hints.isVisible()
    assert page.water.advice.freeboard.text().startswith("Freeboard: +3 levels.")


def test_a_rerate_under_the_water_asks_what_is_still_yours(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    ids = old_entries(services, clock, 3, 4)
    page = make_page(qtbot, services, clock)
    click(qtbot, page.start_button)
    click(qtbot, page.new_next)
    assert page.due.title.text() == "Old question 1"  # oldest first
    prompt = page.still_prompt
    click(qtbot, page.due.rate_buttons[2])  # above the water (1): nothing asked
    assert not prompt.isVisible()
    assert page.due.title.text() == "Old question 0"
    click(qtbot, page.due.rate_buttons[1])  # at the water: gone under
    assert prompt.isVisible()
    assert prompt.question.text() == (
        "“Old question 0” went under the water. What part of it is still yours?"
    )
    prompt.line.setText("knowing which answer my team will trust")
    click(qtbot, prompt.save_button)
    assert Journal(services.db).get(ids[0]).still_mine == "knowing which answer my team will trust"
    assert not prompt.isVisible()


def test_entries_the_water_covers_are_asked_in_turn(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    ids = old_entries(services, clock, 2, 3)
    page = make_page(qtbot, services, clock)
    to_waterline_step(qtbot, page)
    page.water.level_group.button(3).setChecked(True)
    click(qtbot, page.water.water_button)
    prompt = page.still_prompt
    assert {a.entry_id for a in prompt.asking()} == set(ids)
    first = prompt.asking()[0]
    assert first.title in prompt.question.text()
    prompt.skip()
    second = prompt.asking()[0]
    assert second.entry_id != first.entry_id
    prompt.line.setText("the taste in it")
    click(qtbot, prompt.save_button)
    journal = Journal(services.db)
    assert journal.get(second.entry_id).still_mine == "the taste in it"
    assert journal.get(first.entry_id).still_mine == ""
    assert not prompt.isVisible()
    settled(qtbot)


def test_the_tide_reason_asks_what_changed(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    journal = Journal(services.db, clock=clock, tz=UTC)
    clock.now = NOW - timedelta(days=40)
    sealed = journal.add("Will my job still need me?", hardness=3)
    journal.update(sealed.id, seal_until=2)  # while the water is at Shallows
    journal.set_waterline(2, at=NOW - timedelta(days=3))
    clock.now = NOW
    page = make_page(qtbot, services, clock)
    click(qtbot, page.start_button)
    click(qtbot, page.new_next)
    assert page.due.title.text() == "Will my job still need me?"
    assert tide_message(1, 2) in page.due.reasons.text()
    assert page.due.reasons.text().endswith(
        "Sealed when the water was at Shallows; it is at Shoreline now: what changed?"
    )
