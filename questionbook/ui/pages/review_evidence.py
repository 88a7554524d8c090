"""The evidence parts of the weekly review (issue 17), as passive panes the review page drives:

- :class:`WaterAdvice`, on the waterline step: what the last three months of AI trials
  suggest about the water (``ReviewService.waterline_advice``), the freeboard, and — with a
  flood warning — a capture box right there for one new entry at least two levels above the
  water. The waterline stays the user's decision: nothing here moves it.
- :class:`StillMinePrompt`: "what part of this is still yours?", asked (optionally) of each
  entry that went under the water in this review — re-rated at or below it, or covered when
  the waterline rose — one at a time, until answered or skipped.

Like the other review panes they only show and ask (signals); the page does every write as an
operation.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.review import WaterlineAdvice
from questionbook.core.summary_markdown import flood_warning, freeboard_line
from questionbook.core.vocabulary import HARDNESS
from questionbook.i18n import N_, _
from questionbook.ui.retranslate import Texts

_FLOOD_QSS = (
    "#floodWarning { background: rgba(59, 143, 217, 34); border: 1px solid rgba(59, 143, 217, 120);"
    " border-radius: 6px; }"
)


class WaterAdvice(QWidget):
    """Hints from the trials, the freeboard, and the flood warning's capture box."""

    capture_requested = Signal(str, int)
    """The user wrote a new entry for the flood warning: (its text, the level asked for)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterAdvice")
        self._advice: WaterlineAdvice | None = None
        self._texts = Texts()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        self.hints = QLabel(self)
        self.hints.setObjectName("waterHints")
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.hints)
        self.freeboard = QLabel(self)
        self.freeboard.setObjectName("freeboardLine")
        self.freeboard.setWordWrap(True)
        self.freeboard.setTextFormat(Qt.TextFormat.PlainText)
        self.freeboard.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        box.addWidget(self.freeboard)

        self.flood = QFrame(self)
        self.flood.setObjectName("floodWarning")
        self.flood.setStyleSheet(_FLOOD_QSS)
        flood_box = QVBoxLayout(self.flood)
        flood_box.setContentsMargins(10, 8, 10, 8)
        flood_box.setSpacing(6)
        self.flood_text = QLabel(self.flood)
        self.flood_text.setObjectName("floodText")
        self.flood_text.setWordWrap(True)
        flood_box.addWidget(self.flood_text)
        row = QHBoxLayout()
        self.capture = QLineEdit(self.flood)
        self.capture.setObjectName("floodCapture")
        self.capture.returnPressed.connect(self._on_add_clicked)
        row.addWidget(self.capture, 1)
        self.add_button = QPushButton(self.flood)
        self.add_button.setObjectName("floodAdd")
        self.add_button.setAutoDefault(False)
        self._texts.set(self.add_button.setText, N_("Add"))
        self.add_button.clicked.connect(self._on_add_clicked)
        row.addWidget(self.add_button)
        flood_box.addLayout(row)
        self.added = QLabel(self.flood)
        self.added.setObjectName("floodAdded")
        self.added.setWordWrap(True)
        self.added.setTextFormat(Qt.TextFormat.PlainText)
        flood_box.addWidget(self.added)
        box.addWidget(self.flood)
        self.flood.hide()
        self._added_title = ""
        self._added_level: int | None = None

    def show_advice(self, advice: WaterlineAdvice) -> None:
        """Show the hints and the freeboard (and the flood warning when it is up)."""
        self._advice = advice
        self._say()

    def level_asked(self) -> int | None:
        """The level the flood warning asks a new entry to reach (None: none asked)."""
        if self._advice is None or not self._advice.freeboard.flood:
            return None
        fb = self._advice.freeboard
        return fb.ask_level if fb.ask_level is not None else len(HARDNESS) - 1

    def show_added(self, title: str, level: int | None) -> None:
        """Say that the new entry was written (the capture box is ready for another)."""
        self._added_title, self._added_level = title, level
        self.capture.clear()
        self._say_added()

    def _say(self) -> None:
        advice = self._advice
        if advice is None:
            return
        texts = [h.text for h in advice.hints]
        self.hints.setText("\n".join(texts))
        self.hints.setVisible(bool(texts))
        self.freeboard.setText(freeboard_line(advice.freeboard))
        fb = advice.freeboard
        self.flood.setVisible(fb.flood)
        if fb.flood:
            self.flood_text.setText(f"<b>{_('Flood warning:')}</b> {flood_warning(fb)}")
            level = self.level_asked()
            self.capture.setPlaceholderText(
                _("A new {level} question or plan, above the water").format(
                    level=HARDNESS[level].label if level is not None else ""
                )
            )
        self._say_added()

    def _say_added(self) -> None:
        self.added.setVisible(bool(self._added_title))
        if not self._added_title:
            self.added.setText("")
            return
        level = HARDNESS[self._added_level].label if self._added_level is not None else ""
        self.added.setText(
            _("Added as {level}: {title}").format(level=level, title=self._added_title)
        )

    def _on_add_clicked(self) -> None:
        text = self.capture.text().strip()
        level = self.level_asked()
        if text and level is not None:
            self.capture_requested.emit(text, level)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._say()


@dataclass(frozen=True)
class Asked:
    """An entry the prompt asks about, and why it went under."""

    entry_id: str
    title: str


class StillMinePrompt(QFrame):
    """ "What part of this is still yours?" for the entries that just went under, in turn."""

    answered = Signal(str, str)
    """The user wrote the line for an entry: (entry id, the line)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stillMinePrompt")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._queue: list[Asked] = []
        self._texts = Texts()
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(6)
        self.question = QLabel(self)
        self.question.setObjectName("stillMineQuestion")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.question)
        row = QHBoxLayout()
        self.line = QLineEdit(self)
        self.line.setObjectName("stillMineLine")
        self._texts.set(
            self.line.setPlaceholderText,
            N_("Optional: your taste, your context, a decision only you can make"),
        )
        self.line.returnPressed.connect(self._on_save_clicked)
        row.addWidget(self.line, 1)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("stillMineSave")
        self.save_button.setAutoDefault(False)
        self._texts.set(self.save_button.setText, N_("Keep"))
        self.save_button.clicked.connect(self._on_save_clicked)
        row.addWidget(self.save_button)
        self.skip_button = QPushButton(self)
        self.skip_button.setObjectName("stillMineSkip")
        self.skip_button.setAutoDefault(False)
        self._texts.set(self.skip_button.setText, N_("Skip"))
        self.skip_button.clicked.connect(self.skip)
        row.addWidget(self.skip_button)
        box.addLayout(row)
        self.hide()

    def ask(self, items: list[Asked]) -> None:
        """Add *items* to the entries to ask about (each once) and show the first."""
        known = {a.entry_id for a in self._queue}
        self._queue += [a for a in items if a.entry_id not in known]
        self._show_first()

    def asking(self) -> list[Asked]:
        return list(self._queue)

    def skip(self) -> None:
        """Leave the current entry without a line."""
        if self._queue:
            self._queue.pop(0)
        self.line.clear()
        self._show_first()

    def done(self, entry_id: str) -> None:
        """The line for *entry_id* was stored: ask about the next one."""
        if self._queue and self._queue[0].entry_id == entry_id:
            self._queue.pop(0)
            self.line.clear()
        self._show_first()

    def _show_first(self) -> None:
        if not self._queue:
            self.hide()
            return
        self._say()
        self.show()

    def _say(self) -> None:
        if self._queue:
            self.question.setText(
                _("“{title}” went under the water. What part of it is still yours?").format(
                    title=self._queue[0].title
                )
            )

    def _on_save_clicked(self) -> None:
        text = self.line.text().strip()
        if self._queue and text:
            self.answered.emit(self._queue[0].entry_id, text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._say()
