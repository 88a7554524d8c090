"""Start the desktop app: QApplication, language, theme, the journal, the main window.

The CLI calls :func:`run_app` for ``questionbook`` with no command (or ``gui``) with a
:class:`~questionbook.ui.launch.LaunchConfig` built from ``--db``, ``--demo`` and ``--lang``,
so both faces open the same journal; the GUI does not depend on the CLI's argument objects.
"""

from __future__ import annotations

import logging
import sys
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from questionbook import APP_ID, start_trace
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.i18n import _, current_language, set_language
from questionbook.settings import Settings
from questionbook.ui.features import Features, install_features
from questionbook.ui.launch import LaunchConfig
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.start_queue import StartQueue

if TYPE_CHECKING:
    from questionbook.services import Services
    from questionbook.ui.privacy import KeyringAccess

log = logging.getLogger(__name__)
APP_NAME = "QuestionBook"

#: What building the editor imports, heaviest parts first, imported one per turn of the event
#: loop after the first paint so that no single step holds a typed key back for long.
EDITOR_MODULES = (
    "questionbook.core.markdown",
    "questionbook.ui.widgets.editor.markdown_view",
    "questionbook.ui.widgets.editor.editor_layout",
    "questionbook.ui.widgets.editor.entry_references",
    "questionbook.ui.widgets.editor.evidence_panel",
    "questionbook.ui.widgets.editor.entry_editor",
)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # matches the .desktop file, so desktops find the icon
    return app


def prepare_application(
    app: QApplication, settings: Settings, *, theme: str | None = None, language: str | None = None
) -> None:
    """Language, Qt's own catalogs, locale, theme, fonts and the app icon."""
    from questionbook.ui import resources
    from questionbook.ui.locale_format import set_default_locale
    from questionbook.ui.qt_translations import install_qt_translator
    from questionbook.ui.theme import apply_fonts, apply_theme

    if language is not None:
        set_language(language)
    lang = current_language()
    install_qt_translator(app, lang)
    set_default_locale(lang)
    apply_theme(app, theme or settings.theme)
    apply_fonts(app)
    app.setWindowIcon(resources.icon("app"))


def create_main_window(
    journal: Journal, settings_path: Path | None, settings: Settings | None = None
) -> MainWindow:
    """The main window over *journal* with its settings from *settings_path* (the start-up
    benchmark builds the window this way, without the optional features)."""
    return MainWindow(journal, settings=SettingsController(settings_path, settings))


class DesktopApp:
    """One running app: the settings, the open journal and its window.

    It can rebuild the window over a freshly opened journal, which a restore from backup
    needs (the old connections must let go of the replaced file). Everything made for a
    window is its child, so the old window takes its connections with it.
    """

    def __init__(
        self,
        app: QApplication,
        config: LaunchConfig,
        controller: SettingsController,
        keyring: KeyringAccess | None = None,
    ) -> None:
        """*keyring* reaches the OS keyring for "remember on this computer" (tests pass one)."""
        from questionbook.ui.privacy import KeyringAccess

        self.app = app
        self.config = config
        self.controller = controller
        self.keyring = keyring or KeyringAccess()
        self.services: Services | None = None
        self.window: MainWindow | None = None
        self.features: Features | None = None

    def unlock(self) -> bool:
        """An encrypted journal's key: remembered on this computer, or asked for (three
        tries). False if the user gave up: the app quits and the file is untouched."""
        from questionbook.storage.probe import is_encrypted

        path = self.config.db_path
        if self.config.demo or not is_encrypted(path):
            return True
        if self.config.key is not None:
            from questionbook.storage.backup import file_key

            try:
                file_key(path, self.config.key)  # only reads the key file's id
                return True
            except QuestionBookError:
                pass  # another key (a restored backup made before a passphrase change...)
        from questionbook.storage.encryption import unlock
        from questionbook.ui.dialogs.passphrase_dialogs import UnlockDialog
        from questionbook.ui.privacy import unlock_remembered

        key = unlock_remembered(path, self.keyring)
        if key is None:
            dialog = UnlockDialog(
                path,
                lambda secret: unlock(path, secret),
                keyring_available=self.keyring.available(),
            )
            if dialog.exec() != UnlockDialog.DialogCode.Accepted or dialog.key is None:
                return False
            key = dialog.key
            if dialog.remember.isChecked():
                self.keyring.remember(key.key_id, dialog.passphrase)
        self.config = self.config.with_key(key)
        return True

    def open_journal(self) -> Services | None:
        """Open the journal (asking for its passphrase if it is encrypted); on a damaged file
        offer restore / another file / quit."""
        from questionbook.core.errors import JournalCorrupt, JournalLocked, NotAJournal

        while True:
            try:
                if not self.unlock():
                    return None
                self.services = self.config.open_services()
                return self.services
            except JournalLocked:
                self.config = self.config.with_key(None)
                continue
            except (JournalCorrupt, NotAJournal) as exc:
                from questionbook.ui.dialogs.backup_dialogs import (
                    OPEN_ANOTHER,
                    RESTORED,
                    damaged_journal_dialog,
                )

                choice = damaged_journal_dialog(
                    None, exc, self.config.paths, self.config.db_path, self.config.key
                )
                if choice == RESTORED:
                    continue
                if choice != OPEN_ANOTHER:
                    return None
                path, _filter = QFileDialog.getOpenFileName(
                    None,
                    _("Open a Journal"),
                    str(self.config.db_path.parent),
                    _("QuestionBook journals (*.sqlite3 *.db);;All files (*)"),
                )
                if not path:
                    return None
                self.config = self.config.with_journal(Path(path))
            except QuestionBookError as exc:
                QMessageBox.critical(None, _("QuestionBook cannot open the journal"), str(exc))
                return None

    def build_window(self, services: Services, *, defer: bool = False) -> MainWindow:
        """The window over *services* with the features plugged in. With *defer* (the app's
        start) what the first paint does not show is built right after it (issue 21)."""
        window = MainWindow(
            services.journal,
            settings=self.controller,
            demo=self.config.demo,
            attachments=services.attachments,
            links=services.links,
            defer_editor=defer,
        )
        start_trace.mark("window built")
        privacy = None
        if not self.config.demo:
            from questionbook.ui.privacy import PrivacyControl

            privacy = PrivacyControl(
                services.db.path,
                services.db.key,
                close_journal=services.db.close,
                key_changed=lambda key: setattr(self, "config", self.config.with_key(key)),
                keyring=self.keyring,
            )
        later = StartQueue(window) if defer else None
        if later is not None:  # the editor pane shows its empty state till then
            later.add("counts, clear buttons", window.after_first_paint)
            for module in EDITOR_MODULES:  # a few short turns rather than one long one
                later.add(f"imported {module}", partial(import_module, module))
            later.add("editor", window.build_editor)
        self.features = install_features(
            window, services, self.controller, reopen=self.reopen, privacy=privacy, later=later
        )
        self.window = window
        start_trace.mark("features installed")
        return window

    def reopen(self) -> None:
        """Close the window and the journal, then open both again (after a restore)."""
        old = self.window
        if old is not None:
            old.hide()
            old.deleteLater()
        self.window = self.features = None
        self.close_journal()
        services = self.open_journal()
        if services is None:
            self.app.quit()
            return
        self.build_window(services).show()

    def close_journal(self) -> None:
        if self.services is not None:
            self.config.close_services(self.services)
            self.services = None


