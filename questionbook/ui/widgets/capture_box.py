"""The capture box: type a line, press Enter, and the entry is saved at once.

Capturing must take seconds, so there is no dialog: the line is the title, the kind comes from
the small switch beside the box (question, plan, note), and the box clears for the next one.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QToolButton, QWidget

from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.vocabulary import KIND_LABELS, Kind
from questionbook.i18n import N_, _
from questionbook.ui import resources

PLACEHOLDERS = {
    Kind.QUESTION: N_("What are you curious about?"),
    Kind.PLAN: N_("What ambitious thing do you want to do?"),
    Kind.NOTE: N_("What's on your mind?"),
}


class CaptureBox(QWidget):
    """A line edit plus a kind switch that writes new entries through the journal."""

    entry_captured = Signal(str)
    """A new entry was saved (its id)."""
    capture_failed = Signal(str)
    """Saving failed; the message says why (the typed text stays in the box)."""

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self.setObjectName("captureBox")
        self.line = QLineEdit(self)
        self.line.setObjectName("captureLine")
        self.line.setClearButtonEnabled(True)
        self.line.returnPressed.connect(self._on_line_return_pressed)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[Kind, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.line, 1)
        for kind in Kind:
            button = QToolButton(self)
            button.setObjectName(f"kind_{kind.value}")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setIconSize(QSize(18, 18))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._group.addButton(button)
            self._buttons[kind] = button
            layout.addWidget(button)
            button.toggled.connect(self._on_kind_toggled)
        self._buttons[Kind.QUESTION].setChecked(True)
        self.retranslate()

    def retranslate(self) -> None:
        color = self.palette().color(self.foregroundRole())
        for kind, button in self._buttons.items():
            button.setIcon(resources.icon(kind.value, color))
            button.setToolTip(_("New entries are: {kind}").format(kind=_(KIND_LABELS[kind])))
            button.setAccessibleName(_(KIND_LABELS[kind]))
        self.line.setPlaceholderText(_(PLACEHOLDERS[self.kind()]))

    def kind(self) -> Kind:
        for kind, button in self._buttons.items():
            if button.isChecked():
                return kind
        return Kind.QUESTION

    def set_kind(self, kind: Kind) -> None:
        self._buttons[kind].setChecked(True)

    def focus(self) -> None:
        """Put the cursor in the box, ready to type."""
        self.line.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line.selectAll()

    def _on_kind_toggled(self, checked: bool) -> None:
        if checked:
            self.line.setPlaceholderText(_(PLACEHOLDERS[self.kind()]))

    def _on_line_return_pressed(self) -> None:
        text = self.line.text().strip()
        if not text:
            return
        try:
            entry = self._journal.add(text, kind=self.kind())
        except QuestionBookError as exc:
            self.capture_failed.emit(str(exc))
            return
        self.line.clear()
        self.entry_captured.emit(entry.id)
