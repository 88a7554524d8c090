"""The editor pane on a real journal: autosave, fields, hardness, tags, follow-ups."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel

from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.settings import Settings
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.autosave import SaveState
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import part, ui

# The offscreen platform cannot do these window-manager things; they are not our warnings.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing",
)


def commit_text(widget, text: str) -> None:
    """Type *text* as an input method (e.g. a Chinese IME) delivers it: one commit."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def stored(app_paths: AppPaths, entry_id: str):
    """The entry as another process would read it: through a second, fresh connection."""
    other = open_services(app_paths)
    try:
        return other.journal.get(entry_id)
    finally:
        other.close()


def test_typing_in_the_body_autosaves_after_a_pause(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Why does grokking happen suddenly?", "First thoughts.")
    editor.load(entry.id)
    ui(editor).body_edit.moveCursor(ui(editor).body_edit.textCursor().MoveOperation.End)
    with qtbot.waitSignal(editor.entry_saved, timeout=4000) as blocker:
        qtbot.keyClicks(ui(editor).body_edit, " Weight decay? ")
        commit_text(ui(editor).body_edit, "权重衰减")
        assert ui(editor).indicator.text() == "Saving…"
    assert blocker.args == [entry.id]
    assert stored(app_paths, entry.id).body == "First thoughts. Weight decay? 权重衰减"
    assert ui(editor).indicator.text() == "Saved"


def test_title_edits_are_saved_and_an_empty_title_keeps_the_old_one(
    qtbot, editor, journal, app_paths
) -> None:
    entry = journal.add("Old title")
    editor.load(entry.id)
    ui(editor).title_edit.clear()
    qtbot.keyClicks(ui(editor).title_edit, "A sharper title")
    assert editor.flush()
    assert stored(app_paths, entry.id).title == "A sharper title"
    ui(editor).title_edit.clear()
    qtbot.keyClicks(ui(editor).title_edit, "   ")
    assert editor.flush()
    assert stored(app_paths, entry.id).title == "A sharper title"


def test_switching_entry_flushes_pending_edits(qtbot, journal, app_paths) -> None:
    editor = EntryEditor(journal, save_delay_ms=50, max_wait_ms=50)
    qtbot.addWidget(editor)
    editor.show()
    first = journal.add("First", "one")
    second = journal.add("Second", "two")
    editor.load(first.id)
    qtbot.keyClicks(ui(editor).body_edit, "typed ")
    assert editor.save_state() is not SaveState.SAVED
    assert editor.load(second.id)  # long before the autosave timer fires
    assert stored(app_paths, first.id).body == "typed one"
    assert editor.current_id() == second.id
    assert ui(editor).body_edit.toPlainText() == "two"
    qtbot.wait(100)  # twice the autosave delay: the old timer must not write into the second
    assert stored(app_paths, second.id).body == "two"
    assert stored(app_paths, second.id).updated_at == second.updated_at


def test_load_none_shows_the_placeholder(editor, journal) -> None:
    entry = journal.add("Something")
    editor.load(entry.id)
    assert editor.load(None)
    assert editor.current_id() is None
    assert ui(editor).placeholder.isVisibleTo(editor)
    assert editor.flush()


def test_undo_works_in_the_body_across_an_autosave(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Undo me", "original")
    editor.load(entry.id)
    ui(editor).body_edit.moveCursor(ui(editor).body_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(ui(editor).body_edit, " extra")
    assert editor.flush()
    assert stored(app_paths, entry.id).body == "original extra"
    qtbot.keySequence(ui(editor).body_edit, QKeySequence.StandardKey.Undo)
    assert ui(editor).body_edit.toPlainText() == "original"
    assert editor.flush()
    assert stored(app_paths, entry.id).body == "original"


def test_loading_an_entry_starts_a_fresh_undo_history(editor, journal) -> None:
    first = journal.add("First", "one")
    second = journal.add("Second", "two")
    editor.load(first.id)
    editor.load(second.id)
    assert not ui(editor).body_edit.document().isUndoAvailable()


def test_status_and_outcome_are_saved(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("What is the waterline?")
    editor.load(entry.id)
    assert not ui(editor).outcome.isVisibleTo(editor)
    assert [ui(editor).status_box.itemData(i) for i in range(ui(editor).status_box.count())] == [
        "open",
        "exploring",
        "answered",
        "retired",
    ]
    ui(editor).status_box.set_status("answered")
    assert ui(editor).outcome.isVisibleTo(editor)
    assert ui(editor).outcome.label.text() == "Answer"
    qtbot.keyClicks(ui(editor).outcome.edit, "Your own estimate of AI ability.")
    assert editor.flush()
    saved = stored(app_paths, entry.id)
    assert saved.status == "answered"
    assert saved.outcome == "Your own estimate of AI ability."
    assert [e.status for e in journal.status_history(entry.id)] == ["open", "answered"]
    ui(editor).status_box.set_status("exploring")
    assert not ui(editor).outcome.isVisibleTo(editor)
    assert stored(app_paths, entry.id).status == "exploring"


def test_changing_kind_offers_that_kinds_statuses(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Build an elevator")
    editor.load(entry.id)
    assert ui(editor).follow_up_button.text() == "Sharpen this question"
    qtbot.mouseClick(ui(editor).kind_switch.buttons["plan"], Qt.MouseButton.LeftButton)
    saved = stored(app_paths, entry.id)
    assert (saved.kind, saved.status) == ("plan", "idea")
    assert ui(editor).status_box.itemData(0) == "idea"
    assert ui(editor).follow_up_button.text() == "Follow up"
    qtbot.mouseClick(ui(editor).kind_switch.buttons["note"], Qt.MouseButton.LeftButton)
    saved = stored(app_paths, entry.id)
    assert (saved.kind, saved.status) == ("note", None)
    assert not ui(editor).status_box.isVisibleTo(editor)


def test_star_toggle_is_saved(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Star me")
    editor.load(entry.id)
    qtbot.mouseClick(ui(editor).star_button, Qt.MouseButton.LeftButton)
    assert stored(app_paths, entry.id).starred is True
    qtbot.mouseClick(ui(editor).star_button, Qt.MouseButton.LeftButton)
    assert stored(app_paths, entry.id).starred is False


def test_creation_time_can_be_backdated_in_local_time(editor, journal, app_paths) -> None:
    entry = journal.add("Backdate me")
    editor.load(entry.id)
    local = QDateTime.fromString("2024-03-05 07:30", "yyyy-MM-dd HH:mm")
    ui(editor).date_edit.setDateTime(local)
    assert editor.flush()
    expected = datetime.fromtimestamp(local.toSecsSinceEpoch(), UTC)
    assert stored(app_paths, entry.id).created_at == expected


def test_hardness_picker_sets_the_level_and_records_history(
    qtbot, editor, journal, app_paths
) -> None:
    entry = journal.add("How do I rate this?")
    editor.load(entry.id)
    editor.open_hardness_picker()
    assert ui(editor).hardness_picker.isVisible()
    with qtbot.waitSignal(editor.entry_saved, timeout=2000):
        ui(editor).hardness_picker.rows[3].click()
    assert not ui(editor).hardness_picker.isVisible()
    assert stored(app_paths, entry.id).hardness == 3
    assert ui(editor).hardness_button.text().startswith("Highlands")
    history = journal.hardness_history(entry.id)
    assert [(h.level, h.source) for h in history] == [(3, "user")]
    with qtbot.waitSignal(editor.entry_saved, timeout=2000):
        assert editor.set_hardness(0)  # Ctrl+1 in the main window
    assert [(h.level, h.source) for h in journal.hardness_history(entry.id)][-1] == (0, "user")
    editor.open_hardness_picker()
    with qtbot.waitSignal(editor.entry_saved, timeout=2000):
        ui(editor).hardness_picker.rows[None].click()
    assert stored(app_paths, entry.id).hardness is None


def test_hardness_picker_lists_all_five_levels_with_meanings(editor, journal) -> None:
    rows = ui(editor).hardness_picker.rows
    names = [rows[level].name.text() for level in range(5)]
    for level, name in enumerate(["Underwater", "Shallows", "Shoreline", "Highlands", "Summit"]):
        assert name in names[level]
    assert "genie" in rows[4].meaning.text()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ((True, False, False), 0),
        ((True, False, True), 0),
        ((True, True, False), 1),
        ((True, True, True), 1),
        ((False, False, False), 2),
        ((False, False, True), 2),
        ((False, True, True), 3),
        ((False, True, False), 4),
    ],
)
def test_rubric_proposes_the_level_and_records_source_rubric(
    qtbot, editor, journal, app_paths, answers, expected
) -> None:
    entry = journal.add("Rate me with the rubric")
    editor.load(entry.id)
    editor.open_hardness_picker()
    picker = ui(editor).hardness_picker
    assert not picker.use_button.isEnabled()
    for (yes, no), answer in zip(picker.answer_buttons, answers, strict=True):
        qtbot.mouseClick(yes if answer else no, Qt.MouseButton.LeftButton)
    assert picker.proposal() == expected
    names = ["Underwater", "Shallows", "Shoreline", "Highlands", "Summit"]
    assert names[expected] in picker.proposal_label.text()
    qtbot.mouseClick(picker.use_button, Qt.MouseButton.LeftButton)
    assert stored(app_paths, entry.id).hardness == expected
    assert [(h.level, h.source) for h in journal.hardness_history(entry.id)] == [
        (expected, "rubric")
    ]


def test_rubric_waits_for_the_third_answer_only_when_it_matters(editor) -> None:
    picker = ui(editor).hardness_picker
    picker.set_answers(False, True, None)
    assert picker.proposal() is None and not picker.use_button.isEnabled()
    picker.set_answers(True, False, None)
    assert picker.proposal() == 0 and picker.use_button.isEnabled()


def test_tags_complete_from_the_journal_and_are_saved(qtbot, editor, journal, app_paths) -> None:
    journal.add("One", tags=["physics"])
    journal.add("Two", tags=["philosophy", "物理学"])
    entry = journal.add("Tag me", "inline #writing here")
    editor.load(entry.id)
    ui(editor).tag_editor.refresh_completions()  # what focusing the tag line does
    completer = ui(editor).tag_editor.completer()
    completer.setCompletionPrefix("phys")
    assert completer.completionCount() == 1 and completer.currentCompletion() == "physics"
    completer.setCompletionPrefix("理")
    assert completer.currentCompletion() == "物理学"
    qtbot.keyClicks(ui(editor).tag_editor.line, "physics")
    qtbot.keyClick(ui(editor).tag_editor.line, Qt.Key.Key_Return)
    commit_text(ui(editor).tag_editor.line, "水位线，")
    qtbot.keyClicks(ui(editor).tag_editor.line, "ideas,")
    assert set(stored(app_paths, entry.id).tags) == {"physics", "writing", "水位线", "ideas"}
    chips = {chip.name: chip for chip in ui(editor).tag_editor.chips}
    assert chips["writing"].remove_button is None  # written inline: remove it in the text
    qtbot.mouseClick(chips["physics"].remove_button, Qt.MouseButton.LeftButton)
    assert set(stored(app_paths, entry.id).tags) == {"writing", "水位线", "ideas"}


def test_follow_up_creates_a_linked_entry(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Is AI a rising tide?", tags=["ai"])
    editor.load(entry.id)
    with qtbot.waitSignal(editor.follow_up_created, timeout=2000) as blocker:
        qtbot.mouseClick(ui(editor).follow_up_button, Qt.MouseButton.LeftButton)
    child_id = blocker.args[0]
    assert child_id != entry.id
    child = stored(app_paths, child_id)
    assert child.parent_id == entry.id
    assert child.kind == "question" and child.tags == ("ai",)
    assert editor.current_id() == child_id
    assert "Is AI a rising tide?" in part(editor, QLabel, "parentLabel").text()


def test_delete_button_asks_the_owner(qtbot, editor, journal) -> None:
    entry = journal.add("Delete me")
    editor.load(entry.id)
    with qtbot.waitSignal(editor.delete_requested, timeout=1000) as blocker:
        qtbot.mouseClick(ui(editor).delete_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [entry.id]
    assert not journal.get(entry.id).in_trash  # the owner does it (with Undo)


def test_an_entry_in_the_trash_is_read_only(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Trashed", "body")
    journal.delete(entry.id)
    editor.load(entry.id)
    assert ui(editor).trash_banner.isVisibleTo(editor)
    assert ui(editor).restore_button.isVisibleTo(editor)
    assert ui(editor).purge_button.isVisibleTo(editor)
    assert not ui(editor).delete_button.isVisibleTo(editor)
    assert not ui(editor).follow_up_button.isVisibleTo(editor)
    assert not ui(editor).star_button.isEnabled()
    assert not editor.toggle_star()
    assert ui(editor).body_edit.isReadOnly()
    qtbot.keyClicks(ui(editor).body_edit, "more")
    assert editor.flush()
    assert stored(app_paths, entry.id).body == "body"
    assert not editor.set_hardness(4)


def test_a_missing_entry_shows_a_message(editor) -> None:
    assert editor.load("00000000-0000-0000-0000-000000000000")
    assert editor.current_id() is None
    assert "no longer exists" in ui(editor).placeholder.text()


def test_preview_follows_the_body_and_can_be_hidden(qtbot, editor, journal) -> None:
    entry = journal.add("Preview", "**bold** start")
    editor.load(entry.id)
    qtbot.waitUntil(lambda: "bold start" in ui(editor).preview.toPlainText(), timeout=3000)
    qtbot.keyClicks(ui(editor).body_edit, "# Heading")
    qtbot.keyClick(ui(editor).body_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Heading" in ui(editor).preview.toPlainText(), timeout=3000)
    ui(editor).preview_button.setChecked(False)
    assert not ui(editor).preview.isVisibleTo(editor)
    assert ui(editor).body_edit.isVisibleTo(editor)


def test_settings_choose_font_and_toggle_mode(qtbot, journal) -> None:
    settings = Settings(
        editor_font_family="Noto Sans Mono", editor_font_size=15, preview_mode="toggle"
    )
    widget = EntryEditor(journal, settings=SettingsController(None, settings))
    qtbot.addWidget(widget)
    assert ui(widget).body_edit.font().pointSize() == 15
    entry = journal.add("Toggle", "text")
    widget.load(entry.id)
    assert not ui(widget).preview.isVisibleTo(widget)
    ui(widget).preview_button.setChecked(True)
    assert ui(widget).preview.isVisibleTo(widget)
    assert not ui(widget).body_edit.isVisibleTo(widget)


def test_a_completion_picked_with_the_arrow_keys_is_added(
    qtbot, editor, journal, app_paths
) -> None:
    journal.add("One", tags=["physics"])
    entry = journal.add("Tag me")
    editor.load(entry.id)
    ui(editor).tag_editor.line.setFocus()
    ui(editor).tag_editor.refresh_completions()
    qtbot.keyClicks(ui(editor).tag_editor.line, "ys")
    popup = ui(editor).tag_editor.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert stored(app_paths, entry.id).tags == ("physics",)
    qtbot.waitUntil(lambda: ui(editor).tag_editor.line.text() == "", timeout=1000)


def test_losing_the_focus_saves_at_once(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Focus", "")
    editor.load(entry.id)
    editor.activateWindow()
    ui(editor).body_edit.setFocus()
    qtbot.waitUntil(ui(editor).body_edit.hasFocus, timeout=2000)
    qtbot.keyClicks(ui(editor).body_edit, "typed then left")
    ui(editor).title_edit.setFocus()  # e.g. clicking elsewhere; well before the autosave timer
    assert stored_body_now(app_paths, entry.id) == "typed then left"


def test_reloading_the_shown_entry_keeps_cursor_and_undo(qtbot, editor, journal, app_paths) -> None:
    entry = journal.add("Same", "text")
    editor.load(entry.id)
    ui(editor).body_edit.moveCursor(ui(editor).body_edit.textCursor().MoveOperation.End)
    qtbot.keyClicks(ui(editor).body_edit, " more")
    assert editor.flush()
    assert editor.load(entry.id)  # e.g. the list re-selects it after refreshing
    assert ui(editor).body_edit.textCursor().position() == len("text more")
    assert ui(editor).body_edit.document().isUndoAvailable()
    journal.update(entry.id, body="changed elsewhere")  # e.g. `questionbook edit` in a shell
    assert editor.load(entry.id)
    assert ui(editor).body_edit.toPlainText() == "changed elsewhere"


def stored_body_now(app_paths: AppPaths, entry_id: str) -> str:
    return stored(app_paths, entry_id).body


def test_long_bursts_of_typing_are_saved_before_typing_stops(qtbot, journal, app_paths) -> None:
    # The pause before a save (400 ms) is longer than the gap between keys (50 ms), so only
    # the deadline (200 ms after the first unsaved key) can save while typing goes on.
    editor = EntryEditor(journal, save_delay_ms=400, max_wait_ms=200)
    qtbot.addWidget(editor)
    editor.show()
    entry = journal.add("Burst", "")
    editor.load(entry.id)
    saves: list[str] = []
    editor.entry_saved.connect(saves.append)
    for _ in range(60):  # up to 3 s of typing
        qtbot.keyClicks(ui(editor).body_edit, "a")
        qtbot.wait(50)
        if saves:
            break
    assert saves, "nothing was saved while typing went on"
    assert stored_body_now(app_paths, entry.id).startswith("a")


def test_ctrl_z_in_the_body_undoes_typing_even_with_a_window_ctrl_z_action(qtbot, journal) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    widget = EntryEditor(journal, window)
    window.setCentralWidget(widget)
    triggered: list[bool] = []
    action = QAction("Undo delete", window)
    action.setShortcut(QKeySequence("Ctrl+Z"))  # the main window's "undo the last delete"
    action.triggered.connect(lambda: triggered.append(True))
    window.addAction(action)
    window.show()
    qtbot.waitExposed(window)
    entry = journal.add("Undo keys", "start")
    widget.load(entry.id)
    window.activateWindow()
    body, star = ui(widget).body_edit, ui(widget).star_button
    body.setFocus()
    qtbot.waitUntil(body.hasFocus, timeout=2000)
    body.moveCursor(body.textCursor().MoveOperation.End)
    qtbot.keyClicks(body, " typed")
    qtbot.keyClick(body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert body.toPlainText() == "start"
    assert triggered == []
    star.setFocus()  # elsewhere the window's shortcut does fire
    qtbot.waitUntil(star.hasFocus, timeout=2000)
    qtbot.keyClick(star, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert triggered == [True]
