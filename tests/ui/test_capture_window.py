"""The capture window (issue 19): one entry from anywhere, in the running app or on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from questionbook.__main__ import is_capture_request
from questionbook.core.templates import TemplateService
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.ui.app import DesktopApp, _on_second_launch
from questionbook.ui.capture_app import forward_to_running_app
from questionbook.ui.launch import LaunchConfig
from questionbook.ui.operations import Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.single_instance import SingleInstance
from questionbook.ui.widgets.capture_window import CaptureWindow
from tests.ui.parts import list_of, settle
from tests.ui.test_busy_journal import WriteLock
from tests.ui.writing_helpers import assembled_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
ROOT = Path(__file__).resolve().parents[2]


def _button(window: CaptureWindow, name: str) -> QToolButton:
    found = window.findChild(QToolButton, name)
    assert found is not None, name
    return found


def test_enter_saves_kind_hardness_and_inline_tags_and_the_list_shows_it(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    with assembled_window(qtbot, services, app_paths) as (window, features, _controller):
        assert features.writing is not None
        capture = features.writing.capture.show_capture()
        qtbot.waitExposed(capture)
        assert capture.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        assert capture.focusWidget() is capture.line  # ready to type
        qtbot.mouseClick(_button(capture, "captureKind_plan"), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(_button(capture, "captureHardness3"), Qt.MouseButton.LeftButton)
        assert capture.hardness() == 3
        qtbot.keyClicks(capture.line, "Seed library for the street #community/garden")
        assert "#community/garden" in capture.tags.text()
        with qtbot.waitSignal(capture.entry_captured, timeout=10_000) as saved:
            qtbot.keyClick(capture.line, Qt.Key.Key_Return)
        entry_id = saved.args[0]
        assert not capture.isVisible()  # Enter saves and closes
        entry = services.journal.get(entry_id)
        assert (entry.kind, entry.hardness, entry.tags) == ("plan", 3, ("community/garden",))
        assert list_of(window).row_of(entry_id) >= 0  # listed at once (Today)

        again = features.writing.capture.show_capture()  # fresh: empty, no hardness
        assert again is capture and capture.line.text() == "" and capture.hardness() is None
        assert capture.kind().value == "plan"  # the kind stays as chosen


def test_esc_cancels_without_saving(qtbot, services: Services, app_paths: AppPaths) -> None:
    with assembled_window(qtbot, services, app_paths) as (_window, features, _controller):
        assert features.writing is not None
        capture = features.writing.capture.show_capture()
        qtbot.waitExposed(capture)
        qtbot.keyClicks(capture.line, "Never mind")
        qtbot.keyClick(capture.line, Qt.Key.Key_Escape)
        assert not capture.isVisible()
        settle(qtbot, capture._ops)
        assert services.journal.count() == 0


def test_a_template_fills_the_body_and_follows_the_kind(qtbot, services: Services) -> None:
    journal = services.journal
    templates = TemplateService(journal.db, clock=journal.clock)
    ops = Operations(journal.db.path)
    capture = CaptureWindow(journal, ops, templates)
    qtbot.addWidget(capture)
    capture.open_fresh()
    qtbot.waitExposed(capture)
    names = [capture.template.itemText(i) for i in range(capture.template.count())]
    assert names[0] == "None" and "A good question (default)" in names
    assert capture.body.isHidden()
    assert capture.choose_template("builtin:question")
    assert not capture.body.isHidden()
    assert capture.body.toPlainText().startswith("**What would count as an answer?**")
    qtbot.mouseClick(_button(capture, "captureKind_note"), Qt.MouseButton.LeftButton)
    assert capture.body.isHidden() and capture.body.toPlainText() == ""  # untouched: gone
    notes = [capture.template.itemText(i) for i in range(capture.template.count())]
    assert "Daily note (default)" in notes and "A good question" not in " ".join(notes)
    assert capture.choose_template("builtin:note-day")
    capture.body.appendPlainText("The tide jumped today.")
    qtbot.keyClicks(capture.line, "Tuesday")
    with qtbot.waitSignal(capture.entry_captured, timeout=10_000) as saved:
        qtbot.keyClick(capture.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    entry = journal.get(saved.args[0])
    assert entry.kind == "note" and entry.title == "Tuesday"
    assert "What did I notice today?" in entry.body and "The tide jumped today." in entry.body
    ops.close()


def test_a_busy_journal_keeps_the_window_open_until_the_entry_is_stored(
    qtbot, services: Services
) -> None:
    journal = services.journal
    ops = Operations(journal.db.path)
    capture = CaptureWindow(journal, ops)
    qtbot.addWidget(capture)
    capture.open_fresh()
    qtbot.waitExposed(capture)
    lock = WriteLock(journal.db.path)
    try:
        qtbot.keyClicks(capture.line, "Written while an import runs")
        qtbot.keyClick(capture.line, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "busy" in capture.hint.text(), timeout=5000)
        assert capture.isVisible() and capture.is_saving()
        capture.close()  # not while the text is on its way
        assert capture.isVisible()
    finally:
        lock.release()
    qtbot.waitUntil(lambda: not capture.isVisible(), timeout=20_000)
    assert [e.title for e in journal.find("")] == ["Written while an import runs"]
    ops.close()


def test_capture_requests_are_recognised() -> None:
    assert is_capture_request(["capture"])
    assert is_capture_request(["--lang", "zh_CN", "capture"])
    assert is_capture_request(["--db", "capture", "capture"])
    assert not is_capture_request(["--db", "capture"])  # a journal file called "capture"
    assert not is_capture_request(["gui"]) and not is_capture_request([])


def test_a_second_launch_asking_for_capture_shows_the_running_apps_window(
    qtbot, qapp, services: Services, app_paths: AppPaths
) -> None:
    """``questionbook capture`` while the app runs: a real second process hands the request
    over the single-instance socket and the running app shows its capture window."""
    controller = SettingsController(app_paths.settings_file)
    config = LaunchConfig(paths=app_paths, db_path=services.db.path)
    desktop = DesktopApp(qapp, config, controller)
    desktop.services = services
    window = desktop.build_window(services)
    qtbot.addWidget(window)
    window.show()
    single = SingleInstance(services.db.path)
    assert single.try_primary()
    single.message_received.connect(lambda args: _on_second_launch(desktop, args))
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QUESTIONBOOK_HOME": str(app_paths.data_dir),
    }
    try:
        with qtbot.waitSignal(single.message_received, timeout=30_000) as received:
            launch = subprocess.Popen(
                [sys.executable, "-m", "questionbook", "--db", str(services.db.path), "capture"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        assert launch.wait(timeout=60) == 0, launch.stderr.read() if launch.stderr else ""
        assert received.args == [["capture"]]
        assert desktop.features is not None and desktop.features.writing is not None
        capture = desktop.features.writing.capture.capture_window()
        assert capture is not None and capture.isVisible()
        capture.line.setText("Handed over from a shortcut")
        with qtbot.waitSignal(capture.entry_captured, timeout=10_000) as saved:
            capture.save()
        assert list_of(window).row_of(saved.args[0]) >= 0
    finally:
        single.release()
        window.close()


#: Runs ``questionbook-gui capture`` in its own process with no app running; once the window
#: shows, it types a line and saves (Enter's path), as a user would.
STANDALONE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from questionbook.ui.widgets.capture_window import CaptureWindow

    TEXT, DB = sys.argv[1:3]
    shown = CaptureWindow.open_fresh

    def open_fresh(self):
        shown(self)
        def type_and_save():
            self.line.setText(TEXT)
            self.save()
        QTimer.singleShot(0, type_and_save)

    CaptureWindow.open_fresh = open_fresh
    from questionbook.__main__ import gui_main
    sys.argv = ["questionbook-gui", "--db", DB, "capture"]
    sys.exit(gui_main())
""")


def test_capture_on_its_own_writes_the_entry_and_exits(tmp_path: Path, app_paths: AppPaths) -> None:
    db = tmp_path / "journal.sqlite3"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QUESTIONBOOK_HOME": str(app_paths.data_dir),
    }
    proc = subprocess.run(
        [sys.executable, "-c", STANDALONE, "Why do tides jump? #ocean", str(db)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    services = open_services(app_paths, db)
    try:
        [entry] = services.journal.find("")
        assert entry.title == "Why do tides jump? #ocean" and entry.tags == ("ocean",)
    finally:
        services.close()
    assert not forward_to_running_app(db)  # nothing holds the journal now
