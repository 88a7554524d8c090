"""The insights page builds its four charts without Qt warnings, empty or with 10,000 entries.

``qt_log_level_fail = WARNING`` (pyproject) turns any Qt warning during a test into a failure.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QLineSeries
from pytestqt.qtbot import QtBot

from questionbook.core import rows
from questionbook.core.insights import InsightsService, gather_insights, month_starts
from questionbook.core.journal import Journal
from questionbook.core.schema import ENTRY, STATUS_CHANGE, WATERLINE_MARK
from questionbook.i18n import set_language
from questionbook.services import Services
from questionbook.ui.pages.insights_page import InsightsPage
from tests.conftest import FakeClock

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
#: The offscreen platform's note about window-manager hints is not about our charts.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def bulk_fill(services: Services, n: int = 10_000) -> None:
    """Insert *n* entries over two years in one executemany (seconds, not minutes)."""
    rng = random.Random(4)
    kinds = ("question", "plan", "note")
    statuses = {"question": ("open", "answered"), "plan": ("active", "done"), "note": (None,)}
    entries, changes = [], []
    for i in range(n):
        kind = kinds[i % 3]
        created = NOW - timedelta(minutes=rng.randrange(0, 730 * 24 * 60))
        status = rng.choice(statuses[kind])
        entry_id = str(uuid.UUID(int=rng.getrandbits(128)))
        entries.append({
            "id": entry_id, "kind": kind, "title": f"Entry {i} 第{i}条", "body": "",
            "status": status, "hardness": rng.choice((None, 0, 1, 2, 3, 4)), "starred": False,
            "outcome": "", "parent_id": None, "tags": (), "created_at": created,
            "updated_at": created,
        })  # fmt: skip
        if status in ("answered", "done"):
            changes.append({"entry_id": entry_id, "status": status, "outcome": "",
                            "changed_at": created + timedelta(days=3)})  # fmt: skip
    with services.db.write() as conn:
        rows.insert_many(conn, ENTRY, entries)
        rows.insert_many(conn, STATUS_CHANGE, changes)
        rows.insert_many(conn, WATERLINE_MARK, [
            {"level": level, "note": "", "set_at": NOW - timedelta(days=days)}
            for days, level in ((500, 0), (200, 1), (30, 2))
        ])  # fmt: skip


def make_page(qtbot: QtBot, services: Services, clock: FakeClock) -> InsightsPage:
    page = InsightsPage(InsightsService(services.db, clock=clock, tz=UTC))
    qtbot.addWidget(page)
    page.resize(1000, 760)
    return page


def test_empty_journal_builds_all_charts(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    page = make_page(qtbot, services, clock)
    page.show()  # showEvent refreshes
    qtbot.waitExposed(page)
    charts = page.charts()
    assert len(charts) == 4
    assert all(chart.series() for chart in charts)
    assert page.insights is not None and page.insights.is_empty
    weekly = charts[0].series()[0]
    assert isinstance(weekly, QAbstractBarSeries)
    assert [b.sum() for b in weekly.barSets()] == [0, 0, 0]
    assert not page.grab().isNull()


def test_ten_thousand_entries_use_aggregates_and_draw(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    bulk_fill(services)
    clock.now = NOW
    data = gather_insights(services.db, today=NOW.date(), tz=UTC)  # speed: bench/, not here
    assert sum(data.hardness.values()) == 10_000
    assert data.waterline == 2
    assert len(data.weeks) == 12 and data.weeks[-1].label == "2026-W48"
    page = make_page(qtbot, services, clock)
    page.show()
    qtbot.waitExposed(page)
    weekly = page.charts()[0].series()[0]
    per_week_total = sum(b.sum() for b in weekly.barSets())  # type: ignore[attr-defined]
    assert per_week_total == sum(sum(v) for v in data.per_week.values()) > 1000
    water = [s for s in page.charts()[1].series() if isinstance(s, QLineSeries)]
    assert water and water[0].at(0).y() == pytest.approx(2.5)  # drawn above level 2
    assert not page.grab().isNull()


def test_insights_counts_follow_local_weeks(services: Services, clock: FakeClock) -> None:
    journal = Journal(services.db, clock=clock, tz=UTC)
    for day in (date(2026, 11, 23), date(2026, 11, 29), date(2026, 11, 30)):
        clock.now = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        journal.add(f"On {day}", kind="plan" if day.day == 29 else "question")
    data = gather_insights(services.db, today=date(2026, 11, 30), tz=UTC)
    assert data.weeks[-2].label == "2026-W48"
    assert data.per_week["question"][-2:] == [1, 1]
    assert data.per_week["plan"][-2:] == [1, 0]
    assert month_starts(date(2026, 1, 15), 3) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]


def test_chinese_axes_and_dark_palette(qtbot: QtBot, services: Services, clock: FakeClock) -> None:
    from questionbook.ui.theme import dark_palette

    try:
        set_language("zh_CN")
        page = make_page(qtbot, services, clock)
        page.setPalette(dark_palette())
        page.show()
        qtbot.waitExposed(page)
        chart = page.charts()[0]
        assert chart.backgroundBrush().color().lightness() < 80  # follows the dark palette
        from questionbook.i18n import _

        assert chart.title() == _("Entries per week")
    finally:
        set_language("en")


@pytest.mark.qt_log_ignore("This plugin does not support")  # the tooltip's raise()
def test_bars_say_their_numbers_and_keep_their_hue_under_the_water(
    qtbot: QtBot, services: Services, clock: FakeClock
) -> None:
    """Hovering a bar says what it counts; a bar under the water keeps its own colour (the
    water is drawn behind it), issue 12."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QColor

    from questionbook.ui.widgets.editor.hardness_picker import HARDNESS_COLORS

    journal = Journal(services.db, clock=clock, tz=UTC)
    for _ in range(3):
        journal.add("A shoreline question", hardness=2)
    journal.set_waterline(3)  # Shoreline is under the water now
    page = make_page(qtbot, services, clock)
    page.show()
    qtbot.waitExposed(page)
    view = page.views[1]
    chart = view.chart()
    [bars] = [s for s in chart.series() if isinstance(s, QAbstractBarSeries)]
    point = chart.mapToPosition(QPointF(1.5, 2), bars)  # halfway along the Shoreline bar
    pos = view.mapFromScene(chart.mapToScene(point))

    shown = view.viewport().grab().toImage().pixelColor(pos)
    wanted = QColor(HARDNESS_COLORS[2])
    diff = max(abs(shown.red() - wanted.red()), abs(shown.green() - wanted.green()))
    diff = max(diff, abs(shown.blue() - wanted.blue()))
    assert abs(shown.hslHue() - wanted.hslHue()) <= 3 and diff <= 8, (shown.name(), wanted.name())

    qtbot.mouseMove(view.viewport(), pos)
    qtbot.waitUntil(lambda: page.tips()[1].last == "2 Shoreline: 3 entries", timeout=3000)
