"""Ask AI from the app, against the loopback server of ``tests/ai_server.py`` (streamed and
not, failures, cancel, a host off this computer), with a real journal and real widgets."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from questionbook.core.journal import Journal
from questionbook.core.trials import TrialService
from questionbook.services import Services
from questionbook.settings import Settings
from questionbook.ui.dialogs.ask_ai_dialog import AskAiDialog, AskSettings, confirm_remote_host
from questionbook.ui.operations import Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ai_server import ANSWER, AiServer
from tests.ui.parts import ModalAnswers, evidence, settle, ui

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps keys in memory (a real backend of the keyring API)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.keys.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.keys[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.keys.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def ops(services: Services) -> Iterator[Operations]:
    runner = Operations(services.db.path)
    yield runner
    runner.close()


def make_dialog(
    qtbot,
    journal: Journal,
    trials: TrialService,
    ops: Operations,
    url: str,
    *,
    timeout: float = 10.0,
    confirm=None,
    title: str = "Why does grokking happen suddenly?",
) -> AskAiDialog:
    entry = journal.add(title, "Weight decay?")
    dialog = AskAiDialog(
        entry,
        trials,
        ops,
        AskSettings(url, "qwen3:8b", timeout),
        api_key=lambda _endpoint: None,
        confirm_remote=confirm,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.parametrize("mode", ["stream", "json"])
def test_shows_what_is_sent_sends_on_click_and_keeps_a_pending_trial(
    qtbot, journal, services, ops, mode
) -> None:
    with AiServer(mode) as server:
        dialog = make_dialog(qtbot, journal, services.trials, ops, server.url)
        assert dialog.endpoint_label.text() == server.url
        assert dialog.model_label.text() == "qwen3:8b"
        assert dialog.prompt_text() == "Why does grokking happen suddenly?\n\nWeight decay?"
        assert not dialog.remote_label.isVisible()  # on this computer
        qtbot.wait(50)
        assert server.requests == []  # nothing is sent before the click
        dialog.prompt.setPlainText("Why does grokking happen? One paragraph.")

        ticks: list[int] = []  # the window keeps running while the answer arrives
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(5)
        with qtbot.waitSignal(dialog.trial_stored, timeout=10_000) as stored:
            dialog.send_button.click()
        timer.stop()
        assert ticks
        (path, _headers, body) = server.requests[0]
        assert path == "/v1/chat/completions"
        assert body["messages"] == [
            {"role": "user", "content": "Why does grokking happen? One paragraph."}
        ]
        assert body["model"] == "qwen3:8b" and body["stream"] is True
    assert dialog.answer_text() == ANSWER
    qtbot.waitUntil(lambda: "generalising" in dialog.answer.toPlainText())
    assert "*generalising*" not in dialog.answer.toPlainText()  # rendered Markdown
    trial = services.trials.get(stored.args[0])
    assert (trial.verdict, trial.model, trial.answer) == ("pending", "qwen3:8b", ANSWER)
    assert trial.prompt == "Why does grokking happen? One paragraph."
    assert dialog.verdict_row.isVisible()
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        dialog.verdict_buttons["partly"].click()
    assert services.trials.get(trial.id).verdict == "partly"


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("error500", "the endpoint answered HTTP 500 Internal Server Error: model crashed"),
        ("refusal", "the model declined to answer: I can't help with that."),
        ("truncated", "the answer was cut short"),
    ],
)
def test_failures_are_one_sentence_and_keep_nothing(
    qtbot, journal, services, ops, mode, said
) -> None:
    with AiServer(mode) as server:
        dialog = make_dialog(qtbot, journal, services.trials, ops, server.url)
        dialog.send_button.click()
        qtbot.waitUntil(lambda: not dialog.is_asking(), timeout=10_000)
    assert dialog.status.text().startswith("Nothing was kept: ")
    assert said in dialog.status.text()
    assert dialog.send_button.isEnabled()  # try again is one click
    assert not dialog.prompt.isReadOnly()
    settle(qtbot, ops)
    assert journal.count("has:trial") == 0


def test_a_timeout_is_said_and_the_window_keeps_running(qtbot, journal, services, ops) -> None:
    with AiServer("slow") as server:
        dialog = make_dialog(qtbot, journal, services.trials, ops, server.url, timeout=1.0)
        dialog.send_button.click()
        assert dialog.cancel_button.isVisible()
        qtbot.waitUntil(lambda: not dialog.is_asking(), timeout=10_000)
    assert "within 1 seconds" in dialog.status.text()
    assert journal.count("has:trial") == 0


def test_cancel_stops_the_answer_and_keeps_nothing(qtbot, journal, services, ops) -> None:
    with AiServer("drip") as server:
        dialog = make_dialog(qtbot, journal, services.trials, ops, server.url)
        dialog.send_button.click()
        qtbot.waitUntil(lambda: bool(server.requests), timeout=5000)
        dialog.cancel_button.click()
        qtbot.waitUntil(lambda: not dialog.is_asking(), timeout=5000)
    assert dialog.status.text() == "Nothing was kept: cancelled"
    settle(qtbot, ops)
    assert journal.count("has:trial") == 0


def test_a_host_off_this_computer_needs_a_confirmation_naming_it(
    qtbot, journal, services, ops
) -> None:
    asked: list[str] = []

    def decline(_parent: QWidget, host: str) -> bool:
        asked.append(host)
        return False

    dialog = make_dialog(
        qtbot, journal, services.trials, ops, "https://api.example.com/v1", confirm=decline
    )
    assert dialog.remote_label.isVisible()
    assert "api.example.com is not on this computer" in dialog.remote_label.text()
    assert not dialog.send()
    assert asked == ["api.example.com"]
    assert dialog.status.text() == "Not sent."
    assert not dialog.is_asking()


def test_the_confirmation_box_names_the_host(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    answers = ModalAnswers()
    try:

        def cancel(widget: QWidget) -> None:
            assert isinstance(widget, QMessageBox)
            widget.button(QMessageBox.StandardButton.Cancel).click()

        answers.queue(cancel)
        assert confirm_remote_host(parent, "api.example.com") is False
    finally:
        answers.timer.stop()
    assert "api.example.com is not on this computer." in answers.texts[0]
    assert "sent to api.example.com" in answers.texts[0]


def test_the_editor_asks_with_the_text_as_typed_and_the_key_from_the_keyring(
    qtbot, journal, services, ops, memory_keyring
) -> None:
    with AiServer("stream") as server:
        memory_keyring.set_password("QuestionBook AI", server.url, "sk-test")
        controller = SettingsController(
            None, Settings(ai_enabled=True, ai_endpoint=server.url, ai_model="m1")
        )
        editor = EntryEditor(journal, ops=ops, settings=controller, trials=services.trials)
        qtbot.addWidget(editor)
        editor.show()
        entry = journal.add("A question", "stored body")
        editor.load(entry.id)
        ui(editor).body_edit.setPlainText("typed, not saved yet")
        evidence(editor).toggle.click()
        assert evidence(editor).ask_ai.isEnabled()
        evidence(editor).ask_ai.click()
        dialog = editor.findChild(AskAiDialog)
        assert dialog is not None
        assert dialog.prompt_text() == "A question\n\ntyped, not saved yet"
        with qtbot.waitSignal(dialog.trial_stored, timeout=10_000):
            dialog.send_button.click()
        assert server.requests[0][1]["Authorization"] == "Bearer sk-test"
        assert server.requests[0][2]["model"] == "m1"
    qtbot.waitUntil(lambda: len(evidence(editor).cards()) == 1)
    assert "1 AI trial waits for your verdict" in evidence(editor).evidence_line.text()
