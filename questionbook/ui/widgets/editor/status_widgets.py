"""Small editors for an entry's kind, its status and the outcome of a closed entry.

They only show values and say what the user chose; the :class:`EntryEditor` decides when to
write. The statuses come from :data:`questionbook.core.vocabulary.STATUSES`, so a new status
needs no change here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.vocabulary import (
    KIND_LABELS,
    OUTCOME_STATUSES,
    STATUS_LABELS,
    STATUSES,
    Kind,
)
from questionbook.i18n import _


class KindSwitch(QWidget):
    """Three joined toggle buttons: Question | Plan | Note."""

    kind_chosen = Signal(str)
    """The user picked another kind (its stored value)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        for i, kind in enumerate(Kind):
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setObjectName(f"kind_{kind.value}")
            button.setProperty("segment", ("first", "middle", "last")[min(i, 2)])
            self._group.addButton(button, i)
            self.buttons[kind.value] = button
            layout.addWidget(button)
        self._group.idClicked.connect(self._on_group_id_clicked)
        self.setStyleSheet(
            "QToolButton { padding: 3px 10px; border: 1px solid rgba(127,127,127,110);"
            " background: transparent; }"
            "QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); border-color: palette(highlight); }"
            'QToolButton[segment="first"] { border-top-left-radius: 5px;'
            " border-bottom-left-radius: 5px; }"
            'QToolButton[segment="middle"] { border-left: none; border-right: none; }'
            'QToolButton[segment="last"] { border-top-right-radius: 5px;'
            " border-bottom-right-radius: 5px; }"
        )
        self.retranslate()

    def retranslate(self) -> None:
        for kind in Kind:
            self.buttons[kind.value].setText(_(KIND_LABELS[kind]))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def kind(self) -> str:
        checked = self._group.checkedButton()
        return next((k for k, b in self.buttons.items() if b is checked), Kind.NOTE.value)

    def set_kind(self, kind: str) -> None:
        self.buttons[kind].setChecked(True)

    def _on_group_id_clicked(self, index: int) -> None:
        self.kind_chosen.emit(list(Kind)[index].value)


class StatusBox(QComboBox):
    """The statuses of the current kind, in lifecycle order; hidden for notes."""

    status_chosen = Signal(str)
    """The user picked a status (its stored value)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(_("Status"))
        self.activated.connect(self._on_activated)
        self._kind = Kind.QUESTION.value

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.setToolTip(_("Status"))
            self.set_kind_status(self._kind, self.status())

    def set_kind_status(self, kind: str, status: str | None) -> None:
        """Offer *kind*'s statuses and select *status* (without emitting anything)."""
        self._kind = kind
        self.blockSignals(True)
        self.clear()
        for value in STATUSES[Kind(kind)]:
            self.addItem(_(STATUS_LABELS[value]), value)
        index = self.findData(status)
        self.setCurrentIndex(max(index, 0) if self.count() else -1)
        self.blockSignals(False)
        # Room for the longest status plus the arrow, whatever padding the theme adds.
        widths = [
            self.fontMetrics().horizontalAdvance(self.itemText(i)) for i in range(self.count())
        ]
        self.setMinimumWidth(max(widths, default=0) + 44)

    def status(self) -> str | None:
        value = self.currentData()
        return str(value) if value is not None else None

    def set_status(self, status: str) -> None:
        """Select *status* as if the user picked it (emits :attr:`status_chosen`)."""
        index = self.findData(status)
        if index < 0:
            raise ValueError(f"{status!r} is not offered for this kind")
        self.setCurrentIndex(index)
        self.status_chosen.emit(status)

    def _on_activated(self, index: int) -> None:
        self.status_chosen.emit(str(self.itemData(index)))


class OutcomeField(QWidget):
    """The answer found or what came of a plan; shown once the entry is closed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.label = QLabel()
        self.label.setObjectName("fieldLabel")
        layout.addWidget(self.label)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setObjectName("outcomeEdit")
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(line * 3 + 14)
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout.addWidget(self.edit)
        self.label.setBuddy(self.edit)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._context: tuple[str, str | None] = (Kind.QUESTION.value, None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.set_context(*self._context)

    @staticmethod
    def applies(status: str | None) -> bool:
        """True if an entry with *status* has an outcome to write down."""
        return status in OUTCOME_STATUSES

    def set_context(self, kind: str, status: str | None) -> None:
        """Word the label for the entry and show the field only when it applies."""
        self._context = (kind, status)
        if kind == Kind.QUESTION.value and status == "answered":
            self.label.setText(_("Answer"))
            self.edit.setPlaceholderText(_("What did you find out?"))
        elif status in ("retired", "dropped"):
            self.label.setText(_("Outcome"))
            self.edit.setPlaceholderText(_("Why let it go? What did you learn?"))
        else:
            self.label.setText(_("Outcome"))
            self.edit.setPlaceholderText(_("What came of it?"))
        self.setVisible(self.applies(status))

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
