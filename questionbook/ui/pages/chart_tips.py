"""Tooltips with the numbers for QtCharts series (issue 12: "charts have tooltips").

A chart shows shapes; hovering a bar or a point should say what it stands for ("W47 ·
Questions: 3"). QtCharts reports hovering through each series' ``hovered`` signal; these helpers
connect it to ``QToolTip`` with a text the caller words, so every chart (the Insights page's and
any added later) says its numbers the same way. The last text shown is kept in
:attr:`ChartTips.last` for tests.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import QAbstractBarSeries, QBarSet, QXYSeries
from PySide6.QtCore import QObject, QPointF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip, QWidget

BarText = Callable[[QBarSet, int], str]
PointText = Callable[[QPointF], str]


class ChartTips(QObject):
    """Shows tooltips over the series of one chart view (*view*, their parent widget)."""

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self.last = ""

    def bars(self, series: QAbstractBarSeries, text: BarText) -> None:
        """Say ``text(bar_set, index)`` while the pointer is over a bar of *series*."""

        def hovered(status: bool, index: int, bar_set: QBarSet) -> None:
            self._show(text(bar_set, index) if status else "")

        series.hovered.connect(hovered)

    def points(self, series: QXYSeries, text: PointText) -> None:
        """Say ``text(point)`` while the pointer is over the line of *series*."""

        def hovered(point: QPointF, state: bool) -> None:
            self._show(text(point) if state else "")

        series.hovered.connect(hovered)

    def _show(self, text: str) -> None:
        self.last = text
        if text:
            QToolTip.showText(QCursor.pos(), text, self._view)
        else:
            QToolTip.hideText()
