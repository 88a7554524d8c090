"""The window fits half a laptop screen and never grows by itself (issue 12, #1 and #3).

The app is assembled as it runs (the window plus its Review and Insights pages), set to
800×600, and then used: long titles and tags are shown, sharpened, moved to the Trash; every
page is visited. After each step the window is still 800×600 and asks for no more.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QWidget

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.features import install_features
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.window_state import FIRST_RUN_SIZE, first_run_size
from tests.ui.parts import (
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

SMALL = QSize(800, 600)
#: 250 characters, as in the report: a question that grew while it was written.
LONG_TITLE = ("Why does the water rise faster in some fields than in others, " * 5)[:250]
LONG_TAG = "a-tag-name-that-goes-on-and-on-without-a-single-break-anywhere"  # 64, the most


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> MainWindow:
    controller = SettingsController(app_paths.settings_file)
    win = MainWindow(services.journal, settings=controller, poll_ms=60_000)
    install_features(win, services, controller, reopen=lambda: None, with_tray=False)
    qtbot.addWidget(win)
    win.resize(SMALL)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _fits(qtbot, window: MainWindow) -> None:
    """The window is still 800×600, and nothing in it asks for more."""
    qtbot.wait(1)  # let the layouts settle (posted LayoutRequest events)
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL.width(), f"minimum width {hint.width()}"
    assert hint.height() <= SMALL.height(), f"minimum height {hint.height()}"
    assert window.size() == SMALL


def test_a_long_title_and_tag_never_widen_the_window(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    parent = journal.add(LONG_TITLE, "Some body text.", tags=[LONG_TAG, "water"])
    journal.add("Another question")
    journal_changed(window)
    window.show_view("all")
    assert list_of(window).select_id(parent.id)
    editor = editor_of(window)
    _fits(qtbot, window)

    qtbot.mouseClick(ui(editor).follow_up_button, Qt.MouseButton.LeftButton)  # Sharpen
    qtbot.waitUntil(lambda: editor.current_id() not in (None, parent.id))
    label = part(editor, QLabel, "parentLabel")
    assert label.isVisible()
    assert label.text() == f"Follows up: {LONG_TITLE}"
    assert label.toolTip() == label.text()  # cut to fit, the whole text in its tooltip
    _fits(qtbot, window)

    list_of(window).select_id(parent.id)  # the report: it stayed wide after that
    _fits(qtbot, window)

    qtbot.waitUntil(lambda: f"tag:{LONG_TAG}" in list(sidebar_of(window).keys()))
    assert window.show_view(f"tag:{LONG_TAG}")  # the list is titled with the tag
    title = part(list_of(window), QLabel, "viewTitle")
    assert title.text() == LONG_TAG
    _fits(qtbot, window)

    window.show_view("all")
    list_of(window).select_id(parent.id)
    qtbot.mouseClick(ui(editor).delete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.operations)
    notice = part(status_of(window), QLabel, "noticeLabel")
    assert LONG_TITLE in notice.text()  # "Moved “…” to the Trash." names it in full
    _fits(qtbot, window)


def test_the_window_works_at_800_by_600_on_every_page(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    entry = journal.add(
        "A question with many tags",
        "#one #two #three #four #five #six #seven #eight",
        kind="plan",
    )
    journal_changed(window)
    window.show_view("plans")
    list_of(window).select_id(entry.id)
    _fits(qtbot, window)
    for key in ("review", "insights", "today", "trash", "all"):
        window.show_view(key)
        _fits(qtbot, window)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_sidebar_titles_are_never_cut(qtbot, window: MainWindow, language: str) -> None:
    from questionbook.i18n import current_language, set_language

    before = current_language()
    set_language(language)
    try:
        sidebar = sidebar_of(window)
        sidebar.retranslate()
        window.show_view("all")
        window.resize(SMALL)
        qtbot.wait(1)
        fm = sidebar.fontMetrics()
        room = sidebar.viewport().width()
        for key in [k for k in sidebar.keys() if not k.startswith("tag:")]:  # noqa: SIM118
            text = sidebar.title_of(key)
            needed = fm.horizontalAdvance(text) + sidebar.iconSize().width() + 8
            count = sidebar.count_text(key)
            needed += fm.horizontalAdvance(count) + 10 if count else 0
            assert needed <= room, f"{text!r} needs {needed} px, the sidebar has {room}"
        assert {"review", "insights"} <= set(sidebar.keys())
    finally:
        set_language(before)


def test_the_first_window_fits_the_screen(qtbot, services: Services) -> None:
    win = MainWindow(services.journal, poll_ms=60_000)  # no saved geometry: a first run
    qtbot.addWidget(win)
    available = win.screen().availableGeometry().size()
    assert win.width() <= available.width() and win.height() <= available.height()
    assert win.size() == first_run_size(available)
    assert first_run_size(QSize(3000, 2000)) == FIRST_RUN_SIZE
    assert first_run_size(QSize(1366, 728)) == QSize(1229, 655)
    win.close()


def test_pages_scroll_instead_of_growing_the_window(qtbot, window: MainWindow) -> None:
    window.show_view("review")
    page = window.findChild(QWidget, "page_review")
    assert page is not None and page.isVisible()
    _fits(qtbot, window)
