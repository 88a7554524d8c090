"""The Calendar page (issue 19): a month of writing, and what was written on a day.

The month comes from :meth:`Calendar.month` (one indexed query, days of the journal's time
zone) and is drawn by :class:`~questionbook.ui.widgets.month_grid.MonthGrid`: a heat dot per
day, weeks from the ``week_start`` setting, weekday names in the app's language. Beside it the
selected day's entries (:meth:`Calendar.day`); a click, Enter or a double click opens one in the
editor (:attr:`CalendarPage.entry_open_requested`). No streaks: the summary says how much was
written, never how many days were missed.

Keys: in the month the arrows move by a day or a week, PgUp/PgDn by a month, Enter opens the
day (the keyboard goes to its entries); in the entries Enter opens one and Esc goes back to the
month. Like the other pages it reads when shown, and again when an operation may have added,
moved or removed entries.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.calendar_days import Calendar, CalendarMonth
from questionbook.core.entities import EntrySummary
from questionbook.core.errors import QuestionBookError
from questionbook.i18n import N_, _, ngettext
from questionbook.ui import resources
from questionbook.ui.locale_format import format_date, format_number, format_time
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.retranslate import Texts
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.month_grid import MonthGrid, shifted_month

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class _DayList(QListWidget):
    """The day's entries; Esc hands the keyboard back to the month."""

    back_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)


