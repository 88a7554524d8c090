"""The editor's "revisit on" control (issue 19): ask to see an entry again on a chosen day.

A button in the properties row says the day ("Revisit Mar 1") or offers one ("Revisit…"); it
opens a small popup with a calendar whose past days cannot be picked, a field for a typed day
(``2027-03-01``, ``+30d``, ``none``) and *None*, which clears the day. A day that has passed is
refused right there, with the core's sentence under the field (:func:`parse_revisit` decides,
the same rule as ``questionbook edit --revisit``); nothing is written then.

The day is a discrete write of its own (``Journal.update(revisit=...)``, an operation whose
initiator is this control), like the evidence section's; the text being typed in the editor is
not touched. The editor hands the control the entry it shows (:meth:`show_entry`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import Entry
from questionbook.core.entry_writes import parse_revisit
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.timeutil import to_local
from questionbook.i18n import _
from questionbook.ui import resources
from questionbook.ui.locale_format import format_date, format_day
from questionbook.ui.operations import Changes, Operations

_ERROR = "color: #c0392b;"
_MUTED = "color: rgba(127, 127, 127, 230);"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class RevisitPopup(QFrame):
    """The calendar, the typed day and *None*; it only asks, the control writes."""

    day_chosen = Signal(object)
    """The user chose a day (a ``date``) or *None* (``None``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("revisitPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._today = date.today()
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("revisitCalendar")
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        self.typed = QLineEdit(self)
        self.typed.setObjectName("revisitTyped")
        self.typed.returnPressed.connect(self._on_typed_return_pressed)
        self.typed.textEdited.connect(lambda _t: self.show_error(""))
        self.error = QLabel(self)
        self.error.setObjectName("revisitError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR)
        self.error.hide()
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("revisitNone")
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(lambda: self.day_chosen.emit(None))
        self.hint = QLabel(self)
        self.hint.setStyleSheet(_MUTED)
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.typed, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.hint)
        layout.addWidget(self.calendar)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.hint.setText(_("Bring this entry back in the review on this day:"))
        self.typed.setPlaceholderText(_("Type a day: 2027-03-01, +30d"))
        self.clear_button.setText(_("None"))
        self.clear_button.setToolTip(_("Do not bring this entry back on a chosen day"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def reset(self, today: date, chosen: date | None) -> None:
        """Offer days from *today* on, *chosen* selected (else a week from today)."""
        self._today = today
        self.calendar.setMinimumDate(_qdate(today))  # past days cannot be picked
        self.calendar.setSelectedDate(_qdate(chosen or today + timedelta(days=7)))
        self.typed.clear()
        self.show_error("")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def popup_below(self, anchor: QWidget) -> None:
        self.adjustSize()
        self.move(anchor.mapToGlobal(QPoint(0, anchor.height() + 2)))
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _on_calendar_clicked(self, day: QDate) -> None:
        self.day_chosen.emit(date(day.year(), day.month(), day.day()))

    def _on_typed_return_pressed(self) -> None:
        try:
            day = parse_revisit(self.typed.text(), self._today)
        except QuestionBookError as exc:
            self.show_error(str(exc))  # refused in place: nothing is written
            return
        self.day_chosen.emit(day)


class RevisitControl(QWidget):
    """The revisit day of the entry the editor shows (see the module docstring)."""

    failed = Signal(str)
    """Storing the day failed; says why."""

    def __init__(
        self,
        journal: Journal,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("revisitControl")
        self._journal = journal
        self._ops = ops
        self._today = today or (lambda: to_local(journal.clock(), journal.tz).date())
        self._entry: Entry | None = None
        self.button = QToolButton(self)
        self.button.setObjectName("revisitButton")
        self.button.setAutoRaise(True)
        self.button.setIconSize(QSize(16, 16))
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.clicked.connect(self.open_popup)
        self.popup = RevisitPopup(self)
        self.popup.day_chosen.connect(self._on_popup_day_chosen)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        self._paint_icon()
        self._show()

    # -- public API ------------------------------------------------------------------------------
    def show_entry(self, entry: Entry | None) -> None:
        """Show *entry*'s revisit day (``None``: no entry shown)."""
        self._entry = entry
        self.button.setEnabled(entry is not None and not entry.in_trash)
        self._show()

    def day(self) -> date | None:
        return self._entry.revisit_on if self._entry is not None else None

    def open_popup(self) -> None:
        if self._entry is None or self._entry.in_trash:
            return
        self.popup.reset(self._today(), self._entry.revisit_on)
        self.popup.popup_below(self.button)

    def choose(self, day: date | None) -> bool:
        """Store *day* (``None`` clears it) for the entry shown; a past day is refused here,
        in the popup, and False returned."""
        if self._entry is None or self._entry.in_trash:
            return False
        try:
            day = parse_revisit(day, self._today())
        except QuestionBookError as exc:
            self.popup.show_error(str(exc))
            return False
        self.popup.hide()
        if day == self._entry.revisit_on:
            return True
        entry_id, journal = self._entry.id, self._journal
        self._ops.op(
            lambda: journal.update(entry_id, revisit=day),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_success(self._on_stored).on_failure(self._on_failed).run()
        return True

    # -- internals -------------------------------------------------------------------------------
    def _on_popup_day_chosen(self, day: date | None) -> None:
        self.choose(day)

    def _on_stored(self, entry: Entry) -> None:
        if self._entry is not None and entry.id == self._entry.id:
            self.show_entry(entry)

    def _on_failed(self, reason: str) -> None:
        self.button.setToolTip(_("Not saved: {reason}").format(reason=reason))
        self.failed.emit(reason)

    def _show(self) -> None:
        day = self.day()
        if day is None:
            self.button.setText(_("Revisit…"))
            self.button.setToolTip(_("Choose a day to see this entry again in the weekly review"))
        else:
            self.button.setText(_("Revisit {day}").format(day=format_day(day, self._today())))
            self.button.setToolTip(
                _("This entry comes back in the review on {day}").format(
                    day=format_date(day, long=True)
                )
            )

    def _paint_icon(self) -> None:
        self.button.setIcon(resources.icon("revisit", self.palette().color(self.foregroundRole())))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        elif event.type() == QEvent.Type.PaletteChange:
            self._paint_icon()
