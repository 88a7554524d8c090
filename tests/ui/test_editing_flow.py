"""Writing without stumbling (issue 12, #2 and #15), driven with real key presses.

#2: starring (Ctrl+D), rating (Ctrl+1…5) or a change made elsewhere never reloads the text
being typed: cursor, selection and scroll stay. #15: when the view changes, the editor shows an
entry of that view or nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.main_window import MainWindow
from questionbook.ui.operations import Changes
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.autosave import SaveState
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


def open_entry(qtbot, window: MainWindow, journal: Journal, body: str, **kw) -> str:
    entry = journal.add("Typing here", body, **kw)
    window.show_view("all")
    assert list_of(window).select_id(entry.id)
    qtbot.waitUntil(lambda: editor_of(window).current_id() == entry.id)
    return entry.id


def place_cursor(edit, position: int, anchor: int | None = None) -> None:
    cursor = edit.textCursor()
    cursor.setPosition(position if anchor is None else anchor)
    if anchor is not None:
        cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)


def test_ctrl_d_while_typing_keeps_the_cursor_and_the_text(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    entry_id = open_entry(qtbot, window, journal, "line one\nline two")
    body = ui(editor_of(window)).body_edit
    body.setFocus()
    qtbot.waitUntil(body.hasFocus)
    place_cursor(body, len("line one"))
    qtbot.keyClicks(body, " typed")
    qtbot.keyClick(body, Qt.Key.Key_D, CTRL)  # star, while typing
    qtbot.keyClicks(body, " more")
    assert body.toPlainText() == "line one typed more\nline two"
    assert body.textCursor().position() == len("line one typed more")
    assert ui(editor_of(window)).star_button.isChecked()
    qtbot.waitUntil(lambda: journal.get(entry_id).starred, timeout=3000)
    assert editor_of(window).flush()
    settle(qtbot, window.operations)
    assert journal.get(entry_id).body == "line one typed more\nline two"
    assert body.textCursor().position() == len("line one typed more")
    assert body.document().isUndoAvailable()  # the undo history was not reset either


def test_ctrl_d_keeps_a_selection_and_the_scroll_position(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    text = "\n".join(f"line {i}" for i in range(300))
    open_entry(qtbot, window, journal, text)
    body = ui(editor_of(window)).body_edit
    body.setFocus()
    start = text.index("line 150")
    place_cursor(body, start + len("line 150"), anchor=start)
    body.centerCursor()
    scroll = body.verticalScrollBar().value()
    assert scroll > 0
    qtbot.keyClick(body, Qt.Key.Key_D, CTRL)
    settle(qtbot, window.operations)
    assert body.textCursor().selectedText() == "line 150"
    assert body.verticalScrollBar().value() == scroll
    qtbot.keyClick(body, Qt.Key.Key_D, CTRL)  # and off again
    settle(qtbot, window.operations)
    assert body.textCursor().selectedText() == "line 150"
    assert body.verticalScrollBar().value() == scroll


def test_ctrl_d_and_rating_while_typing_the_outcome(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    entry_id = open_entry(qtbot, window, journal, "", status="answered")
    outcome = ui(editor_of(window)).outcome.edit
    outcome.setFocus()
    qtbot.waitUntil(outcome.hasFocus)
    qtbot.keyClicks(outcome, "Found it")
    qtbot.keyClick(outcome, Qt.Key.Key_D, CTRL)
    qtbot.keyClick(outcome, Qt.Key.Key_3, CTRL)  # Shoreline
    qtbot.keyClicks(outcome, " in the library")
    assert outcome.toPlainText() == "Found it in the library"
    assert outcome.textCursor().position() == len("Found it in the library")
    assert editor_of(window).flush()
    settle(qtbot, window.operations)
    stored = journal.get(entry_id)
    assert (stored.outcome, stored.starred, stored.hardness) == ("Found it in the library", True, 2)


def test_a_change_made_elsewhere_leaves_the_text_being_typed_alone(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    entry_id = open_entry(qtbot, window, journal, "draft")
    editor = editor_of(window)
    body = ui(editor).body_edit
    body.setFocus()
    place_cursor(body, len("draft"))
    qtbot.keyClicks(body, " in progress")
    assert editor.save_state() is not SaveState.SAVED
    # e.g. the review page rates it: another part of the window, its own operation
    window.operations.op(
        lambda: journal.rate(entry_id, 4), changes=Changes.of(entry_id, rows=True)
    ).run()
    qtbot.waitUntil(lambda: ui(editor).hardness_button.text().startswith("Summit"), timeout=3000)
    assert body.toPlainText() == "draft in progress"
    assert body.textCursor().position() == len("draft in progress")
    assert editor.flush()
    settle(qtbot, window.operations)
    stored = journal.get(entry_id)
    assert (stored.body, stored.hardness) == ("draft in progress", 4)


def test_text_stored_elsewhere_shows_when_nothing_is_being_typed(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    entry_id = open_entry(qtbot, window, journal, "old words")
    window.operations.op(
        lambda: journal.update(entry_id, body="new words", starred=True),
        changes=Changes.of(entry_id, rows=True),
    ).run()
    parts = ui(editor_of(window))
    qtbot.waitUntil(lambda: parts.body_edit.toPlainText() == "new words", timeout=3000)
    assert parts.star_button.isChecked()


def test_changing_the_view_shows_an_entry_of_that_view_or_none(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    question = journal.add(
        "A question from last month", created_at=datetime.now().astimezone() - timedelta(days=40)
    )
    window.show_view("all")
    assert list_of(window).select_id(question.id)
    window.show_view("questions")  # it is a question: it stays, selected
    assert editor_of(window).current_id() == question.id
    assert list_of(window).current_id() == question.id
    window.show_view("today")  # not written today (nor on this day)
    assert editor_of(window).current_id() is None
    window.show_view("all")
    assert list_of(window).select_id(question.id)
    window.show_view("trash")  # a live entry is never shown in the Trash
    assert editor_of(window).current_id() is None
