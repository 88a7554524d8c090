"""Another program holds the journal's write lock: the window stays responsive, nothing is lost.

The other program is a second ``sqlite3`` connection holding ``BEGIN IMMEDIATE`` (what a long
``questionbook import`` does); what was stored is read back through a separate connection.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services
from questionbook.storage.connection import BUSY_TIMEOUT_MS, write_lock_taken
from questionbook.ui.main_window import MainWindow
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.autosave import SaveState
from tests.ui.parts import (
    action,
    close_for_teardown,
    editor_of,
    journal_changed,
    list_of,
    status_of,
    ui,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


class WriteLock:
    """Another program's write transaction on the journal, held until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, timeout=5)
        self._conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute("ROLLBACK")
            self._conn.close()
            self._conn = None


@pytest.fixture
def lock(services: Services) -> Iterator[WriteLock]:
    held = WriteLock(services.db.path)
    yield held
    held.release()


#: A frozen window would stall for SQLite's busy timeout (10 s); a busy test machine stalls
#: for well under a second. The longest stall allowed sits far from both.
MAX_STALL_S = BUSY_TIMEOUT_MS / 1000 / 3


class Ticker:
    """A 20 ms timer: it only fires while the event loop runs, i.e. while the UI responds.

    It remembers the longest gap between two ticks: code that blocks the UI thread (a write
    waiting for the busy journal) shows up as a gap as long as the block."""

    def __init__(self) -> None:
        self.ticks = 0
        self.longest_gap = 0.0
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.timeout.connect(self._on_timeout)
        self._timer.start(20)

    def _on_timeout(self) -> None:
        now = time.monotonic()
        self.longest_gap = max(self.longest_gap, now - self._last)
        self._last = now
        self.ticks += 1

    def run_for(self, qtbot, ticks: int) -> None:
        """Let the event loop run until the timer fired *ticks* more times."""
        target = self.ticks + ticks
        qtbot.waitUntil(lambda: self.ticks >= target, timeout=20_000)

    def assert_never_froze(self) -> None:
        assert self.longest_gap < MAX_STALL_S, f"the UI thread stalled {self.longest_gap:.1f} s"


def stored(app_paths: AppPaths, entry_id: str) -> sqlite3.Row:
    """The entry's row as another program reads it: a separate, read-only connection (opening
    the services would refresh statistics, which waits for the lock)."""
    with closing(read_only(app_paths)) as conn:
        return conn.execute("SELECT * FROM entry WHERE id = ?", (entry_id,)).fetchone()


def stored_titles(app_paths: AppPaths) -> list[str]:
    with closing(read_only(app_paths)) as conn:
        return [r["title"] for r in conn.execute("SELECT title FROM entry ORDER BY num")]


