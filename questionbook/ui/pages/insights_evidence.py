"""The evidence charts of Insights (issue 17), over :class:`EvidenceInsights`:

- **calibration**: AI trials by the entry's hardness when it was tried, stacked by verdict —
  where the AI really managed, and where it did not;
- **hardness × reach**: the open entries on a 5×5 grid (hardness for AI up, reach for you
  across), the waterline drawn through it and the four quadrants tinted, *your edge* first;
- **freeboard over time**: how far above the water the open entries stood at the end of each
  week, with the flood weeks marked.

Every chart says its numbers on hover (a tooltip; :attr:`EvidenceCharts.last_tip` keeps the
last one for tests). Colours follow the palette, texts the language, like the other charts.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QAreaSeries,
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from questionbook.core.freeboard import Freeboard
from questionbook.core.insights_evidence import EvidenceInsights, ReachGrid
from questionbook.core.summary_markdown import median_label
from questionbook.core.vocabulary import (
    HARDNESS,
    QUADRANT_LABELS,
    REACH,
    VERDICT_LABELS,
    VERDICTS,
    Quadrant,
    quadrant,
)
from questionbook.i18n import _, dashed, join_list, label_value, ngettext, parenthetical
from questionbook.ui.widgets.editor.trials_panel import VERDICT_COLORS

QUADRANT_COLORS = {
    Quadrant.EDGE: QColor(79, 154, 74),
    Quadrant.MOONSHOT: QColor(142, 92, 196),
    Quadrant.DELEGATE: QColor(201, 154, 46),
    Quadrant.JUST_DO_IT: QColor(43, 108, 176),
}
WATER = QColor(59, 143, 217)


def calibration_tip(level: int | None, counts: dict[str, int]) -> str:
    """The numbers of one hardness level: "Shoreline: solved 4, partly 1, failed 0 …"."""
    name = _("Unrated") if level is None else HARDNESS[level].label
    parts = join_list(f"{_(VERDICT_LABELS[v]).lower()} {counts.get(v, 0)}" for v in VERDICTS)
    total = sum(counts.values())
    trials = ngettext("{n} trial", "{n} trials", total).format(n=total)
    return label_value(name, parenthetical(parts, trials))


def grid_tip(grid: ReachGrid, hardness: int, reach: int) -> str:
    """One cell of the grid: its two ratings, how many entries, and the quadrant."""
    n = grid.counts[hardness][reach]
    q = quadrant(hardness, reach, grid.waterline)
    cell = _("{hardness} for AI, {reach} for you").format(
        hardness=HARDNESS[hardness].label, reach=REACH[reach].label
    )
    count = ngettext("{n} open entry", "{n} open entries", n).format(n=n)
    where = _(QUADRANT_LABELS[q]) if q is not None else ""
    return label_value(cell, dashed(count, where) if where else count)


def freeboard_tip(week: str, fb: Freeboard) -> str:
    """One week of the freeboard line."""
    if fb.value is None or fb.median is None:
        return _("{week}: no rated open entries").format(week=week)
    text = ngettext(
        "{week}: freeboard {value:+g} level (median {median}, water at {level}, {n} rated)",
        "{week}: freeboard {value:+g} levels (median {median}, water at {level}, {n} rated)",
        1 if abs(fb.value) == 1 else 2,
    ).format(
        week=week,
        value=fb.value,
        median=median_label(fb.median),
        level=HARDNESS[fb.waterline].label,
        n=fb.rated,
    )
    if fb.flood:
        text = dashed(text, _("flood warning"))
    return text


class ReachGridView(QWidget):
    """The 5×5 grid: hardness rows (Summit on top), reach columns, counts in the cells."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reachGrid")
        self.setMouseTracking(True)
        self.setMinimumSize(QSize(320, 220))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.grid: ReachGrid | None = None
        self.last_tip = ""

    def show_grid(self, grid: ReachGrid) -> None:
        self.grid = grid
        self.update()

    # -- geometry --------------------------------------------------------------------------
    def _frame(self) -> tuple[QRectF, float, float]:
        fm = self.fontMetrics()
        left = max(fm.horizontalAdvance(f"0 {h.label}") for h in HARDNESS) + 24
        top = fm.height() * 2 + 16
        bottom = fm.height() * 2 + 22
        area = QRectF(
            left, top, max(10, self.width() - left - 20), max(10, self.height() - top - bottom)
        )
        return area, area.width() / 5, area.height() / 5

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """(hardness, reach) of the cell under *pos*, or None."""
        area, w, h = self._frame()
        if not area.contains(QPointF(pos)):
            return None
        reach = min(4, int((pos.x() - area.left()) // w))
        row = min(4, int((pos.y() - area.top()) // h))
        return 4 - row, reach

    def cell_center(self, hardness: int, reach: int) -> QPoint:
        area, w, h = self._frame()
        return QPoint(int(area.left() + (reach + 0.5) * w), int(area.top() + (4.5 - hardness) * h))

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pal.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(9, 9, -9, -9), 6, 6)  # as a chart
        fm = self.fontMetrics()
        title = QFont(self.font())
        title.setBold(True)
        title.setPointSize(self.font().pointSize() + 1)
        painter.setFont(title)
        painter.setPen(text)
        painter.drawText(
            QRectF(0, 14, self.width(), fm.height() * 1.6),
            Qt.AlignmentFlag.AlignHCenter,
            _("Hardness for AI × reach for you"),
        )
        painter.setFont(self.font())
        grid = self.grid
        if grid is None:
            painter.end()
            return
        area, w, h = self._frame()
        top_count = max((max(row) for row in grid.counts), default=0) or 1
        for hardness in range(5):
            for reach in range(5):
                cell = QRectF(area.left() + reach * w, area.top() + (4 - hardness) * h, w, h)
                q = quadrant(hardness, reach, grid.waterline)
                tint = QColor(QUADRANT_COLORS[q] if q is not None else muted)
                n = grid.counts[hardness][reach]
                tint.setAlpha(28 + int(170 * n / top_count) if n else 14)
                painter.setPen(QPen(pal.color(QPalette.ColorRole.Mid), 1))
                painter.setBrush(QBrush(tint))
                painter.drawRect(cell.adjusted(1, 1, -1, -1))
                if n:
                    painter.setPen(text)
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, str(n))
        # The waterline: between its level and the one above.
        y = area.top() + (4 - grid.waterline) * h
        painter.setPen(QPen(WATER, 2.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        painter.setPen(muted)
        for hardness in range(5):
            label = f"{hardness} {HARDNESS[hardness].label}"
            rect = QRectF(0, area.top() + (4 - hardness) * h, area.left() - 8, h)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label
            )
        for reach in range(5):
            rect = QRectF(area.left() + reach * w, area.bottom() + 2, w, fm.height() + 2)
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignHCenter,
                fm.elidedText(REACH[reach].label, Qt.TextElideMode.ElideRight, int(w) - 2),
            )
        counts = grid.quadrant_counts()
        items = [(q, f"{_(QUADRANT_LABELS[q])} {counts[q]}") for q in Quadrant]
        swatch = fm.height() - 6
        width = sum(swatch + 4 + fm.horizontalAdvance(label) + 14 for _q, label in items) - 14
        x = max(0.0, (self.width() - width) / 2)
        y = area.bottom() + fm.height() + 8
        for q, label in items:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QUADRANT_COLORS[q])
            painter.drawRoundedRect(QRectF(x, y + 3, swatch, swatch), 2, 2)
            x += swatch + 4
            painter.setPen(text)
            painter.drawText(QPointF(x, y + fm.ascent()), label)
            x += fm.horizontalAdvance(label) + 14
        painter.end()

    # -- numbers on hover ------------------------------------------------------------------
    def tip_at(self, pos: QPoint) -> str:
        cell = self.cell_at(pos)
        if cell is None or self.grid is None:
            return ""
        return grid_tip(self.grid, *cell)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos())
            self.last_tip = tip
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        tip = self.tip_at(event.position().toPoint())
        if tip != self.last_tip and QToolTip.isVisible():
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)
        super().mouseMoveEvent(event)


