"""Ctrl+N leaves no junk (issue 12, #12), and Esc leaves the editor for the list.

A new entry the user never touched is not kept: Esc, another entry, another view or quitting
drops it for good. Anything done to it (a title, a rating) keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from tests.ui.parts import editor_of, list_of, settle, ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> Iterator[MainWindow]:
    win = MainWindow(services.journal, settings=SettingsController(app_paths.settings_file))
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()


def _ctrl_n(qtbot, window: MainWindow, journal: Journal) -> str:
    """Press Ctrl+N where the keyboard is, and wait for the new entry in the editor."""
    before = {e.id for e in journal.find("")}
    focus = QApplication.focusWidget() or window
    qtbot.keyClick(focus, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: editor_of(window).current_id() not in (None, *before), timeout=3000)
    new = editor_of(window).current_id()
    assert new is not None and journal.get(new).title.startswith("New ")
    return new


def _press_escape(qtbot) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_Escape)


def test_escape_on_an_untouched_new_entry_drops_it(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("Kept from before")
    window.show_view("all")
    new = _ctrl_n(qtbot, window, journal)
    assert ui(editor_of(window)).title_edit.hasFocus()
    _press_escape(qtbot)
    settle(qtbot, window.operations)
    assert [e.title for e in journal.find("")] == ["Kept from before"]
    assert journal.count(trash=True) == 0  # gone for good, not waiting in the Trash
    assert new not in {e.id for e in journal.find("", trash=True)}
    assert editor_of(window).current_id() is None
    assert list_of(window).list.hasFocus()  # back on the list


def test_leaving_an_untouched_new_entry_for_another_drops_it(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    other = journal.add("Another entry")
    window.show_view("all")
    _ctrl_n(qtbot, window, journal)
    _ctrl_n(qtbot, window, journal)  # a second Ctrl+N leaves the first behind
    settle(qtbot, window.operations)
    assert len(journal.find("")) == 2
    assert list_of(window).select_id(other.id)  # and a click elsewhere, the second
    settle(qtbot, window.operations)
    assert [e.title for e in journal.find("")] == ["Another entry"]


def test_a_new_entry_with_a_title_or_a_rating_is_kept(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    window.show_view("questions")
    typed = _ctrl_n(qtbot, window, journal)
    qtbot.keyClicks(ui(editor_of(window)).title_edit, "Why do owls hoot at night?")
    _press_escape(qtbot)
    settle(qtbot, window.operations)
    assert journal.get(typed).title == "Why do owls hoot at night?"

    rated = _ctrl_n(qtbot, window, journal)
    qtbot.keyClick(ui(editor_of(window)).title_edit, Qt.Key.Key_3, CTRL)  # Shoreline
    settle(qtbot, window.operations)
    _press_escape(qtbot)
    settle(qtbot, window.operations)
    assert journal.get(rated).hardness == 2
    assert len(journal.find("")) == 2


def test_quitting_drops_an_untouched_new_entry(qtbot, window: MainWindow, journal: Journal) -> None:
    _ctrl_n(qtbot, window, journal)
    assert window.close()
    assert journal.find("") == []


def test_escape_in_the_body_saves_and_goes_back_to_the_list(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    entry = journal.add("Typing here", "body")
    window.show_view("all")
    list_of(window).select_id(entry.id)
    body = ui(editor_of(window)).body_edit
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " and more")
    _press_escape(qtbot)
    settle(qtbot, window.operations)
    assert journal.get(entry.id).body == "body and more"
    assert list_of(window).list.hasFocus()
    assert editor_of(window).current_id() == entry.id  # still shown, only the keys moved


def test_a_new_entry_that_was_sharpened_is_kept(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    new = _ctrl_n(qtbot, window, journal)
    qtbot.mouseClick(ui(editor_of(window)).follow_up_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor_of(window).current_id() not in (None, new), timeout=3000)
    settle(qtbot, window.operations)
    child = journal.get(editor_of(window).current_id())
    assert child.parent_id == new and journal.get(new).title.startswith("New ")
