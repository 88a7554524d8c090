"""`questionbook` with no command (or `gui`) opens the window; `--demo` a throw-away journal."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from questionbook.cli.main import Context, build_parser, run
from questionbook.i18n import current_language, set_language
from questionbook.paths import AppPaths
from questionbook.ui.main_window import MainWindow
from tests.ui.parts import list_of, sidebar_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_gui_command_and_demo_flag_parse() -> None:
    parser = build_parser()
    args = parser.parse_args(["--demo", "gui"])
    assert args.demo is True and args.func.__name__ == "_open_app"
    assert parser.parse_args(["gui", "--demo"]).demo is True
    assert parser.parse_args([]).demo is False


def test_demo_context_is_filled_and_thrown_away(app_paths: AppPaths) -> None:
    ctx = Context(build_parser().parse_args(["--demo", "list"]))
    services = ctx.services
    folder = services.paths.data_dir
    assert folder != app_paths.data_dir  # never the user's journal
    assert 35 <= services.journal.count() <= 45
    ctx.close()
    assert not folder.exists()
    assert not app_paths.database.exists()


def test_no_command_opens_the_window_on_the_demo(qapp: QApplication, app_paths: AppPaths) -> None:
    seen: dict[str, object] = {}

    def look_and_close() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        if (
            not windows
            or not windows[0].isVisible()
            or not sidebar_of(windows[0]).count_text("all")
        ):
            QTimer.singleShot(50, look_and_close)
            return
        window = windows[0]
        seen["entries"] = sidebar_of(window).count_text("all")
        seen["focus"] = window.focusWidget() is list_of(window).capture.line
        seen["title"] = window.windowTitle()
        window.close()

    saved = (
        current_language(),
        qapp.palette(),
        qapp.styleSheet(),
        qapp.font(),
        qapp.style().name(),
    )
    QTimer.singleShot(0, look_and_close)
    try:
        status = run(["--demo", "--lang", "en"])
    finally:
        set_language(saved[0])
        qapp.setStyle(saved[4])
        qapp.setPalette(saved[1])
        qapp.setStyleSheet(saved[2])
        qapp.setFont(saved[3])
    assert status == 0
    assert 35 <= int(seen["entries"]) <= 45  # type: ignore[call-overload]
    assert seen["focus"] is True
    # The platform adds the application name; the title does not repeat it (issue 12, #17).
    assert str(seen["title"]) == "Demo journal (not saved)"
