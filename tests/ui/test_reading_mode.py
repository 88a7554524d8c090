"""Reading mode (issue 19): F11 gives the entry the whole window, with word and character counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.settings import load_settings
from tests.ui.parts import action, editor_of, list_of, sidebar_of, status_of, ui
from tests.ui.writing_helpers import assembled_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _counts(window: QWidget) -> str:
    label = window.findChild(QLabel, "readingCounts")
    assert label is not None
    return label.text()


def test_f11_hides_everything_but_the_entry_and_esc_brings_it_back(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    entry = services.journal.add("Long thought", "水位线 rises. Two words")
    with assembled_window(qtbot, services, app_paths) as (window, _features, _controller):
        window.open_entry(entry.id)
        editor = editor_of(window)
        parts = ui(editor)
        properties = editor.findChild(QWidget, "propertiesRow")
        assert properties is not None and properties.isVisible()
        action(window, "readingMode").trigger()  # F11
        assert editor.reading_mode()
        assert not sidebar_of(window).isVisible() and not list_of(window).isVisible()
        assert not status_of(window).isVisible() and not properties.isVisible()
        assert not parts.tag_editor.isVisible()
        assert parts.body_edit.isVisible() and parts.title_edit.isVisible()
        # 水 位 线 are three words (a Chinese character is a word), then "rises", "Two", "words"
        assert _counts(window) == "6 words · 17 characters"
        parts.body_edit.setFocus()
        parts.body_edit.moveCursor(parts.body_edit.textCursor().MoveOperation.End)
        parts.body_edit.insertPlainText(" 电梯")  # typed (QTest types ASCII only)
        qtbot.waitUntil(lambda: _counts(window) == "8 words · 19 characters", timeout=3000)
        qtbot.keyClick(parts.body_edit, Qt.Key.Key_Escape)  # Esc leaves reading mode only
        assert not editor.reading_mode() and editor.current_id() == entry.id
        assert sidebar_of(window).isVisible() and list_of(window).isVisible()
        assert properties.isVisible() and status_of(window).isVisible()


def test_the_footer_button_toggles_it_and_nothing_to_read_means_no_reading_mode(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    entry = services.journal.add("Something to read")
    with assembled_window(qtbot, services, app_paths) as (window, _features, _controller):
        editor = editor_of(window)
        editor.load(None)
        assert not window.toggle_reading_mode()  # no entry shown: nothing happens
        assert sidebar_of(window).isVisible()
        window.open_entry(entry.id)
        button = editor.findChild(QAbstractButton, "readingModeButton")
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert editor.reading_mode() and button.isChecked()
        leave = editor.findChild(QAbstractButton, "leaveReadingMode")
        assert leave is not None
        qtbot.mouseClick(leave, Qt.MouseButton.LeftButton)
        assert not editor.reading_mode() and not button.isChecked()
        assert window.show_view("calendar")
        assert not window.toggle_reading_mode()  # a page, not an entry


def test_the_layout_saved_on_quit_is_never_the_reading_one(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    entry = services.journal.add("Read, then quit")
    with assembled_window(qtbot, services, app_paths) as (window, _features, _controller):
        window.open_entry(entry.id)
        assert window.toggle_reading_mode()
        window.save_state()
        assert not editor_of(window).reading_mode() and sidebar_of(window).isVisible()
    sizes = [int(x) for x in load_settings(app_paths.settings_file).splitter_sizes.split(",")]
    assert all(size > 0 for size in sizes)
