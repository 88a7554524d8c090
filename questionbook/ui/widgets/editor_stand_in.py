"""What the editor pane shows before the editor exists: the editor's own empty placeholder.

Why (issue 21): importing and building the editor (its form, preview, evidence, attachments,
autosave) is a fifth of the app's start, yet the first window shows no entry, only the line
"Select an entry to read or edit it". The window paints this stand-in — the same label with
the same object name, alignment and state as :class:`~.editor.entry_editor.EntryEditor`'s
placeholder, so the style sheet draws it alike — and swaps in the real editor right after the
first paint (or the moment anything needs it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from questionbook.i18n import _

#: The editor's size hints (measured with the default font), so a first-run window splits the
#: list and the editor as it does with the editor itself (a saved window has its sizes).
EDITOR_SIZE_HINT = QSize(540, 401)
EDITOR_MINIMUM_SIZE_HINT = QSize(329, 248)


class EditorStandIn(QWidget):
    """The editor's empty state, without the editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorStandIn")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._label = QLabel(self)
        self._label.setObjectName("editorPlaceholder")
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setEnabled(False)
        layout.addWidget(self._label)
        self._retranslate()

    def sizeHint(self) -> QSize:
        return EDITOR_SIZE_HINT

    def minimumSizeHint(self) -> QSize:
        return EDITOR_MINIMUM_SIZE_HINT

    def _retranslate(self) -> None:
        self._label.setText(
            _("Select an entry to read or edit it,\nor press Ctrl+N to write a new one.")
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
