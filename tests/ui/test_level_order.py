"""Every list of levels runs the same way (issue 12, roughness): Summit on top, Underwater at
the bottom, as the water rises in the histogram: the status bar's waterline menu, the Hardness
menu, the editor's picker and the review's waterline step."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.main_window import MainWindow
from questionbook.ui.pages.review_water import WaterPane
from questionbook.ui.settings_controller import SettingsController
from tests.ui.parts import editor_of, journal_changed, list_of, menu, status_of, ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
TOP_DOWN = [4, 3, 2, 1, 0]


def _tops(widgets: list[QWidget], parent: QWidget) -> list[int]:
    return [w.mapTo(parent, w.rect().topLeft()).y() for w in widgets]


def test_levels_run_from_summit_down_everywhere(
    qtbot, services: Services, app_paths: AppPaths, journal: Journal
) -> None:
    win = MainWindow(journal, settings=SettingsController(app_paths.settings_file), poll_ms=60_000)
    qtbot.addWidget(win)
    win.show()
    entry = journal.add("Rate me")
    journal_changed(win)
    win.show_view("all")
    list_of(win).select_id(entry.id)

    waterline = status_of(win).waterline_menu.actions()
    assert [a.data() for a in waterline if not a.isSeparator()] == TOP_DOWN
    assert [a.data() for a in menu(win, "rate").actions() if not a.isSeparator()] == TOP_DOWN

    editor = editor_of(win)
    editor.open_hardness_picker()
    picker = ui(editor).hardness_picker
    qtbot.waitUntil(picker.isVisible)
    rows = [picker.rows[level] for level in [*TOP_DOWN, None]]
    tops = _tops(rows, picker)
    assert tops == sorted(tops)  # Summit first, Unrated last
    picker.hide()

    water = WaterPane()
    qtbot.addWidget(water)
    water.show()
    radios = [water.level_group.button(level) for level in TOP_DOWN]
    tops = _tops(radios, water)
    assert tops == sorted(tops)
    win.close()
