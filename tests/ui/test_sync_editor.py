"""The editor and a sync that changes the entry it shows (issue 16): two journals, a real
folder, a real sync. A text the user has not touched shows the new value with the cursor
kept; a text being edited is never overwritten and never overwrites unseen: the incoming text
becomes a conflict copy, the banner says so and the compare dialog settles it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QPlainTextEdit

from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.settings import Settings
from questionbook.sync.service import SyncService
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.sync.compare_dialog import CompareDialog
from questionbook.ui.sync.conflict_banner import ConflictBanner
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import part, settle, ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ops(services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close()


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Services]:
    """The other computer: its own journal file, syncing through the same folder."""
    home = tmp_path / "laptop"
    svc = open_services(AppPaths(data_dir=home, config_dir=home / "config"))
    yield svc
    svc.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync"


def _editor(qtbot, services: Services, ops: Operations, delay: int) -> EntryEditor:
    widget = EntryEditor(
        services.journal,
        ops=ops,
        settings=SettingsController(None, Settings()),
        save_delay_ms=delay,
    )
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _join(services: Services, laptop: Services, folder: Path) -> tuple[SyncService, SyncService]:
    here, there = SyncService(services.db), SyncService(laptop.db)
    here.enable(folder)
    there.enable(folder)
    here.sync()
    return here, there


def test_an_untouched_text_shows_the_synced_value_keeping_the_cursor(
    qtbot, services, ops, laptop, folder
) -> None:
    entry = services.journal.add("Why does it rain?", "line one\nline two")
    here, there = _join(services, laptop, folder)
    editor = _editor(qtbot, services, ops, 50)
    editor.load(entry.id)
    body = ui(editor).body_edit
    cursor = body.textCursor()
    cursor.setPosition(5)
    body.setTextCursor(cursor)

    laptop.journal.update(entry.id, body="line one\nline two\nline three from the laptop")
    there.sync()
    report = here.sync()
    assert report.received
    ops.announce(Changes.everything())
    assert body.toPlainText() == "line one\nline two\nline three from the laptop"
    assert body.textCursor().position() == 5
    settle(qtbot, ops)
    assert here.conflicts() == []  # nothing was typed here: no conflict


def test_an_edited_text_is_kept_and_the_incoming_one_becomes_a_conflict_copy(
    qtbot, services, ops, laptop, folder
) -> None:
    entry = services.journal.add("Why does it rain?", "clouds")
    here, there = _join(services, laptop, folder)
    editor = _editor(qtbot, services, ops, 60_000)  # the typing is not saved before the sync
    banner = ConflictBanner(here, ops)
    editor.add_banner(banner, banner.show_entry)
    editor.load(entry.id)
    assert banner.isHidden()
    body = ui(editor).body_edit
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " and cold air")

    laptop.journal.update(entry.id, title="Why does it rain so much?", body="clouds, wind")
    there.sync()
    here.sync()
    ops.announce(Changes.everything())
    assert body.toPlainText() == "clouds and cold air"  # the typing stays on screen
    assert ui(editor).title_edit.text() == "Why does it rain so much?"  # untouched: follows

    assert editor.flush()
    settle(qtbot, ops)
    stored = services.journal.get(entry.id)
    assert (stored.title, stored.body) == ("Why does it rain so much?", "clouds and cold air")
    (copy,) = here.conflicts(entry.id)
    assert (copy.field, copy.value) == ("body", "clouds, wind")
    qtbot.waitUntil(banner.isVisible)
    assert "two computers" in part(banner, QLabel, "conflictBannerText").text()

    # Both journals end with both texts: the value on one side, the copy on both.
    here.sync()
    there.sync()
    assert laptop.journal.get(entry.id).body == "clouds and cold air"
    assert [c.value for c in there.conflicts(entry.id)] == ["clouds, wind"]

    # Compare: merge by editing the current text, then the copy is settled everywhere.
    dialog = CompareDialog(copy, services.db, ops, editor, tz=services.journal.tz)
    qtbot.addWidget(dialog)
    current = part(dialog, QPlainTextEdit, "currentText")
    other = part(dialog, QPlainTextEdit, "otherText")
    assert (current.toPlainText(), other.toPlainText()) == ("clouds and cold air", "clouds, wind")
    merge = part(dialog, QAbstractButton, "saveMergeButton")
    assert not merge.isEnabled()
    current.setPlainText("clouds, wind and cold air")
    assert merge.isEnabled()
    with qtbot.wait_signal(dialog.accepted):
        merge.click()
    assert services.journal.get(entry.id).body == "clouds, wind and cold air"
    qtbot.waitUntil(banner.isHidden)
    assert body.toPlainText() == "clouds, wind and cold air"  # the editor shows the merge
    here.sync()
    there.sync()
    assert laptop.journal.get(entry.id).body == "clouds, wind and cold air"
    assert there.conflicts() == []


def test_take_the_other_version(qtbot, services, ops, laptop, folder) -> None:
    entry = services.journal.add("Which bike?", "the red one")
    here, there = _join(services, laptop, folder)
    laptop.journal.update(entry.id, body="the blue one")
    services.journal.update(entry.id, body="the green one")
    there.sync()
    here.sync()
    (copy,) = here.conflicts(entry.id)
    dialog = CompareDialog(copy, services.db, ops)
    qtbot.addWidget(dialog)
    assert part(dialog, QLabel, "otherTextOrigin").text().startswith("Written on")
    with qtbot.wait_signal(dialog.accepted):
        part(dialog, QAbstractButton, "takeOtherButton").click()
    assert services.journal.get(entry.id).body == copy.value
    assert here.conflicts() == []
