"""Ask AI: show exactly what will be sent, send it only on the click, stream the answer, keep it
as a pending trial and ask for the verdict (issue 17).

The promises this dialog keeps (PRODUCT.md, "Promises"): nothing leaves the computer before
the user presses **Send**, and only what the dialog shows (the endpoint, the model and the
prompt, which the user may edit); an endpoint that is not on this computer needs a second,
explicit confirmation naming its host; the API key comes from the OS keyring and is never
shown or stored here. The request runs in a worker thread (:mod:`questionbook.ui.ai_worker`)
with a Cancel button, so the window never freezes; a timeout, a refusal or any other failure
is said in one sentence and nothing is stored. A finished answer is stored as a *pending*
trial at once (an operation, like every write), then the verdict buttons ask how it went.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.ai_client import AiError, AskRequest, Endpoint, parse_endpoint, prepare
from questionbook.core.entities import Entry, Trial
from questionbook.core.trials import TrialService, default_prompt
from questionbook.core.vocabulary import VERDICT_LABELS
from questionbook.i18n import N_, _
from questionbook.settings import Settings
from questionbook.ui.ai_worker import AskWorker
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.retranslate import Texts
from questionbook.ui.widgets.editor.markdown_view import MarkdownView, PreviewRenderer

#: How often the streamed answer is re-rendered (rendering every piece would be wasteful).
RENDER_EVERY_MS = 150
_ERROR = "color: #c0392b;"
_MUTED = "color: rgba(127, 127, 127, 230);"

KeyLookup = Callable[[str], "str | None"]
ConfirmRemote = Callable[[QWidget, str], bool]


@dataclass(frozen=True)
class AskSettings:
    """The Settings → AI values the dialog uses, read when it opens."""

    endpoint: str
    model: str
    timeout: float = 120.0


def confirm_remote_host(parent: QWidget, host: str) -> bool:
    """The explicit confirmation for an endpoint off this computer, naming its host."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Send to {host}?").format(host=host))
    box.setText(_("{host} is not on this computer.").format(host=host))
    box.setInformativeText(
        _(
            "The prompt shown will be sent to {host}, and its answer kept as a trial. "
            "Send it there?"
        ).format(host=host)
    )
    send = box.addButton(_("Send to {host}").format(host=host), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is send


class AskAiDialog(QDialog):
    """One question to the AI about one entry; see the module docstring."""

    trial_stored = Signal(str)
    """The answer was kept as a pending trial (its id)."""
    verdict_given = Signal(str, str)
    """The user judged the new trial: (trial id, verdict)."""

    def __init__(
        self,
        entry: Entry,
        trials: TrialService,
        ops: Operations,
        settings: AskSettings,
        parent: QWidget | None = None,
        *,
        api_key: KeyLookup | None = None,
        confirm_remote: ConfirmRemote | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("askAiDialog")
        self._entry = entry
        self._trials = trials
        self._ops = ops
        self._settings = settings
        self._api_key = api_key or _keyring_lookup
        self._confirm_remote = confirm_remote or confirm_remote_host
        self._worker: AskWorker | None = None
        self._answer = ""
        self._rendered = ""
        self._trial: Trial | None = None
        self._endpoint: Endpoint | None = None
        self._request: AskRequest | None = None
        self._texts = Texts()
        self._texts.set(self.setWindowTitle, N_("Ask AI"))

        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self._texts.set(
            self.intro.setText,
            N_("Nothing is sent until you press Send. This is exactly what will be sent:"),
        )
        self.endpoint_label = QLabel(self)
        self.endpoint_label.setObjectName("askEndpoint")
        self.endpoint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.endpoint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model_label = QLabel(self)
        self.model_label.setObjectName("askModel")
        self.model_label.setTextFormat(Qt.TextFormat.PlainText)
        self.remote_label = QLabel(self)
        self.remote_label.setObjectName("askRemote")
        self.remote_label.setWordWrap(True)
        self.remote_label.setStyleSheet(_ERROR)
        self.remote_label.hide()
        self.prompt = QPlainTextEdit(self)
        self.prompt.setObjectName("askPrompt")
        self.prompt.setPlainText(default_prompt(entry))
        self.prompt.setMinimumHeight(80)
        self.answer = MarkdownView(self)
        self.answer.setObjectName("askAnswer")
        self.answer.setMinimumHeight(120)
        self.answer.hide()
        self._renderer = PreviewRenderer(self.answer)
        self._render_timer = QTimer(self)
        self._render_timer.setInterval(RENDER_EVERY_MS)
        self._render_timer.timeout.connect(self._render_answer)
        self.status = QLabel(self)
        self.status.setObjectName("askStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.verdict_row = QWidget(self)
        self.verdict_row.setObjectName("askVerdictRow")
        verdicts = QHBoxLayout(self.verdict_row)
        verdicts.setContentsMargins(0, 0, 0, 0)
        question = QLabel(self.verdict_row)
        self._texts.set(question.setText, N_("Did the AI manage it?"))
        verdicts.addWidget(question)
        self.verdict_buttons: dict[str, QPushButton] = {}
        for verdict in ("solved", "partly", "failed"):
            button = QPushButton(self.verdict_row)
            button.setObjectName(f"askVerdict_{verdict}")
            button.setAutoDefault(False)
            self._texts.set(button.setText, VERDICT_LABELS[verdict])
            button.clicked.connect(lambda _c=False, v=verdict: self.judge(v))
            verdicts.addWidget(button)
            self.verdict_buttons[verdict] = button
        self.later_button = QPushButton(self.verdict_row)
        self.later_button.setObjectName("askVerdictLater")
        self.later_button.setAutoDefault(False)
        self._texts.set(self.later_button.setText, N_("Decide later"))
        self.later_button.clicked.connect(self.accept)
        verdicts.addStretch(1)
        verdicts.addWidget(self.later_button)
        self.verdict_row.hide()

        self.send_button = QPushButton(self)
        self.send_button.setObjectName("askSend")
        self.send_button.setDefault(True)
        self._texts.set(self.send_button.setText, N_("Send"))
        self.send_button.clicked.connect(self.send)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("askCancel")
        self.cancel_button.setAutoDefault(False)
        self._texts.set(self.cancel_button.setText, N_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("askClose")
        self.close_button.setAutoDefault(False)
        self._texts.set(self.close_button.setText, N_("Close"))
        self.close_button.clicked.connect(self.reject)

        form = QFormLayout()
        for text, widget in (
            (N_("Endpoint:"), self.endpoint_label),
            (N_("Model:"), self.model_label),
        ):
            label = QLabel(self)
            self._texts.set(label.setText, text)
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.close_button)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addLayout(form)
        box.addWidget(self.remote_label)
        prompt_label = QLabel(self)
        self._texts.set(prompt_label.setText, N_("&Prompt (you may edit it):"))
        prompt_label.setBuddy(self.prompt)
        box.addWidget(prompt_label)
        box.addWidget(self.prompt, 1)
        box.addWidget(self.answer, 2)
        box.addWidget(self.verdict_row)
        box.addLayout(buttons)
        self.resize(640, 520)
        self._show_target()

    # -- what will be sent -----------------------------------------------------------------
    def _show_target(self) -> None:
        s = self._settings
        self.model_label.setText(s.model or _("(none: set one in Settings → AI)"))
        try:
            self._endpoint = parse_endpoint(s.endpoint)
        except AiError as exc:
            self._endpoint = None
            self.endpoint_label.setText(s.endpoint)
            self._say(str(exc), error=True)
            self.send_button.setEnabled(False)
            return
        self.endpoint_label.setText(self._endpoint.base_url)
        if not self._endpoint.loopback:
            self.remote_label.setText(
                _(
                    "{host} is not on this computer: the prompt leaves it, and sending asks "
                    "for your confirmation."
                ).format(host=self._endpoint.host)
            )
            self.remote_label.show()
        if not s.model.strip():
            self.send_button.setEnabled(False)
            self._say(_("Name a model in Settings → AI first."), error=True)

    def prompt_text(self) -> str:
        return self.prompt.toPlainText()

    # -- sending ---------------------------------------------------------------------------
    def send(self) -> bool:
        """Send the prompt shown (after the confirmation for a host off this computer).
        False if nothing was sent."""
        if self.is_asking() or self._endpoint is None:
            return False
        try:
            request = prepare(
                self._entry,
                self._settings.endpoint,
                self._settings.model,
                prompt=self.prompt_text(),
            )
        except AiError as exc:
            self._say(str(exc), error=True)
            return False
        remote_ok = request.endpoint.loopback or self._confirm_remote(self, request.endpoint.host)
        if not remote_ok:
            self._say(_("Not sent."))
            return False
        self._answer = self._rendered = ""
        self.answer.clear()
        self.answer.show()
        self.prompt.setReadOnly(True)
        self.send_button.setEnabled(False)
        self.cancel_button.show()
        self._say(_("Waiting for {host}…").format(host=request.endpoint.host))
        worker = AskWorker(
            request,
            api_key=self._api_key(request.endpoint.base_url),
            remote_ok=True,
            timeout=float(self._settings.timeout),
            parent=self,
        )
        worker.text_arrived.connect(self._on_worker_text_arrived)
        worker.answered.connect(self._on_worker_answered)
        worker.failed.connect(self._on_worker_failed)
        self._worker = worker
        self._request = request
        worker.start()
        self._render_timer.start()
        return True

    def is_asking(self) -> bool:
        return self._worker is not None

    def cancel(self) -> None:
        """Stop the answer that is arriving; nothing is kept."""
        if self._worker is not None:
            self._worker.cancel()
            self._say(_("Cancelling…"))

    def answer_text(self) -> str:
        return self._answer

    def trial(self) -> Trial | None:
        """The pending trial the answer was kept as (None before)."""
        return self._trial

    def _on_worker_text_arrived(self, piece: str) -> None:
        if self._worker is None:
            return
        if not self._answer:
            self._say(_("The answer is arriving…"))
        self._answer += piece

    def _render_answer(self) -> None:
        if self._answer != self._rendered:
            self._rendered = self._answer
            self._renderer.request(self._answer)

    def _on_worker_answered(self, answer: str) -> None:
        self._finish_asking()
        self._answer = answer
        self._render_answer()
        entry_id, trials, request = self._entry.id, self._trials, self._request
        assert request is not None
        self._say(_("Keeping the answer as a pending trial…"))
        self._ops.op(
            lambda: trials.add(
                entry_id,
                verdict="pending",
                model=request.model,
                prompt=request.prompt,
                answer=answer,
            ),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_success(self._on_trial_stored).on_failure(self._on_store_failed).run()

    def _on_worker_failed(self, reason: str) -> None:
        self._finish_asking()
        self.answer.setVisible(bool(self._answer))
        self._say(_("Nothing was kept: {reason}").format(reason=reason), error=True)
        self.prompt.setReadOnly(False)
        self.send_button.setEnabled(True)

    def _finish_asking(self) -> None:
        self._render_timer.stop()
        self.cancel_button.hide()
        self._worker = None

    def _on_trial_stored(self, trial: Trial) -> None:
        self._trial = trial
        self._say(_("Kept as a pending trial. How did it go?"))
        self.verdict_row.show()
        self.trial_stored.emit(trial.id)

    def _on_store_failed(self, reason: str) -> None:
        self._say(_("The answer could not be kept: {reason}").format(reason=reason), error=True)
        self.send_button.setEnabled(True)
        self.prompt.setReadOnly(False)

    # -- the verdict -----------------------------------------------------------------------
    def judge(self, verdict: str) -> bool:
        """Give the new trial its verdict; the dialog closes once it is stored."""
        if self._trial is None:
            return False
        trial_id, entry_id, trials = self._trial.id, self._entry.id, self._trials
        for button in self.verdict_buttons.values():
            button.setEnabled(False)

        def done(judged: Trial) -> None:
            self._trial = judged
            self.verdict_given.emit(judged.id, judged.verdict)
            self.accept()

        def failed(reason: str) -> None:
            for button in self.verdict_buttons.values():
                button.setEnabled(True)
            self._say(reason, error=True)

        self._ops.op(
            lambda: trials.judge(trial_id, verdict),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_success(done).on_failure(failed).run()
        return True

    # -- Qt --------------------------------------------------------------------------------
    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(_ERROR if error else _MUTED)

    def reject(self) -> None:
        """Close: an answer still arriving is cancelled (nothing is kept)."""
        if self._worker is not None:
            self._worker.cancel()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._worker is not None:
            self._worker.cancel()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()


def open_ask_ai(
    parent: QWidget,
    entry: Entry,
    trials: TrialService,
    ops: Operations,
    settings: Settings,
) -> AskAiDialog | None:
    """Open the dialog for *entry* (as the user sees it now) when asking is turned on; it
    runs alongside the window (``open``, not ``exec``) and is deleted when closed."""
    if not settings.ai_enabled or entry.in_trash:
        return None
    dialog = AskAiDialog(
        entry,
        trials,
        ops,
        AskSettings(settings.ai_endpoint, settings.ai_model, float(settings.ai_timeout)),
        parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _keyring_lookup(endpoint: str) -> str | None:
    from questionbook.ai_keyring import api_key

    return api_key(endpoint)
