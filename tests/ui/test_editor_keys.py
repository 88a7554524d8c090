"""The editor's keyboard and title, as a writer meets them (issue 12, roughness): Tab from the
title lands in the body, Tab in the body nests list items (never a tab character), the date
takes one Tab, and a long title wraps in its field instead of running out of sight."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from questionbook.core.journal import Journal
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def shown(qtbot, editor: EntryEditor, journal: Journal) -> EntryEditor:
    entry = journal.add("A title", "")
    editor.load(entry.id)
    editor.activateWindow()
    return editor


def _focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


def test_tab_from_the_title_goes_straight_to_the_body(qtbot, shown: EntryEditor) -> None:
    title, body = ui(shown).title_edit, ui(shown).body_edit
    _focus(qtbot, title)
    qtbot.keyClick(title, Qt.Key.Key_Tab)
    assert body.hasFocus()
    assert title.text() == "A title"  # no tab typed into it
    qtbot.keyClick(body, Qt.Key.Key_Backtab, SHIFT)
    assert body.hasFocus()  # Shift+Tab in the body un-nests, it does not leave


def test_tab_in_the_body_nests_list_items_and_never_types_a_tab(qtbot, shown: EntryEditor) -> None:
    body = ui(shown).body_edit
    _focus(qtbot, body)
    qtbot.keyClicks(body, "- one")
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "- two")
    qtbot.keyClick(body, Qt.Key.Key_Tab)
    assert body.toPlainText() == "- one\n  - two"
    qtbot.keyClicks(body, "!")
    assert body.toPlainText() == "- one\n  - two!"  # the cursor stayed where it was typing
    qtbot.keyClick(body, Qt.Key.Key_Backtab, SHIFT)
    assert body.toPlainText() == "- one\n- two!"
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "ab")
    qtbot.keyClick(body, Qt.Key.Key_Tab)  # not a list: spaces to the next tab stop
    assert body.toPlainText().endswith("\n\nab  ")
    assert "\t" not in body.toPlainText()


def test_tab_nests_every_selected_line(qtbot, shown: EntryEditor) -> None:
    body = ui(shown).body_edit
    _focus(qtbot, body)
    body.setPlainText("- a\n- b\n- c")
    body.selectAll()
    qtbot.keyClick(body, Qt.Key.Key_Tab)
    assert body.toPlainText() == "  - a\n  - b\n  - c"


def test_the_date_takes_one_tab(qtbot, shown: EntryEditor) -> None:
    date = ui(shown).date_edit
    _focus(qtbot, date)
    qtbot.keyClick(date, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not None and focus is not date and not date.isAncestorOf(focus)


def test_a_long_title_wraps_and_enter_moves_on_to_the_body(
    qtbot, shown: EntryEditor, journal: Journal
) -> None:
    title = ui(shown).title_edit
    one_line = title.height()
    long_title = "Why does the water rise faster in some fields than in others? " * 3
    entry = journal.add(long_title.strip())
    shown.load(entry.id)
    qtbot.waitUntil(lambda: title.height() > 2 * one_line)  # wrapped over several lines
    assert title.text() == long_title.strip()
    assert title.horizontalScrollBar().maximum() == 0  # nothing out of sight to the right
    _focus(qtbot, title)
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert ui(shown).body_edit.hasFocus()
    assert "\n" not in title.text()
