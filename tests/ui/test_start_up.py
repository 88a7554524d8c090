"""Issue 21: the start-up trace, and a first window that defers what its first paint does not show."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from questionbook import start_trace
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.ui.app import EDITOR_MODULES, DesktopApp
from questionbook.ui.launch import LaunchConfig
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.start_queue import StartQueue
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import action, browse_of, current_page, editor_of, list_of, sidebar_of

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

REPO = Path(__file__).resolve().parents[2]

#: The app's start, as ``python -m questionbook --db DB`` runs it; it quits once the last step
#: queued for after the first paint is done (so the run needs no timeout of its own).
RUN_APP = textwrap.dedent(
    """
    import sys
    from questionbook import start_trace

    def on_milestone(name, _elapsed):
        if name == "deferred: menu actions":
            from PySide6.QtWidgets import QApplication
            QApplication.instance().quit()

    start_trace.listeners.append(on_milestone)
    from questionbook.__main__ import main
    sys.exit(main(["--db", sys.argv[1]]))
    """
)

IN_ORDER = [
    "imports done",
    "settings read",
    "application ready (language, theme)",
    "journal opened",
    "window built",
    "features installed",
    "window shown",
    "first paint",
]
AFTER_PAINT = {
    "event loop running",
    "deferred: counts, clear buttons",
    "deferred: editor",
    "deferred: tray",
    "deferred: sync",
    "deferred: backups",
    "deferred: menu actions",
    *(f"deferred: imported {module}" for module in EDITOR_MODULES),
}


def _run_app(tmp_path: Path, trace: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QUESTIONBOOK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    env.pop(start_trace.ENV, None)
    if trace is not None:
        env[start_trace.ENV] = trace
    return subprocess.run(
        [sys.executable, "-c", RUN_APP, str(tmp_path / "journal.sqlite3")],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _milestones(stderr: str) -> list[tuple[float, str]]:
    found = []
    for line in stderr.splitlines():
        if line.startswith("questionbook start:"):
            ms, name = line.removeprefix("questionbook start:").split(" ms  ", 1)
            found.append((float(ms), name))
    return found


def test_the_trace_prints_the_milestones_of_the_start_in_order(tmp_path: Path) -> None:
    done = _run_app(tmp_path, "1")
    assert done.returncode == 0, done.stderr
    milestones = _milestones(done.stderr)
    names = [name for _ms, name in milestones]
    assert [n for n in names if n in IN_ORDER] == IN_ORDER
    assert set(names) == set(IN_ORDER) | AFTER_PAINT
    painted = names.index("first paint")
    assert set(names[painted + 1 :]) == AFTER_PAINT  # deferred: only after the first paint
    times = [ms for ms, _name in milestones]
    assert times == sorted(times) and times[0] > 0  # milliseconds since the process started


def test_the_zero_can_be_given_as_a_stamp(tmp_path: Path) -> None:
    """The start-up benchmark passes the moment it spawned the process."""
    import time

    done = _run_app(tmp_path, repr(time.time() - 100.0))
    assert done.returncode == 0, done.stderr
    first_ms, first = _milestones(done.stderr)[0]
    assert first == "imports done" and first_ms > 100_000


def test_without_the_variable_nothing_is_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    heard: list[str] = []
    monkeypatch.setattr(start_trace, "listeners", [lambda name, _t: heard.append(name)])
    monkeypatch.setattr(start_trace, "_enabled", False)
    start_trace.mark("journal opened")
    assert capsys.readouterr().err == "" and heard == []
    monkeypatch.setattr(start_trace, "_enabled", True)
    start_trace.mark("journal opened")
    assert "journal opened" in capsys.readouterr().err and heard == ["journal opened"]


def test_queued_steps_run_after_the_first_paint_one_at_a_time(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    queue = StartQueue(window)
    ran: list[str] = []
    queue.add("one", lambda: ran.append("one"))
    queue.add("two", lambda: ran.append("two"))
    QApplication.processEvents()
    assert ran == [] and queue.pending() == 2  # nothing before the window paints
    window.show()
    qtbot.waitUntil(lambda: ran == ["one", "two"], timeout=3000)
    queue.add("three", lambda: ran.append("three"))  # after the paint: at the next turn
    qtbot.waitUntil(lambda: ran == ["one", "two", "three"], timeout=3000)


def test_finish_runs_what_is_left_and_then_steps_run_at_once(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    queue = StartQueue(window)
    ran: list[str] = []
    queue.add("one", lambda: ran.append("one"))
    queue.finish()
    assert ran == ["one"] and queue.pending() == 0
    queue.add("two", lambda: ran.append("two"))
    assert ran == ["one", "two"]
    eager = StartQueue(window, eager=True)
    eager.add("three", lambda: ran.append("three"))
    assert ran[-1] == "three"


@pytest.fixture
def first_window(qtbot, services: Services, app_paths: AppPaths):
    """The app's first window, built as run_app builds it (deferring), not shown yet."""
    controller = SettingsController(app_paths.settings_file)
    config = LaunchConfig(paths=app_paths, db_path=app_paths.database)
    desktop = DesktopApp(QApplication.instance(), config, controller)  # type: ignore[arg-type]
    window = desktop.build_window(services, defer=True)  # deleted below, not by qtbot
    window.focus_capture()  # as run_app does
    yield desktop, window
    _close_for_good(qtbot, window)


def _close_for_good(qtbot, window: MainWindow) -> None:
    """Close and delete the window before its journal closes: the app (and its connections)
    keep it alive otherwise, and its review reminder would ask a closed journal later."""
    window.close()
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=3000)


