"""The main window over a real journal file: views, delete + undo, other processes, state."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.settings import load_settings
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.waterline_report import WaterlineReport
from tests.ui.parts import (
    action,
    browse_of,
    current_page,
    editor_of,
    journal_changed,
    list_of,
    part,
    settle,
    sidebar_of,
    status_of,
    ui,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> MainWindow:
    win = MainWindow(
        services.journal, settings=SettingsController(app_paths.settings_file), poll_ms=50
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _titles(win: MainWindow) -> list[str]:
    model = list_of(win).model
    return [s.title for s in (model.summary(r) for r in range(model.rowCount())) if s]


def test_first_run_shows_welcome_and_focus_is_in_capture_box(window: MainWindow) -> None:
    assert window.current_view_key() == "today"
    assert list_of(window).stack.currentWidget() is list_of(window).empty
    assert "QuestionBook" in list_of(window).empty.headline.text()
    assert "Underwater" in list_of(window).empty.body.text()
    assert window.focusWidget() is list_of(window).capture.line  # focused on open


def test_views_list_their_entries(qtbot, window: MainWindow, journal: Journal) -> None:
    journal.add("A question")
    journal.add("A plan", kind="plan")
    journal.add("A starred note", kind="note", starred=True)
    journal_changed(window)
    window.show_view("plans")
    assert _titles(window) == ["A plan"]
    window.show_view("starred")
    assert _titles(window) == ["A starred note"]
    window.show_view("all")
    assert len(_titles(window)) == 3


def test_search_filters_the_list_and_highlights(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("Why do elevators have mirrors?")
    journal.add("Learn to swim", kind="plan")
    journal.add("为什么电梯里有镜子？")
    window.show_view("all")
    assert len(_titles(window)) == 3
    search = list_of(window).search
    qtbot.keyClicks(search, "elev")
    qtbot.waitUntil(lambda: _titles(window) == ["Why do elevators have mirrors?"], timeout=2000)
    assert list_of(window).model.highlight_terms == ("elev",)
    search.setText("电梯")
    qtbot.waitUntil(lambda: _titles(window) == ["为什么电梯里有镜子？"], timeout=2000)
    search.setText("nothing-like-this")
    qtbot.waitUntil(lambda: list_of(window).model.rowCount() == 0, timeout=2000)
    assert list_of(window).stack.currentWidget() is list_of(window).empty


def test_delete_moves_to_trash_and_undo_restores(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    keep = journal.add("Keep me")
    doomed = journal.add("Delete me")
    window.show_view("all")
    assert list_of(window).select_id(doomed.id)
    assert editor_of(window).current_id() == doomed.id
    list_of(window).list.setFocus()
    qtbot.keyClick(list_of(window).list, Qt.Key.Key_Delete)
    qtbot.waitUntil(status_of(window).undo_visible, timeout=3000)
    assert journal.get(doomed.id).in_trash
    assert "Delete me" not in _titles(window)
    qtbot.waitUntil(lambda: sidebar_of(window).count_text("trash") == "1", timeout=3000)
    assert list_of(window).current_id() == keep.id  # the next entry is selected
    assert editor_of(window).current_id() == keep.id
    qtbot.mouseClick(status_of(window).undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Delete me" in _titles(window), timeout=3000)
    assert not journal.get(doomed.id).in_trash
    qtbot.waitUntil(lambda: sidebar_of(window).count_text("trash") == "", timeout=3000)


def test_change_by_another_process_appears(qtbot, window: MainWindow, app_paths: AppPaths) -> None:
    window.show_view("all")
    other = open_services(app_paths)  # a second connection, as `questionbook add` would open
    try:
        other.journal.add("Written in a terminal")
    finally:
        other.close()
    qtbot.waitUntil(lambda: "Written in a terminal" in _titles(window), timeout=3000)
    qtbot.waitUntil(lambda: sidebar_of(window).count_text("all") == "1", timeout=3000)


def test_ctrl_n_creates_an_entry_of_the_views_kind(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    window.show_view("plans")
    action(window, "newEntry").trigger()
    qtbot.waitUntil(lambda: journal.count() == 1, timeout=3000)
    [entry] = journal.find("")
    assert entry.kind == "plan"
    qtbot.waitUntil(lambda: editor_of(window).current_id() == entry.id, timeout=3000)
    assert list_of(window).current_id() == entry.id
    title = ui(editor_of(window)).title_edit
    assert title.hasFocus() and title.selectedText() == "New plan"


def test_ctrl_n_in_the_trash_opens_the_new_entry_where_it_is_listed(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    window.show_view("trash")
    action(window, "newEntry").trigger()
    qtbot.waitUntil(lambda: journal.count() == 1, timeout=3000)
    [entry] = journal.find("")
    qtbot.waitUntil(lambda: editor_of(window).current_id() == entry.id, timeout=3000)
    assert window.current_view_key() == "today"
    assert list_of(window).current_id() == entry.id


def test_hardness_shortcut_rates_selected_entry(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    entry = journal.add("Rate me")
    window.show_view("all")
    list_of(window).select_id(entry.id)
    action(window, "hardness3").trigger()
    button = ui(editor_of(window)).hardness_button
    qtbot.waitUntil(lambda: button.text().startswith("Highlands"), timeout=3000)
    assert journal.get(entry.id).hardness == 3
    assert action(window, "hardness3").shortcut().toString() == "Ctrl+4"
    assert action(window, "quit").shortcut().toString() == "Ctrl+Q"


def test_raising_waterline_reports_newly_covered(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("Easy now", hardness=2)
    journal.add("Still hard", hardness=4)
    journal_changed(window)
    window.set_waterline(2)
    qtbot.waitUntil(lambda: window.findChild(WaterlineReport) is not None, timeout=3000)
    report = part(window, WaterlineReport)
    texts = [report.entries.item(i).text() for i in range(report.entries.count())]
    assert len(texts) == 1 and texts[0].startswith("Easy now")
    assert journal.waterline() == 2
    qtbot.waitUntil(lambda: sidebar_of(window).count_text("submerged") == "1", timeout=3000)
    assert "Shoreline" in status_of(window).waterline_button.text()
    report.close()


def test_today_shows_on_this_day(qtbot, window: MainWindow, journal: Journal) -> None:
    now = datetime.now().astimezone()
    if (now.month, now.day) == (2, 29):
        pytest.skip("no 29 February last year")
    journal.add("Written today")
    journal.add("Written last year", created_at=now.replace(year=now.year - 1))
    journal.add("Written last week", created_at=now - timedelta(days=7))
    journal_changed(window)
    window.show_view("all")
    window.show_view("today")
    model = list_of(window).model
    assert _titles(window) == ["Written today", "Written last year"]
    headers = [model.data(model.index(r), model.HeaderRole) for r in range(model.rowCount())]
    assert any(h and str(now.year - 1) in h for h in headers)
    qtbot.waitUntil(lambda: sidebar_of(window).count_text("today") == "1", timeout=3000)


def test_added_page_appears_in_sidebar(window: MainWindow) -> None:
    page = QLabel("Review page")
    window.add_page("review", "Review", page, "review")
    assert window.show_view("review")
    assert current_page(window) is page
    window.show_view("all")
    assert current_page(window) is browse_of(window)


def test_geometry_splitters_and_view_are_restored(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    first = MainWindow(services.journal, settings=SettingsController(app_paths.settings_file))
    qtbot.addWidget(first)
    first.show()
    first.resize(first.minimumSizeHint())  # fits the small offscreen screen, as it is restored
    first.show_view("plans")
    splitter = part(first, QSplitter, "mainSplitter")
    splitter.setSizes([150, splitter.width() - 150])
    sizes = splitter.sizes()
    first.close()
    saved = load_settings(app_paths.settings_file)
    assert saved.last_view == "plans"
    second = MainWindow(services.journal, settings=SettingsController(app_paths.settings_file))
    qtbot.addWidget(second)
    second.show()
    assert second.current_view_key() == "plans"
    assert part(second, QSplitter, "mainSplitter").sizes() == sizes
    second.close()


def test_submerged_rows_are_painted_under_water(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("Dry land", hardness=4)
    journal.add("Under water", hardness=0)
    journal_changed(window)
    window.show_view("all")
    view = list_of(window).list
    view.clearSelection()
    image = view.viewport().grab().toImage()
    height = view.sizeHintForRow(0)

    def blueness(row: int) -> float:
        y = row * height + height - 6  # near the bottom edge, where the water is deepest
        colors = [
            image.pixelColor(x, y)
            for x in range(view.viewport().width() // 2, view.viewport().width() - 20, 7)
        ]
        return sum(c.blue() - c.red() for c in colors) / len(colors)

    rows = {list_of(window).model.summary(r).title: r for r in range(2)}
    assert blueness(rows["Under water"]) > blueness(rows["Dry land"]) + 10
    assert list_of(window).list.actions()  # the right-click menu offers the entry actions


def test_keyboard_shortcuts_drive_the_window(qtbot, window: MainWindow, journal: Journal) -> None:
    entry = journal.add("Press keys at me")
    journal_changed(window)
    window.show_view("all")
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F, ctrl)
    assert window.focusWidget() is list_of(window).search
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_L, ctrl)
    assert window.focusWidget() is list_of(window).capture.line
    list_of(window).select_id(entry.id)
    list_of(window).list.setFocus()
    qtbot.keyClick(list_of(window).list, Qt.Key.Key_5, ctrl)  # Ctrl+5 = Summit (4)
    qtbot.waitUntil(lambda: journal.get(entry.id).hardness == 4, timeout=3000)
    qtbot.keyClick(list_of(window).list, Qt.Key.Key_Delete)
    qtbot.waitUntil(action(window, "undoDelete").isEnabled, timeout=3000)
    assert journal.get(entry.id).in_trash
    qtbot.keyClick(list_of(window).list, Qt.Key.Key_Z, ctrl)  # undo the move to Trash
    qtbot.waitUntil(lambda: not journal.get(entry.id).in_trash, timeout=3000)
    settle(qtbot, window.operations)


def test_delete_key_while_typing_edits_text(qtbot, window: MainWindow, journal: Journal) -> None:
    entry = journal.add("Typing here", "abc")
    journal_changed(window)
    window.show_view("all")
    list_of(window).select_id(entry.id)
    body = ui(editor_of(window)).body_edit
    body.setFocus()
    cursor = body.textCursor()
    cursor.setPosition(0)
    body.setTextCursor(cursor)
    qtbot.keyClick(body, Qt.Key.Key_Delete)
    assert body.toPlainText() == "bc"
    settle(qtbot, window.operations)
    assert not journal.get(entry.id).in_trash


def test_file_menu_ends_with_quit(window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    from tests.ui.parts import menu

    extra = QAction("Export…", window)
    window.add_menu_action("file", extra)
    texts = [a.text() for a in menu(window, "file").actions() if not a.isSeparator()]
    assert texts[-1] == "&Quit"
    assert "Export…" in texts
