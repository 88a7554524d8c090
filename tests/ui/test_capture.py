"""The capture box: Enter saves a new entry of the chosen kind at once and clears the box."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from questionbook.core.journal import Journal
from questionbook.core.vocabulary import Kind
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.capture_box import CaptureBox
from tests.ui.parts import action, editor_of, list_of, sidebar_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_enter_saves_a_question_and_clears(qtbot, journal: Journal, app_paths: AppPaths) -> None:
    box = CaptureBox(journal)
    qtbot.addWidget(box)
    qtbot.keyClicks(box.line, "Why does grokking happen suddenly?")
    with qtbot.waitSignal(box.entry_captured) as blocker:
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
    assert box.line.text() == ""
    other = open_services(app_paths)  # look in the file through a separate connection
    try:
        saved = other.journal.get(blocker.args[0])
    finally:
        other.close()
    assert saved.title == "Why does grokking happen suddenly?"
    assert saved.kind == "question" and saved.status == "open"


def test_kind_switch_chooses_the_kind(qtbot, journal: Journal) -> None:
    box = CaptureBox(journal)
    qtbot.addWidget(box)
    qtbot.mouseClick(box._buttons[Kind.PLAN], Qt.MouseButton.LeftButton)
    assert box.kind() is Kind.PLAN
    assert "ambitious" in box.line.placeholderText()
    box.line.setText("把旧书整理成目录 #阅读")
    qtbot.keyClick(box.line, Qt.Key.Key_Return)
    [entry] = journal.find("")
    assert entry.kind == "plan" and entry.tags == ("阅读",)


def test_blank_line_saves_nothing(qtbot, journal: Journal) -> None:
    box = CaptureBox(journal)
    qtbot.addWidget(box)
    box.line.setText("   ")
    with qtbot.assertNotEmitted(box.entry_captured):
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
    assert journal.count() == 0


def test_capture_in_window_lists_and_opens_the_entry(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    window = MainWindow(services.journal, settings=SettingsController(app_paths.settings_file))
    qtbot.addWidget(window)
    window.show()
    action(window, "capture").trigger()
    line = list_of(window).capture.line
    assert window.focusWidget() is line
    qtbot.keyClicks(line, "Captured from the window")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    model = list_of(window).model
    assert model.summary(0) is not None and model.summary(0).title == "Captured from the window"
    assert editor_of(window).current_id() == model.summary(0).id
    qtbot.waitUntil(lambda: sidebar_of(window).count_text("today") == "1", timeout=3000)
    assert window.focusWidget() is line  # ready for the next one
    window.close()


def test_the_armed_kind_is_always_shown(qtbot, journal: Journal) -> None:
    """After a note, the box stays on Note (a run of notes is common) but says so: the armed
    kind shows its name, the others only their icon (issue 12)."""
    from PySide6.QtWidgets import QToolButton

    box = CaptureBox(journal)
    qtbot.addWidget(box)
    box.resize(520, 40)
    box.show()
    buttons = {k: box.findChild(QToolButton, f"kind_{k.value}") for k in Kind}
    assert buttons[Kind.QUESTION].text() == "Question"
    qtbot.mouseClick(buttons[Kind.NOTE], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(box.line, "A quiet morning")
    with qtbot.waitSignal(box.entry_captured):
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
    assert box.kind() is Kind.NOTE
    note = buttons[Kind.NOTE]
    assert note.isChecked() and note.text() == "Note" and note.isVisible()
    assert note.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    for kind in (Kind.QUESTION, Kind.PLAN):
        assert buttons[kind].text() == ""
        assert buttons[kind].toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    assert box.line.placeholderText() == "What's on your mind?"
