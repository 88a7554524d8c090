"""The settings dialog writes through the controller: INI on disk and ``changed`` signal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime, QUrl
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QGroupBox, QWidget

from questionbook.i18n import set_language
from questionbook.settings import Settings, load_settings, save_settings
from questionbook.ui.dialogs.settings_dialog import (
    SettingsDialog,
    make_settings_action,
    settings_shortcuts,
)
from questionbook.ui.settings_controller import SettingsController, connect_appearance

# The offscreen platform warns when a dialog is shown; that is the platform, not us.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "settings.ini"
    save_settings(Settings(theme="light", backup_daily=7), path)
    return path


@pytest.fixture
def controller(ini: Path) -> SettingsController:
    return SettingsController(ini)


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def dialog(
    qtbot, controller: SettingsController, tmp_path: Path, opened: list[QUrl]
) -> SettingsDialog:
    dlg = SettingsDialog(
        controller, tmp_path / "data", open_url=lambda url: opened.append(url) or True
    )
    qtbot.addWidget(dlg)
    return dlg


def test_shows_stored_values_without_writing(dialog: SettingsDialog, ini: Path) -> None:
    before = ini.read_bytes()
    assert dialog.theme.currentData() == "light"
    assert dialog.backup_daily.value() == 7
    assert dialog.review_day.currentData() == 7
    assert dialog.review_time.time() == QTime(19, 0)
    assert ini.read_bytes() == before


def test_changing_theme_writes_ini_and_emits_changed(
    qtbot, dialog: SettingsDialog, controller: SettingsController, ini: Path
) -> None:
    with qtbot.waitSignal(controller.changed, timeout=1000) as blocker:
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert blocker.args == [{"theme"}]
    assert load_settings(ini).theme == "dark"


@pytest.mark.parametrize(
    ("field", "act", "expected"),
    [
        ("backup_weekly", lambda d: d.backup_weekly.setValue(9), 9),
        ("reminders", lambda d: d.reminders.setChecked(False), False),
        ("review_weekday", lambda d: d.review_day.setCurrentIndex(d.review_day.findData(3)), 3),
        ("review_time", lambda d: d.review_time.setTime(QTime(8, 30)), "08:30"),
        ("editor_font_size", lambda d: d.font_size.setValue(15), 15),
        ("language", lambda d: d.language.setCurrentIndex(d.language.findData("zh_CN")), "zh_CN"),
        ("attachment_max_mb", lambda d: d.attachment_max.setValue(120), 120),
    ],
)
def test_each_control_saves_its_field(
    qtbot,
    dialog: SettingsDialog,
    controller: SettingsController,
    ini: Path,
    field: str,
    act,
    expected: object,
) -> None:
    with qtbot.waitSignal(controller.changed, timeout=1000) as blocker:
        act(dialog)
    assert blocker.args == [{field}]
    assert getattr(load_settings(ini), field) == expected


def test_editor_font_family_and_default(qtbot, dialog: SettingsDialog, ini: Path) -> None:
    family = dialog.font_family.itemText(0)
    target = dialog.font_family.itemText(1) if dialog.font_family.count() > 1 else family
    dialog.font_family.setCurrentFont(QFont(target))
    dialog.font_family.currentFontChanged.emit(QFont(target))
    assert load_settings(ini).editor_font_family == QFont(target).family()
    assert dialog.font_default.isEnabled()
    qtbot.mouseClick(dialog.font_default, Qt.MouseButton.LeftButton)
    assert load_settings(ini).editor_font_family == ""
    assert not dialog.font_default.isEnabled()


def test_typing_in_a_spin_box_by_keyboard_saves(qtbot, dialog: SettingsDialog, ini: Path) -> None:
    dialog.show()
    dialog.backup_monthly.setFocus()
    dialog.backup_monthly.selectAll()
    qtbot.keyClicks(dialog.backup_monthly, "24")
    assert load_settings(ini).backup_monthly == 24


def test_the_dialog_switches_language_while_it_is_open(
    qtbot, qapp, controller: SettingsController, dialog: SettingsDialog
) -> None:
    connect_appearance(qapp, controller)  # as the app does
    dialog.show()
    try:
        qtbot.keyClick(dialog.language, Qt.Key.Key_End)  # the last choice: 简体中文
        assert controller.get("language") == "zh_CN"
        assert dialog.windowTitle() == "设置"
        titles = {box.title() for box in dialog.findChildren(QGroupBox)}
        assert "外观" in titles and "Appearance" not in titles
        assert dialog.language.itemText(0) != "Follow the system"
        assert dialog.review_day.itemText(0) == "星期一"
        qtbot.keyClick(dialog.language, Qt.Key.Key_Up)  # English
        assert dialog.windowTitle() == "Settings"
        assert "Appearance" in {box.title() for box in dialog.findChildren(QGroupBox)}
    finally:
        set_language("en")
        controller.update(language="en")


def test_data_folder_is_shown_and_opened(
    qtbot, dialog: SettingsDialog, tmp_path: Path, opened: list[QUrl]
) -> None:
    assert dialog.data_folder.text() == str(tmp_path / "data")
    assert dialog.data_folder.isReadOnly()
    qtbot.mouseClick(dialog.open_folder, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "data")]
    assert (tmp_path / "data").is_dir()


def test_controls_have_accessible_names_and_tab_order(qtbot, dialog: SettingsDialog) -> None:
    controls = [
        dialog.language,
        dialog.theme,
        dialog.font_family,
        dialog.font_size,
        dialog.font_default,
        dialog.review_day,
        dialog.review_time,
        dialog.reminders,
        dialog.backup_daily,
        dialog.backup_weekly,
        dialog.backup_monthly,
        dialog.data_folder,
        dialog.open_folder,
        dialog.attachment_max,
    ]
    assert all(c.accessibleName() for c in controls)
    assert len({c.accessibleName() for c in controls}) == len(controls)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.language.setFocus()
    seen: list[QWidget] = []
    for _ in range(30):  # Tab also steps through the time edit's sections: dedupe below
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        widget = dialog.focusWidget()
        if widget is dialog.language:
            break
        if not seen or seen[-1] is not widget:
            seen.append(widget)
    enabled = [c for c in controls if c.isEnabled()]
    assert [w for w in seen if w in controls] == enabled[1:]


def test_settings_action_uses_ctrl_comma(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    calls: list[int] = []
    action = make_settings_action(parent, lambda: calls.append(1))
    assert QKeySequence("Ctrl+,") in action.shortcuts()
    assert QKeySequence("Ctrl+,") in settings_shortcuts()
    action.trigger()
    assert calls == [1]
