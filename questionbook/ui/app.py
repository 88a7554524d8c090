"""Start the desktop app: QApplication, language, theme, the journal, the main window.

The CLI calls :func:`run_app` for ``questionbook`` with no command (or ``gui``); the services
come from the CLI's :class:`~questionbook.cli.main.Context`, so ``--db`` and ``--demo`` work
the same for both faces.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.i18n import _, current_language, set_language
from questionbook.settings import Settings, load_settings
from questionbook.ui.main_window import MainWindow

if TYPE_CHECKING:
    from questionbook.cli.main import Context

log = logging.getLogger(__name__)
APP_NAME = "QuestionBook"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused if one exists, as under pytest-qt)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setDesktopFileName("questionbook")
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
    """The main window over *journal*, restoring its state from *settings_path*."""
    return MainWindow(journal, settings=settings, settings_path=settings_path)


def run_app(ctx: Context) -> int:
    """Open the window and run the event loop; returns the exit status."""
    settings_path = ctx.paths.settings_file
    settings = load_settings(settings_path)
    explicit_lang = getattr(ctx.args, "lang", None)
    app = create_application()
    prepare_application(app, settings, language=None if explicit_lang else settings.language)
    try:
        services = ctx.services
    except QuestionBookError as exc:
        QMessageBox.critical(None, _("QuestionBook cannot open the journal"), str(exc))
        return 1
    window = create_main_window(services.journal, settings_path, settings)
    if getattr(ctx.args, "demo", False):
        window.setWindowTitle(_("QuestionBook — demo journal (not saved)"))
    window.show()
    window.list_pane.capture.focus()
    return int(app.exec())
