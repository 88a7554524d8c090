"""The template picker of a new entry (issue 19): "Start from: A good question · Above the water".

Ctrl+N opens an empty entry at once (typing must not wait for a choice). While that entry is
new and its body empty, a strip above the body offers its kind's templates, the kind's default
first; a click puts the template's text into the body as an edit (so the entry is kept, and
Ctrl+Z takes it out again) and the strip goes. It also goes as soon as the body has text, or
another entry is shown. Switching the kind of the new entry offers that kind's templates.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QToolButton, QWidget

from questionbook.core.errors import QuestionBookError
from questionbook.core.templates import Template, TemplateService
from questionbook.i18n import _
from questionbook.ui.widgets.flow_layout import FlowLayout

_MUTED = "color: rgba(127, 127, 127, 230);"


class TemplateStrip(QWidget):
    """Buttons for the templates of one kind; see the module docstring."""

    def __init__(
        self, templates: TemplateService, body: QPlainTextEdit, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("templateStrip")
        self._templates = templates
        self._body = body
        self._kind = ""
        self._found: list[Template] = []
        self._layout = FlowLayout(self, spacing=6)
        self.label = QLabel(self)
        self.label.setStyleSheet(_MUTED)
        self._layout.addWidget(self.label)
        self._buttons: list[QPushButton] = []
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("templateStripClose")
        self.close_button.setAutoRaise(True)
        self.close_button.setText("×")
        self.close_button.clicked.connect(self.withdraw)
        self._layout.addWidget(self.close_button)
        body.textChanged.connect(self._on_body_text_changed)
        self.retranslate()
        self.hide()

    # -- public API ------------------------------------------------------------------------------
    def offer(self, kind: str) -> bool:
        """Show *kind*'s templates (while the body is empty); False if there are none."""
        self._kind = kind
        try:
            self._found = self._templates.templates(kind) if kind else []
        except QuestionBookError:
            self._found = []  # unreadable for a moment: a new entry works without them
        for button in self._buttons:
            self._layout.removeWidget(button)
            button.deleteLater()
        self._buttons = []
        for index, template in enumerate(self._found):
            button = QPushButton(template.name, self)
            button.setObjectName(f"template_{index}")
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(template.body)
            button.clicked.connect(lambda _on=False, t=template: self.use(t))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self._buttons.append(button)
        shown = bool(self._found) and not self._body.toPlainText().strip()
        self.setVisible(shown)
        return shown

    def offered(self) -> list[str]:
        """The names of the templates on offer (empty while hidden)."""
        return [t.name for t in self._found] if not self.isHidden() else []

    def kind(self) -> str:
        return self._kind

    def use(self, template: Template) -> None:
        """Put *template*'s text into the body, as if typed (undo takes it out again)."""
        self.withdraw()
        if self._body.isReadOnly():
            return
        cursor = self._body.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(template.body)
        cursor.movePosition(cursor.MoveOperation.Start)
        cursor.movePosition(cursor.MoveOperation.EndOfBlock)
        self._body.setTextCursor(cursor)
        self._body.setFocus(Qt.FocusReason.OtherFocusReason)

    def withdraw(self) -> None:
        """Hide the strip (another entry is shown, or the body has text)."""
        self._kind = ""
        self.hide()

    # -- internals -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.label.setText(_("Start from a template:"))
        self.close_button.setToolTip(_("No template"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self._kind and not self.isHidden():
                self.offer(self._kind)  # built-in names are translated when read

    def _on_body_text_changed(self) -> None:
        if not self.isHidden() and self._body.toPlainText().strip():
            self.withdraw()
