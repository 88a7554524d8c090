"""Translate Qt's own strings (OK/Cancel, file dialogs, context menus) with Qt's catalogs.

Our strings come from gettext (:mod:`questionbook.i18n`); Qt's built-in dialogs use Qt's
``qtbase_<lang>.qm``, which PySide6 ships in ``QLibraryInfo.path(TranslationsPath)``. A frozen
bundle keeps only the ``qtbase_*.qm`` files we use (see ``packaging/questionbook.spec``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

#: Keep the installed translators alive: Qt does not own them.
_installed: list[QTranslator] = []


def qt_translations_dir() -> Path:
    """Where this Qt build keeps its ``.qm`` catalogs."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def qm_locale(language: str) -> QLocale:
    """The ``QLocale`` whose ``qtbase`` catalog serves *language* ("zh_CN", "en", ...)."""
    if language.lower().startswith("zh"):
        return QLocale(
            QLocale.Language.Chinese, QLocale.Script.SimplifiedHanScript, QLocale.Country.China
        )
    return QLocale(language)


def remove_qt_translators(app: QCoreApplication) -> None:
    """Take out translators installed by :func:`install_qt_translator` (language switch)."""
    while _installed:
        app.removeTranslator(_installed.pop())


def install_qt_translator(app: QCoreApplication, language: str) -> bool:
    """Install Qt's own catalog for *language*; True if one was found and installed.

    English needs none (Qt's source strings are English), so it only removes a previous one.
    """
    remove_qt_translators(app)
    if not language or language.startswith("en"):
        return False
    translator = QTranslator(app)
    folder = str(qt_translations_dir())
    if not translator.load(qm_locale(language), "qtbase", "_", folder):
        log.info("no Qt catalog for %s in %s", language, folder)
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
