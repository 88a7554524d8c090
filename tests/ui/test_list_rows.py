"""How list rows look (issue 12, roughness): a submerged row does not look selected (its water
stands in the lower part only), and a row without a body or tags keeps no empty middle line
(its lines are centred). Checked on the pixels the real list paints."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPalette

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from tests.ui.parts import journal_changed, list_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> MainWindow:
    win = MainWindow(
        services.journal, settings=SettingsController(app_paths.settings_file), poll_ms=60_000
    )
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _mean(image: QImage, x0: int, x1: int, y0: int, y1: int) -> QColor:
    r = g = b = n = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            c = image.pixelColor(x, y)
            r, g, b, n = r + c.red(), g + c.green(), b + c.blue(), n + 1
    return QColor(r // n, g // n, b // n)


def _distance(a: QColor, b: QColor) -> int:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))


def _shot(qtbot, window: MainWindow) -> tuple[QImage, dict[str, object]]:
    pane = list_of(window)
    qtbot.wait(1)
    image = pane.list.viewport().grab().toImage()
    rects = {}
    for row in range(pane.model.rowCount()):
        summary = pane.model.summary(row)
        if summary is not None:
            rects[summary.title] = pane.list.visualRect(pane.model.index(row))
    return image, rects


def test_a_submerged_row_does_not_look_selected(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("a", kind="note", hardness=0)  # under the water (the waterline is 1)
    plain = journal.add("b", kind="note")
    journal_changed(window)
    window.show_view("all")
    list_of(window).select_id(plain.id)
    image, rects = _shot(qtbot, window)
    base = list_of(window).list.palette().color(QPalette.ColorRole.Base)

    def band(title: str, top: float, bottom: float) -> QColor:
        r = rects[title]
        return _mean(
            image,
            r.left() + r.width() * 2 // 5,
            r.left() + r.width() * 3 // 5,
            r.top() + int(r.height() * top),
            r.top() + int(r.height() * bottom),
        )

    assert _distance(band("a", 0.1, 0.4), base) <= 6  # above the water: the row's own colour
    assert _distance(band("a", 0.8, 0.95), base) > 10  # the water is there, lower down
    assert _distance(band("b", 0.1, 0.4), base) > 10  # the selection tints the whole row


def test_a_row_without_body_or_tags_centres_its_title(
    qtbot, window: MainWindow, journal: Journal
) -> None:
    journal.add("Only a title here", kind="note")
    journal_changed(window)
    window.show_view("all")
    image, rects = _shot(qtbot, window)
    r = rects["Only a title here"]
    text = list_of(window).list.palette().color(QPalette.ColorRole.Text)
    inked = [
        y
        for y in range(r.top(), r.bottom())
        if any(
            _distance(image.pixelColor(x, y), text) < 90
            for x in range(r.left() + 45, r.left() + 160)
        )
    ]
    assert inked, "the title was not painted"
    middle = (min(inked) + max(inked)) / 2
    assert abs(middle - r.center().y()) <= 4  # centred, no empty line below it


def test_a_narrow_list_shows_the_hardness_as_its_number_so_titles_stay_readable(qtbot) -> None:
    """At 800×600 the badge ("Shoreline") and the date left a title one letter ("W…")."""
    from PySide6.QtGui import QFont, QFontMetrics

    from questionbook.core.vocabulary import HARDNESS
    from questionbook.ui.widgets.entry_delegate import MIN_TITLE_PX, badge_text

    fm = QFontMetrics(QFont())
    wide = badge_text(2, 600, fm)
    assert wide == HARDNESS[2].label
    assert badge_text(2, 150, fm) == "2"
    room = MIN_TITLE_PX + fm.horizontalAdvance(wide) + 16
    assert badge_text(2, room, fm) == wide and badge_text(2, room - 1, fm) == "2"


def test_a_narrow_list_says_how_long_ago_in_short(qtbot) -> None:
    """At 800×600 "14 hours ago" left a title a few letters; a narrow row says "14 h"."""
    from datetime import datetime, timedelta

    from questionbook.i18n import current_language, set_language
    from questionbook.ui.widgets.entry_delegate import SHORT_DATE_ROW_PX, date_label

    previous = current_language()
    set_language("en")
    try:
        moment = datetime.now().astimezone() - timedelta(seconds=5)
        assert date_label(moment, SHORT_DATE_ROW_PX + 100) == "just now"
        assert date_label(moment, SHORT_DATE_ROW_PX - 1) == "now"
    finally:
        set_language(previous)