class CalendarPage(QWidget):
    """A month with its heat dots and the entries of the selected day."""

    entry_open_requested = Signal(str)
    """The user wants to open this entry in the editor."""

    def __init__(
        self,
        calendar: Calendar,
        controller: SettingsController,
        parent: QWidget | None = None,
        *,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPage")
        self._calendar = calendar
        self._controller = controller
        self._month: CalendarMonth | None = None
        self._entries: list[EntrySummary] = []
        self._texts = Texts()

        self.title = QLabel(self)
        self.title.setObjectName("calendarTitle")
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 7)
        font.setBold(True)
        self.title.setFont(font)
        self.previous = self._arrow("calendarPrevious", "‹", N_("Previous month (PgUp)"))
        self.next = self._arrow("calendarNext", "›", N_("Next month (PgDown)"))
        self.today_button = QPushButton(self)
        self.today_button.setObjectName("calendarToday")
        self.today_button.setAutoDefault(False)
        self.today_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._texts.set(self.today_button.setText, N_("Today"))
        self.summary = QLabel(self)
        self.summary.setObjectName("calendarSummary")
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.grid = MonthGrid(self)
        self.day_title = QLabel(self)
        self.day_title.setObjectName("calendarDayTitle")
        bold = QFont(self.day_title.font())
        bold.setBold(True)
        self.day_title.setFont(bold)
        self.day_list = _DayList(self)
        self.day_list.setObjectName("calendarDayEntries")
        self.day_list.setIconSize(QSize(16, 16))
        self.day_list.setWordWrap(True)
        self.day_list.setMinimumWidth(180)
        self.day_empty = QLabel(self)
        self.day_empty.setObjectName("calendarDayEmpty")
        self.day_empty.setWordWrap(True)
        self.day_empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.previous)
        head.addWidget(self.title)
        head.addWidget(self.next)
        head.addStretch(1)
        head.addWidget(self.today_button)
        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(self.summary)
        left.addWidget(self.grid, 1)
        right = QVBoxLayout()
        right.addWidget(self.day_title)
        right.addWidget(self.day_list, 1)
        right.addWidget(self.day_empty)
        right.addStretch(0)
        body = QHBoxLayout(self)
        body.setContentsMargins(24, 18, 24, 18)
        body.setSpacing(20)
        body.addLayout(left, 3)
        body.addLayout(right, 2)

        self.previous.clicked.connect(lambda: self.show_day(shifted_month(self.selected(), -1)))
        self.next.clicked.connect(lambda: self.show_day(shifted_month(self.selected(), 1)))
        self.today_button.clicked.connect(lambda: self.show_day(self._calendar.today()))
        self.grid.day_selected.connect(self._on_grid_day_selected)
        self.grid.day_activated.connect(self._on_grid_day_activated)
        self.day_list.itemActivated.connect(self._on_day_list_item_activated)
        self.day_list.itemClicked.connect(self._on_day_list_item_activated)
        self.day_list.back_requested.connect(lambda: self.grid.setFocus())
        controller.subscribe(self, {"week_start"}, lambda _names: self._show_month())
        if ops is not None:
            ops.changed.connect(self._on_ops_changed)

    def _arrow(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        font = QFont(button.font())
        font.setPointSize(font.pointSize() + 6)
        button.setFont(font)
        self._texts.set(button.setToolTip, tip)
        return button

    # -- public API ------------------------------------------------------------------------------
    def selected(self) -> date:
        return self.grid.selected()

    def month(self) -> CalendarMonth | None:
        return self._month

    def entries(self) -> list[EntrySummary]:
        """The selected day's entries, as listed."""
        return list(self._entries)

    def show_day(self, day: date) -> None:
        """Show *day*'s month with *day* selected and its entries listed."""
        other = self._month is None or (day.year, day.month) != (
            self._month.year,
            self._month.month,
        )
        if other and not self._read_month(day.year, day.month):
            return
        self.grid.select(day)
        self._show_month()
        self._read_day(day)

    def refresh(self) -> None:
        """Read the month and the day again (entries may have come or gone)."""
        day = self.selected() if self._month is not None else self._calendar.today()
        self._month = None
        self.show_day(day)

    # -- reading ---------------------------------------------------------------------------------
    def _read_month(self, year: int, month: int) -> bool:
        try:
            self._month = self._calendar.month(year, month)
        except QuestionBookError as exc:
            self.summary.setText(str(exc))  # busy or unreadable for a moment: say so here
            return False
        return True

    def _read_day(self, day: date) -> None:
        try:
            self._entries = self._calendar.day(day) if self.grid.count_on(day) else []
        except QuestionBookError as exc:
            self._entries = []
            self.day_empty.setText(str(exc))
        self._show_day()

    # -- showing ---------------------------------------------------------------------------------
    def _show_month(self) -> None:
        month = self._month
        if month is None:
            return
        self.grid.set_month(month, self._controller.get("week_start"), self._calendar.today())
        self.title.setText(month.title())
        if month.total:
            entries = ngettext("{n} entry", "{n} entries", month.total).format(
                n=format_number(month.total)
            )
            self.summary.setText(
                ngettext(
                    "{entries} on {n} day", "{entries} on {n} days", month.days_written
                ).format(entries=entries, n=format_number(month.days_written))
            )
        else:
            self.summary.setText(_("Nothing written this month."))

    def _show_day(self) -> None:
        day = self.selected()
        self.day_title.setText(format_date(day, long=True))
        self.day_list.clear()
        color = self.palette().color(QPalette.ColorRole.Text)
        for entry in self._entries:
            item = QListWidgetItem(
                resources.icon(entry.kind, color),
                f"{format_time(entry.created_at, tz=self._calendar.tz)}  {entry.title}",
            )
            item.setData(ID_ROLE, entry.id)
            item.setToolTip(entry.title)
            self.day_list.addItem(item)
        self.day_list.setVisible(bool(self._entries))
        self.day_empty.setVisible(not self._entries)
        if not self._entries:
            self.day_empty.setText(_("Nothing written on this day."))

    # -- reacting --------------------------------------------------------------------------------
    def _on_grid_day_selected(self, day: date) -> None:
        self.show_day(day)

    def _on_grid_day_activated(self, day: date) -> None:
        """Enter on a day: the keyboard goes to its entries (the first one selected)."""
        if self._entries:
            self.day_list.setCurrentRow(0)
            self.day_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_day_list_item_activated(self, item: QListWidgetItem) -> None:
        entry_id = item.data(ID_ROLE)
        if entry_id:
            self.entry_open_requested.emit(str(entry_id))

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if self.isVisible() and (changes.rows or changes.external):
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._show_month()
            self._show_day()
            self.grid.update()
        elif event.type() == QEvent.Type.PaletteChange:
            self._show_day()
