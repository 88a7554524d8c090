"""The system tray icon: "Capture…" and "Start review", and the weekly review notice.

Only where the platform has a tray: :func:`create_tray` returns ``None`` when
``QSystemTrayIcon.isSystemTrayAvailable()`` is false (always on headless machines), and the app
then relies on the in-app banner (:mod:`questionbook.ui.widgets.review_banner`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from questionbook.i18n import _, week_label

MESSAGE_MS = 10_000


class ReviewTray(QObject):
    """A tray icon with a small menu; it only asks, the main window acts."""

    capture_requested = Signal()
    """The user chose "Capture…" (the small capture window)."""
    review_requested = Signal()
    """The user chose "Start review" (in the menu or by clicking the notice)."""
    show_requested = Signal()
    """The user clicked the icon: bring the window forward."""
    quit_requested = Signal()
    """The user chose "Quit"."""

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip("QuestionBook")
        self.menu = QMenu()
        self.capture_action = QAction(_("Capture…"), self.menu)
        self.review_action = QAction(_("Start review"), self.menu)
        self.quit_action = QAction(_("Quit"), self.menu)
        self.capture_action.triggered.connect(self.capture_requested)
        self.review_action.triggered.connect(self.review_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(self.capture_action)
        self.menu.addAction(self.review_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_icon_activated)
        self.icon.messageClicked.connect(self.review_requested)
        self.menu.installEventFilter(self)  # a top-level menu: it hears of language changes
        self.icon.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.menu and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return super().eventFilter(watched, event)

    def notify_review_due(self, period: str) -> None:
        """A balloon message: the review of *period* is due (clicking it starts the review)."""
        self.icon.showMessage(
            _("Weekly review"),
            _("Your weekly review is due ({period}). Click to start.").format(
                period=week_label(period)
            ),
            QSystemTrayIcon.MessageIcon.Information,
            MESSAGE_MS,
        )

    def retranslate(self) -> None:
        self.capture_action.setText(_("Capture…"))
        self.review_action.setText(_("Start review"))
        self.quit_action.setText(_("Quit"))

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_requested.emit()


def create_tray(icon: QIcon, parent: QObject | None = None) -> ReviewTray | None:
    """A :class:`ReviewTray`, or ``None`` where there is no system tray (headless, some
    desktops); callers then fall back to the in-app banner."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    return ReviewTray(icon, parent)
