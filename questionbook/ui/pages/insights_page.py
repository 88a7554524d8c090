"""The insights page: four QtCharts over aggregate numbers from :mod:`questionbook.core.insights`.

- entries per week by kind (stacked bars, last 12 weeks);
- hardness distribution with the water drawn up to the waterline (horizontal bars, so the
  water rises from the bottom like in the essay's swimming pool);
- the waterline over time (a step line);
- questions answered and plans done per month.

Charts take their colours from the widget palette (light or dark) and their fonts from the
application font, which carries a CJK fallback, so axes read well in English and Chinese.
They are rebuilt from scratch on :meth:`refresh` (a few small series, cheap) and whenever the
palette changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCharts import (
    QAreaSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QEvent, QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from questionbook.core.insights import Insights, InsightsService
from questionbook.core.timeutil import to_local
from questionbook.core.vocabulary import HARDNESS, KIND_PLURALS, Kind
from questionbook.i18n import _, label_value, ngettext
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.pages.chart_tips import ChartTips
from questionbook.ui.pages.insights_evidence import EvidenceCharts
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.hardness_picker import HARDNESS_COLORS

#: Below this page width the charts stand one under another.
TWO_COLUMNS_WIDTH = 860
CHART_MIN_SIZE = (300, 220)
KIND_COLORS = {"question": "#2f7fb5", "plan": "#d08a2e", "note": "#7d8b99"}
WATER_LIGHT, WATER_DARK = QColor(47, 127, 181, 60), QColor(90, 169, 220, 70)
ANSWERED_COLOR, DONE_COLOR = "#2f7fb5", "#4f9a4a"


def _qdatetime(when: datetime) -> QDateTime:
    """The same instant as a QDateTime (PySide accepts a datetime; its stubs do not say so)."""
    return QDateTime.fromMSecsSinceEpoch(round(when.timestamp() * 1000))


def _level_count(level: int, n: int) -> str:
    """A hardness bar's tooltip: "3 Highlands: 5 entries"."""
    name = f"{level} {HARDNESS[level].label}"
    return ngettext("{level}: {n} entry", "{level}: {n} entries", n).format(level=name, n=n)


def _waterline_point(point: QPointF) -> str:
    """A point of the waterline's history: "2026-10-03: 2 Shoreline"."""
    day = QDateTime.fromMSecsSinceEpoch(round(point.x())).date().toString(Qt.DateFormat.ISODate)
    level = max(0, min(round(point.y()), len(HARDNESS) - 1))
    return label_value(day, f"{level} {HARDNESS[level].label}")