def _built(window: MainWindow, type_name: str) -> bool:
    return any(type(w).__name__ == type_name for w in window.findChildren(QWidget))


def test_the_first_window_builds_pages_when_shown_and_the_rest_after_its_paint(
    qtbot, first_window
) -> None:
    desktop, window = first_window
    features = desktop.features
    for page in ("ReviewPage", "InsightsPage", "StillMinePage", "CalendarPage", "EntryEditor"):
        assert not _built(window, page), page  # a sidebar row, no page yet
    stand_in = window.findChild(QLabel, "editorPlaceholder")
    assert stand_in is not None and stand_in.text().startswith("Select an entry")
    assert features.actions == {} and features.backups is None
    window.show()
    qtbot.waitUntil(lambda: features.later.pending() == 0, timeout=5000)
    assert _built(window, "EntryEditor") and window.findChild(QWidget, "editorStandIn") is None
    focus = window.focusWidget()  # typing still goes to the capture box
    assert focus is not None and focus.objectName() == "captureLine"
    assert action(window, "export").shortcut().toString() == "Ctrl+E"
    assert features.backups is not None
    assert not _built(window, "InsightsPage")  # still not shown
    assert window.show_view("insights")
    assert _built(window, "InsightsPage")
    assert current_page(window) is features.pages["insights"]
    assert window.findChild(QWidget, "page_insights").isVisible()
    assert features.writing.calendar is window.page("calendar")  # built when asked for
    assert _built(window, "CalendarPage")


def test_the_first_window_counts_and_arms_its_clear_buttons_after_its_paint(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    """The sidebar's counts (a query on a worker thread) and the clear buttons (an icon-theme
    lookup) wait for the first paint; then they come as usual."""
    services.journal.add("Counted after the paint")
    controller = SettingsController(app_paths.settings_file)
    config = LaunchConfig(paths=app_paths, db_path=app_paths.database)
    desktop = DesktopApp(QApplication.instance(), config, controller)  # type: ignore[arg-type]
    window = desktop.build_window(services, defer=True)  # deleted below, not by qtbot
    sidebar = sidebar_of(window)
    pane = list_of(window)
    assert not pane.capture.line.isClearButtonEnabled()
    assert not pane.search.isClearButtonEnabled()
    qtbot.wait(100)
    assert sidebar.count_text("all") == ""  # not asked yet
    window.show()
    qtbot.waitUntil(lambda: desktop.features.later.pending() == 0, timeout=5000)
    qtbot.waitUntil(lambda: sidebar.count_text("all") == "1", timeout=3000)
    assert pane.capture.line.isClearButtonEnabled() and pane.search.isClearButtonEnabled()
    _close_for_good(qtbot, window)


def test_the_first_window_shows_the_last_page_at_once(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    controller = SettingsController(app_paths.settings_file)
    controller.update(last_view="review")
    config = LaunchConfig(paths=app_paths, db_path=app_paths.database)
    desktop = DesktopApp(QApplication.instance(), config, controller)  # type: ignore[arg-type]
    window = desktop.build_window(services, defer=True)  # deleted below, not by qtbot
    assert _built(window, "ReviewPage")  # the last view is painted first, built
    assert current_page(window) is desktop.features.pages["review"]
    assert not _built(window, "InsightsPage")
    _close_for_good(qtbot, window)


def test_the_editor_is_built_at_once_when_needed_before_its_turn(
    qtbot, first_window, services: Services
) -> None:
    desktop, window = first_window
    entry = services.journal.add("Opened before the editor was built")
    assert not _built(window, "EntryEditor")
    window.open_entry(entry.id)  # e.g. a capture handed over before the queue ran
    assert editor_of(window).current_id() == entry.id
    assert window.findChild(QWidget, "editorStandIn") is None
    window.show()
    qtbot.waitUntil(lambda: desktop.features.later.pending() == 0, timeout=5000)
    assert len(window.findChildren(EntryEditor)) == 1  # its turn found it built


def _settled_sizes(qtbot, window: MainWindow) -> list[int]:
    """The list/editor split once the layout requests posted so far are done (two reads in a
    row agree): in a long run, a style or font change from earlier tests may still arrive."""
    last: list[int] = []
    for _ in range(30):
        QApplication.processEvents()
        qtbot.wait(5)
        now = browse_of(window).sizes()
        if now == last:
            break
        last = now
    return last


def test_the_split_is_the_same_with_the_stand_in(
    qtbot, services: Services, app_paths: AppPaths
) -> None:
    """A first run (no saved sizes) splits list and editor as the built editor would.

    The stand-in's size hints are the editor's at the platform's default font, so the test runs
    at that font (an earlier test may have set the app's CJK fallback chain): with another font
    a first run's split may differ by a few pixels until the window is resized."""
    from PySide6.QtGui import QFontDatabase

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved = app.font()
    app.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    try:
        sizes = _splits(qtbot, services)
    finally:
        app.setFont(saved)
    # Within a few pixels: the stand-in's hints are fixed numbers, and in a long run the
    # editor's own hints drift by a few pixels with the state earlier tests leave (seen: 8 px).
    for split in sizes[1:]:
        assert all(abs(a - b) <= 16 for a, b in zip(split, sizes[0], strict=True)), sizes


def _splits(qtbot, services: Services) -> list[list[int]]:
    sizes = []
    for defer in (False, True):
        window = MainWindow(services.journal, defer_editor=defer)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        sizes.append(_settled_sizes(qtbot, window))
        window.build_editor()  # swapped in: the split stays
        sizes.append(_settled_sizes(qtbot, window))
        window.close()
    return sizes
