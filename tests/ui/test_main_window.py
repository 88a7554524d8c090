"""The main window over a real journal file: views, delete + undo, other processes, state."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.settings import load_settings
from questionbook.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> MainWindow:
    win = MainWindow(services.journal, settings_path=app_paths.settings_file, poll_ms=50)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _titles(win: MainWindow) -> list[str]:
    model = win.list_pane.model
    return [s.title for s in (model.summary(r) for r in range(model.rowCount())) if s]


def test_first_run_shows_welcome_and_focus_is_in_capture_box(window: MainWindow) -> None:
    assert window.current_view_key() == "today"
    assert window.list_pane.stack.currentWidget() is window.list_pane.empty
    assert "QuestionBook" in window.list_pane.empty.headline.text()
    assert "Underwater" in window.list_pane.empty.body.text()
    assert window.focusWidget() is window.list_pane.capture.line  # focused on open


def test_views_list_their_entries(qtbot, window: MainWindow, journal: Journal) -> None:
    journal.add("A question")
    journal.add("A plan", kind="plan")
    journal.add("A starred note", kind="note", starred=True)
    window.refresh_all()
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
    qtbot.keyClicks(window.list_pane.search, "elev")
    qtbot.waitUntil(lambda: _titles(window) == ["Why do elevators have mirrors?"], timeout=2000)
    assert window.list_pane.model.highlight_terms == ("elev",)
    window.list_pane.search.setText("电梯")
    qtbot.waitUntil(lambda: _titles(window) == ["为什么电梯里有镜子？"], timeout=2000)
    window.list_pane.search.setText("nothing-like-this")
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 0, timeout=2000)
    assert window.list_pane.stack.currentWidget() is window.list_pane.empty


def test_delete_moves_to_trash_and_undo_restores(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    keep = journal.add("Keep me")
    doomed = journal.add("Delete me")
    window.refresh_all()
    window.show_view("all")
    assert window.list_pane.select_id(doomed.id)
    assert window.editor.current_id() == doomed.id
    window.list_pane.list.setFocus()
    window.actions.delete.trigger()
    assert journal.get(doomed.id).in_trash
    assert "Delete me" not in _titles(window)
    assert window.status.undo_visible()
    qtbot.waitUntil(lambda: window.sidebar.count_text("trash") == "1", timeout=3000)
    assert window.list_pane.current_id() == keep.id  # the next entry is selected
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    assert not journal.get(doomed.id).in_trash
    assert "Delete me" in _titles(window)
    qtbot.waitUntil(lambda: window.sidebar.count_text("trash") == "", timeout=3000)


def test_change_by_another_process_appears(qtbot, window: MainWindow, app_paths: AppPaths) -> None:
    window.show_view("all")
    other = open_services(app_paths)  # a second connection, as `questionbook add` would open
    try:
        other.journal.add("Written in a terminal")
    finally:
        other.close()
    qtbot.waitUntil(lambda: "Written in a terminal" in _titles(window), timeout=3000)
    qtbot.waitUntil(lambda: window.sidebar.count_text("all") == "1", timeout=3000)


def test_ctrl_n_creates_an_entry_of_the_views_kind(window: MainWindow, journal: Journal) -> None:
    window.show_view("plans")
    window.actions.new_entry.trigger()
    entries = journal.find("")
    assert len(entries) == 1 and entries[0].kind == "plan"
    assert window.editor.current_id() == entries[0].id


def test_hardness_shortcut_rates_selected_entry(window: MainWindow, journal: Journal) -> None:
    entry = journal.add("Rate me")
    window.refresh_all()
    window.show_view("all")
    window.list_pane.select_id(entry.id)
    window.actions.hardness[3].trigger()
    assert journal.get(entry.id).hardness == 3
    assert window.actions.hardness[3].shortcut().toString() == "Ctrl+4"
    assert window.actions.quit.shortcut().toString() == "Ctrl+Q"


def test_raising_waterline_reports_newly_covered(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("Easy now", hardness=2)
    journal.add("Still hard", hardness=4)
    window.refresh_all()
    report = window.set_waterline(2)
    assert report is not None
    qtbot.addWidget(report)
    texts = [report.entries.item(i).text() for i in range(report.entries.count())]
    assert len(texts) == 1 and texts[0].startswith("Easy now")
    assert journal.waterline() == 2
    qtbot.waitUntil(lambda: window.sidebar.count_text("submerged") == "1", timeout=3000)
    assert "Shoreline" in window.status.waterline_button.text()
    report.close()


def test_today_shows_on_this_day(qtbot, window: MainWindow, journal: Journal) -> None:
    now = datetime.now().astimezone()
    if (now.month, now.day) == (2, 29):
        pytest.skip("no 29 February last year")
    journal.add("Written today")
    journal.add("Written last year", created_at=now.replace(year=now.year - 1))
    journal.add("Written last week", created_at=now - timedelta(days=7))
    window.refresh_all()
    window.show_view("all")
    window.show_view("today")
    model = window.list_pane.model
    assert _titles(window) == ["Written today", "Written last year"]
    headers = [model.data(model.index(r), model.HeaderRole) for r in range(model.rowCount())]
    assert any(h and str(now.year - 1) in h for h in headers)
    qtbot.waitUntil(lambda: window.sidebar.count_text("today") == "1", timeout=3000)


def test_added_page_appears_in_sidebar(window: MainWindow) -> None:
    page = QLabel("Review page")
    window.add_page("review", "Review", page, "review")
    assert window.show_view("review")
    assert window.stack.currentWidget() is page
    window.show_view("all")
    assert window.stack.currentWidget() is window.browse


def test_geometry_splitters_and_view_are_restored(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    first = MainWindow(services.journal, settings_path=app_paths.settings_file)
    qtbot.addWidget(first)
    first.show()
    first.resize(first.minimumSizeHint())  # fits the small offscreen screen, as it is restored
    first.show_view("plans")
    first.splitter.setSizes([150, first.splitter.width() - 150])
    sizes = first.splitter.sizes()
    first.close()
    saved = load_settings(app_paths.settings_file)
    assert saved.last_view == "plans"
    second = MainWindow(services.journal, settings_path=app_paths.settings_file)
    qtbot.addWidget(second)
    second.show()
    assert second.current_view_key() == "plans"
    assert second.splitter.sizes() == sizes
    second.close()


def test_submerged_rows_are_painted_under_water(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("Dry land", hardness=4)
    journal.add("Under water", hardness=0)
    window.refresh_all()
    window.show_view("all")
    view = window.list_pane.list
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

    rows = {window.list_pane.model.summary(r).title: r for r in range(2)}
    assert blueness(rows["Under water"]) > blueness(rows["Dry land"]) + 10
    assert window.list_pane.list.actions()  # the right-click menu offers the entry actions


def test_keyboard_shortcuts_drive_the_window(qtbot, window: MainWindow, journal: Journal) -> None:
    entry = journal.add("Press keys at me")
    window.refresh_all()
    window.show_view("all")
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_F, ctrl)
    assert window.focusWidget() is window.list_pane.search
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_L, ctrl)
    assert window.focusWidget() is window.list_pane.capture.line
    window.list_pane.select_id(entry.id)
    window.list_pane.list.setFocus()
    qtbot.keyClick(window.list_pane.list, Qt.Key.Key_5, ctrl)  # Ctrl+5 = Summit (4)
    assert journal.get(entry.id).hardness == 4
    qtbot.keyClick(window.list_pane.list, Qt.Key.Key_Delete)
    assert journal.get(entry.id).in_trash
    qtbot.keyClick(window.list_pane.list, Qt.Key.Key_Z, ctrl)  # undo the move to Trash
    assert not journal.get(entry.id).in_trash


def test_delete_key_while_typing_edits_text(qtbot, window: MainWindow, journal: Journal) -> None:
    entry = journal.add("Typing here", "abc")
    window.refresh_all()
    window.show_view("all")
    window.list_pane.select_id(entry.id)
    body = window.editor.body_edit
    body.setFocus()
    cursor = body.textCursor()
    cursor.setPosition(0)
    body.setTextCursor(cursor)
    qtbot.keyClick(body, Qt.Key.Key_Delete)
    assert body.toPlainText() == "bc"
    assert not journal.get(entry.id).in_trash
