"""A month as a grid of days, each with a dot whose size and shade say how much was written.

Painted rather than built from 42 buttons: one widget, one focus, cheap to repaint. The dot is
:meth:`CalendarMonth.heat` (0-4, relative to the month's busiest day), so a quiet month still
shows its rhythm; an empty day is just its number. There is no streak and nothing marks a day
without writing: the calendar shows where writing happened, never what was missed.

Keys: the arrows move a day or a week, PgUp/PgDn a month, Home/End to the month's first and
last day, Enter (or a double click) opens the day. Moving off the month asks the owner for the
next one (:attr:`MonthGrid.day_selected` carries a day of another month).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from questionbook.core.calendar_days import CalendarDay, CalendarMonth, weekday_headers
from questionbook.i18n import ngettext
from questionbook.ui.locale_format import format_date, format_number

HEADER_HEIGHT = 26
MIN_CELL = QSize(40, 40)
#: Dot radius by heat level (as a share of the cell's smaller side).
DOT_SHARE = (0.0, 0.09, 0.13, 0.17, 0.21)


def shifted_month(day: date, months: int) -> date:
    """*day* moved by *months*, clamped to the target month's length (31 Jan + 1 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class MonthGrid(QWidget):
    """The days of one month with their heat dots (see the module docstring)."""

    day_selected = Signal(object)
    """The user moved to a day (a ``date``; possibly of another month)."""
    day_activated = Signal(object)
    """The user opened a day (Enter, double click): a ``date``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthGrid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._month: CalendarMonth | None = None
        self._week_start = 1
        self._today = date.today()
        self._selected = date.today()

    # -- public API ------------------------------------------------------------------------------
    def set_month(self, month: CalendarMonth, week_start: int, today: date) -> None:
        """Show *month* with weeks from *week_start* (an ISO weekday)."""
        self._month = month
        self._week_start = week_start
        self._today = today
        if (self._selected.year, self._selected.month) != (month.year, month.month):
            self._selected = date(month.year, month.month, 1)
        self.update()

    def month(self) -> CalendarMonth | None:
        return self._month

    def selected(self) -> date:
        return self._selected

    def select(self, day: date) -> None:
        """Mark *day* (of the month shown) as the current one, without a signal."""
        self._selected = day
        self.update()

    def count_on(self, day: date) -> int:
        found = self._cell_day(day)
        return found.count if found is not None else 0

    def heat_on(self, day: date) -> int:
        return self._month.heat(self.count_on(day)) if self._month is not None else 0

    def day_at(self, x: float, y: float) -> date | None:
        """The day under a point, or ``None``."""
        for day, rect in self._cells():
            if rect.contains(int(x), int(y)):
                return day.day
        return None

    def cell_rect(self, day: date) -> QRect:
        for found, rect in self._cells():
            if found.day == day:
                return rect
        return QRect()

    # -- geometry --------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(7 * 64, HEADER_HEIGHT + 6 * 58)

    def minimumSizeHint(self) -> QSize:
        return QSize(7 * MIN_CELL.width(), HEADER_HEIGHT + 6 * MIN_CELL.height())

    def _weeks(self) -> list[list[CalendarDay | None]]:
        return self._month.weeks(self._week_start) if self._month is not None else []

    def _cell_size(self) -> tuple[float, float]:
        rows = max(len(self._weeks()), 1)
        return self.width() / 7, (self.height() - HEADER_HEIGHT) / rows

    def _cells(self) -> list[tuple[CalendarDay, QRect]]:
        width, height = self._cell_size()
        out = []
        for row, week in enumerate(self._weeks()):
            for column, day in enumerate(week):
                if day is not None:
                    rect = QRectF(
                        column * width, HEADER_HEIGHT + row * height, width, height
                    ).toRect()
                    out.append((day, rect.adjusted(2, 2, -2, -2)))
        return out

    def _cell_day(self, day: date) -> CalendarDay | None:
        if self._month is None or (day.year, day.month) != (self._month.year, self._month.month):
            return None
        return self._month.days[day.day - 1]

    # -- painting --------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        width, _height = self._cell_size()
        painter.setPen(muted)
        for column, name in enumerate(weekday_headers(self._week_start)):
            header = QRectF(column * width, 0, width, HEADER_HEIGHT)
            painter.drawText(header, int(Qt.AlignmentFlag.AlignCenter), name)
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        for day, rect in self._cells():
            selected = day.day == self._selected
            if selected:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
                painter.drawRoundedRect(rect, 6, 6)
                if self.hasFocus():
                    painter.setPen(accent)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(rect.adjusted(0, 0, -1, -1), 6, 6)
            heat = self._month.heat(day.count) if self._month is not None else 0
            if heat:
                dot = QColor(accent)
                dot.setAlphaF(0.35 + 0.65 * heat / 4)
                radius = DOT_SHARE[heat] * min(rect.width(), rect.height()) + 2
                center = QPointF(rect.center().x() + 0.5, rect.center().y() + rect.height() * 0.12)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(dot)
                painter.drawEllipse(center, radius, radius)
            is_today = day.day == self._today
            painter.setFont(bold if is_today else self.font())
            painter.setPen(accent if is_today else palette.color(QPalette.ColorRole.Text))
            number = rect.adjusted(6, 3, -6, -3)
            painter.drawText(
                number,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                str(day.day.day),
            )
        painter.end()

    # -- input -----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        day = self._selected
        if key in moves:
            target = day + timedelta(days=moves[Qt.Key(key)])
        elif key == Qt.Key.Key_PageUp:
            target = shifted_month(day, -1)
        elif key == Qt.Key.Key_PageDown:
            target = shifted_month(day, 1)
        elif key == Qt.Key.Key_Home:
            target = day.replace(day=1)
        elif key == Qt.Key.Key_End:
            target = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.day_activated.emit(day)
            return
        else:
            super().keyPressEvent(event)
            return
        self._move_to(target)

    def _move_to(self, day: date) -> None:
        self._selected = day
        self.update()
        self.day_selected.emit(day)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        day = self.day_at(point.x(), point.y())
        if day is not None and event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._move_to(day)
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        day = self.day_at(point.x(), point.y())
        if day is not None:
            self.day_activated.emit(day)
            return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        day = self.day_at(point.x(), point.y())
        if day is not None:
            QToolTip.showText(event.globalPosition().toPoint(), day_tip(day, self.count_on(day)))
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


def day_tip(day: date, count: int) -> str:
    """ "3 entries · 12/2/26"."""
    entries = ngettext("{n} entry", "{n} entries", count).format(n=format_number(count))
    return f"{format_date(day, long=True)} · {entries}"
