"""Telling the user that the weekly review is due: an in-app banner and the reminder behind it.

:class:`ReviewReminder` asks the review service, on start and then once a minute, whether a
review is due, and says so once per week (``review_became_due``). The main window shows
:class:`ReviewBanner` on start when a review is due and, while running, routes the reminder to
the system tray when there is one (:mod:`questionbook.ui.tray`) and to the banner otherwise
(:func:`route_reminder`). The reminder's clock is injected, so tests need not wait for Sunday.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from questionbook.core.pending_review import PendingReview
from questionbook.core.timeutil import utcnow
from questionbook.i18n import _, week_label
from questionbook.ui.settings_controller import SettingsController

if TYPE_CHECKING:
    from questionbook.core.review import ReviewService

BANNER_QSS = """
QFrame#reviewBanner {
    background-color: rgba(60, 140, 220, 40);
    border: 1px solid rgba(60, 140, 220, 150);
    border-radius: 6px;
    margin: 6px 8px;
}
QFrame#reviewBanner QLabel, QFrame#reviewBanner QToolButton {
    background: transparent;
    border: none;
}
"""
CHECK_INTERVAL_MS = 60_000


class ReviewBanner(QFrame):
    """ "Your weekly review is due — Start review", above the main content; hidden otherwise."""

    start_requested = Signal()
    """The user pressed "Start review"."""
    dismissed = Signal()
    """The user closed the banner (it comes back next week, or on the next start)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewBanner")
        self.setStyleSheet(BANNER_QSS)
        self.period = ""
        self.label = QLabel(self)
        self.start_button = QPushButton(self)
        self.start_button.clicked.connect(self._on_start_clicked)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.clicked.connect(self._on_close_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 14, 16, 14)  # inside the style sheet's margin, like the
        row.setSpacing(10)  # backup banner's: two notices stacked look like one family
        row.addWidget(self.label, 1)
        row.addWidget(self.start_button)
        row.addWidget(self.close_button)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.start_button.setText(_("Start review"))
        self.close_button.setToolTip(_("Not now"))
        self.label.setText(
            _("Your weekly review is due ({period}). It takes a few minutes.").format(
                period=week_label(self.period)
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def show_due(self, period: str) -> None:
        """Show the banner for the review of *period* (e.g. ``2026-W48``)."""
        self.period = period
        self.retranslate()
        self.show()

    def _on_start_clicked(self) -> None:
        self.hide()
        self.start_requested.emit()

    def _on_close_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()


#: The settings that decide when a review is due; a change is acted on at once.
REMINDER_SETTINGS = ("reminders", "review_weekday", "review_time", "week_start")


class ReviewReminder(QObject):
    """Checks whether the weekly review is due and says so once per review week.

    It reads the review day, time and the reminders switch from the settings each time it
    checks, and checks again as soon as one of them changes."""

    review_became_due = Signal(str)
    """A review became due (argument: the week, e.g. ``2026-W48``); emitted once per week."""

    def __init__(
        self,
        review: PendingReview | ReviewService,
        settings: SettingsController,
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        interval_ms: int = CHECK_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._review = review
        self._settings = settings
        self._clock = clock
        self._announced: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        settings.subscribe(self, REMINDER_SETTINGS, self._on_settings_changed)

    def _on_settings_changed(self, _names: set[str]) -> None:
        self.check()

    def start(self) -> str | None:
        """Check now, then keep checking; returns the due week, if any."""
        self.timer.start()
        return self.check()

    def check(self) -> str | None:
        """The due week (announcing it the first time), or ``None`` when nothing is due."""
        settings = self._settings.settings
        if self._review.db.closed:  # the window is being replaced (a restore, encrypting)
            self.timer.stop()
            return None
        if not settings.reminders:
            return None
        period = self._review.due_period(self._clock(), settings)
        if period is None:
            return None
        if period.label != self._announced:
            self._announced = period.label
            self.review_became_due.emit(period.label)
        return period.label


def route_reminder(reminder: ReviewReminder, banner: ReviewBanner, tray: object | None) -> None:
    """Send due-review notices to the tray when there is one, else to the banner."""

    def _on_due(period: str) -> None:
        notify = getattr(tray, "notify_review_due", None)
        if notify is not None:
            notify(period)
        else:
            banner.show_due(period)

    reminder.review_became_due.connect(_on_due)
