"""Issue 15 in the app: the unlock dialog at start and Settings → Privacy, over real journals.

The whole app is assembled as ``run_app`` assembles it (a :class:`DesktopApp`); the keyring is a
dictionary (no OS keyring here), passed in as the app passes its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QPushButton, QWidget

from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.storage import encryption
from questionbook.storage.probe import is_encrypted
from questionbook.ui.app import DesktopApp
from questionbook.ui.dialogs.passphrase_dialogs import RecoveryKeyDialog, UnlockDialog
from questionbook.ui.launch import LaunchConfig
from questionbook.ui.privacy import KeyringAccess
from questionbook.ui.settings_controller import SettingsController
from tests.ui.parts import ModalAnswers, list_of, part

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
PASS = "correct horse battery"


class DictKeyring:
    """A keyring that keeps passphrases in a dictionary, like a real backend would."""

    def __init__(self, available: bool = True) -> None:
        self.store: dict[str, str] = {}
        self._available = available

    def access(self) -> KeyringAccess:
        return KeyringAccess(
            recall=self.store.get,
            remember=lambda k, v: bool(self.store.__setitem__(k, v) or True),
            forget=lambda k: self.store.pop(k, None) and None,
            available=lambda: self._available,
        )


def make_journal(app_paths: AppPaths, *titles: str, encrypt: bool = False) -> str | None:
    services = open_services(app_paths)
    for title in titles:
        services.journal.add(title)
    services.close()
    if encrypt:
        return encryption.encrypt_journal(app_paths.database, PASS).recovery_key
    return None


def fill(name: str, text: str) -> object:
    def act(widget: QWidget) -> None:
        part(widget, QLineEdit, name).setText(text)

    return act


@pytest.fixture
def keyring() -> DictKeyring:
    return DictKeyring()


@pytest.fixture
def desktop_factory(qtbot, qapp: QApplication, app_paths: AppPaths, keyring: DictKeyring):
    made: list[DesktopApp] = []

    def make() -> DesktopApp:
        controller = SettingsController(app_paths.settings_file)
        running = DesktopApp(
            qapp,
            LaunchConfig(paths=app_paths, db_path=app_paths.database),
            controller,
            keyring=keyring.access(),
        )
        made.append(running)
        return running

    yield make
    for running in made:
        if running.window is not None:
            running.window.close()
            running.window.deleteLater()
    # Gone before their journals close, as when the app quits: later tests' events never reach them.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for running in made:
        running.close_journal()


def unlock_with(*secrets: str, remember: bool = False):
    """Answers for the unlock dialog: type each secret and press Unlock."""

    def act(widget: QWidget) -> None:
        assert isinstance(widget, UnlockDialog)
        widget.remember.setChecked(remember)
        for secret in secrets:
            if not widget.isVisible():
                return
            widget.field.setText(secret)
            widget.buttons.accepted.emit()

    return act


# -- the unlock dialog ----------------------------------------------------------------------
def test_three_wrong_passphrases_quit_and_leave_the_file_as_it_was(
    qtbot, app_paths: AppPaths, desktop_factory
) -> None:
    make_journal(app_paths, "A secret question", encrypt=True)
    before = app_paths.database.read_bytes()
    desktop = desktop_factory()
    answers = ModalAnswers()
    answers.queue(unlock_with("wrong one", "wrong two", "wrong three"))
    assert desktop.open_journal() is None
    dialog = answers.seen[0]
    assert isinstance(dialog, UnlockDialog) and dialog.failures == 3
    assert app_paths.database.read_bytes() == before


def test_a_wrong_try_says_how_many_are_left_then_the_right_one_opens(
    qtbot, app_paths: AppPaths, desktop_factory, keyring: DictKeyring
) -> None:
    make_journal(app_paths, "A secret question", encrypt=True)
    desktop = desktop_factory()
    answers = ModalAnswers()
    answers.queue(unlock_with("wrong one", PASS, remember=True))
    services = desktop.open_journal()
    assert services is not None
    dialog = answers.seen[0]
    assert isinstance(dialog, UnlockDialog)
    assert "2 tries left" in dialog.message.text()
    assert [e.title for e in services.journal.find()] == ["A secret question"]
    assert list(keyring.store.values()) == [PASS]  # remembered on this computer
    desktop.close_journal()
    # Next start: the remembered passphrase opens it without asking.
    again = desktop_factory()
    answers = ModalAnswers()
    assert again.open_journal() is not None
    assert answers.seen == []


def test_the_recovery_key_opens_it_and_no_keyring_means_no_remembering(
    qtbot, app_paths: AppPaths, qapp: QApplication
) -> None:
    recovery = make_journal(app_paths, "A secret question", encrypt=True)
    assert recovery is not None
    no_keyring = DictKeyring(available=False)
    desktop = DesktopApp(
        qapp,
        LaunchConfig(paths=app_paths, db_path=app_paths.database),
        SettingsController(app_paths.settings_file),
        keyring=no_keyring.access(),
    )
    answers = ModalAnswers()
    seen_enabled: list[bool] = []

    def act(widget: QWidget) -> None:
        assert isinstance(widget, UnlockDialog)
        seen_enabled.append(widget.remember.isEnabled())
        widget.field.setText(recovery.lower())
        widget.buttons.accepted.emit()

    answers.queue(act)
    services = desktop.open_journal()
    assert services is not None and seen_enabled == [False]
    desktop.close_journal()


# -- Settings → Privacy -----------------------------------------------------------------------
def open_privacy(window: QWidget, answers: ModalAnswers, *then: object) -> None:
    """Open Settings, go to the Privacy tab and run *then* on it."""

    def on_settings(widget: QWidget) -> None:
        from PySide6.QtWidgets import QTabWidget

        tabs = part(widget, QTabWidget, "settingsPages")
        page = part(widget, QWidget, "privacySettingsPage")
        tabs.setCurrentWidget(page)
        for step in then:
            step(page)  # type: ignore[operator]

    answers.queue(on_settings)
    settings = [a for a in window.findChildren(QAction) if a.text() == "Settings…"]
    assert settings
    settings[0].trigger()


def test_encrypting_from_settings_shows_the_recovery_key_once_and_reopens_encrypted(
    qtbot, app_paths: AppPaths, desktop_factory, keyring: DictKeyring
) -> None:
    make_journal(app_paths, "A question in the clear")
    desktop = desktop_factory()
    services = desktop.open_journal()
    assert services is not None
    window = desktop.build_window(services)
    window.show()
    qtbot.waitExposed(window)
    answers = ModalAnswers()
    recovery_seen: list[str] = []

    def new_passphrase(widget: QWidget) -> None:
        part(widget, QLineEdit, "newPassphrase").setText(PASS)
        part(widget, QLineEdit, "newPassphraseAgain").setText(PASS)
        part(widget, QCheckBox, "rememberPassphrase").setChecked(True)
        widget.buttons.accepted.emit()  # type: ignore[attr-defined]

    def recovery(widget: QWidget) -> None:
        assert isinstance(widget, RecoveryKeyDialog)
        recovery_seen.append(widget.key_field.text())
        assert not widget.ok.isEnabled()  # not before "I saved it"
        widget.reject()  # Esc does not close it either
        assert widget.isVisible()
        widget.saved.setChecked(True)
        widget.ok.click()

    def click_encrypt(page: QWidget) -> None:
        answers.queue(new_passphrase, recovery)
        part(page, QPushButton, "encryptJournal").click()

    open_privacy(window, answers, click_encrypt)
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window is not window)
    assert is_encrypted(app_paths.database)
    assert len(recovery_seen) == 1 and len(recovery_seen[0]) == 39
    assert encryption.unlock(app_paths.database, recovery_seen[0]) is not None
    assert list(keyring.store.values()) == [PASS]
    assert desktop.services is not None and desktop.services.db.key is not None
    new_window = desktop.window
    assert new_window is not None
    qtbot.waitUntil(lambda: list_of(new_window).model.rowCount() == 1)
    assert b"A question in the clear" not in app_paths.database.read_bytes()


def test_decrypting_from_settings_needs_the_passphrase(
    qtbot, app_paths: AppPaths, desktop_factory, keyring: DictKeyring
) -> None:
    make_journal(app_paths, "A secret question", encrypt=True)
    desktop = desktop_factory()
    answers = ModalAnswers()
    answers.queue(unlock_with(PASS))
    services = desktop.open_journal()
    assert services is not None
    window = desktop.build_window(services)
    window.show()
    qtbot.waitExposed(window)

    def type_secret(secret: str):
        def act(widget: QWidget) -> None:
            field = widget.findChild(QLineEdit)
            assert field is not None
            field.setText(secret)
            widget.accept()  # type: ignore[attr-defined]

        return act

    def close(widget: QWidget) -> None:
        widget.close()

    def click_decrypt(page: QWidget) -> None:
        answers.queue(type_secret("not it"), close)  # wrong: a warning, nothing changes
        part(page, QPushButton, "decryptJournal").click()
        assert is_encrypted(app_paths.database)
        answers.queue(type_secret(PASS))
        part(page, QPushButton, "decryptJournal").click()

    open_privacy(window, answers, click_decrypt)
    qtbot.waitUntil(lambda: desktop.window is not None and desktop.window is not window)
    assert not is_encrypted(app_paths.database)
    assert app_paths.database.read_bytes()[:16] == b"SQLite format 3\x00"
    assert desktop.services is not None and desktop.services.db.key is None


def test_changing_the_passphrase_keeps_the_journal_open(
    qtbot, app_paths: AppPaths, desktop_factory, keyring: DictKeyring
) -> None:
    make_journal(app_paths, "A secret question", encrypt=True)
    desktop = desktop_factory()
    answers = ModalAnswers()
    answers.queue(unlock_with(PASS))
    services = desktop.open_journal()
    assert services is not None
    window = desktop.build_window(services)
    window.show()
    qtbot.waitExposed(window)
    new = "a brand new passphrase"

    def change(widget: QWidget) -> None:
        part(widget, QLineEdit, "currentPassphrase").setText(PASS)
        part(widget, QLineEdit, "newPassphrase").setText(new)
        part(widget, QLineEdit, "newPassphraseAgain").setText(new)
        widget.buttons.accepted.emit()  # type: ignore[attr-defined]

    def click_change(page: QWidget) -> None:
        answers.queue(change, lambda box: box.close())
        part(page, QPushButton, "changePassphrase").click()
        page.window().close()

    open_privacy(window, answers, click_change)
    assert desktop.window is window  # not rebuilt: the file did not change
    assert encryption.unlock(app_paths.database, new) is not None
    with pytest.raises(encryption.QuestionBookError):
        encryption.unlock(app_paths.database, PASS)
    window.close()


def test_screens_shots_in_both_languages(qtbot, app_paths: AppPaths, tmp_path: Path) -> None:
    """The unlock dialog and the Privacy page render in English and Chinese (see
    ``questionbook.ui.screenshots`` for the PNGs in the docs)."""
    from questionbook.i18n import set_language
    from questionbook.ui.dialogs.settings_privacy import PrivacySettingsPage
    from questionbook.ui.privacy import PrivacyControl

    make_journal(app_paths, "x", encrypt=True)
    for lang in ("en", "zh_CN"):
        set_language(lang)
        try:
            dialog = UnlockDialog(
                app_paths.database,
                lambda s: encryption.unlock(app_paths.database, s),
                keyring_available=True,
            )
            qtbot.addWidget(dialog)
            page = PrivacySettingsPage(
                PrivacyControl(
                    app_paths.database,
                    encryption.unlock(app_paths.database, PASS),
                    close_journal=lambda: None,
                    key_changed=lambda _k: None,
                    keyring=DictKeyring().access(),
                )
            )
            qtbot.addWidget(page)
            assert dialog.grab().save(str(tmp_path / f"unlock-{lang}.png"))
            assert page.grab().save(str(tmp_path / f"privacy-{lang}.png"))
            if lang == "zh_CN":
                assert "加密" in page.findChild(QWidget, "privacyState").text()  # type: ignore[union-attr]
        finally:
            set_language("en")


def test_the_copy_of_unsaved_text_is_sealed_in_an_encrypted_journal(
    app_paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    from questionbook.cli.main import run
    from questionbook.ui.dialogs.unsaved_dialogs import UnsavedText, write_copy

    make_journal(app_paths, "x", encrypt=True)
    key = encryption.unlock(app_paths.database, PASS)
    folder = app_paths.data_dir / "unsaved"
    text = UnsavedText(title="麒麟 typed", body="not stored yet", outcome="")
    path = write_copy(folder, [text], key=key)
    assert path.name.endswith(".md.sealed") and oct(path.stat().st_mode & 0o777) == "0o600"
    assert "麒麟".encode() not in path.read_bytes()
    pw = app_paths.data_dir.parent / "pw"
    pw.write_text(PASS + "\n")
    assert run(["--passphrase-file", str(pw), "unsaved", path.name]) == 0
    assert "# 麒麟 typed" in capsys.readouterr().out
    plain = write_copy(folder, [text])  # a plain journal's copy stays a Markdown file
    assert plain.read_text(encoding="utf-8").startswith("# 麒麟 typed")


def test_a_wrong_try_grows_the_shown_dialog_instead_of_hiding_its_buttons(
    qtbot, app_paths: AppPaths
) -> None:
    """Seen under Xvfb: the "2 tries left" line squeezed the hint and the buttons out of the
    dialog. Typed and submitted with real keys; everything stays inside the dialog."""
    from PySide6.QtCore import QPoint, Qt

    make_journal(app_paths, "x", encrypt=True)
    dialog = UnlockDialog(
        app_paths.database,
        lambda s: encryption.unlock(app_paths.database, s),
        keyring_available=True,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    qtbot.keyClicks(dialog.field, "wrong one")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert dialog.height() > before
    hint = dialog.findChild(QWidget, "unlockHint")
    assert hint is not None
    for widget in (dialog.message, hint, dialog.buttons):
        bottom = widget.mapTo(dialog, QPoint(0, widget.height()))
        assert bottom.y() <= dialog.height(), widget.objectName()
    assert hint.height() >= hint.heightForWidth(hint.width())  # not squeezed to fewer lines