def _backup_later(desktop: DesktopApp) -> None:
    """The first-open-of-the-day backup, in a worker thread after the window is up, so a
    large journal never delays the first paint; a failure shows in a banner."""
    if desktop.features is not None and desktop.features.later is not None:
        desktop.features.later.finish()  # the backups are installed after the first paint
    if desktop.features is not None and desktop.features.backups is not None:
        desktop.features.backups.run_daily()


def run_app(config: LaunchConfig) -> int:
    """Open the window and run the event loop; returns the exit status."""
    from questionbook.ui.settings_controller import connect_appearance

    start_trace.mark("imports done")
    controller = SettingsController(config.paths.settings_file)
    start_trace.mark("settings read")
    app = create_application()
    prepare_application(
        app,
        controller.settings,
        language=None if config.language else controller.get("language"),
    )
    connect_appearance(app, controller)
    start_trace.mark("application ready (language, theme)")
    single = None
    if not config.demo:
        from questionbook.ui.single_instance import SingleInstance

        single = SingleInstance(config.db_path)
        if not single.try_primary(listen=False):  # it listens right after the first paint
            if single.send_to_primary(list(config.argv)):
                return 0  # the running window comes to the front instead
            single = None  # no answer from the lock holder: carry on as the only window
    desktop = DesktopApp(app, config, controller)
    services = desktop.open_journal()
    if services is None:
        return 1
    start_trace.mark("journal opened")
    window = desktop.build_window(services, defer=True)
    if single is not None:
        single.message_received.connect(lambda args: _on_second_launch(desktop, args))
        if desktop.features is not None and desktop.features.later is not None:
            desktop.features.later.add("listening for second launches", single.listen)
        else:
            single.listen()
    start_trace.watch_first_paint(window)
    window.show()
    window.focus_capture()
    start_trace.mark("window shown")
    if not config.demo:
        QTimer.singleShot(1500, lambda: _backup_later(desktop))
    try:
        return int(app.exec())
    finally:
        desktop.close_journal()
        if single is not None:
            single.release()
        from questionbook.core.attachment_service import remove_private_copies

        remove_private_copies()  # opened attachments: no copy outlives the app


def _on_second_launch(desktop: DesktopApp, args: list[str]) -> None:
    """Another launch handed its arguments over: ``questionbook capture`` shows the capture
    window (issue 19), anything else brings the window to the front."""
    from questionbook.__main__ import is_capture_request

    writing = desktop.features.writing if desktop.features is not None else None
    if writing is not None and is_capture_request(args):
        writing.capture.show_capture()
        return
    _raise_current(desktop)


def _raise_current(desktop: DesktopApp) -> None:
    if desktop.window is not None:
        _raise(desktop.window)


def _raise(window: MainWindow) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
