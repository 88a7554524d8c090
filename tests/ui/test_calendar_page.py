"""The Calendar page (issue 19): heat dots, a day's entries, keys, week start, Chinese headers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from questionbook.core.calendar_days import Calendar
from questionbook.core.journal import Journal
from questionbook.i18n import current_language, set_language
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.pages.calendar_page import CalendarPage
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.month_grid import shifted_month
from tests.conftest import FakeClock
from tests.ui.parts import current_page, editor_of
from tests.ui.writing_helpers import assembled_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

NOW = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)


def _at(day: int, hour: int = 9, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def page(qtbot, services: Services):
    clock = FakeClock(NOW)
    journal = Journal(services.db, clock=clock, tz=UTC)
    for day, n in ((1, 1), (3, 4), (8, 2)):
        for i in range(n):
            journal.add(f"Entry {i} of December {day}", created_at=_at(day, 8 + i))
    journal.add("A November note", kind="note", created_at=_at(20, month=11))
    controller = SettingsController(None)
    ops = Operations(services.db.path)
    widget = CalendarPage(Calendar(services.db, tz=UTC, clock=clock), controller, ops=ops)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget, journal, controller, ops
    ops.close()


def test_the_month_shows_heat_by_day_and_the_selected_days_entries(page) -> None:
    widget, _journal, _controller, _ops = page
    month = widget.month()
    assert month is not None and (month.year, month.month) == (2026, 12)
    grid = widget.grid
    assert [grid.count_on(date(2026, 12, d)) for d in (1, 2, 3, 8)] == [1, 0, 4, 2]
    assert grid.heat_on(date(2026, 12, 3)) == 4 and grid.heat_on(date(2026, 12, 2)) == 0
    assert 0 < grid.heat_on(date(2026, 12, 1)) < grid.heat_on(date(2026, 12, 8)) < 4
    assert widget.summary.text() == "7 entries on 3 days"  # no streak, nothing "missed"
    assert widget.selected() == date(2026, 12, 9)  # today
    assert widget.entries() == [] and widget.day_empty.isVisible()


def test_clicking_a_day_lists_its_entries_and_opening_one_asks_for_it(qtbot, page) -> None:
    widget, _journal, _controller, _ops = page
    grid = widget.grid
    rect = grid.cell_rect(date(2026, 12, 3))
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert widget.selected() == date(2026, 12, 3)
    assert [e.title for e in widget.entries()] == [f"Entry {i} of December 3" for i in range(4)]
    assert widget.day_list.count() == 4
    item = widget.day_list.item(1)
    with qtbot.waitSignal(widget.entry_open_requested) as opened:
        qtbot.mouseClick(
            widget.day_list.viewport(),
            Qt.MouseButton.LeftButton,
            pos=widget.day_list.visualItemRect(item).center(),
        )
    assert opened.args == [widget.entries()[1].id]


def test_keys_move_by_day_week_and_month_and_enter_opens_the_day(qtbot, page) -> None:
    widget, _journal, _controller, _ops = page
    grid = widget.grid
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Left)  # 9 → 8 December
    assert widget.selected() == date(2026, 12, 8) and len(widget.entries()) == 2
    qtbot.keyClick(grid, Qt.Key.Key_Up)  # a week back: 1 December
    assert widget.selected() == date(2026, 12, 1)
    qtbot.keyClick(grid, Qt.Key.Key_Left)  # off the month: 30 November, its month loads
    month = widget.month()
    assert widget.selected() == date(2026, 11, 30) and month is not None and month.month == 11
    assert month.total == 1
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert widget.selected() == date(2026, 12, 30)
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    qtbot.keyClick(grid, Qt.Key.Key_PageUp)
    assert widget.selected() == date(2026, 10, 30)
    widget.show_day(date(2026, 12, 3))
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # the keyboard goes to the day's entries
    assert widget.day_list.hasFocus() and widget.day_list.currentRow() == 0
    with qtbot.waitSignal(widget.entry_open_requested) as opened:
        qtbot.keyClick(widget.day_list, Qt.Key.Key_Return)
    assert opened.args == [widget.entries()[0].id]
    qtbot.keyClick(widget.day_list, Qt.Key.Key_Escape)
    assert grid.hasFocus()


def test_shifting_a_month_keeps_the_day_where_it_can() -> None:
    assert shifted_month(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert shifted_month(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert shifted_month(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_week_start_comes_from_the_settings_and_headers_follow_the_language(page) -> None:
    widget, _journal, controller, _ops = page
    month = widget.month()
    assert month is not None
    assert month.weeks(1)[0][0] is None  # December 2026 starts on a Tuesday
    controller.update(week_start=2)
    first = widget.grid._weeks()[0][0]
    assert first is not None and first.day == date(2026, 12, 1)
    from questionbook.core.calendar_days import weekday_headers

    saved = current_language()
    try:
        set_language("zh_CN")
        assert weekday_headers(1)[:3] == ["一", "二", "三"]
        assert month.title() == "2026年12月"
    finally:
        set_language(saved)


def test_a_new_entry_shows_while_the_page_is_shown(qtbot, page) -> None:
    widget, journal, _controller, ops = page
    widget.show_day(date(2026, 12, 9))
    job = ops.op(
        lambda: journal.add("Written today", created_at=NOW - timedelta(hours=1)),
        changes=lambda e: Changes.of(e.id, rows=True),
    ).run()
    assert ops.wait(job, 5000)
    assert widget.grid.count_on(date(2026, 12, 9)) == 1
    assert [e.title for e in widget.entries()] == ["Written today"]


def test_the_calendar_is_a_page_of_the_window_and_opens_entries(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    entry = services.journal.add("Opened from the calendar")
    with assembled_window(qtbot, services, app_paths) as (window, features, _controller):
        assert features.writing is not None
        assert window.show_view("calendar")
        page = features.writing.calendar
        assert current_page(window) is page
        assert [e.id for e in page.entries()] == [entry.id]  # today is selected
        page.entry_open_requested.emit(entry.id)
        assert editor_of(window).current_id() == entry.id
