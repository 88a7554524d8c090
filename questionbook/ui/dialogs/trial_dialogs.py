"""Recording a trial by hand: "I put this to an AI; here is how it went".

A small window-modal dialog opened with ``open()`` (the window keeps running); it only collects
the verdict, the model, a note and the answer, and says so through :attr:`trial_entered`; the
trials panel does the writing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from questionbook.i18n import N_
from questionbook.ui.retranslate import Texts
from questionbook.ui.widgets.editor.trials_panel import retranslate_verdicts, verdict_combo


class AddTrialDialog(QDialog):
    """Verdict, model, note and (optionally) the answer of a trial."""

    trial_entered = Signal(str, str, str, str)
    """The user pressed Add: (verdict, model, note, answer)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addTrialDialog")
        self._texts = Texts()
        self._texts.set(self.setWindowTitle, N_("Add an AI trial"))
        self.verdict = verdict_combo(self)
        self.verdict.setObjectName("newTrialVerdict")
        self.verdict.setCurrentIndex(self.verdict.findData("failed"))
        self.model = QLineEdit(self)
        self.model.setObjectName("newTrialModel")
        self._texts.set(self.model.setPlaceholderText, N_("e.g. GPT-5, qwen3:8b"))
        self.note = QLineEdit(self)
        self.note.setObjectName("newTrialNote")
        self._texts.set(self.note.setPlaceholderText, N_("What it got right or missed"))
        self.answer = QPlainTextEdit(self)
        self.answer.setObjectName("newTrialAnswer")
        self._texts.set(self.answer.setPlaceholderText, N_("Paste the answer here (Markdown)"))
        self.answer.setMinimumHeight(90)
        form = QFormLayout()
        for label_text, widget in (
            (N_("&Verdict:"), self.verdict),
            (N_("&Model:"), self.model),
            (N_("&Note:"), self.note),
            (N_("&Answer:"), self.answer),
        ):
            label = QLabel(self)
            self._texts.set(label.setText, label_text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("addTrialOk")
        self._texts.set(ok.setText, N_("Add trial"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.buttons)
        self.resize(460, 320)

    def accept(self) -> None:
        self.trial_entered.emit(
            str(self.verdict.currentData()),
            self.model.text().strip(),
            self.note.text().strip(),
            self.answer.toPlainText(),
        )
        super().accept()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            retranslate_verdicts(self.verdict)
