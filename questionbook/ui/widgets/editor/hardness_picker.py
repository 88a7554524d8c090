"""Rating an entry's hardness: the five named levels, or the three-question rubric.

People rate more honestly when they see what each level means, so the picker lists every level
with its one-line meaning (PRODUCT.md, "Hardness"), and offers the rubric for when they are
unsure: three yes/no questions that propose a level. A rating chosen through the rubric is
recorded with source ``"rubric"``; picking a level directly records ``"user"``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.vocabulary import HARDNESS, RUBRIC_QUESTIONS, rubric_level
from questionbook.i18n import _

#: One colour per level, from deep water to the mountain top; readable on light and dark.
HARDNESS_COLORS = ("#2b6cb0", "#3a9fc4", "#c99a2e", "#4f9a4a", "#8e5cc4")
UNRATED_COLOR = "#9a9a9a"


#: The levels as every vertical list shows them: Summit on top, Underwater at the bottom, the
#: way the water rises in the histogram (issue 12: one direction everywhere).
LEVELS_TOP_DOWN = tuple(reversed(HARDNESS))


def hardness_color(level: int | None) -> QColor:
    """The colour that stands for *level* (grey when unrated)."""
    return QColor(UNRATED_COLOR if level is None else HARDNESS_COLORS[level])


def hardness_label(level: int | None) -> str:
    """The translated name of *level*, or "Unrated"."""
    return _("Unrated") if level is None else HARDNESS[level].label


def swatch_icon(level: int | None, size: int = 12) -> QIcon:
    """A filled circle in the level's colour (an outline when unrated)."""
    pix = QPixmap(size * 2, size * 2)
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = hardness_color(level)
    painter.setPen(color)
    if level is not None:
        painter.setBrush(color)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pix)


def proposed_level(answers: tuple[bool | None, bool | None, bool | None]) -> int | None:
    """The rubric's level once enough questions are answered, else ``None``.

    (c) only matters when (a) is no and (b) is yes, so it need not be answered otherwise.
    """
    can_ai, needs_you, would_ai_think = answers
    if can_ai is None or needs_you is None:
        return None
    if not can_ai and needs_you and would_ai_think is None:
        return None
    return rubric_level(can_ai, needs_you, bool(would_ai_think))


