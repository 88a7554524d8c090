"""The editor's Evidence section on a real journal: reach and quadrant, the tide seal, the
still-mine line, and the AI trials with the evidence line and Re-rate (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services
from questionbook.settings import Settings
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from questionbook.ui.widgets.editor.markdown_view import MarkdownView
from tests.ui.parts import ModalAnswers, activate, evidence, part, settle, ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ops(services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close()


@pytest.fixture
def controller() -> SettingsController:
    return SettingsController(None, Settings())


@pytest.fixture
def editor(qtbot, journal: Journal, ops: Operations, controller) -> EntryEditor:
    widget = EntryEditor(journal, ops=ops, settings=controller, save_delay_ms=50)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    evidence(widget).toggle.click()  # open the section
    return widget


@pytest.fixture
def answers() -> Iterator[ModalAnswers]:
    a = ModalAnswers()
    yield a
    a.timer.stop()


def other(app_paths: AppPaths) -> Services:
    """Another program on the same journal file."""
    return open_services(app_paths)


def test_reach_is_saved_and_the_quadrant_shown(qtbot, editor, journal, ops) -> None:
    entry = journal.add("Teach my grandmother to video-call", hardness=3)
    editor.load(entry.id)
    ev = evidence(editor)
    assert ev.reach.currentData() is None
    assert "Rate its hardness and reach" in ev.quadrant.text()
    activate(ev.reach, 1)
    settle(qtbot, ops)
    assert journal.get(entry.id).reach == 1
    assert "Your edge" in ev.quadrant.text()  # above the water (1), within reach
    assert "Reach: Within reach" in ev.summary.text() and "Your edge" in ev.summary.text()
    assert journal.summaries([entry.id])[0].reach == 1  # list rows carry it
    editor.set_hardness(0)  # Ctrl+1: the editor's own rating moves the quadrant too
    settle(qtbot, ops)
    assert "Just do it" in ev.quadrant.text()
    editor.set_hardness(3)
    activate(ev.reach, 4)
    settle(qtbot, ops)
    assert "Moonshot" in ev.quadrant.text()
    activate(ev.reach, None)
    settle(qtbot, ops)
    assert journal.get(entry.id).reach is None


def test_seal_offers_levels_above_the_water_and_says_a_refusal_in_place(
    qtbot, editor, journal, ops, app_paths
) -> None:
    entry = journal.add("What will my work be in five years?", hardness=3)
    editor.load(entry.id)
    ev = evidence(editor)
    offered = [ev.seal.itemData(i) for i in range(ev.seal.count())]
    assert offered == [None, 2, 3, 4]  # the water is at Shallows (1)
    activate(ev.seal, 3)
    settle(qtbot, ops)
    stored = journal.get(entry.id)
    assert (stored.seal_level, stored.seal_waterline) == (3, 1)
    assert "Resting until the water reaches Highlands" in ev.seal_message.text()
    assert "Sealed until Highlands" in ev.summary.text()

    # Another program raises the water to Shoreline; the picker has not heard yet.
    program = other(app_paths)
    try:
        program.journal.set_waterline(2)
    finally:
        program.close()
    activate(ev.seal, 2)  # Shoreline is no longer above the water: refused, said here
    settle(qtbot, ops)
    assert journal.get(entry.id).seal_level == 3
    assert "above" in ev.seal_message.text().lower() or "water" in ev.seal_message.text()
    assert ev.seal_message.styleSheet() != ""
    assert ev.seal.currentData() == 3  # shows the seal as stored

    # The water reaches Highlands: the seal row asks the tide's question.
    journal.set_waterline(3)
    ops.announce(Changes(waterline=True))
    assert ev.seal_message.text() == (
        "Sealed when the water was at Shallows; it is at Highlands now: what changed?"
    )
    activate(ev.seal, None)
    settle(qtbot, ops)
    assert journal.get(entry.id).seal_level is None


def test_still_mine_is_saved_and_never_replaced_under_the_cursor(
    qtbot, editor, journal, ops, app_paths
) -> None:
    entry = journal.add("Which stories to tell at the wedding?", hardness=1)
    editor.load(entry.id)
    line = evidence(editor).still_mine
    qtbot.keyClicks(line, "which stories")
    line.editingFinished.emit()
    settle(qtbot, ops)
    assert journal.get(entry.id).still_mine == "which stories"

    qtbot.keyClicks(line, " and to whom")  # being typed: not stored yet
    program = other(app_paths)
    try:
        program.journal.update(entry.id, still_mine="the toast", reach=2)
    finally:
        program.close()
    ops.announce(Changes.everything())
    assert line.text() == "which stories and to whom"  # the typing stays
    assert evidence(editor).reach.currentData() == 2  # discrete fields follow
    line.editingFinished.emit()
    settle(qtbot, ops)
    assert journal.get(entry.id).still_mine == "which stories and to whom"

    program = other(app_paths)
    try:
        program.journal.update(entry.id, still_mine="the toast, after all")
    finally:
        program.close()
    ops.announce(Changes.everything())
    assert line.text() == "the toast, after all"  # no edits of its own: takes the stored line


def test_trials_newest_first_judged_noted_and_deleted(
    qtbot, editor, journal, ops, services, answers
) -> None:
    entry = journal.add("Can I grow tomatoes on a north-facing balcony?", hardness=3)
    older = services.trials.add(entry.id, verdict="failed", model="qwen3:8b", note="no sun")
    newer = services.trials.add(entry.id, verdict="pending", model="GPT-5", answer="**bold**")
    editor.load(entry.id)
    ev = evidence(editor)
    cards = ev.cards()
    assert [c.trial.id for c in cards] == [newer.id, older.id]  # type: ignore[attr-defined]
    assert part(cards[1], QLineEdit, "trialNote").text() == "no sun"
    assert "GPT-5" in part(cards[0], QWidget, "trialMeta").text()
    assert ev.evidence_line.text() == "AI failed 1 of 1 (1 pending)"

    verdict = cards[0].findChild(QWidget, "trialVerdict")
    activate(verdict, "partly")  # type: ignore[arg-type]
    settle(qtbot, ops)
    assert services.trials.get(newer.id).verdict == "partly"
    note = part(cards[0], QLineEdit, "trialNote")
    qtbot.keyClicks(note, "half of it")
    note.editingFinished.emit()
    settle(qtbot, ops)
    assert services.trials.get(newer.id).note == "half of it"

    # The answer is Markdown, rendered by the sanitised view on request.
    part(cards[0], QWidget, "trialAnswerButton").click()  # type: ignore[attr-defined]
    view = part(cards[0], MarkdownView, "trialAnswer")
    qtbot.waitUntil(lambda: view.toPlainText().strip() == "bold")

    def yes(widget: QWidget) -> None:
        assert isinstance(widget, QMessageBox)
        widget.button(QMessageBox.StandardButton.Yes).click()

    answers.queue(yes)
    part(cards[1], QWidget, "trialDeleteButton").click()  # type: ignore[attr-defined]
    settle(qtbot, ops)
    assert [t.id for t in services.trials.for_entry(entry.id)] == [newer.id]
    qtbot.waitUntil(lambda: len(ev.cards()) == 1)


def test_add_trial_dialog_records_a_trial(qtbot, editor, journal, ops, services) -> None:
    from questionbook.ui.dialogs.trial_dialogs import AddTrialDialog

    entry = journal.add("Which of my habits would an AI coach get wrong?", hardness=3)
    editor.load(entry.id)
    evidence(editor).add_trial.click()
    dialog = editor.findChild(AddTrialDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.model, "qwen3:8b")
    qtbot.keyClicks(dialog.note, "generic advice")
    dialog.answer.setPlainText("Sleep more.")
    part(dialog, QWidget, "addTrialOk").click()  # type: ignore[attr-defined]
    settle(qtbot, ops)
    (trial,) = services.trials.for_entry(entry.id)
    assert (trial.verdict, trial.model, trial.note, trial.answer) == (
        "failed",
        "qwen3:8b",
        "generic advice",
        "Sleep more.",
    )
    assert trial.prompt.startswith("Which of my habits")
    qtbot.waitUntil(lambda: len(evidence(editor).cards()) == 1)


def test_rerate_accepts_the_suggestion_with_source_trial(
    qtbot, editor, journal, ops, services
) -> None:
    entry = journal.add("Can I grow tomatoes on a north-facing balcony?", hardness=1)
    for _ in range(2):
        services.trials.add(entry.id, verdict="failed", model="GPT-5")
    editor.load(entry.id)
    ev = evidence(editor)
    assert ev.evidence_line.text() == "AI failed 2 of 2 — at least Shoreline?"
    assert ev.rerate.isVisible() and ev.rerate.text() == "Re-rate: Shoreline"
    # Something typed meanwhile is neither lost nor reloaded under the cursor.
    body = ui(editor).body_edit
    qtbot.keyClicks(body, "typed before the click")
    cursor = body.textCursor().position()
    ev.rerate.click()
    settle(qtbot, ops)
    assert journal.get(entry.id).hardness == 2
    assert journal.hardness_history(entry.id)[-1].source == "trial"
    qtbot.waitUntil(lambda: ui(editor).hardness_button.level == 2)
    assert not ev.rerate.isVisible()
    assert ev.evidence_line.text() == "AI failed 2 of 2"
    assert body.toPlainText() == "typed before the click"
    assert body.textCursor().position() == cursor
    assert editor.flush()
    assert journal.get(entry.id).body == "typed before the click"


def test_trash_shows_evidence_read_only(qtbot, editor, journal, services) -> None:
    entry = journal.add("Gone", hardness=2, reach=1)
    services.trials.add(entry.id, verdict="solved")
    journal.delete(entry.id)
    editor.load(entry.id)
    ev = evidence(editor)
    assert not ev.reach.isEnabled() and not ev.seal.isEnabled()
    assert ev.still_mine.isReadOnly()
    assert not ev.add_trial.isVisible() and not ev.ask_ai.isVisible()


def test_the_section_folds_and_fits_800_by_600(qtbot, journal, ops, services) -> None:
    editor = EntryEditor(journal, ops=ops)
    qtbot.addWidget(editor)
    editor.resize(800, 600)
    editor.show()
    qtbot.waitExposed(editor)
    entry = journal.add("A question with many trials", "Some body text.", hardness=1)
    for i in range(8):
        services.trials.add(entry.id, verdict="failed", model=f"m{i}", note="x" * 40)
    editor.load(entry.id)
    ev = evidence(editor)
    assert not ev.toggle.isChecked()  # folded by default: one line
    assert "AI failed 8 of 8" in ev.summary.text()
    body_folded = ui(editor).body_edit.height()
    ev.toggle.click()
    QApplication.processEvents()
    assert editor.minimumSizeHint().height() <= 600
    body_open = ui(editor).body_edit.height()
    assert body_open >= 80  # the text stays writable
    area = part(editor, QWidget, "evidenceScroll")
    assert area.height() <= 0.4 * 600 + 1  # the trials scroll inside the section
    assert body_open < body_folded
    ev.toggle.click()
    QApplication.processEvents()
    assert not area.isVisible()


def test_ask_button_follows_the_setting(qtbot, editor, journal, controller) -> None:
    entry = journal.add("Ask me")
    editor.load(entry.id)
    ask = evidence(editor).ask_ai
    assert not ask.isEnabled() and "Settings → AI" in ask.toolTip()
    assert editor.ask_ai() is None  # off: nothing opens
    controller.update(ai_enabled=True)
    assert ask.isEnabled()
    controller.update(ai_enabled=False)
    assert not ask.isEnabled()


def test_language_switch_says_the_section_again(qtbot, editor, journal) -> None:
    from questionbook.i18n import set_language
    from questionbook.ui.settings_controller import announce_language_change

    entry = journal.add("语言", hardness=3, reach=1)
    editor.load(entry.id)
    try:
        set_language("zh_CN")
        announce_language_change(QApplication.instance())  # type: ignore[arg-type]
        assert evidence(editor).toggle.text() != "Evidence"
        assert "Your edge" not in evidence(editor).quadrant.text()
    finally:
        set_language("en")
        announce_language_change(QApplication.instance())  # type: ignore[arg-type]
    assert evidence(editor).toggle.text() == "Evidence"


def test_a_still_mine_line_is_kept_when_switching_entries(qtbot, editor, journal, ops) -> None:
    first = journal.add("First", hardness=1)
    second = journal.add("Second", hardness=1)
    editor.load(first.id)
    evidence(editor).still_mine.setText("typed, never left the field")
    assert editor.load(second.id)  # switching flushes it, as it does the text
    settle(qtbot, ops)
    assert journal.get(first.id).still_mine == "typed, never left the field"
    assert evidence(editor).still_mine.text() == ""