def read_only(app_paths: AppPaths) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{app_paths.database.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture
def window(qtbot, services: Services, app_paths: AppPaths) -> Iterator[MainWindow]:
    win = MainWindow(
        services.journal, settings=SettingsController(app_paths.settings_file), poll_ms=50
    )
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.quit_wait_ms = 10_000
    close_for_teardown(win)


def type_at_end(qtbot, widget, text: str) -> None:
    widget.moveCursor(widget.textCursor().MoveOperation.End)
    qtbot.keyClicks(widget, text)


def test_the_lock_probe_sees_another_programs_write(services: Services) -> None:
    assert not write_lock_taken(services.db.path)
    held = WriteLock(services.db.path)
    try:
        assert write_lock_taken(services.db.path)
    finally:
        held.release()
    assert not write_lock_taken(services.db.path)


def test_autosave_on_a_busy_journal_keeps_the_window_responsive(
    qtbot, editor, journal, services, app_paths
) -> None:
    entry = journal.add("Busy elsewhere", "before")
    editor.load(entry.id)
    ticker = Ticker()
    lock = WriteLock(services.db.path)
    try:
        type_at_end(qtbot, ui(editor).body_edit, " typed while busy")
        assert editor.flush() is False  # not stored yet: it learned the journal is busy
        assert editor.save_state() is SaveState.WAITING
        assert ui(editor).indicator.text() == "Journal busy — will save when it is free"
        ticker.run_for(qtbot, 25)  # the event loop keeps running
        type_at_end(qtbot, ui(editor).body_edit, ", and more")  # typing goes on meanwhile
        qtbot.waitUntil(lambda: editor.save_state() is SaveState.WAITING)  # the autosave, too
        ticker.run_for(qtbot, 25)
        ticker.assert_never_froze()
        assert stored(app_paths, entry.id)["body"] == "before"
        assert ui(editor).body_edit.toPlainText() == "before typed while busy, and more"
    finally:
        lock.release()
    qtbot.waitUntil(lambda: ui(editor).indicator.text() == "Saved", timeout=15_000)
    assert stored(app_paths, entry.id)["body"] == "before typed while busy, and more"


def test_switching_entries_while_a_save_waits_keeps_the_text(
    qtbot, editor, journal, services, app_paths
) -> None:
    first = journal.add("First", "one")
    second = journal.add("Second", "two")
    editor.load(first.id)
    lock = WriteLock(services.db.path)
    try:
        type_at_end(qtbot, ui(editor).body_edit, " edited")
        assert editor.load(second.id)  # the draft keeps the text; the user moves on
        assert editor.current_id() == second.id
        assert ui(editor).body_edit.toPlainText() == "two"
        assert ui(editor).indicator.text() == "Saved"
        assert editor.load(first.id)  # coming back shows the text not stored yet
        assert ui(editor).body_edit.toPlainText() == "one edited"
        assert editor.save_state() is SaveState.WAITING
        type_at_end(qtbot, ui(editor).body_edit, " twice")
        assert editor.load(second.id)
        assert stored(app_paths, first.id)["body"] == "one"
    finally:
        lock.release()
    qtbot.waitUntil(lambda: not editor.unsaved_drafts(), timeout=15_000)
    assert stored(app_paths, first.id)["body"] == "one edited twice"
    assert stored(app_paths, second.id)["body"] == "two"
    assert editor.load(first.id)
    assert ui(editor).body_edit.toPlainText() == "one edited twice"
    assert ui(editor).indicator.text() == "Saved"


def test_a_kind_change_while_busy_gets_the_new_kinds_status(
    qtbot, editor, journal, services, app_paths
) -> None:
    entry = journal.add("Becomes a plan")
    editor.load(entry.id)
    lock = WriteLock(services.db.path)
    try:
        ui(editor).kind_switch.buttons["plan"].click()
        type_at_end(qtbot, ui(editor).body_edit, "steps")
        assert editor.flush() is False
    finally:
        lock.release()
    qtbot.waitUntil(lambda: ui(editor).indicator.text() == "Saved", timeout=15_000)
    saved = stored(app_paths, entry.id)
    assert (saved["kind"], saved["status"], saved["body"]) == ("plan", "idea", "steps")
    assert ui(editor).status_box.status() == "idea"


def test_capture_on_a_busy_journal_clears_the_box_and_saves_later(
    qtbot, window, services, app_paths
) -> None:
    ticker = Ticker()
    line = list_of(window).capture.line
    lock = WriteLock(services.db.path)
    try:
        qtbot.keyClicks(line, "Why do elevators have mirrors?")
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert line.text() == ""  # ready for the next one; the line waits in the queue
        qtbot.waitUntil(status_of(window).busy_shown, timeout=2000)
        assert "busy in another program" in status_of(window).busy_label.text()
        qtbot.keyClicks(line, "And escalators?")
        qtbot.keyClick(line, Qt.Key.Key_Return)  # queued behind the first: no wait either
        assert line.text() == ""
        ticker.run_for(qtbot, 15)
        ticker.assert_never_froze()
        assert stored_titles(app_paths) == []
        assert len(list_of(window).capture.pending()) == 2
    finally:
        lock.release()
    qtbot.waitUntil(lambda: not list_of(window).capture.pending(), timeout=15_000)
    assert sorted(stored_titles(app_paths)) == ["And escalators?", "Why do elevators have mirrors?"]
    qtbot.waitUntil(lambda: not status_of(window).busy_shown(), timeout=2000)
    qtbot.waitUntil(lambda: list_of(window).model.rowCount() == 2, timeout=3000)


def _open_entry(qtbot, window: MainWindow, journal: Journal, body: str) -> str:
    entry = journal.add("Written before quitting", body)
    journal_changed(window)
    assert list_of(window).select_id(entry.id)
    assert editor_of(window).current_id() == entry.id
    return entry.id


def test_quitting_while_busy_waits_visibly_and_saves(
    qtbot, window, journal, services, app_paths
) -> None:
    entry_id = _open_entry(qtbot, window, journal, "draft")
    lock = WriteLock(services.db.path)
    seen: list[str] = []

    def release_once_the_dialog_shows() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible():
            seen.append(dialog.objectName())
            lock.release()

    poll = QTimer()
    poll.timeout.connect(release_once_the_dialog_shows)
    try:
        type_at_end(qtbot, ui(editor_of(window)).body_edit, " - the last words")
        poll.start(20)
        assert window.close() is True
    finally:
        poll.stop()
        lock.release()
    assert seen[:1] == ["savingDialog"]
    assert not window.isVisible()
    assert stored(app_paths, entry_id)["body"] == "draft - the last words"


def _answer(button_text: str, answers: list[str], seen: list[str] | None = None) -> QTimer:
    """Click *button_text* in the "not saved yet" question as soon as it shows; the names of
    the modal dialogs that show go into *seen*."""
    timer = QTimer()

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if seen is not None and box is not None and box.objectName() not in seen:
            seen.append(box.objectName())
        if isinstance(box, QMessageBox) and box.objectName() == "unsavedQuestion":
            answers.append(box.text() + "\n" + box.informativeText())
            next(b for b in box.buttons() if b.text() == button_text).click()

    timer.timeout.connect(poll)
    timer.start(50)
    return timer


def test_quitting_while_still_busy_keeps_the_window_or_a_copy(
    qtbot, window, journal, services, app_paths
) -> None:
    entry_id = _open_entry(qtbot, window, journal, "draft")
    window.quit_wait_ms = 600
    lock = WriteLock(services.db.path)
    answers: list[str] = []
    try:
        type_at_end(qtbot, ui(editor_of(window)).body_edit, " - keep me")
        timer = _answer("Keep Window Open", answers)
        assert window.close() is False
        timer.stop()
        assert window.isVisible()
        assert "not saved in the journal yet" in answers[0]
        assert "busy" in answers[0]
        assert ui(editor_of(window)).body_edit.toPlainText() == "draft - keep me"

        timer = _answer("Quit and Keep a Copy", answers)
        assert window.close() is True
        timer.stop()
        [copy] = (services.db.path.parent / "unsaved").glob("unsaved-*.md")
        assert copy.read_text(encoding="utf-8") == "# Written before quitting\n\ndraft - keep me\n"
        if os.name == "posix":
            assert copy.stat().st_mode & 0o777 == 0o600
        assert stored(app_paths, entry_id)["body"] == "draft"
    finally:
        lock.release()


def test_quitting_after_a_failed_save_asks_at_once(qtbot, window, journal, services) -> None:
    from tests.ui.test_editor_failures import disk_full

    entry_id = _open_entry(qtbot, window, journal, "draft")
    window.quit_wait_ms = 60_000  # waiting would not help a full disk: it must not wait
    answers: list[str] = []
    seen: list[str] = []
    with disk_full(services.db):
        body = ui(editor_of(window)).body_edit
        body.moveCursor(body.textCursor().MoveOperation.End)
        body.insertPlainText("\n" + "\n".join(f"line {i}: the disk fills up" for i in range(3000)))
        timer = _answer("Keep Window Open", answers, seen)
        closed = window.close()
        timer.stop()
        assert closed is False
        # Asked without the minute's wait: at most the "Saving…" note flashes while the failing
        # write is still on its way back (a loaded machine), then the question.
        assert seen[-1:] == ["unsavedQuestion"] and len(seen) <= 2, seen
        assert "full" in answers[0]
        assert editor_of(window).current_id() == entry_id
    assert editor_of(window).flush()  # room again: the text goes in


def test_quick_actions_on_a_busy_journal_say_so_at_once(
    qtbot, window, journal: Journal, services: Services, app_paths: AppPaths
) -> None:
    """Delete, star, rate and the waterline are operations on the worker thread: with another
    program holding the journal they refuse at once (no queue behind the other program, no
    frozen window) and change nothing."""
    entry = journal.add("Will this survive a busy journal?")
    journal_changed(window)
    list_of(window).select_id(entry.id)
    qtbot.waitUntil(lambda: editor_of(window).current_id() == entry.id)
    list_of(window).setFocus()
    ticker = Ticker()
    held = WriteLock(services.db.path)
    failures: list[str] = []
    window.operations.failed.connect(failures.append)
    try:
        window.delete_entry(entry.id)
        window.set_waterline(3)
        action(window, "hardness2").trigger()
        qtbot.waitUntil(lambda: len(failures) == 3, timeout=5000)
        assert all("busy" in f for f in failures), failures
        assert "busy" in status_of(window).currentMessage()
        ticker.assert_never_froze()
        row = stored(app_paths, entry.id)
        assert row["deleted_at"] is None and row["hardness"] is None
    finally:
        held.release()
    assert journal.waterline() == 1
    window.delete_entry(entry.id)  # free again: it works
    qtbot.waitUntil(lambda: stored(app_paths, entry.id)["deleted_at"] is not None, timeout=5000)
