"""SettingsController: validates, saves at once, and names what changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from questionbook.settings import load_settings
from questionbook.ui.settings_controller import SettingsController


def test_update_saves_and_emits_only_real_changes(qtbot, tmp_path: Path) -> None:
    ini = tmp_path / "settings.ini"
    ctl = SettingsController(ini)
    with qtbot.waitSignal(ctl.changed, timeout=1000) as blocker:
        changed = ctl.update(theme="dark", editor_font_size=ctl.get("editor_font_size"))
    assert changed == {"theme"} and blocker.args == [{"theme"}]
    assert load_settings(ini).theme == "dark"
    with qtbot.assertNotEmitted(ctl.changed):
        assert ctl.update(theme="dark") == set()


@pytest.mark.parametrize(
    "changes",
    [
        {"theme": "purple"},
        {"nonsense": 1},
        {"editor_font_size": 2},
        {"reminders": "yes"},
        {"review_time": "25:00"},
        {"backup_daily": -1},
        {"language": "fr"},
        {"review_weekday": 0},
    ],
)
def test_bad_values_change_nothing(qtbot, tmp_path: Path, changes: dict) -> None:
    ini = tmp_path / "settings.ini"
    ctl = SettingsController(ini)
    with qtbot.assertNotEmitted(ctl.changed), pytest.raises(ValueError):
        ctl.update(theme="light", **changes) if "theme" not in changes else ctl.update(**changes)
    assert ctl.get("theme") == "system"
    assert not ini.exists()


def test_settings_property_is_a_copy(tmp_path: Path) -> None:
    ctl = SettingsController(tmp_path / "s.ini")
    ctl.settings.theme = "dark"
    assert ctl.get("theme") == "system"


def test_reload_announces_hand_edits(qtbot, tmp_path: Path) -> None:
    ini = tmp_path / "s.ini"
    ctl = SettingsController(ini)
    ctl.update(backup_daily=3)
    ini.write_text(ini.read_text().replace("backup_daily = 3", "backup_daily = 5"))
    with qtbot.waitSignal(ctl.changed, timeout=1000) as blocker:
        ctl.reload()
    assert blocker.args == [{"backup_daily"}]
    assert ctl.get("backup_daily") == 5


def test_saving_keeps_what_the_window_wrote_meanwhile(tmp_path: Path) -> None:
    from questionbook.ui.window_state import save_window_state

    ini = tmp_path / "s.ini"
    ctl = SettingsController(ini)
    from PySide6.QtCore import QByteArray

    save_window_state(
        ini,
        geometry=QByteArray(b"geo"),
        state=QByteArray(b"st"),
        sizes=[1, 2, 3, 4],
        last_view="trash",
    )
    ctl.update(theme="dark")
    on_disk = load_settings(ini)
    assert on_disk.theme == "dark"
    assert on_disk.last_view == "trash" and on_disk.splitter_sizes == "1,2,3,4"


def test_connect_appearance_applies_theme_and_language(qapp, tmp_path: Path) -> None:
    from questionbook import i18n
    from questionbook.i18n import _
    from questionbook.ui.qt_translations import remove_qt_translators
    from questionbook.ui.settings_controller import connect_appearance
    from questionbook.ui.theme import current_theme

    ctl = SettingsController(tmp_path / "s.ini")
    connect_appearance(qapp, ctl)
    previous = i18n.current_language()
    palette, sheet = qapp.palette(), qapp.styleSheet()
    try:
        ctl.update(theme="dark")
        assert current_theme(qapp) == "dark"
        ctl.update(language="zh_CN")
        assert _("Underwater") == "水下"
    finally:
        i18n.set_language(previous)
        remove_qt_translators(qapp)
        qapp.setPalette(palette)
        qapp.setStyleSheet(sheet)
        qapp.setProperty("questionbook_theme", None)
