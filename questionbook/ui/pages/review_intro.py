"""The review's first screen: "Time to look back on the week", three numbers and Start.

Opening it writes nothing: the page fills in the numbers it read, and only "Start review"
begins (and records) a review.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from questionbook.core.vocabulary import HARDNESS
from questionbook.i18n import N_
from questionbook.ui.pages.review_due import heading, muted
from questionbook.ui.retranslate import Texts

INTRO_QSS = """
QFrame#reviewIntro { background-color: palette(base); border: 1px solid palette(mid);
                     border-radius: 8px; }
QFrame#reviewTile { background-color: palette(alternate-base); border-radius: 6px;
                    min-width: 150px; }
"""


class IntroPane(QWidget):
    """The numbers of the week to review and the button that starts it."""

    start_requested = Signal()
    """The user pressed "Start review"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._texts = Texts()
        self._waterline = 1
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(10)
        card = QFrame(self)
        card.setObjectName("reviewIntro")
        card.setStyleSheet(INTRO_QSS)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(14)
        title = heading("", card, 3)
        self._texts.set(title.setText, N_("Time to look back on the week"))
        inner.addWidget(title)
        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.tiles: dict[str, QLabel] = {}
        for key, caption in (
            ("new", N_("new entries")),
            ("due", N_("due to resurface")),
            ("water", N_("waterline")),
        ):
            tile = QFrame(card)
            tile.setObjectName("reviewTile")
            tile_box = QVBoxLayout(tile)
            number = heading("", tile, 10)
            tile_box.addWidget(number)
            caption_label = muted("", tile)
            self._texts.set(caption_label.setText, caption)
            tile_box.addWidget(caption_label)
            self.tiles[key] = number
            tiles.addWidget(tile)
        tiles.addStretch(1)
        inner.addLayout(tiles)
        self.intro_text = QLabel(card)
        self.intro_text.setWordWrap(True)
        self._texts.set(
            self.intro_text.setText,
            N_(
                "Take a few minutes: for each entry that comes back, keep it, re-rate it, "
                "close it with an outcome, sharpen it into a follow-up, or snooze it. Then "
                "say where the water stands and write a line about the week. Everything is "
                "saved as you go."
            ),
        )
        inner.addWidget(self.intro_text)
        self.start_button = QPushButton(card)
        self._texts.set(self.start_button.setText, N_("Start review"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start_requested)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        inner.addLayout(start_row)
        box.addWidget(card)
        box.addStretch(1)

    def show_numbers(self, new: int, due: int, waterline: int) -> None:
        """The week's new entries, the entries due to resurface, and the waterline."""
        self.tiles["new"].setText(str(new))
        self.tiles["due"].setText(str(due))
        self._waterline = waterline
        self._show_waterline()

    def _show_waterline(self) -> None:
        level = HARDNESS[self._waterline]
        self.tiles["water"].setText(f"{level.level} {level.label}")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._show_waterline()
