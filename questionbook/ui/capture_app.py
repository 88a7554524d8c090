"""``questionbook capture``: the small capture window, fast, with or without the app running.

A keyboard shortcut runs this, so it has to be quick: Qt is the first thing imported here and
nothing of the main window is (``ui.app`` alone would add ~0.2 s of widgets and pages). The
command line gets here through its light path (argparse and the translations only,
``tests/cli/test_capture_path.py``).

- If the app already has the journal open, the request goes over its single-instance socket
  (:mod:`questionbook.ui.single_instance`) and the running app shows its capture window, whose
  new entry its list shows at once. This process then exits.
- Otherwise this process shows the capture window alone — no main window — over the journal,
  and exits when it closes. It does not take the single-instance lock: the app started
  meanwhile opens normally, and its watcher picks up the entry written here.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QApplication, QMessageBox

from questionbook import APP_ID
from questionbook.i18n import _, set_language

if TYPE_CHECKING:
    from pathlib import Path

    from questionbook.settings import Settings
    from questionbook.ui.launch import LaunchConfig

#: The message a capture launch hands to the running app.
CAPTURE_MESSAGE = ["capture"]


def forward_to_running_app(journal_path: Path) -> bool:
    """Ask the app that has *journal_path* open to show its capture window; False if no app
    has it open (or it does not answer)."""
    from questionbook.ui.single_instance import SingleInstance, lock_path

    lock_file = lock_path(journal_path)
    if not lock_file.exists():  # Qt removes it when the app quits: nobody is running
        return False
    probe = QLockFile(str(lock_file))
    probe.setStaleLockTime(0)
    if probe.tryLock(0):  # free (a crashed app's stale lock): nobody to ask
        probe.unlock()
        return False
    return SingleInstance(journal_path).send_to_primary(list(CAPTURE_MESSAGE))


def _application() -> QApplication:
    """The QApplication, named like the app's own (``ui.app.create_application``, which is
    not imported here: it would bring the whole main window along)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("QuestionBook")
    app.setApplicationDisplayName("QuestionBook")
    app.setOrganizationName("QuestionBook")
    app.setDesktopFileName(APP_ID)
    return app


def _prepare(app: QApplication, settings: Settings, language: str | None) -> None:
    """Language, Qt's catalog, locale, theme, fonts and icon, as the app sets them."""
    from questionbook.i18n import current_language
    from questionbook.ui import resources
    from questionbook.ui.locale_format import set_default_locale
    from questionbook.ui.qt_translations import install_qt_translator
    from questionbook.ui.theme import apply_fonts, apply_theme

    if language is not None:
        set_language(language)
    lang = current_language()
    install_qt_translator(app, lang)
    set_default_locale(lang)
    apply_theme(app, settings.theme)
    apply_fonts(app)
    app.setWindowIcon(resources.icon("app"))


def run_capture(config: LaunchConfig) -> int:
    """Show the capture window (here, or in the running app); returns the exit status."""
    from questionbook.settings import load_settings

    settings = load_settings(config.paths.settings_file)
    app = _application()
    _prepare(app, settings, None if config.language else settings.language)
    if not config.demo and forward_to_running_app(config.db_path):
        return 0
    from questionbook.core.errors import QuestionBookError

    try:
        services = config.open_services()
    except QuestionBookError as exc:
        QMessageBox.critical(None, _("QuestionBook cannot open the journal"), str(exc))
        return 1
    from questionbook.core.templates import TemplateService
    from questionbook.ui.operations import Operations
    from questionbook.ui.widgets.capture_window import CaptureWindow

    journal = services.journal
    ops = Operations(journal.db.path)
    window = CaptureWindow(journal, ops, TemplateService(journal.db, clock=journal.clock))
    window.open_fresh()
    try:
        return int(app.exec())
    finally:
        ops.close()
        window.deleteLater()
        config.close_services(services)
