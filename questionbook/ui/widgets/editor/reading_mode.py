"""Reading mode (issue 19): the entry's text and preview alone, with word and character counts.

F11, or the button in the editor's footer, turns it on; F11, the bar's button or Esc turn it
off. In the editor it folds away the properties row, the tags and the sections under the text
(the evidence), and shows a slim bar under the text with the counts; the window hides its
sidebar, list and status bar as it hears :attr:`EntryEditor.reading_mode_changed`, so the
editor has the whole window. The title, the body, the preview and the save indicator stay:
writing goes on as usual, and saves itself as usual.

The counts are :func:`questionbook.core.text.text_counts` of the body (Markdown syntax and
link targets are not words; each Chinese character is one), worked out a moment after typing
pauses, and in a worker thread for a long body so typing never waits for them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QToolButton, QWidget

from questionbook.core.text import TextCounts, text_counts
from questionbook.i18n import _, ngettext
from questionbook.ui import resources
from questionbook.ui.locale_format import format_number

COUNT_DELAY_MS = 300
#: Bodies longer than this are counted in a worker thread (≈0.1 s per 250,000 characters).
BACKGROUND_CHARS = 50_000
#: The body's margin in reading mode (10 otherwise, as the preview's).
READING_MARGIN = 28
_MUTED = "color: rgba(127, 127, 127, 230);"


def counts_text(counts: TextCounts) -> str:
    """ "1,234 words · 5,678 characters" in the current language."""
    words = ngettext("{n} word", "{n} words", counts.words).format(n=format_number(counts.words))
    chars = ngettext("{n} character", "{n} characters", counts.characters).format(
        n=format_number(counts.characters)
    )
    return f"{words} · {chars}"


class _Count(QRunnable):
    def __init__(self, text: str, ticket: int, done: Callable[[int, TextCounts], None]) -> None:
        super().__init__()
        self._text, self._ticket, self._done = text, ticket, done

    def run(self) -> None:
        self._done(self._ticket, text_counts(self._text))


class ReadingBar(QWidget):
    """The bar under the text in reading mode: the counts and the way out."""

    leave_requested = Signal()
    """The user clicked "Leave reading mode"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingBar")
        self.counts = QLabel(self)
        self.counts.setObjectName("readingCounts")
        self.counts.setStyleSheet(_MUTED)
        self.leave_button = QToolButton(self)
        self.leave_button.setObjectName("leaveReadingMode")
        self.leave_button.setAutoRaise(True)
        self.leave_button.clicked.connect(self.leave_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.leave_button)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.leave_button.setText(_("Leave reading mode (Esc)"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()


def reading_button(parent: QWidget | None = None) -> QToolButton:
    """The footer's switch into reading mode."""
    button = QToolButton(parent)
    button.setObjectName("readingModeButton")
    button.setCheckable(True)
    button.setAutoRaise(True)
    button.setIconSize(QSize(16, 16))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    return button


class ReadingMode(QObject):
    """Folds the editor's chrome away and keeps the counts; the editor owns one."""

    changed = Signal(bool)
    """Reading mode was turned on (True) or off."""
    toggle_requested = Signal(bool)
    """The footer's button asked for reading mode on or off."""
    _counted = Signal(int, object)

    def __init__(
        self,
        body: QPlainTextEdit,
        chrome: list[QWidget],
        bar: ReadingBar,
        button: QToolButton,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._body = body
        self._chrome = chrome
        self._bar = bar
        self._button = button
        self._active = False
        self._hidden_before: list[QWidget] = []
        self._ticket = 0
        self._lock = threading.Lock()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COUNT_DELAY_MS)
        self._timer.timeout.connect(self.count_now)
        self._counted.connect(self._on_counted)
        body.textChanged.connect(self._on_body_text_changed)
        button.toggled.connect(self._on_button_toggled)
        bar.leave_requested.connect(lambda: self.set_active(False))
        button.installEventFilter(self)  # its texts and icon follow language and theme
        self._paint()
        self.retranslate()

    @property
    def active(self) -> bool:
        return self._active

    def set_active(self, on: bool) -> None:
        """Turn reading mode on or off (the caller checks that an entry is shown)."""
        if on == self._active:
            return
        self._active = on
        if on:
            self._hidden_before = [w for w in self._chrome if w.isHidden()]
            for widget in self._chrome:
                widget.hide()
            self._body.document().setDocumentMargin(READING_MARGIN)
            self.count_now()
        else:
            for widget in self._chrome:
                if widget not in self._hidden_before:
                    widget.show()
            self._body.document().setDocumentMargin(10)
            self._timer.stop()
        self._bar.setVisible(on)
        self._button.blockSignals(True)
        self._button.setChecked(on)
        self._button.blockSignals(False)
        self.changed.emit(on)

    def count_now(self) -> None:
        """Count the body now (in a worker for a long one)."""
        text = self._body.toPlainText()
        with self._lock:
            self._ticket += 1
            ticket = self._ticket
        if len(text) < BACKGROUND_CHARS:
            self._show(text_counts(text))
            return
        self._pool.start(_Count(text, ticket, self._counted.emit))

    def counts(self) -> str:
        """What the bar says."""
        return self._bar.counts.text()

    def retranslate(self) -> None:
        self._button.setToolTip(_("Reading mode: the text alone, with its counts (F11)"))
        self._button.setAccessibleName(_("Reading mode"))
        if self._active:
            self.count_now()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._button:
            if event.type() == QEvent.Type.LanguageChange:
                self.retranslate()
            elif event.type() == QEvent.Type.PaletteChange:
                self._paint()
        return super().eventFilter(watched, event)

    def _paint(self) -> None:
        self._button.setIcon(
            resources.icon("reading", self._button.palette().color(self._button.foregroundRole()))
        )

    def _on_counted(self, ticket: int, counts: TextCounts) -> None:
        if ticket == self._ticket and self._active:
            self._show(counts)

    def _show(self, counts: TextCounts) -> None:
        self._bar.counts.setText(counts_text(counts))

    def _on_body_text_changed(self) -> None:
        if self._active:
            self._timer.start()

    def _on_button_toggled(self, on: bool) -> None:
        self._button.blockSignals(True)
        self._button.setChecked(self._active)  # the editor decides (an entry must be shown)
        self._button.blockSignals(False)
        self.toggle_requested.emit(on)