def _nice_max(value: int) -> int:
    """A y-axis maximum a little above *value* that gives whole-number ticks."""
    if value <= 4:
        return 4
    step = 5 if value <= 50 else 10 ** (len(str(value)) - 1)
    return (value // step + 1) * step


class InsightsPage(QWidget):
    """Charts of the journal's shape over time; embed it with ``MainWindow.add_page``."""

    def __init__(
        self,
        insights: InsightsService,
        parent: QWidget | None = None,
        *,
        settings: SettingsController | None = None,
        ops: Operations | None = None,
    ) -> None:
        """*settings* gives the first day of the week, read at each refresh; *ops* says
        when the journal changed (the charts are redrawn if they show)."""
        super().__init__(parent)
        self.setObjectName("insightsPage")
        self._service = insights
        self._settings = settings
        if ops is not None:
            ops.changed.connect(self._on_ops_changed)
        if settings is not None:
            settings.subscribe(self, {"week_start"}, self._on_settings_changed)
        self.insights: Insights | None = None
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 7)
        font.setBold(True)
        self.title.setFont(font)
        self.views = [QChartView(self) for _ in range(4)]
        self._tips = [ChartTips(view) for view in self.views]  # the numbers, on hover
        self._tip = self._tips[0]  # the one the chart being built uses
        self._grid = QGridLayout()
        self._grid.setSpacing(12)
        self._columns = 0
        for view in self.views:
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(*CHART_MIN_SIZE)
        self._arrange(2)
        # Two tabs, so each fits the window: the journal's charts, and the evidence (issue 17).
        journal_tab = QWidget(self)
        journal_tab.setLayout(self._grid)
        self.evidence = EvidenceCharts(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("insightsTabs")
        self.tabs.addTab(journal_tab, "")
        self.tabs.addTab(self.evidence, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self._built = False

    # -- public API --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the numbers and redraw every chart."""
        week_start = int(self._settings.get("week_start")) if self._settings else 1
        self.insights = self._service.gather(week_start=week_start)
        self.evidence.show_data(self._service.evidence(week_start=week_start))
        self._draw()
        self._built = True

    def charts(self) -> list[QChart]:
        return [view.chart() for view in self.views]

    def tips(self) -> list[ChartTips]:
        """The tooltips of each chart (their last text, for tests)."""
        return list(self._tips)

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if self.isVisible() and (changes.rows or changes.waterline or changes.external):
            self.refresh()

    def _on_settings_changed(self, _names: set[str]) -> None:
        if self.isVisible():
            self.refresh()

    # -- Qt events ---------------------------------------------------------------------------
    def _arrange(self, columns: int) -> None:
        """The charts in *columns* columns: two side by side, or one under another in a narrow
        window (the page scrolls), where side by side their axes had no room for a label."""
        if columns == self._columns:
            return
        self._columns = columns
        for view in self.views:
            self._grid.removeWidget(view)
        for i, view in enumerate(self.views):
            self._grid.addWidget(view, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(2 if event.size().width() >= TWO_COLUMNS_WIDTH else 1)

    def showEvent(self, event: QEvent) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if self._built and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.LanguageChange):
            self._draw()

    # -- drawing -----------------------------------------------------------------------------
    def _draw(self) -> None:
        assert self.insights is not None
        self.title.setText(_("Insights"))
        self.tabs.setTabText(0, _("Your journal"))
        self.tabs.setTabText(1, _("Evidence"))
        data = self.insights
        builders = (self._per_week, self._hardness, self._waterline, self._closed)
        for view, build, tips in zip(self.views, builders, self._tips, strict=True):
            self._tip = tips
            old = view.chart()
            chart = build(data)
            self._style(chart)
            view.setChart(chart)
            if old is not None and old is not chart:
                old.deleteLater()

    def _colors(self) -> tuple[QColor, QColor, QColor]:
        pal = self.palette()
        return (
            pal.color(QPalette.ColorRole.Text),
            pal.color(QPalette.ColorRole.Mid),
            pal.color(QPalette.ColorRole.Base),
        )

    def _is_dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Window).lightness() < 128

    def _style(self, chart: QChart) -> None:
        text, grid, base = self._colors()
        chart.setBackgroundBrush(QBrush(base))
        chart.setBackgroundRoundness(6)
        chart.setMargins(QMargins(6, 6, 6, 6))
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSize(self.font().pointSize() + 1)
        chart.setTitleFont(title_font)
        chart.setTitleBrush(QBrush(text))
        legend = chart.legend()
        legend.setLabelColor(text)
        legend.setFont(self.font())
        legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
        small = QFont(self.font())
        small.setPointSize(max(7, self.font().pointSize() - 1))
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setLabelsFont(small)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)
            axis.setTitleBrush(QBrush(text))

    def _new_chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        return chart

    def _per_week(self, data: Insights) -> QChart:
        chart = self._new_chart(_("Entries per week"))
        series = QStackedBarSeries()
        for kind in Kind:
            bar = QBarSet(_(KIND_PLURALS[kind]))
            bar.append([float(n) for n in data.per_week[kind.value]])
            bar.setColor(QColor(KIND_COLORS[kind.value]))
            bar.setBorderColor(QColor(KIND_COLORS[kind.value]))
            series.append(bar)
        chart.addSeries(series)
        weeks = [p.label for p in data.weeks]
        self._tip.bars(series, lambda bar, i: f"{weeks[i]} · {bar.label()}: {round(bar.at(i))}")
        x = QBarCategoryAxis()
        x.append([p.label.split("-")[1] for p in data.weeks])
        totals = [sum(col) for col in zip(*data.per_week.values(), strict=True)]
        y = self._count_axis(max(totals, default=0))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        return chart

    def _count_axis(self, top: int) -> QValueAxis:
        axis = QValueAxis()
        upper = _nice_max(top)
        axis.setRange(0, upper)
        axis.setLabelFormat("%d")
        axis.setTickCount(5 if upper % 4 == 0 else 6)
        return axis

    def _hardness(self, data: Insights) -> QChart:
        unrated = data.hardness.get(None, 0)
        title = _("Hardness against the waterline")
        if unrated:
            title += " " + _("({n} unrated)").format(n=unrated)
        chart = self._new_chart(title)
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.7)
        for h in HARDNESS:
            bar = QBarSet(h.label)
            bar.append([float(data.hardness[h.level]) if i == h.level else 0.0 for i in range(5)])
            bar.setColor(QColor(HARDNESS_COLORS[h.level]))
            bar.setBorderColor(QColor(HARDNESS_COLORS[h.level]))
            series.append(bar)
        self._tip.bars(series, lambda _bar, i: _level_count(i, data.hardness[i]))
        chart.legend().setVisible(False)
        x = self._count_axis(max((data.hardness[h.level] for h in HARDNESS), default=0))
        top = int(x.max())
        y = QBarCategoryAxis()
        y.append([f"{h.level} {h.label}" for h in HARDNESS])
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        # The water: a translucent area up to the waterline and a line across it, on a value
        # axis that lines up with the five categories (category i sits at i).
        level_axis = QValueAxis()
        level_axis.setRange(-0.5, 4.5)
        level_axis.setVisible(False)
        chart.addAxis(level_axis, Qt.AlignmentFlag.AlignRight)
        surface = data.waterline + 0.5
        upper, lower = QLineSeries(), QLineSeries()
        upper.append([QPointF(0, surface), QPointF(top, surface)])
        lower.append([QPointF(0, -0.5), QPointF(top, -0.5)])
        water = QAreaSeries(upper, lower)
        for edge in (upper, lower):  # the area series does not own its edges
            edge.setParent(water)
        water.setName(_("Water"))
        water.setBrush(QBrush(WATER_DARK if self._is_dark() else WATER_LIGHT))
        water.setPen(QPen(Qt.PenStyle.NoPen))
        line = QLineSeries()
        line.setName(_("Waterline"))
        line.append([QPointF(0, surface), QPointF(top, surface)])
        pen = QPen(QColor("#5aa9dc" if self._is_dark() else "#1f6fa6"), 2.5, Qt.PenStyle.DashLine)
        line.setPen(pen)
        # The water first, then the bars, then the line: the bars keep their own colour
        # under the water (a tint over them turned the sand of Shoreline green-grey), and the
        # dashed line still shows where the water stands.
        chart.addSeries(water)
        chart.addSeries(series)
        chart.addSeries(line)
        for extra in (water, line):
            extra.attachAxis(x)
            extra.attachAxis(level_axis)
        series.attachAxis(x)
        series.attachAxis(y)
        return chart

    def _waterline(self, data: Insights) -> QChart:
        chart = self._new_chart(_("The waterline over time"))
        chart.legend().setVisible(False)
        now = self._service.clock()
        history = data.waterline_history or [(now - timedelta(days=84), data.waterline)]
        series = QLineSeries()
        previous: int | None = None
        for at, level in history:
            ms = float(_qdatetime(to_local(at, self._service.tz)).toMSecsSinceEpoch())
            if previous is not None:
                series.append(ms, previous)
            series.append(ms, level)
            previous = level
        end = max(now, history[-1][0] + timedelta(days=1))
        series.append(
            float(_qdatetime(to_local(end, self._service.tz)).toMSecsSinceEpoch()), previous or 0
        )
        series.setPen(QPen(QColor("#5aa9dc" if self._is_dark() else "#1f6fa6"), 2.5))
        floor = QLineSeries()
        floor.append([QPointF(p.x(), -0.3) for p in (series.at(0), series.at(series.count() - 1))])
        water = QAreaSeries(series, floor)
        floor.setParent(water)
        water.setBrush(QBrush(WATER_DARK if self._is_dark() else WATER_LIGHT))
        water.setPen(QPen(Qt.PenStyle.NoPen))
        chart.addSeries(water)
        chart.addSeries(series)
        self._tip.points(series, _waterline_point)
        x = QDateTimeAxis()
        x.setFormat("yyyy-MM")
        x.setTickCount(5)
        start = to_local(history[0][0], self._service.tz)
        x.setRange(_qdatetime(start), _qdatetime(to_local(end, self._service.tz)))
        y = QCategoryAxis()
        y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        for h in HARDNESS:
            y.append(f"{h.level} {h.label}", h.level)
        y.setRange(-0.3, 4.3)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for attached in (water, series):
            attached.attachAxis(x)
            attached.attachAxis(y)
        return chart

    def _closed(self, data: Insights) -> QChart:
        chart = self._new_chart(_("Questions answered and plans done"))
        series = QBarSeries()
        for name, values, color in (
            (_("Questions answered"), data.answered, ANSWERED_COLOR),
            (_("Plans done"), data.done, DONE_COLOR),
        ):
            bar = QBarSet(name)
            bar.append([float(v) for v in values])
            bar.setColor(QColor(color))
            bar.setBorderColor(QColor(color))
            series.append(bar)
        chart.addSeries(series)
        locale = self.locale()
        months = [locale.monthName(d.month, locale.FormatType.ShortFormat) for d in data.months]
        self._tip.bars(series, lambda bar, i: f"{months[i]} · {bar.label()}: {round(bar.at(i))}")
        x = QBarCategoryAxis()
        x.append(months)
        y = self._count_axis(max([*data.answered, *data.done], default=0))
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        return chart
