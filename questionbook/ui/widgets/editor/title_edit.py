"""The editor's title field: one paragraph that wraps over as many lines as it needs.

A ``QLineEdit`` showed a long title as one clipped line, its end out of sight (issue 12,
roughness). This field wraps instead and grows with its text, up to :data:`MAX_LINES` lines
(then it scrolls). It stays a *title*: Enter does not start a new line but moves on to the body
(:attr:`TitleEdit.returnPressed`), pasted line breaks become spaces, and Tab moves to the next
field instead of typing a tab.

It offers the part of ``QLineEdit``'s interface the editor uses (``text``, ``setText``,
``textEdited``, ``returnPressed``, ``cursorPosition`` ...), so the rest of the editor does not
care which widget it is.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

#: The field grows with its text up to this many lines, then scrolls.
MAX_LINES = 5


class TitleEdit(QPlainTextEdit):
    """A wrapping one-paragraph text field (see the module docstring)."""

    textEdited = Signal(str)
    """The user changed the text (not emitted by :meth:`setText`)."""
    returnPressed = Signal()
    """Enter was pressed (the title has no line breaks: the editor moves on to the body)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setting = False
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDocumentMargin(2)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self._on_text_changed)
        self._fit_height()

    # -- QLineEdit's interface -------------------------------------------------------------
    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(_one_line(text))
        finally:
            self._setting = False

    def clear(self) -> None:
        self.setText("")

    def cursorPosition(self) -> int:
        return self.textCursor().position()

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, len(self.toPlainText()))))
        self.setTextCursor(cursor)

    def selectedText(self) -> str:
        return self.textCursor().selectedText()

    def setFrame(self, shown: bool) -> None:
        self.setFrameShape(QFrame.Shape.StyledPanel if shown else QFrame.Shape.NoFrame)

    # -- a title, not a text ---------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Pasted line breaks become spaces: the title stays one paragraph."""
        if source.hasText():
            self.textCursor().insertText(_one_line(source.text()))
            self.ensureCursorVisible()
            return
        super().insertFromMimeData(source)

    # -- growing with the text -------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._wanted_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("M" * 4), self._wanted_height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _wanted_height(self) -> int:
        line = self.fontMetrics().lineSpacing()
        block = self.document().firstBlock()
        text_height = int(self.blockBoundingRect(block).height()) if block.isValid() else line
        text_height = max(line, min(text_height, line * MAX_LINES))
        margins = self.contentsMargins()
        extra = 2 * int(self.document().documentMargin()) + margins.top() + margins.bottom()
        return text_height + extra + 2 * self.frameWidth()

    def _fit_height(self) -> None:
        height = self._wanted_height()
        if height != self.height():
            self.setFixedHeight(height)

    def _on_text_changed(self) -> None:
        self._fit_height()
        if not self._setting:
            self.textEdited.emit(self.toPlainText())


def _one_line(text: str) -> str:
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
