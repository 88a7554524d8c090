"""A calm, non-modal notice above the content when a backup could not be made.

Why a banner: the daily backup runs in the background after the window opens, and a dialog
popping up over someone's writing for it would be rude; a log line nobody reads is worse, since
backups that silently stopped are found out only when one is needed. The banner says why (the
backups folder cannot be written, the disk is full), offers "Back Up Now" to try again once it
is fixed and the settings, and stays until a backup works or the user closes it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QToolButton,
    QWidget,
)

from questionbook.i18n import _
from questionbook.ui.widgets.elided_label import wrap_without_widening

BANNER_QSS = """
QFrame#backupBanner {
    background-color: rgba(230, 150, 20, 40);
    border: 1px solid rgba(230, 150, 20, 150);
    border-radius: 6px;
    margin: 6px 8px;
}
QFrame#backupBanner QLabel { background: transparent; border: none; }
QFrame#backupBanner QToolButton { background: transparent; border: none; }
"""


class BackupBanner(QFrame):
    """ "Your journal could not be backed up: … [Back Up Now] [Open Settings…] ✕"."""

    backup_requested = Signal()
    """The user asked to try the backup again now."""
    settings_requested = Signal()
    """The user asked for the settings (backups are configured there)."""
    dismissed = Signal()
    """The user closed the banner (it comes back if a later backup fails)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupBanner")
        self.setStyleSheet(BANNER_QSS)
        self.reason = ""
        self.icon = QLabel(self)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon.setPixmap(warning.pixmap(20, 20))
        self.label = QLabel(self)
        self.label.setObjectName("backupBannerText")
        wrap_without_widening(self.label)  # the reason may name a long path
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_button = QPushButton(self)
        self.backup_button.setObjectName("backupNowButton")
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("backupSettingsButton")
        self.settings_button.clicked.connect(self.settings_requested)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.clicked.connect(self._on_close_button_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 14, 16, 14)  # inside the 6/8 px margin of the style sheet
        row.setSpacing(10)
        row.addWidget(self.icon)
        row.addWidget(self.label, 1)
        row.addWidget(self.backup_button)
        row.addWidget(self.settings_button)
        row.addWidget(self.close_button)
        self.retranslate()
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(_("Backup problem"))
        self.backup_button.setText(_("Back Up Now"))
        self.settings_button.setText(_("Open Settings…"))
        self.close_button.setToolTip(_("Hide this notice"))
        if self.reason:
            self._show_reason()

    def show_failure(self, reason: str) -> None:
        """Say that a backup failed and why; the buttons work again."""
        self.reason = reason
        self._show_reason()
        self.backup_button.setEnabled(True)
        self.show()

    def show_working(self) -> None:
        """A backup is being made (after "Back Up Now")."""
        self.label.setText(_("Backing up…"))
        self.backup_button.setEnabled(False)

    def _show_reason(self) -> None:
        self.label.setText(
            _("Your journal could not be backed up: {reason}.").format(reason=self.reason)
        )
        self.label.setToolTip(self.label.text())

    def _on_backup_button_clicked(self) -> None:
        self.show_working()
        self.backup_requested.emit()

    def _on_close_button_clicked(self) -> None:
        self.hide()
        self.dismissed.emit()
