"""Settings → Privacy: encrypt the journal, change its passphrase, turn encryption off.

The page talks to a :class:`~questionbook.ui.privacy.PrivacyControl`. Encrypting and
decrypting replace the journal file, so they close the window's journal; the page then asks the
Settings dialog to close (``journal_replaced``) and the app rebuilds the window over the new
file, as after a restore. Changing the passphrase only rewrites key files.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.i18n import N_, _, ngettext
from questionbook.storage.keyfile import WrongPassphrase, key_file_path
from questionbook.ui.dialogs.passphrase_dialogs import NewPassphraseDialog, RecoveryKeyDialog
from questionbook.ui.privacy import PrivacyControl
from questionbook.ui.retranslate import Texts
from questionbook.ui.widgets.elided_label import wrap_without_widening

_MUTED = "color: rgba(127, 127, 127, 230);"


class PrivacySettingsPage(QWidget):
    """The journal's encryption: its state and the three actions."""

    journal_replaced = Signal()
    """Encryption was turned on or off: the journal was closed, the window must be rebuilt."""

    def __init__(self, control: PrivacyControl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privacySettingsPage")
        self._control = control
        self._texts = Texts()
        self.state = QLabel(self)
        self.state.setObjectName("privacyState")
        wrap_without_widening(self.state)  # a long path never widens the dialog
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.encrypt_button = self._button("encryptJournal", N_("Encrypt the Journal…"))
        self.change_button = self._button("changePassphrase", N_("Change Passphrase…"))
        self.decrypt_button = self._button("decryptJournal", N_("Turn Encryption Off…"))
        self.forget_button = self._button("forgetPassphrase", N_("Forget on This Computer"))
        self.encrypt_button.clicked.connect(self._on_encrypt_button_clicked)
        self.change_button.clicked.connect(self._on_change_button_clicked)
        self.decrypt_button.clicked.connect(self._on_decrypt_button_clicked)
        self.forget_button.clicked.connect(self._on_forget_button_clicked)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet(_MUTED)
        self._texts.set(
            self.explanation.setText,
            N_(
                "Encryption (SQLCipher, AES-256) protects the journal, its backups and the "
                "copies of unsaved text when someone else gets the files: a stolen or shared "
                "computer, a backup disk, a synced folder. It does not protect an open, "
                "unlocked app, and exports stay readable files unless you export to an "
                "encrypted archive. A forgotten passphrase cannot be recovered without the "
                "recovery key shown when encryption is turned on."
            ),
        )
        group = QGroupBox(self)
        self._texts.set(group.setTitle, N_("Encryption"))
        buttons = QHBoxLayout()
        for button in (
            self.encrypt_button,
            self.change_button,
            self.decrypt_button,
            self.forget_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        inner = QVBoxLayout(group)
        inner.addWidget(self.state)
        inner.addLayout(buttons)
        inner.addWidget(self.explanation)
        layout = QVBoxLayout(self)
        layout.addWidget(group)
        layout.addStretch(1)
        self._show_state()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        self._texts.set(button.setText, text)
        return button

    def _show_state(self) -> None:
        c = self._control
        if c.encrypted:
            text = _("This journal is encrypted. Its key file is {key}.").format(
                key=key_file_path(c.db_path)
            )
            if c.remembered():
                text += " " + _("Its passphrase is remembered on this computer.")
        else:
            text = _(
                "This journal is not encrypted: anyone who can read its file or its backups "
                "can read your entries."
            )
        self.state.setText(text)
        self.encrypt_button.setVisible(not c.encrypted)
        self.change_button.setVisible(c.encrypted)
        self.decrypt_button.setVisible(c.encrypted)
        self.forget_button.setVisible(c.encrypted and c.remembered())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._show_state()
        super().changeEvent(event)

    # ----------------------------------------------------------------- actions
    def _keyring(self) -> bool:
        return self._control.keyring.available()

    def _on_encrypt_button_clicked(self) -> None:
        dialog = NewPassphraseDialog(
            _("Encrypt the Journal"),
            _(
                "Choose a passphrase. You will need it every time QuestionBook opens this "
                "journal (unless it is remembered on this computer). Existing backups are "
                "encrypted too. Nothing else changes: the app reopens the journal encrypted."
            ),
            ask_current=False,
            keyring_available=self._keyring(),
            remember=True,
            parent=self,
        )
        if dialog.exec() != NewPassphraseDialog.DialogCode.Accepted:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = self._control.encrypt(dialog.new.text(), remember=dialog.remember.isChecked())
        except QuestionBookError as exc:
            QApplication.restoreOverrideCursor()
            self._fail(_("The journal could not be encrypted. It was not changed."), exc)
            return
        QApplication.restoreOverrideCursor()
        RecoveryKeyDialog(result.recovery_key, self).exec()
        if result.left_plain:
            QMessageBox.information(
                self,
                _("Encrypt the Journal"),
                _("These files are still readable without the passphrase:")
                + "\n"
                + "\n".join(str(p) for p in result.left_plain),
            )
        self.journal_replaced.emit()

    def _on_change_button_clicked(self) -> None:
        dialog = NewPassphraseDialog(
            _("Change Passphrase"),
            _(
                "The journal is not re-encrypted: only its key file (and its backups') changes. "
                "The recovery key keeps working."
            ),
            ask_current=True,
            keyring_available=self._keyring(),
            remember=self._control.remembered(),
            parent=self,
        )
        while dialog.exec() == NewPassphraseDialog.DialogCode.Accepted:
            assert dialog.current is not None
            try:
                written = self._control.change_passphrase(
                    dialog.current.text(), dialog.new.text(), remember=dialog.remember.isChecked()
                )
            except WrongPassphrase:
                dialog.show_problem(_("The current passphrase is wrong."))
                continue
            except QuestionBookError as exc:
                self._fail(_("The passphrase could not be changed."), exc)
                return
            QMessageBox.information(
                self,
                _("Change Passphrase"),
                ngettext(
                    "The passphrase was changed ({n} key file).",
                    "The passphrase was changed ({n} key files).",
                    len(written),
                ).format(n=len(written)),
            )
            self._show_state()
            return

    def _on_decrypt_button_clicked(self) -> None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        secret, ok = QInputDialog.getText(
            self,
            _("Turn Encryption Off"),
            _(
                "The journal and its backups become plain files that anyone who can read them "
                "can read. Enter the passphrase (or the recovery key) to go on:"
            ),
            QLineEdit.EchoMode.Password,
        )
        if not ok or not secret:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._control.decrypt(secret)
        except WrongPassphrase:
            QApplication.restoreOverrideCursor()
            self._fail(_("Wrong passphrase. The journal stays encrypted."), None)
            return
        except QuestionBookError as exc:
            QApplication.restoreOverrideCursor()
            self._fail(_("Encryption could not be turned off. The journal was not changed."), exc)
            return
        QApplication.restoreOverrideCursor()
        self.journal_replaced.emit()

    def _on_forget_button_clicked(self) -> None:
        self._control.forget_remembered()
        self._show_state()

    def _fail(self, text: str, exc: BaseException | None) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, _("Privacy"), text, parent=self)
        box.setObjectName("privacyProblem")
        if exc is not None:
            box.setInformativeText(str(exc))
        box.exec()
        if self._control.reopen_needed:
            self.journal_replaced.emit()  # the journal was closed on the way: reopen it