class EvidenceCharts(QWidget):
    """The three evidence charts side by side; see the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evidenceCharts")
        self.data: EvidenceInsights | None = None
        self.last_tip = ""
        self.calibration_view = QChartView(self)
        self.freeboard_view = QChartView(self)
        self.grid_view = ReachGridView(self)
        for view in (self.calibration_view, self.freeboard_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(320, 220)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.calibration_view, 0, 0)
        grid.addWidget(self.grid_view, 0, 1)
        grid.addWidget(self.freeboard_view, 1, 0, 1, 2)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(grid, 1)
        box.addWidget(self.note)

    def show_data(self, data: EvidenceInsights) -> None:
        self.data = data
        self.draw()

    def charts(self) -> list[QChart]:
        return [self.calibration_view.chart(), self.freeboard_view.chart()]

    def draw(self) -> None:
        data = self.data
        if data is None:
            return
        for view, chart in (
            (self.calibration_view, self._calibration(data)),
            (self.freeboard_view, self._freeboard(data)),
        ):
            old = view.chart()
            self._style(chart)
            view.setChart(chart)
            if old is not None and old is not chart:
                old.deleteLater()
        self.grid_view.show_grid(data.grid)
        self.note.setText(
            _(
                "Trials count at the hardness the entry had when it was tried. Hover over a "
                "bar, a cell or a point for its numbers."
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LanguageChange):
            self.draw()

    # -- charts ----------------------------------------------------------------------------
    def _is_dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Window).lightness() < 128

    def _style(self, chart: QChart) -> None:
        pal = self.palette()
        text, grid = pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Mid)
        chart.setBackgroundBrush(QBrush(pal.color(QPalette.ColorRole.Base)))
        chart.setBackgroundRoundness(6)
        chart.setMargins(QMargins(6, 6, 6, 6))
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSize(self.font().pointSize() + 1)
        chart.setTitleFont(title_font)
        chart.setTitleBrush(QBrush(text))
        chart.legend().setLabelColor(text)
        chart.legend().setFont(self.font())
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        small = QFont(self.font())
        small.setPointSize(max(7, self.font().pointSize() - 1))
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setLabelsFont(small)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)

    def _calibration(self, data: EvidenceInsights) -> QChart:
        chart = QChart()
        chart.setTitle(_("AI trials by hardness"))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        cal = data.calibration
        levels: list[int | None] = [h.level for h in HARDNESS]
        if cal.by_level.get(None) and sum(cal.by_level[None].values()):
            levels.append(None)
        series = QStackedBarSeries()
        for verdict in VERDICTS:
            bar = QBarSet(_(VERDICT_LABELS[verdict]))
            bar.append([float(cal.count(level, verdict)) for level in levels])
            bar.setColor(QColor(VERDICT_COLORS[verdict]))
            bar.setBorderColor(QColor(VERDICT_COLORS[verdict]))
            series.append(bar)
        series.hovered.connect(
            lambda on, index, _bar: self._tip(
                calibration_tip(levels[index], cal.by_level.get(levels[index], {})) if on else ""
            )
        )
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append([_("Unrated") if lv is None else HARDNESS[lv].label for lv in levels])
        totals = [sum(cal.by_level.get(lv, {}).values()) for lv in levels]
        y = QValueAxis()
        top = max(totals, default=0)
        upper = max(4, top) if top <= 10 else (top // 5 + 1) * 5
        y.setRange(0, upper)
        y.setTickCount(upper + 1 if upper <= 10 else 6)
        y.setLabelFormat("%d")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        return chart

    def _freeboard(self, data: EvidenceInsights) -> QChart:
        chart = QChart()
        chart.setTitle(_("Freeboard over time"))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        weeks = [p.label.split("-")[1] for p in data.weeks]
        values = [(i, fb) for i, fb in enumerate(data.freeboard) if fb.value is not None]
        line = QLineSeries()
        line.setName(_("Freeboard"))
        line.setPen(QPen(QColor("#4f9a4a"), 2.5))
        points = QScatterSeries()
        points.setName(_("Freeboard"))
        points.setMarkerSize(8)
        points.setColor(QColor("#4f9a4a"))
        points.setBorderColor(QColor("#4f9a4a"))
        flood = QScatterSeries()
        flood.setName(_("Flood warning"))
        flood.setMarkerSize(11)
        flood.setColor(WATER)
        flood.setBorderColor(WATER)
        for i, fb in values:
            assert fb.value is not None
            line.append(float(i), fb.value)
            (flood if fb.flood else points).append(float(i), fb.value)
        low = min([fb.value for _i, fb in values if fb.value is not None] + [-1.0])
        high = max([fb.value for _i, fb in values if fb.value is not None] + [2.0])
        low, high = float(int(low) - 1), float(int(high) + 1)
        last = float(max(0, len(weeks) - 1))
        surface, floor = QLineSeries(), QLineSeries()
        surface.append([QPointF(-0.5, 0.0), QPointF(last + 0.5, 0.0)])
        floor.append([QPointF(-0.5, low), QPointF(last + 0.5, low)])
        water = QAreaSeries(surface, floor)
        for edge in (surface, floor):
            edge.setParent(water)
        water.setName(_("Water"))
        tint = QColor(WATER)
        tint.setAlpha(70 if self._is_dark() else 50)
        water.setBrush(QBrush(tint))
        water.setPen(QPen(Qt.PenStyle.NoPen))

        def on_hovered(point: QPointF, on: bool) -> None:
            i = round(point.x())
            self._tip(
                freeboard_tip(weeks[i], data.freeboard[i]) if on and 0 <= i < len(weeks) else ""
            )

        for scatter in (points, flood):
            scatter.hovered.connect(on_hovered)
        x = QCategoryAxis()
        x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for i, week in enumerate(weeks):
            x.append(week, float(i))
        x.setRange(-0.5, last + 0.5)
        y = QValueAxis()
        y.setRange(low, high)
        y.setTickCount(int(high - low) + 1)
        y.setLabelFormat("%+.0f")
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for series in (water, line, points, flood):
            chart.addSeries(series)
            series.attachAxis(x)
            series.attachAxis(y)
        chart.legend().markers(water)[0].setVisible(False)
        chart.legend().markers(line)[0].setVisible(False)
        return chart

    def _tip(self, text: str) -> None:
        self.last_tip = text
        if text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()
