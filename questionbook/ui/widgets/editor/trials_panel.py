"""The editor's AI trials: what the entry's trials say, the trials themselves, and their writes.

A trial is evidence for the hardness, never the hardness itself (issue 17): the panel shows
the evidence line ("AI failed 2 of 2 — at least Shoreline?") and offers **Re-rate** only when
the trials suggest another level; accepting it is the user's click, recorded with the source
``trial`` (:meth:`TrialService.accept_suggestion`). Under it, the trials newest first: verdict
(changed on the spot = judged), model, date, note, and the answer rendered through the
sanitised Markdown view on request (answers can be long, so they stay folded).

Every write is an operation (:mod:`questionbook.ui.operations`) with ``initiator=self``; the
panel re-reads the entry's trials whenever an operation touches its entry (its own included),
and updates the cards in place, so a note being typed in one card is not reset by a verdict
changed in another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import tzinfo

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import Entry, Trial
from questionbook.core.errors import QuestionBookError
from questionbook.core.evidence import Evidence, evidence_text, weigh
from questionbook.core.trials import TrialService
from questionbook.core.vocabulary import HARDNESS, VERDICT_LABELS, VERDICTS
from questionbook.i18n import N_, _, ngettext
from questionbook.ui.locale_format import format_datetime
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.retranslate import Texts
from questionbook.ui.widgets.editor.markdown_view import MarkdownView, PreviewRenderer

#: One colour per verdict: the water got there (blue), half-way (amber), it did not (green:
#: still yours), not judged yet (grey).
VERDICT_COLORS = {
    "solved": "#2b6cb0",
    "partly": "#c99a2e",
    "failed": "#3f8f4a",
    "pending": "#8a8a8a",
}
_MUTED = "color: rgba(127, 127, 127, 230);"
ANSWER_HEIGHT = 180


def verdict_combo(parent: QWidget | None = None) -> QComboBox:
    """A combo box of the four verdicts (item data: the stored value)."""
    combo = QComboBox(parent)
    for verdict in VERDICTS:
        combo.addItem(_(VERDICT_LABELS[verdict]), verdict)
    return combo


def retranslate_verdicts(combo: QComboBox) -> None:
    for i in range(combo.count()):
        combo.setItemText(i, _(VERDICT_LABELS[str(combo.itemData(i))]))


class TrialCard(QFrame):
    """One trial: its verdict (changing it judges the trial), model, date, note, answer."""

    judged = Signal(str, str, str)
    """The user changed the verdict or the note: (trial id, verdict, note)."""
    delete_requested = Signal(str)
    """The user asked to delete the trial with this id."""

    def __init__(self, trial: Trial, tz: tzinfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trialCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._tz = tz
        self.trial = trial
        self._note_base = ""  # the note as stored (show_trial sets it)
        self._texts = Texts()
        box = self._box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(6)
        self.verdict = verdict_combo(self)
        self.verdict.setObjectName("trialVerdict")
        self.verdict.activated.connect(self._on_verdict_activated)
        top.addWidget(self.verdict)
        self.meta = QLabel(self)
        self.meta.setObjectName("trialMeta")
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setStyleSheet(_MUTED)
        self.meta.setWordWrap(True)
        top.addWidget(self.meta, 1)
        self.answer_button = QToolButton(self)
        self.answer_button.setObjectName("trialAnswerButton")
        self.answer_button.setCheckable(True)
        self.answer_button.setAutoRaise(True)
        self.answer_button.toggled.connect(self._on_answer_button_toggled)
        top.addWidget(self.answer_button)
        self.delete_button = QToolButton(self)
        self.delete_button.setObjectName("trialDeleteButton")
        self.delete_button.setAutoRaise(True)
        self.delete_button.setText("\u2715")
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.trial.id))
        top.addWidget(self.delete_button)
        box.addLayout(top)
        self.note = QLineEdit(self)
        self.note.setObjectName("trialNote")
        self.note.editingFinished.connect(self._on_note_editing_finished)
        box.addWidget(self.note)
        self.answer: MarkdownView | None = None  # made when first shown
        self._renderer: PreviewRenderer | None = None
        self._texts.set(self.note.setPlaceholderText, N_("A note on this trial (optional)"))
        self._texts.set(self.answer_button.setText, N_("Answer"))
        self._texts.set(self.delete_button.setToolTip, N_("Delete this trial"))
        self.show_trial(trial)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            retranslate_verdicts(self.verdict)
            self._show_meta()

    def show_trial(self, trial: Trial) -> None:
        """Show *trial* as stored; a note being edited here keeps what was typed."""
        self.trial = trial
        self.verdict.setCurrentIndex(max(0, self.verdict.findData(trial.verdict)))
        color = VERDICT_COLORS.get(trial.verdict, VERDICT_COLORS["pending"])
        self.setStyleSheet(
            f"#trialCard {{ border: 1px solid rgba(127,127,127,90); border-left: 4px solid {color};"
            " border-radius: 5px; }"
        )
        if self.note.text() == self._note_base:  # no edits of its own: take the stored note
            self.note.setText(trial.note)
        self._note_base = trial.note
        self.answer_button.setVisible(bool(trial.answer.strip()))
        if self.answer is not None and self._renderer is not None and self.answer.isVisible():
            self._renderer.request(trial.answer)
        self._show_meta()

    def _show_meta(self) -> None:
        t = self.trial
        parts = [format_datetime(t.asked_at, tz=self._tz)]
        if t.model:
            parts.insert(0, t.model)
        self.meta.setText("  ·  ".join(parts))
        prompt = " ".join(t.prompt.split())
        self.meta.setToolTip(
            _("Asked: {prompt}").format(prompt=prompt[:300] + ("…" if len(prompt) > 300 else ""))
            if prompt
            else ""
        )

    def set_read_only(self, read_only: bool) -> None:
        self.verdict.setEnabled(not read_only)
        self.note.setReadOnly(read_only)
        self.delete_button.setVisible(not read_only)

    def note_edited(self) -> bool:
        return self.note.text() != self._note_base

    def _on_verdict_activated(self, _index: int) -> None:
        verdict = str(self.verdict.currentData())
        if verdict != self.trial.verdict:
            self.judged.emit(self.trial.id, verdict, self.note.text())

    def _on_note_editing_finished(self) -> None:
        if self.note_edited():
            self.judged.emit(self.trial.id, self.trial.verdict, self.note.text())

    def _on_answer_button_toggled(self, shown: bool) -> None:
        if shown and self.answer is None:
            self.answer = MarkdownView(self)
            self.answer.setObjectName("trialAnswer")
            self.answer.setMaximumHeight(ANSWER_HEIGHT)
            self.answer.setMinimumHeight(60)
            self._box.addWidget(self.answer)
            self._renderer = PreviewRenderer(self.answer)
        if self.answer is not None:
            self.answer.setVisible(shown)
            if shown and self._renderer is not None:
                self._renderer.request(self.trial.answer)


class TrialsPanel(QWidget):
    """The evidence line with Re-rate, Add trial / Ask AI, and the trial cards."""

    evidence_changed = Signal(str)
    """What the trials say now (the evidence line; "" without trials)."""
    ask_ai_requested = Signal()
    """The user pressed "Ask AI…" (the owner opens the dialog)."""
    failed = Signal(str)
    """A trial could not be read or written; says why."""

    def __init__(
        self,
        trials: TrialService,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        confirm_delete: Callable[[QWidget], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trialsPanel")
        self._trials = trials
        self._ops = ops
        self._confirm_delete = confirm_delete or _ask_delete
        self._entry: Entry | None = None
        self._loaded: list[Trial] = []
        self._evidence = Evidence()
        self._read_only = False
        self._ask_enabled = False
        self._quiet: object | None = None
        self._cards: dict[str, TrialCard] = {}
        self._texts = Texts()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        line = QHBoxLayout()
        line.setSpacing(8)
        self.evidence_label = QLabel(self)
        self.evidence_label.setObjectName("evidenceLine")
        self.evidence_label.setWordWrap(True)
        self.evidence_label.setTextFormat(Qt.TextFormat.PlainText)
        line.addWidget(self.evidence_label, 1)
        self.rerate_button = QPushButton(self)
        self.rerate_button.setObjectName("rerateButton")
        self.rerate_button.setAutoDefault(False)
        self.rerate_button.clicked.connect(self.accept_suggestion)
        line.addWidget(self.rerate_button)
        box.addLayout(line)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addTrialButton")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.open_add_trial)
        buttons.addWidget(self.add_button)
        self.ask_button = QPushButton(self)
        self.ask_button.setObjectName("askAiButton")
        self.ask_button.setAutoDefault(False)
        self.ask_button.clicked.connect(self.ask_ai_requested)
        buttons.addWidget(self.ask_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.error = QLabel(self)
        self.error.setObjectName("trialsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.error.hide()
        box.addWidget(self.error)
        self._cards_box = QVBoxLayout()
        self._cards_box.setSpacing(6)
        box.addLayout(self._cards_box)
        self._texts.set(self.add_button.setText, N_("Add trial…"))
        self._texts.set(
            self.add_button.setToolTip,
            N_("Record that you put this entry to an AI, and how it went"),
        )
        self._texts.set(self.ask_button.setText, N_("Ask AI…"))
        self._ops.changed.connect(self._on_ops_changed)
        self.set_ask_enabled(False)
        self._show_evidence()

    # -- public API ------------------------------------------------------------------------
    def show_entry(self, entry: Entry | None) -> None:
        """Show *entry*'s trials (re-read when the entry is another one or its rating moved,
        since the evidence line depends on it)."""
        previous = self._entry
        self._entry = entry
        self.error.hide()
        if entry is None:
            self._loaded = []
            self._rebuild()
            return
        if previous is None or previous.id != entry.id:
            self.reload()
        elif previous.hardness != entry.hardness:
            self._show_evidence()

    def reload(self) -> None:
        """Read the shown entry's trials again."""
        if self._entry is None:
            return
        try:
            self._loaded = self._trials.for_entry(self._entry.id)
        except QuestionBookError as exc:
            self._show_error(str(exc))
            return
        self._rebuild()

    def trials(self) -> list[Trial]:
        """The trials shown, newest first."""
        return list(self._loaded)

    def evidence(self) -> Evidence:
        return self._evidence

    def ignore_changes_from(self, initiator: object) -> None:
        """Writes by *initiator* never touch trials (the editor's autosave): no re-read."""
        self._quiet = initiator

    def set_read_only(self, read_only: bool) -> None:
        """In the Trash nothing is added, judged or deleted."""
        self._read_only = read_only
        self.add_button.setVisible(not read_only)
        self.ask_button.setVisible(not read_only)
        for card in self._cards.values():
            card.set_read_only(read_only)
        self._show_evidence()

    def set_ask_enabled(self, enabled: bool) -> None:
        """Asking an AI is opt-in (Settings → AI); the button says where to turn it on."""
        self.ask_button.setEnabled(enabled)
        self._ask_enabled = enabled
        self._say_ask_tooltip()

    def _say_ask_tooltip(self) -> None:
        self.ask_button.setToolTip(
            _("Send this entry to the AI endpoint of Settings → AI; you see exactly what is sent")
            if self._ask_enabled
            else _("Asking an AI is off: turn it on in Settings → AI")
        )

    def accept_suggestion(self) -> bool:
        """Re-rate the entry as the trials suggest (the user's click). False if they suggest
        nothing."""
        if self._entry is None or self._evidence.suggestion is None or self._read_only:
            return False
        entry_id, trials = self._entry.id, self._trials
        self._ops.op(
            lambda: trials.accept_suggestion(entry_id),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_failure(self._on_write_failed).run()
        return True

    def add_trial(self, verdict: str, model: str = "", note: str = "", answer: str = "") -> bool:
        """Record a trial of the shown entry (the prompt is its title and body)."""
        if self._entry is None or self._read_only:
            return False
        entry_id, trials = self._entry.id, self._trials
        self._ops.op(
            lambda: trials.add(entry_id, verdict=verdict, model=model, note=note, answer=answer),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_failure(self._on_write_failed).run()
        return True

    def open_add_trial(self) -> None:
        """Ask for the verdict, model, note and answer of a new trial (a small dialog)."""
        if self._entry is None or self._read_only:
            return
        from questionbook.ui.dialogs.trial_dialogs import AddTrialDialog

        dialog = AddTrialDialog(self)
        dialog.trial_entered.connect(self.add_trial)
        dialog.open()

    def judge(self, trial_id: str, verdict: str, note: str | None = None) -> None:
        if self._entry is None:
            return
        entry_id, trials = self._entry.id, self._trials
        self._ops.op(
            lambda: trials.judge(trial_id, verdict, note),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_failure(self._on_write_failed).run()

    def delete_trial(self, trial_id: str) -> None:
        if self._entry is None or not self._confirm_delete(self):
            return
        entry_id, trials = self._entry.id, self._trials
        self._ops.op(
            lambda: trials.delete(trial_id),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_failure(self._on_write_failed).run()

    # -- showing ---------------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Make the cards match the trials loaded: new ones in order, gone ones removed,
        kept ones updated in place (with any note being typed left as it is)."""
        wanted = {t.id: t for t in self._loaded}
        for trial_id in [i for i in self._cards if i not in wanted]:
            card = self._cards.pop(trial_id)
            self._cards_box.removeWidget(card)
            card.deleteLater()
        tz = self._trials.tz
        for index, trial in enumerate(self._loaded):
            found = self._cards.get(trial.id)
            if found is None:
                card = TrialCard(trial, tz, self)
                card.judged.connect(self.judge)
                card.delete_requested.connect(self.delete_trial)
                card.set_read_only(self._read_only)
                self._cards[trial.id] = card
            else:
                card = found
                if card.trial != trial:
                    card.show_trial(trial)
            if self._cards_box.indexOf(card) != index:
                self._cards_box.removeWidget(card)
                self._cards_box.insertWidget(index, card)
        self._show_evidence()

    def _show_evidence(self) -> None:
        counts = Counter(t.verdict for t in self._loaded)
        hardness = self._entry.hardness if self._entry is not None else None
        self._evidence = weigh(dict(counts), hardness)
        text = evidence_text(self._evidence)
        self.evidence_label.setText(text or _("No AI trials yet: did an AI manage this?"))
        self.evidence_label.setStyleSheet("" if text else _MUTED)
        level = self._evidence.suggestion
        self.rerate_button.setVisible(level is not None and not self._read_only)
        if level is not None:
            self.rerate_button.setText(_("Re-rate: {level}").format(level=HARDNESS[level].label))
            self.rerate_button.setToolTip(
                _("Rate this entry {level}, as its trials suggest (kept in its history)").format(
                    level=HARDNESS[level].label
                )
            )
        self.evidence_changed.emit(text)

    def summary(self) -> str:
        """A short line for a folded section: the evidence, or the number of trials."""
        text = evidence_text(self._evidence)
        if text:
            return text
        n = len(self._loaded)
        return ngettext("{n} trial", "{n} trials", n).format(n=n) if n else ""

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._say_ask_tooltip()
            self._show_evidence()

    # -- reacting --------------------------------------------------------------------------
    def _on_ops_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self._quiet and initiator is not None and not changes.external:
            return
        if self._entry is not None and changes.touches(self._entry.id):
            self.reload()

    def _on_write_failed(self, reason: str) -> None:
        self._show_error(reason)

    def _show_error(self, reason: str) -> None:
        self.error.setText(reason)
        self.error.show()
        self.failed.emit(reason)


def _ask_delete(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent,
        _("Delete this trial?"),
        _("The trial, its answer and its verdict are deleted for good."),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
