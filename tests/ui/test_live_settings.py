"""Settings reach the running app (issue 13, items 4 and 5; issue 12, #4, #5 and #16).

The whole app is assembled as ``run_app`` assembles it: a :class:`DesktopApp` over a real journal
file, with the settings controller, ``connect_appearance`` and the features.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import shiboken6
from PySide6.QtGui import QColor, QFontInfo, QIcon
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from questionbook.i18n import set_language
from questionbook.paths import AppPaths
from questionbook.settings import Settings
from questionbook.storage import backup
from questionbook.ui.app import DesktopApp
from questionbook.ui.launch import LaunchConfig
from questionbook.ui.main_window import MainWindow
from questionbook.ui.pages.review_page import ReviewPage
from questionbook.ui.settings_controller import SettingsController, connect_appearance
from questionbook.ui.theme import apply_theme, current_theme
from questionbook.ui.widgets.capture_box import CaptureBox
from questionbook.ui.widgets.review_banner import ReviewBanner
from tests.ui.parts import (
    ModalAnswers,
    action,
    editor_of,
    list_of,
    menu,
    part,
    sidebar_of,
    ui,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The application, put back into English and the light theme afterwards."""
    apply_theme(qapp, "light")
    yield qapp
    set_language("en")
    apply_theme(qapp, "light")


@pytest.fixture
def desktop(qtbot, app: QApplication, app_paths: AppPaths) -> Iterator[DesktopApp]:
    controller = SettingsController(app_paths.settings_file)
    connect_appearance(app, controller)
    running = DesktopApp(app, LaunchConfig(paths=app_paths, db_path=app_paths.database), controller)
    services = running.open_journal()
    assert services is not None
    window = running.build_window(services)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    yield running
    if running.window is not None:
        running.window.close()
        running.window.deleteLater()
    controller.update(language="en", theme="light")
    running.close_journal()


def window_of(desktop: DesktopApp) -> MainWindow:
    assert desktop.window is not None
    return desktop.window


def icon_lightness(icon: QIcon) -> int:
    """How light the drawn part of an icon is (0 dark ... 255 light)."""
    image = icon.pixmap(24, 24).toImage()
    values = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() > 200
    ]
    assert values, "the icon draws nothing"
    return sum(values) // len(values)


def test_icons_follow_a_live_theme_change(qtbot, desktop: DesktopApp) -> None:
    window = window_of(desktop)
    sidebar = sidebar_of(window)
    today = sidebar.topLevelItem(0)
    # A kind not armed (the armed one is drawn in the accent's text colour, issue 12).
    capture_kind = part(part(window, CaptureBox), QToolButton, "kind_plan")
    assert current_theme(QApplication.instance()) == "light"
    assert icon_lightness(today.icon(0)) < 100
    assert icon_lightness(capture_kind.icon()) < 100
    desktop.controller.update(theme="dark")
    assert current_theme(QApplication.instance()) == "dark"
    assert icon_lightness(sidebar.topLevelItem(0).icon(0)) > 150  # light on the dark sidebar
    assert icon_lightness(capture_kind.icon()) > 150
    desktop.controller.update(theme="light")
    assert icon_lightness(sidebar.topLevelItem(0).icon(0)) < 100


def test_the_editor_font_is_fixed_pitch_and_follows_the_setting(
    qtbot, desktop: DesktopApp, app_paths: AppPaths
) -> None:
    window = window_of(desktop)
    body = ui(editor_of(window)).body_edit
    assert QFontInfo(body.font()).fixedPitch() or "Mono" in QFontInfo(body.font()).family()
    desktop.controller.update(editor_font_family="DejaVu Sans Mono", editor_font_size=17)
    assert QFontInfo(body.font()).family() == "DejaVu Sans Mono"
    assert body.font().pointSize() == 17
    window.close()  # a restart: a new window over the settings file
    restarted = MainWindow(
        desktop.services.journal,  # type: ignore[union-attr]
        settings=SettingsController(app_paths.settings_file),
    )
    qtbot.addWidget(restarted)
    again = ui(editor_of(restarted)).body_edit
    assert QFontInfo(again.font()).family() == "DejaVu Sans Mono"
    assert again.font().pointSize() == 17
    restarted.close()


