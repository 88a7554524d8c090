"""The review's "due" step keeps still and never acts on a stray key (issue 12, #11), and says
what each decision did (a re-rating above all: the card has moved on when it is stored)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from questionbook.core.journal import Journal
from questionbook.services import Services
from questionbook.ui.pages.review_page import ReviewPage
from tests.conftest import FakeClock
from tests.ui.test_review_page import NOW, click, make_page, settled

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _fill(services: Services, clock: FakeClock) -> None:
    """Four due entries of every shape: a plan with a status, a note without one, a question
    with a title of three lines and a long body, and a short one last."""
    journal = Journal(services.db, clock=clock, tz=UTC)
    for days, title, body, kw in (
        (60, "Write a book", "", {"kind": "plan", "status": "active", "hardness": 4}),
        (400, "A note from last year", "", {"kind": "note"}),
        (35, "Why is the sky blue? " * 12, "Because of Rayleigh scattering. " * 40, {}),
        (31, "Short", "", {"hardness": 2}),
    ):
        clock.now = NOW - timedelta(days=days)
        journal.add(title, body, **kw)
    clock.now = NOW


def _places(page: ReviewPage) -> dict[str, QPoint]:
    due = page.due
    widgets: dict[str, QWidget] = {
        "keep": due.keep_button,
        "skip": due.skip_button,
        "rate": due.rate_buttons[0],
        "sharpen": due.sharpen_edit,
        "up next": due.up_next_label,
    }
    return {name: w.mapTo(page, QPoint(0, 0)) for name, w in widgets.items()}


def _start(qtbot: QtBot, page: ReviewPage) -> None:
    click(qtbot, page.start_button)
    click(qtbot, page.new_next)
    assert page.stack.currentWidget() is page.due


def test_buttons_stay_put_from_one_entry_to_the_next(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    _fill(services, clock)
    page = make_page(qtbot, services, clock)
    _start(qtbot, page)
    first = _places(page)
    seen = [page.due.title.text()]
    while page.stack.currentWidget() is page.due:
        assert _places(page) == first, f"moved on {page.due.title.text()!r}"
        click(qtbot, page.due.skip_button)
        if page.stack.currentWidget() is page.due:
            seen.append(page.due.title.text())
    assert len(seen) == 4  # the plan, the note, the long question and the last one
    assert "Write a book" in seen and "A note from last year" in seen


def test_a_space_or_typing_never_presses_a_button(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    _fill(services, clock)
    page = make_page(qtbot, services, clock)
    _start(qtbot, page)
    title = page.due.title.text()
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    qtbot.keyClicks(focused, "done it ")
    qtbot.keyClick(focused, Qt.Key.Key_Return)
    settled(qtbot)
    assert page.due.title.text() == title  # still the same entry: nothing was pressed
    [review] = services.review.reviews()
    assert services.review.actions(review.id) == []

    qtbot.mouseClick(page.due.outcome_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.due.outcome_edit, "sent it off ")
    settled(qtbot)
    assert page.due.title.text() == title
    assert page.due.outcome_edit.text().endswith("sent it off ")


def test_every_decision_is_confirmed_re_rating_above_all(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    _fill(services, clock)
    page = make_page(qtbot, services, clock)
    _start(qtbot, page)
    click(qtbot, page.due.keep_button)  # the plan
    assert page.due.confirmation.text() == "\u2713 Kept “Write a book”"
    click(qtbot, page.due.skip_button)  # the note: moving on clears it
    assert page.due.confirmation.text() == ""
    rated = page.due.title.text()
    click(qtbot, page.due.rate_buttons[1])
    assert page.due.title.text() != rated  # the card moved on ...
    assert page.due.confirmation.text() == f"\u2713 Re-rated “{rated}”: 1 Shallows"  # ... said
    assert page.due.confirmation.isVisible()
