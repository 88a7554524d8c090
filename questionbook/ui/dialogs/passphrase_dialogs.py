"""The dialogs of an encrypted journal: unlock at start, a new passphrase, the recovery key.

- :class:`UnlockDialog` asks for the passphrase (or the recovery key) when the app opens an
  encrypted journal: three tries, then it gives up and the app quits without touching the
  file. "Remember on this computer" keeps the passphrase in the OS keyring; without a keyring
  the box is disabled and says why.
- :class:`NewPassphraseDialog` asks for a new passphrase twice (and, to change it, the current
  one), for Settings → Privacy.
- :class:`RecoveryKeyDialog` shows the recovery key once, with a plain warning; it closes only
  after "I saved the recovery key" is ticked.

Unwrapping the key (Argon2id, about 0.1 s) runs on the UI thread: short enough, and the dialog
is modal anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.i18n import _, ngettext
from questionbook.storage.keyfile import MIN_PASSPHRASE, JournalKey, WrongPassphrase
from questionbook.ui.widgets.elided_label import ElidedLabel

TRIES = 3
_ERROR = "color: #c0392b;"
_MUTED = "color: rgba(127, 127, 127, 230);"


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(280)
    return field


def _note(parent: QWidget, name: str, style: str = _MUTED) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def grow_to_fit(dialog: QDialog) -> None:
    """Make *dialog* tall enough for what it shows at its current width: a message that
    appears after the dialog was shown (a wrong passphrase) would otherwise squeeze the
    wrapped hint and the buttons out of sight."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    if layout.hasHeightForWidth():
        need = layout.totalHeightForWidth(width)
    else:
        need = layout.totalSizeHint().height()
    if need > dialog.height():
        dialog.resize(width, need)


class UnlockDialog(QDialog):
    """The passphrase of an encrypted journal, asked at start (three tries)."""

    def __init__(
        self,
        db_path: Path,
        unlock: Callable[[str], JournalKey],
        *,
        keyring_available: bool,
        parent: QWidget | None = None,
    ) -> None:
        """*unlock* turns a passphrase (or recovery key) into the key, raising
        :class:`WrongPassphrase` when it does not open the journal."""
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.setWindowTitle(_("Encrypted Journal"))
        self._unlock = unlock
        self.key: JournalKey | None = None
        self.passphrase = ""
        self.failures = 0

        heading = QLabel(_("This journal is encrypted. Enter its passphrase to open it."), self)
        heading.setWordWrap(True)
        where = ElidedLabel(str(db_path), self, mode=Qt.TextElideMode.ElideMiddle)
        where.setObjectName("unlockPath")
        where.setStyleSheet(_MUTED)
        self.field = _password_field(self, "passphrase")
        self.field.setPlaceholderText(_("Passphrase or recovery key"))
        self.remember = QCheckBox(_("Remember on this computer"), self)
        self.remember.setObjectName("rememberPassphrase")
        self.remember.setEnabled(keyring_available)
        if not keyring_available:
            self.remember.setToolTip(
                _("This computer has no keyring to keep the passphrase in; enter it each time.")
            )
        self.message = _note(self, "unlockMessage", _ERROR)
        self.message.hide()
        hint = _note(self, "unlockHint")
        hint.setText(
            _(
                "Forgot it? Enter the recovery key you saved when encryption was turned on, "
                "then set a new passphrase in Settings → Privacy."
            )
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setText(_("Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(where)
        layout.addWidget(self.field)
        layout.addWidget(self.remember)
        layout.addWidget(self.message)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.field.setFocus()

    def _on_buttons_accepted(self) -> None:
        secret = self.field.text()
        if not secret:
            return
        try:
            self.key = self._unlock(secret)
        except WrongPassphrase:
            self.failures += 1
            self.field.clear()
            left = TRIES - self.failures
            if left <= 0:
                self.reject()
                return
            self.message.setText(
                ngettext(
                    "Wrong passphrase. {n} try left.", "Wrong passphrase. {n} tries left.", left
                ).format(n=left)
            )
            self.message.show()
            grow_to_fit(self)
            return
        except QuestionBookError as exc:  # a missing or damaged key file
            self.message.setText(str(exc))
            self.message.show()
            grow_to_fit(self)
            return
        self.passphrase = secret
        self.accept()


class NewPassphraseDialog(QDialog):
    """A new passphrase, typed twice; with *ask_current*, the current one first."""

    def __init__(
        self,
        title: str,
        explanation: str,
        *,
        ask_current: bool,
        keyring_available: bool,
        remember: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newPassphraseDialog")
        self.setWindowTitle(title)
        text = QLabel(explanation, self)
        text.setWordWrap(True)
        self.current = _password_field(self, "currentPassphrase") if ask_current else None
        self.new = _password_field(self, "newPassphrase")
        self.again = _password_field(self, "newPassphraseAgain")
        self.remember = QCheckBox(_("Remember on this computer"), self)
        self.remember.setObjectName("rememberPassphrase")
        self.remember.setEnabled(keyring_available)
        self.remember.setChecked(remember and keyring_available)
        self.message = _note(self, "passphraseMessage", _ERROR)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        if self.current is not None:
            form.addRow(_("Current passphrase or recovery key:"), self.current)
        form.addRow(_("New passphrase:"), self.new)
        form.addRow(_("The new passphrase again:"), self.again)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        grow_to_fit(self)

    def _on_buttons_accepted(self) -> None:
        if self.current is not None and not self.current.text():
            self.show_problem(_("Enter the current passphrase (or the recovery key)."))
            return
        if len(self.new.text()) < MIN_PASSPHRASE:
            self.show_problem(
                _("A passphrase needs at least {n} characters.").format(n=MIN_PASSPHRASE)
            )
            return
        if self.new.text() != self.again.text():
            self.show_problem(_("The two passphrases differ."))
            return
        self.accept()


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once; closes only once the user says it is saved."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(_("Your Recovery Key"))
        intro = QLabel(
            _("Your journal is encrypted. This is its recovery key, shown only this once:"), self
        )
        intro.setWordWrap(True)
        self.key_field = QLineEdit(recovery_key, self)
        self.key_field.setObjectName("recoveryKey")
        self.key_field.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(mono.pointSizeF() * 1.2)
        self.key_field.setFont(mono)
        self.key_field.setMinimumWidth(
            self.key_field.fontMetrics().horizontalAdvance(recovery_key) + 24
        )
        copy = QPushButton(_("Copy"), self)
        copy.setObjectName("copyRecoveryKey")
        copy.setAutoDefault(False)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(recovery_key))
        warning = _note(self, "recoveryWarning", "")
        warning.setText(
            _(
                "Write it down or print it, and keep it somewhere safe away from this computer. "
                "If you forget your passphrase, this key is the only way back into your "
                "journal: without both, nobody can read it again — not you, and not us."
            )
        )
        self.saved = QCheckBox(_("I saved the recovery key"), self)
        self.saved.setObjectName("recoverySaved")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.saved.toggled.connect(self.ok.setEnabled)
        self.buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(self.key_field, 1)
        row.addWidget(copy)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(warning)
        layout.addWidget(self.saved)
        layout.addWidget(self.buttons)

    def reject(self) -> None:  # Esc and the close button wait for "I saved it" too
        if self.saved.isChecked():
            super().reject()
