"""Labels that show the user's own text without ever widening the window.

A plain ``QLabel`` asks its layout for the width of its whole text, so a 250-character title in
"Follows up: …" made the window's minimum width 2,300 px and pushed the star, the date and the
preview off a 1,400 px screen (issue 12, #1). Every label that shows text the user wrote (titles,
tags, paths, error reasons) is one of these:

- :class:`ElidedLabel` for one line: it takes the width it is given and shows as much of the text
  as fits, ending in "…"; the whole text is its tooltip while it is cut. ``text()`` still returns
  the whole text, so copying, accessibility and tests see what the user wrote.
- :func:`wrap_without_widening` for labels that wrap over several lines: the layout ignores the
  label's own width (a long unbroken run, a URL say, would otherwise set the minimum), the label
  wraps within the width it gets, and its tooltip holds the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: The narrowest an elided label gets: room for a few characters and the ellipsis.
MIN_CHARS = 4


class ElidedLabel(QLabel):
    """A one-line plain-text label that elides instead of growing (see the module docstring)."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        self._mode = mode
        self._own_tooltip = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(" ".join(text.split("\n")))
        self._update_tooltip()

    def set_tooltip(self, text: str) -> None:
        """A tooltip shown while the text fits (the whole text is shown while it is cut)."""
        self._own_tooltip = text
        self._update_tooltip()

    def is_elided(self) -> bool:
        """True while the text is cut to fit."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        narrow = self.fontMetrics().horizontalAdvance("M" * MIN_CHARS + "…")
        return QSize(min(hint.width(), narrow + margins.left() + margins.right()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), self._mode, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
        painter.end()

    def _update_tooltip(self) -> None:
        self.setToolTip(self.text() if self.is_elided() else self._own_tooltip)


def wrap_without_widening(label: QLabel) -> QLabel:
    """Let a word-wrapped *label* take the width it is given instead of setting it: its
    minimum width no longer counts in the layout (a long unbroken run of the user's text would
    otherwise become the window's minimum width). Returns *label*."""
    label.setWordWrap(True)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    policy.setHeightForWidth(True)
    label.setSizePolicy(policy)
    label.setMinimumWidth(0)
    return label
