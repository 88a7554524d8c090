"""The editor never loses typed text: failed saves, refused switches, huge bodies."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from questionbook.core.entry_sql import MAX_BODY_CHARS
from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.storage.connection import connect
from questionbook.storage.database import Database
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import ui

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing",
)


@contextmanager
def disk_full(db: Database) -> Iterator[None]:
    """Make the journal unable to grow, as on a full disk: SQLite's ``max_page_count``."""

    def limited(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        size = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {size}")
        return conn

    db.use_opener(limited)
    try:
        yield
    finally:
        db.use_opener(connect)


def stored_body(app_paths: AppPaths, entry_id: str) -> str:
    other = open_services(app_paths)
    try:
        return other.journal.get(entry_id).body
    finally:
        other.close()


def test_a_failed_save_keeps_the_text_and_retries_after_the_fix(
    qtbot, editor, journal, services, app_paths
) -> None:
    entry = journal.add("Disk full", "before")
    other = journal.add("Another entry")
    editor.load(entry.id)
    typed = "\n".join(f"line {i}: nothing typed may ever be lost" for i in range(3000))
    failures: list[str] = []
    editor.save_failed.connect(failures.append)
    with disk_full(services.db):
        ui(editor).body_edit.moveCursor(ui(editor).body_edit.textCursor().MoveOperation.End)
        ui(editor).body_edit.insertPlainText("\n" + typed)
        assert editor.flush() is False
        assert failures and "full" in failures[-1]
        assert ui(editor).indicator.text().startswith("Not saved:")
        assert ui(editor).body_edit.toPlainText() == "before\n" + typed
        # Switching away would lose the text: the editor stays on the entry instead.
        assert editor.load(other.id) is False
        assert editor.current_id() == entry.id
        assert ui(editor).body_edit.toPlainText() == "before\n" + typed
        assert stored_body(app_paths, entry.id) == "before"
        assert editor.set_hardness(2) is False  # nothing else gets written meanwhile
    assert editor.flush() is True
    assert ui(editor).indicator.text() == "Saved"
    assert stored_body(app_paths, entry.id) == "before\n" + typed
    assert editor.load(other.id)


def test_a_failed_autosave_retries_on_the_next_edit(qtbot, journal, services, app_paths) -> None:
    editor = EntryEditor(journal, save_delay_ms=50)  # quick; the logic is the same
    qtbot.addWidget(editor)
    editor.show()
    entry = journal.add("Retry", "")
    editor.load(entry.id)
    with disk_full(services.db), qtbot.waitSignal(editor.save_failed, timeout=3000):
        ui(editor).body_edit.insertPlainText("x" * 50_000)
    with qtbot.waitSignal(editor.entry_saved, timeout=3000):
        qtbot.keyClicks(ui(editor).body_edit, "!")
    assert stored_body(app_paths, entry.id) == "x" * 50_000 + "!"


def test_a_body_over_the_limit_is_refused_with_a_clear_message(editor, journal, app_paths) -> None:
    entry = journal.add("Too long", "short")
    editor.load(entry.id)
    ui(editor).body_edit.setPlainText(("y" * 99 + "\n") * (MAX_BODY_CHARS // 100) + "y")
    assert editor.flush() is False
    assert "too long" in ui(editor).indicator.text()
    assert len(ui(editor).body_edit.toPlainText()) == MAX_BODY_CHARS + 1
    assert stored_body(app_paths, entry.id) == "short"


def test_a_ten_megabyte_body_loads_saves_and_skips_the_live_preview(
    qtbot, editor, journal, app_paths
) -> None:
    line = "A very long journal entry line, written again and again. 长的日记。\n"
    body = line * ((MAX_BODY_CHARS - 100) // len(line))
    entry = journal.add("Huge", body)
    started = time.monotonic()
    assert editor.load(entry.id)
    assert time.monotonic() - started < 20
    qtbot.waitUntil(lambda: "live preview is off" in ui(editor).preview.toPlainText(), timeout=5000)
    ui(editor).body_edit.moveCursor(ui(editor).body_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(ui(editor).body_edit, "end")
    assert editor.flush()
    assert stored_body(app_paths, entry.id) == body + "end"


def test_a_long_unbroken_line_does_not_hang_the_editor(qtbot, editor, journal, app_paths) -> None:
    blob = "QUJD" * 250_000  # a megabyte of base64 on one line: quadratic to word-wrap
    entry = journal.add("Pasted blob", blob)
    started = time.monotonic()
    assert editor.load(entry.id)
    qtbot.wait(50)
    assert time.monotonic() - started < 10
    ui(editor).body_edit.moveCursor(ui(editor).body_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(ui(editor).body_edit, " ok")
    assert editor.flush()
    assert stored_body(app_paths, entry.id) == blob + " ok"


def test_text_typed_into_an_entry_purged_elsewhere_is_kept(
    qtbot, editor, journal, app_paths
) -> None:
    entry = journal.add("Purged meanwhile", "old", tags=["keep"])
    editor.load(entry.id)
    qtbot.keyClicks(ui(editor).body_edit, "new words ")
    other = open_services(app_paths)
    try:
        other.journal.purge(entry.id)  # e.g. emptied from the Trash in another window
    finally:
        other.close()
    assert editor.flush()
    again = journal.get(entry.id)
    assert again.body == "new words old"
    assert again.title == "Purged meanwhile" and again.tags == ("keep",)
