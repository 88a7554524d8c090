"""Qt's own strings (dialog buttons) are translated by the qtbase catalog PySide6 ships."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from questionbook.ui.qt_translations import (
    install_qt_translator,
    qt_translations_dir,
    remove_qt_translators,
)


def test_qtbase_zh_cn_ships_with_pyside6() -> None:
    assert (qt_translations_dir() / "qtbase_zh_CN.qm").is_file()


def test_chinese_translator_translates_dialog_buttons(qapp: QApplication, qtbot) -> None:
    try:
        assert install_qt_translator(qapp, "zh_CN")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert (
            box.button(QDialogButtonBox.StandardButton.Cancel)
            .text()
            .replace("&", "")
            .startswith("取消")
        )
    finally:
        remove_qt_translators(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_english_needs_no_translator(qapp: QApplication) -> None:
    assert not install_qt_translator(qapp, "en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