def test_every_string_switches_language_while_running(qtbot, desktop: DesktopApp) -> None:
    window = window_of(desktop)
    entry = desktop.services.journal.add("A question to look at")  # type: ignore[union-attr]
    window.show_view("all")
    qtbot.waitUntil(lambda: list_of(window).select_id(entry.id), timeout=3000)
    editor = ui(editor_of(window))
    assert editor.follow_up_button.text() == "Sharpen this question"
    desktop.controller.update(language="zh_CN")
    assert menu(window, "file").title() == "文件(&F)"
    assert sidebar_of(window).title_of("today") == "今天"
    assert sidebar_of(window).title_of("review") == "每周回顾"
    assert sidebar_of(window).title_of("insights") == "洞察"
    assert editor.follow_up_button.text() == "打磨这个问题"
    assert editor.delete_button.text() == "移到回收站"
    assert list_of(window).search.placeholderText() == "搜索"
    assert part(window, ReviewPage).start_button.text() == "开始回顾"
    assert action(window, "startReview").text() != "Start &Weekly Review"
    desktop.controller.update(language="en")
    assert sidebar_of(window).title_of("review") == "Weekly review"
    assert editor.follow_up_button.text() == "Sharpen this question"


def test_review_day_and_reminders_are_read_when_used(
    qtbot, desktop: DesktopApp, app_paths: AppPaths
) -> None:
    journal = desktop.services.journal  # type: ignore[union-attr]
    journal.add("an old question", created_at=datetime.now(UTC) - timedelta(days=14))
    reminder = desktop.features.reminder  # type: ignore[union-attr]
    banner = part(window_of(desktop), ReviewBanner)
    controller = desktop.controller
    assert reminder.check() is not None  # last week's review is due
    controller.update(reminders=False)
    assert reminder.check() is None  # off means off, without a restart
    controller.update(reminders=True, week_start=7)
    assert desktop.services.review.week_start == 7  # type: ignore[union-attr]
    assert reminder.check() is not None
    assert banner is not None


def test_restoring_a_backup_rebuilds_the_window_and_leaves_nothing_connected(
    qtbot, desktop: DesktopApp, app_paths: AppPaths
) -> None:
    """Issue 13, item 5: after "Restore from Backup" every setting can still be changed."""
    journal = desktop.services.journal  # type: ignore[union-attr]
    journal.add("In the backup")
    backup.make_backup(app_paths.database)
    journal.add("Written after the backup")
    old = window_of(desktop)
    receivers = desktop.controller.receivers("2changed(PyObject)")
    answers = ModalAnswers()

    def pick_newest(widget: QWidget) -> None:
        widget.list.setCurrentRow(0)  # type: ignore[attr-defined]
        widget.restore_button.click()  # type: ignore[attr-defined]

    def ok(widget: QWidget) -> None:
        widget.button(widget.StandardButton.Ok).click()  # type: ignore[attr-defined]

    answers.queue(pick_newest, ok)
    action(old, "restoreBackup").trigger()
    answers.timer.stop()
    new = window_of(desktop)
    assert new is not old
    qtbot.waitUntil(lambda: not shiboken6.isValid(old), timeout=5000)
    assert desktop.controller.receivers("2changed(PyObject)") == receivers
    new.show_view("all")
    assert [s.title for s in desktop.services.journal.find("")] == ["In the backup"]  # type: ignore[union-attr]

    values = {
        "language": "zh_CN",
        "theme": "dark",
        "editor_font_family": "DejaVu Sans Mono",
        "editor_font_size": 15,
        "preview_mode": "toggle",
        "review_weekday": 3,
        "review_time": "08:30",
        "week_start": 7,
        "reminders": False,
        "backup_daily": 3,
        "backup_weekly": 2,
        "backup_monthly": 1,
        "last_view": "plans",
        "window_geometry": "",
        "window_state": "",
        "splitter_sizes": "200,800,300,500",
        "ai_enabled": True,
        "ai_endpoint": "http://127.0.0.1:9/v1",
        "ai_model": "qwen3:8b",
        "ai_timeout": 30,
        "attachment_max_mb": 20,
        "daily_prompt": False,
        "builtin_prompts": False,
    }
    assert set(values) == {f.name for f in dataclasses.fields(Settings)}
    for name, value in values.items():
        desktop.controller.update(**{name: value})  # a handler of the old window would raise
    body = ui(editor_of(new)).body_edit
    assert body.font().pointSize() == 15
    assert sidebar_of(new).title_of("today") == "今天"
    desktop.controller.update(language="en", theme="light")
