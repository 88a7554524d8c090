"""The review's waterline step: "Has the water risen?", and which entries it now covers.

A pane of its own (like :mod:`questionbook.ui.pages.review_due`): it shows the levels and what
the water covers; the page does the writing, since each write is a review action.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import EntrySummary
from questionbook.core.vocabulary import HARDNESS, KIND_LABELS, Kind
from questionbook.i18n import N_, _, ngettext
from questionbook.ui.pages.review_due import heading, muted
from questionbook.ui.pages.review_evidence import WaterAdvice
from questionbook.ui.retranslate import Texts
from questionbook.ui.widgets.editor.hardness_picker import (
    LEVELS_TOP_DOWN,
    hardness_label,
    swatch_icon,
)


def entry_item(entry: EntrySummary) -> QListWidgetItem:
    """A list row for an entry: its hardness swatch, title and kind (id in UserRole)."""
    kind = _(KIND_LABELS[Kind(entry.kind)])
    item = QListWidgetItem(swatch_icon(entry.hardness), f"{entry.title}   ·  {kind}")
    item.setData(Qt.ItemDataRole.UserRole, entry.id)
    item.setToolTip(hardness_label(entry.hardness))
    return item


def button_row(box: QVBoxLayout, *buttons: QPushButton) -> None:
    """Buttons at the right end of a row, as every review step ends."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    box.addLayout(row)


class WaterPane(QWidget):
    """Pick where AI stands now; then see the entries the water newly covers."""

    level_chosen = Signal(int)
    """The user pressed "Set waterline" with this level checked."""
    entry_open_requested = Signal(str)
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        t = self._texts = Texts()
        self._current = 1
        self._covered: list[EntrySummary] = []
        self._was_set = False
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(10)
        title = heading("", self, 2)
        t.set(title.setText, N_("Has the water risen?"))
        box.addWidget(title)
        explanation = muted("", self)
        t.set(
            explanation.setText,
            N_(
                "Where does AI stand now? Entries at or below the waterline are submerged: an "
                "AI has caught up with them."
            ),
        )
        box.addWidget(explanation)
        self.advice = WaterAdvice(self)  # the trials' hints, the freeboard, a flood warning
        box.addWidget(self.advice)
        self.level_group = QButtonGroup(self)
        for h in LEVELS_TOP_DOWN:
            radio = QRadioButton(self)
            radio.setIcon(swatch_icon(h.level))
            self.level_group.addButton(radio, h.level)
            box.addWidget(radio)
        self.water_button = QPushButton(self)
        t.set(self.water_button.setText, N_("Set waterline"))
        self.water_button.clicked.connect(self._on_water_clicked)
        self.water_result = QLabel(self)
        self.water_result.setWordWrap(True)
        self.covered_list = QListWidget(self)
        self.covered_list.setIconSize(QSize(12, 12))
        self.covered_list.itemActivated.connect(
            lambda item: self.entry_open_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.water_next = QPushButton(self)
        t.set(self.water_next.setText, N_("Next: reflection"))
        self.water_next.clicked.connect(self.next_requested)
        button_row(box, self.water_button)
        box.addWidget(self.water_result)
        box.addWidget(self.covered_list, 1)
        button_row(box, self.water_next)
        self._show_level_texts()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._show_level_texts()
            self._show_result()

    def _show_level_texts(self) -> None:
        for h in HARDNESS:
            text = f"{h.level} {h.label} — {h.description}"
            if h.level == self._current:
                text += "   " + _("(where the water stands now)")
            self.level_group.button(h.level).setText(text)

    def show_levels(self, current: int, chosen: int | None) -> None:
        """Mark where the water stands now and check this review's level (or the current)."""
        self._current = current
        self._show_level_texts()
        button = self.level_group.button(current if chosen is None else chosen)
        if button is not None:
            button.setChecked(True)

    def show_covered(self, covered: list[EntrySummary], was_set: bool) -> None:
        self._covered, self._was_set = covered, was_set
        self.covered_list.clear()
        for entry in covered:
            self.covered_list.addItem(entry_item(entry))
        self.covered_list.setVisible(bool(covered))
        self._show_result()

    def _show_result(self) -> None:
        covered, was_set = self._covered, self._was_set
        if not was_set:
            self.water_result.setText("")
        elif covered:
            self.water_result.setText(
                ngettext(
                    "The water now covers {n} more entry: sharpen it, raise its ambition, or "
                    "retire it.",
                    "The water now covers {n} more entries: sharpen them, raise their ambition, "
                    "or retire them.",
                    len(covered),
                ).format(n=len(covered))
            )
        else:
            self.water_result.setText(_("No entry went under water."))

    def _on_water_clicked(self) -> None:
        level = self.level_group.checkedId()
        if level >= 0:
            self.level_chosen.emit(level)
