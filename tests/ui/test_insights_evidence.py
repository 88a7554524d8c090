"""The Insights page's Evidence tab: verdicts by hardness, the hardness × reach grid and the
freeboard over time, drawn from ``InsightsService.evidence`` with their numbers on hover.

``qt_log_level_fail = WARNING`` turns any Qt warning from the charts into a failure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QScatterSeries
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from questionbook.core.insights import InsightsService
from questionbook.core.journal import Journal
from questionbook.core.trials import TrialService
from questionbook.services import Services
from questionbook.ui.pages.insights_page import InsightsPage
from tests.conftest import FakeClock

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
#: The offscreen platform's notes about window-manager things (a tooltip asks to be raised).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def make_page(qtbot: QtBot, services: Services, clock: FakeClock) -> InsightsPage:
    page = InsightsPage(InsightsService(services.db, clock=clock, tz=UTC))
    qtbot.addWidget(page)
    page.resize(1000, 760)
    return page


def test_empty_journal_draws_the_evidence_tab(qtbot, services, clock) -> None:
    page = make_page(qtbot, services, clock)
    page.show()
    page.tabs.setCurrentWidget(page.evidence)
    qtbot.waitExposed(page)
    calibration, freeboard = page.evidence.charts()
    bars = calibration.series()[0]
    assert isinstance(bars, QAbstractBarSeries)
    assert [b.sum() for b in bars.barSets()] == [0, 0, 0, 0]
    assert freeboard.series()
    assert page.evidence.grid_view.grid is not None
    assert page.evidence.grid_view.grid.total == 0
    assert not page.grab().isNull()


def test_the_numbers_come_from_the_service_and_show_on_hover(qtbot, services, clock) -> None:
    clock.now = NOW - timedelta(days=30)
    journal = Journal(services.db, clock=clock, tz=UTC)
    trials = TrialService(services.db, clock=clock, tz=UTC)
    shore = journal.add("Shoreline question", hardness=2, reach=1)
    high = journal.add("Highlands question", hardness=3, reach=1)
    journal.add("Moonshot", hardness=4, reach=4)
    journal.add("Closed one", hardness=3, reach=1, status="answered")  # not counted: closed
    for verdict in ("solved", "solved", "failed"):
        trials.add(shore.id, verdict=verdict)
    trials.add(high.id, verdict="pending")
    clock.now = NOW
    page = make_page(qtbot, services, clock)
    page.show()
    page.tabs.setCurrentWidget(page.evidence)
    qtbot.waitExposed(page)

    calibration = page.evidence.charts()[0]
    bars = calibration.series()[0]
    assert isinstance(bars, QAbstractBarSeries)
    by_verdict = {b.label(): [b.at(i) for i in range(b.count())] for b in bars.barSets()}
    assert by_verdict["Solved"] == [0, 0, 2, 0, 0]
    assert by_verdict["Failed"] == [0, 0, 1, 0, 0]
    assert by_verdict["Pending"] == [0, 0, 0, 1, 0]
    bars.hovered.emit(True, 2, bars.barSets()[0])
    assert page.evidence.last_tip == "Shoreline: solved 2, partly 0, failed 1, pending 0 (3 trials)"

    grid_view = page.evidence.grid_view
    grid = grid_view.grid
    assert grid is not None and grid.total == 3
    assert grid.counts[2][1] == 1 and grid.counts[3][1] == 1 and grid.counts[4][4] == 1
    center = grid_view.cell_center(3, 1)
    QApplication.sendEvent(
        grid_view,
        QHelpEvent(QEvent.Type.ToolTip, center, grid_view.mapToGlobal(center)),
    )
    assert grid_view.last_tip == "Highlands for AI, Within reach for you: 1 open entry — Your edge"
    QApplication.sendEvent(
        grid_view, QHelpEvent(QEvent.Type.ToolTip, QPoint(1, 1), grid_view.mapToGlobal(QPoint()))
    )
    assert grid_view.last_tip == ""  # outside the cells: no tip

    freeboard = page.evidence.charts()[1]
    points = [s for s in freeboard.series() if isinstance(s, QScatterSeries)]
    shown = [p for s in points for p in s.points()]
    assert shown, "the weeks with rated open entries are drawn"
    last = max(shown, key=lambda p: p.x())
    assert last.y() == 2.0  # median Highlands (2, 3, 4 → 3) minus the water at Shallows
    points[0].hovered.emit(last, True)
    assert page.evidence.last_tip == (
        "W48: freeboard +2 levels (median Highlands, water at Shallows, 3 rated)"
    )


def test_the_evidence_tab_follows_the_language(qtbot, services, clock) -> None:
    from questionbook.i18n import _, set_language

    page = make_page(qtbot, services, clock)
    try:
        set_language("zh_CN")
        page.show()
        qtbot.waitExposed(page)
        assert page.tabs.tabText(1) == _("Evidence")
        assert page.evidence.charts()[0].title() == _("AI trials by hardness")
    finally:
        set_language("en")