class HardnessButton(QToolButton):
    """Shows the current level's name with its colour; clicking opens the picker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.DelayedPopup)
        self.setAutoRaise(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.level: int | None = None
        self.set_level(None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.set_level(self.level)

    def set_level(self, level: int | None) -> None:
        self.level = level
        self.setIcon(swatch_icon(level))
        self.setText(hardness_label(level) + "  \u25be")
        meaning = _("Not rated yet.") if level is None else HARDNESS[level].description
        self.setToolTip(_("Hardness: how hard an AI would find this (Ctrl+1…5)") + "\n" + meaning)


class _LevelRow(QFrame):
    """One clickable level: colour, name and meaning."""

    clicked = Signal()

    def __init__(self, level: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.setObjectName("hardnessLevelRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.setSpacing(8)
        dot = QLabel()
        dot.setPixmap(swatch_icon(level, 14).pixmap(14, 14))
        dot.setAlignment(Qt.AlignmentFlag.AlignTop)
        dot.setContentsMargins(0, 2, 0, 0)
        layout.addWidget(dot)
        text = QVBoxLayout()
        text.setSpacing(0)
        self.name = QLabel()
        text.addWidget(self.name)
        self.meaning = QLabel()
        self.meaning.setWordWrap(True)
        self.meaning.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        text.addWidget(self.meaning)
        layout.addLayout(text, 1)
        self.retranslate()

    def retranslate(self) -> None:
        level = self.level
        number = "" if level is None else f"{level}  "
        self.name.setText(f"<b>{number}{hardness_label(level)}</b>")
        self.meaning.setText(
            _("Clear the rating.") if level is None else HARDNESS[level].description
        )

    def set_current(self, current: bool) -> None:
        """Outline the row of the entry's current level."""
        self.setProperty("current", current)
        self.style().unpolish(self)
        self.style().polish(self)

    def click(self) -> None:
        self.clicked.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class HardnessPicker(QFrame):
    """A popup with the five levels (and Unrated) and the rubric that proposes a level."""

    level_chosen = Signal(object, str)
    """The user chose a level (``int`` or ``None`` to clear) and its source (user/rubric)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("hardnessPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#hardnessLevelRow { border-radius: 6px; }"
            "#hardnessLevelRow:hover, #hardnessLevelRow:focus { background: rgba(127,127,127,40); }"
            '#hardnessLevelRow[current="true"] { border: 1px solid palette(highlight); }'
            "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);"
            " border: 1px solid palette(highlight); border-radius: 3px; }"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.setSpacing(4)
        self._heading = QLabel()
        outer.addWidget(self._heading)
        self.rows: dict[int | None, _LevelRow] = {}
        for level in [*(h.level for h in LEVELS_TOP_DOWN), None]:  # Summit on top
            row = _LevelRow(level, self)
            row.clicked.connect(lambda lv=level: self._choose(lv, "user"))
            self.rows[level] = row
            outer.addWidget(row)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addSpacing(4)
        outer.addWidget(line)
        self._rubric_heading = QLabel()
        outer.addWidget(self._rubric_heading)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self._groups: list[QButtonGroup] = []
        self.answer_buttons: list[tuple[QPushButton, QPushButton]] = []
        self._questions: list[QLabel] = []
        for i in range(len(RUBRIC_QUESTIONS)):
            label = QLabel()
            label.setWordWrap(True)
            grid.addWidget(label, i, 0)
            self._questions.append(label)
            group = QButtonGroup(self)
            pair = (QPushButton(), QPushButton())
            for col, button in enumerate(pair):
                button.setCheckable(True)
                button.setAutoDefault(False)
                group.addButton(button, 1 - col)  # id 1 = yes, 0 = no
                grid.addWidget(button, i, 1 + col)
            group.idToggled.connect(self._on_answer_toggled)
            self._groups.append(group)
            self.answer_buttons.append(pair)
        grid.setColumnStretch(0, 1)
        outer.addLayout(grid)
        bottom = QHBoxLayout()
        self.proposal_label = QLabel()
        self.proposal_label.setWordWrap(True)
        bottom.addWidget(self.proposal_label, 1)
        self.use_button = QPushButton()
        self.use_button.setAutoDefault(False)
        self.use_button.clicked.connect(self._on_use_clicked)
        bottom.addWidget(self.use_button)
        outer.addLayout(bottom)
        # Wrapped labels would otherwise ask for the whole screen: fix the width, wrap inside.
        self.setFixedWidth(max(440, min(600, self.fontMetrics().horizontalAdvance("n") * 70)))
        self._current: int | None = None
        self.retranslate()
        self.reset()

    def retranslate(self) -> None:
        """Set every text in the current language (also on a ``LanguageChange`` event)."""
        self._heading.setText(f"<b>{_('How hard would an AI find this?')}</b>")
        self._rubric_heading.setText(f"<b>{_('Not sure? Answer three questions')}</b>")
        for i, (label, question) in enumerate(zip(self._questions, RUBRIC_QUESTIONS, strict=True)):
            label.setText(f"{'abc'[i]}) {_(question)}")
        for yes, no in self.answer_buttons:
            yes.setText(_("Yes"))
            no.setText(_("No"))
        self.use_button.setText(_("Use this level"))
        for row in self.rows.values():
            row.retranslate()
        self._update_proposal()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def reset(self, current: int | None = None) -> None:
        """Clear the rubric answers and mark *current* as the entry's level."""
        self._current = current
        for group in self._groups:
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        for level, row in self.rows.items():
            row.set_current(level == current)
        self._update_proposal()

    def answers(self) -> tuple[bool | None, bool | None, bool | None]:
        """The rubric answers so far (``None`` = not answered)."""
        values = [None if g.checkedId() == -1 else bool(g.checkedId()) for g in self._groups]
        return (values[0], values[1], values[2])

    def set_answers(self, *answers: bool | None) -> None:
        """Answer the rubric programmatically (yes/no/``None``), as clicking would."""
        for group, answer in zip(self._groups, answers, strict=True):
            if answer is None:
                group.setExclusive(False)
                for button in group.buttons():
                    button.setChecked(False)
                group.setExclusive(True)
            else:
                group.button(1 if answer else 0).setChecked(True)
        self._update_proposal()

    def proposal(self) -> int | None:
        return proposed_level(self.answers())

    def popup_below(self, widget: QWidget) -> None:
        """Show the picker just below *widget*, kept on its screen."""
        self.adjustSize()
        pos = widget.mapToGlobal(QPoint(0, widget.height() + 2))
        screen = widget.screen().availableGeometry()
        x = max(screen.left(), min(pos.x(), screen.right() - self.width()))
        y = (
            pos.y()
            if pos.y() + self.height() <= screen.bottom()
            else (widget.mapToGlobal(QPoint(0, 0)).y() - self.height() - 2)
        )
        self.move(x, max(screen.top(), y))
        self.show()
        self.rows[self._current if self._current in self.rows else 0].setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text and text in "01234":
            self._choose(int(text), "user")
            return
        super().keyPressEvent(event)

    def _on_answer_toggled(self, _id: int, _checked: bool) -> None:
        self._update_proposal()

    def _update_proposal(self) -> None:
        level = self.proposal()
        self.use_button.setEnabled(level is not None)
        if level is None:
            self.proposal_label.setText(_("Answer the questions to get a proposed level."))
        else:
            self.proposal_label.setText(
                _("Proposed: {name}").format(name=f"<b>{hardness_label(level)}</b>")
            )

    def _on_use_clicked(self) -> None:
        level = self.proposal()
        if level is not None:
            self._choose(level, "rubric")

    def _choose(self, level: int | None, source: str) -> None:
        self.hide()
        self.level_chosen.emit(level, source)
