"""One meaning of Today everywhere (issue 12, #13): the sidebar, the list's header and the
list itself count what was written today; "On this day" entries are counted apart, in their
own section headers."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QLabel

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.item_models.entry_list_model import EntryListModel
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from tests.ui.parts import journal_changed, list_of, part, sidebar_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
TODAY = date(2026, 11, 25)


def _at(year: int, hour: int) -> datetime:
    return datetime(year, TODAY.month, TODAY.day, hour, 0).astimezone()  # local time


def test_today_counts_today_and_on_this_day_apart(
    qtbot, services: Services, app_paths: AppPaths, journal: Journal
) -> None:
    for hour in (9, 14):
        journal.add(f"Written today at {hour}", created_at=_at(2026, hour))
    for year in (2025, 2025, 2024):
        journal.add(f"Written in {year}", created_at=_at(year, 10))
    win = MainWindow(
        journal,
        settings=SettingsController(app_paths.settings_file),
        today=lambda: TODAY,
        poll_ms=60_000,
    )
    qtbot.addWidget(win)
    win.show()
    journal_changed(win)
    win.show_view("today")
    pane = list_of(win)
    qtbot.waitUntil(lambda: sidebar_of(win).count_text("today") == "2")
    assert part(pane, QLabel, "viewCount").text() == "2"  # not 5
    headers = [
        str(pane.model.index(r).data(EntryListModel.HeaderRole))
        for r in range(pane.model.rowCount())
        if pane.model.index(r).data(EntryListModel.HeaderRole)
    ]
    assert headers == ["On this day in 2025 · 2", "On this day in 2024 · 1"]
    win.close()
