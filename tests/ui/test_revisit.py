"""Revisit on a date (issue 19): the editor's control, the list row's mark, the review's reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.core.schedule import REVISIT, reason_label
from questionbook.services import Services
from questionbook.ui.locale_format import format_day
from questionbook.ui.operations import Operations
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from questionbook.ui.widgets.editor.revisit_control import RevisitControl, RevisitPopup
from questionbook.ui.widgets.row_marks import row_marks
from tests.conftest import FakeClock
from tests.ui.parts import settle
from tests.ui.test_review_page import click, make_page, settled

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)


@pytest.fixture
def shown(qtbot, services: Services):
    """An editor over a journal whose today is 25 November 2026, showing one entry."""
    journal = Journal(services.db, clock=FakeClock(NOW), tz=UTC)
    entry = journal.add("Ask me again in March")
    ops = Operations(services.db.path)
    editor = EntryEditor(journal, ops=ops)
    qtbot.addWidget(editor)
    editor.resize(900, 650)
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.load(entry.id)
    control = editor.findChild(RevisitControl, "revisitControl")
    assert control is not None
    yield editor, control, journal, entry.id, ops
    ops.close()


def test_a_day_picked_in_the_calendar_is_stored_and_none_clears_it(qtbot, shown) -> None:
    _editor, control, journal, entry_id, ops = shown
    button = control.findChild(QAbstractButton, "revisitButton")
    assert button is not None and button.text() == "Revisit…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    popup = control.findChild(RevisitPopup)
    assert popup is not None and popup.isVisible()
    assert popup.calendar.minimumDate() == QDate(2026, 11, 25)  # past days cannot be picked
    popup.calendar.clicked.emit(QDate(2027, 3, 1))  # what a click on 1 March sends
    settle(qtbot, ops)
    assert journal.get(entry_id).revisit_on == date(2027, 3, 1)
    assert not popup.isVisible()
    # another year: the locale's short date, with its year
    assert button.text() == f"Revisit {format_day(date(2027, 3, 1), TODAY)}"
    control.open_popup()
    none = popup.findChild(QAbstractButton, "revisitNone")
    assert none is not None
    qtbot.mouseClick(none, Qt.MouseButton.LeftButton)
    settle(qtbot, ops)
    assert journal.get(entry_id).revisit_on is None and button.text() == "Revisit…"


def test_a_typed_day_works_and_a_past_one_is_refused_in_place(qtbot, shown) -> None:
    _editor, control, journal, entry_id, ops = shown
    control.open_popup()
    popup = control.findChild(RevisitPopup)
    assert popup is not None
    qtbot.keyClicks(popup.typed, "2026-11-01")
    qtbot.keyClick(popup.typed, Qt.Key.Key_Return)
    assert "has passed" in popup.error.text() and popup.error.isVisible()
    assert popup.isVisible()  # still open, for another day
    settle(qtbot, ops)
    assert journal.get(entry_id).revisit_on is None  # nothing written
    popup.typed.clear()
    qtbot.keyClicks(popup.typed, "+30d")
    qtbot.keyClick(popup.typed, Qt.Key.Key_Return)
    settle(qtbot, ops)
    assert journal.get(entry_id).revisit_on == TODAY + timedelta(days=30)
    assert control.choose(TODAY - timedelta(days=1)) is False  # the same rule everywhere


def test_the_typing_in_the_editor_is_kept_when_the_day_is_stored(qtbot, shown) -> None:
    editor, control, journal, entry_id, ops = shown
    body = editor.findChild(QWidget, "bodyEdit")
    body.setFocus()  # type: ignore[union-attr]
    qtbot.keyClicks(body, "Half a thought")
    control.choose(TODAY + timedelta(days=3))
    settle(qtbot, ops)
    assert body.toPlainText() == "Half a thought"  # type: ignore[union-attr]
    assert editor.flush()
    stored = journal.get(entry_id)
    assert stored.body == "Half a thought" and stored.revisit_on == TODAY + timedelta(days=3)


def test_list_rows_mark_a_revisit_day(services: Services) -> None:
    journal = Journal(services.db, clock=FakeClock(NOW), tz=UTC)
    entry = journal.add("Later")
    journal.update(entry.id, revisit=TODAY + timedelta(days=12))
    [summary] = journal.find("")
    marks = row_marks(summary, 1, TODAY)
    assert [m.icon for m in marks] == ["revisit"]
    assert marks[0].text == format_day(TODAY + timedelta(days=12), TODAY)  # no year this year
    assert "Comes back in the weekly review" in marks[0].tip
    assert "weekly review" in row_marks(summary, 1, TODAY + timedelta(days=12))[0].tip


def test_the_review_names_the_revisit_reason(qtbot, services: Services) -> None:
    # Weeks old (not new in the reviewed week) and answered: nothing but the chosen day brings it up.
    clock = FakeClock(NOW - timedelta(days=20))
    journal = Journal(services.db, clock=clock, tz=UTC)
    entry = journal.add("Come back to me", hardness=4, status="answered")
    clock.now = NOW
    journal.update(entry.id, revisit=TODAY)
    review = ReviewService(services.db, journal, clock=clock, tz=UTC)
    assert [i.reasons for i in review.due_entries(limit=None)] == [(REVISIT,)]
    page = make_page(qtbot, services, clock)
    click(qtbot, page.start_button)
    settled(qtbot)
    for _ in range(3):  # past the steps before the due entries (new ones), never forever
        if page.stack.currentWidget() is page.due:
            break
        click(qtbot, page.new_next)
    assert page.stack.currentWidget() is page.due, page.stack.currentWidget().objectName()
    assert page.due.title.text() == "Come back to me"
    assert reason_label(REVISIT) in page.due.reasons.text()
