"""The "due entries" step of the weekly review: one entry at a time, one click per decision.

A passive view: it shows a :class:`~questionbook.core.review.DueItem` and the rest of the queue
and *asks* for actions through signals; :class:`~questionbook.ui.pages.review_page.ReviewPage`
performs them through the review service (one transaction each) and shows the next entry.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.review import DueItem
from questionbook.core.schedule import reason_label
from questionbook.core.timeutil import to_local
from questionbook.core.vocabulary import (
    CLOSED_STATUSES,
    HARDNESS,
    KIND_LABELS,
    STATUS_LABELS,
    STATUSES,
    Kind,
)
from questionbook.i18n import _
from questionbook.ui.widgets.editor.hardness_picker import (
    hardness_color,
    hardness_label,
    swatch_icon,
)

CARD_QSS = """
QFrame#reviewCard {
    background-color: palette(base);
    border: 1px solid palette(mid);
    border-left: 5px solid %s;
    border-radius: 6px;
}
"""
BODY_PREVIEW = 400


def muted(text: str, parent: QWidget) -> QLabel:
    """A secondary-text label (the palette's placeholder colour, readable in both themes)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class DuePane(QWidget):
    """Shows one due entry with its actions, and the entries still to come."""

    action_requested = Signal(str, object)
    """The user chose an action (keep, snooze, rerate, status, sharpen) and its value."""
    move_requested = Signal(int)
    """The user wants the previous (-1) or next (+1) entry without acting on this one."""
    jump_requested = Signal(int)
    """The user picked an entry further down the queue (its position)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._position = 0
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(10)
        self.progress = muted("", self)
        box.addWidget(self.progress)

        self.card = QFrame(self)
        self.card.setObjectName("reviewCard")
        card_box = QVBoxLayout(self.card)
        card_box.setContentsMargins(18, 14, 18, 14)
        card_box.setSpacing(6)
        self.title = QLabel(self.card)
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = muted("", self.card)
        self.reasons = QLabel(self.card)
        self.body = QLabel(self.card)
        self.body.setWordWrap(True)
        for w in (self.title, self.meta, self.reasons, self.body):
            card_box.addWidget(w)
        box.addWidget(self.card)

        self.keep_button = QPushButton(_("Keep"), self)
        self.keep_button.setDefault(True)
        self.keep_button.setToolTip(_("Looked at it; leave it as it is"))
        self.keep_button.clicked.connect(lambda: self.action_requested.emit("keep", None))
        self.snooze_button = QPushButton(_("Snooze a week"), self)
        self.snooze_button.clicked.connect(lambda: self.action_requested.emit("snooze", None))
        self.back_button = QPushButton(_("Back"), self)
        self.back_button.clicked.connect(lambda: self.move_requested.emit(-1))
        self.skip_button = QPushButton(_("Skip"), self)
        self.skip_button.clicked.connect(lambda: self.move_requested.emit(1))
        row = QHBoxLayout()
        row.addWidget(self.keep_button)
        row.addWidget(self.snooze_button)
        row.addStretch(1)
        row.addWidget(self.back_button)
        row.addWidget(self.skip_button)
        box.addLayout(row)

        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(8)
        form.addWidget(QLabel(_("Re-rate:"), self), 0, 0)
        rate_row = QHBoxLayout()
        rate_row.setSpacing(6)
        self.rate_buttons: list[QPushButton] = []
        for h in HARDNESS:
            button = QPushButton(swatch_icon(h.level), f"{h.level} {h.label}", self)
            button.setToolTip(h.description)
            button.clicked.connect(
                lambda _c=False, lv=h.level: self.action_requested.emit("rerate", lv)
            )
            self.rate_buttons.append(button)
            rate_row.addWidget(button)
        rate_row.addStretch(1)
        form.addLayout(rate_row, 0, 1)

        self.status_label = QLabel(_("Status:"), self)
        self.status_row = QWidget(self)
        status_box = QHBoxLayout(self.status_row)
        status_box.setContentsMargins(0, 0, 0, 0)
        self.status_combo = QComboBox(self.status_row)
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.outcome_edit = QLineEdit(self.status_row)
        self.outcome_edit.setPlaceholderText(_("Outcome: the answer found, or what came of it"))
        self.status_button = QPushButton(_("Set status"), self.status_row)
        self.status_button.clicked.connect(self._on_status_clicked)
        status_box.addWidget(self.status_combo)
        status_box.addWidget(self.outcome_edit, 1)
        status_box.addWidget(self.status_button)
        form.addWidget(self.status_label, 1, 0)
        form.addWidget(self.status_row, 1, 1)

        form.addWidget(QLabel(_("Sharpen:"), self), 2, 0)
        sharpen_row = QHBoxLayout()
        self.sharpen_edit = QLineEdit(self)
        self.sharpen_edit.setPlaceholderText(_("A sharper, bolder version of it"))
        self.sharpen_edit.returnPressed.connect(self._on_sharpen_clicked)
        self.sharpen_button = QPushButton(_("Save follow-up"), self)
        self.sharpen_button.clicked.connect(self._on_sharpen_clicked)
        sharpen_row.addWidget(self.sharpen_edit, 1)
        sharpen_row.addWidget(self.sharpen_button)
        form.addLayout(sharpen_row, 2, 1)
        box.addLayout(form)

        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setForegroundRole(QPalette.ColorRole.BrightText)
        box.addWidget(self.error)
        self.up_next_label = muted(_("Up next"), self)
        self.up_next = QListWidget(self)
        self.up_next.setIconSize(QSize(12, 12))
        self.up_next.itemActivated.connect(
            lambda item: self.jump_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        box.addWidget(self.up_next_label)
        box.addWidget(self.up_next, 1)

    def show_item(self, queue: list[DueItem], position: int) -> None:
        """Show ``queue[position]`` and list what follows it."""
        self._position = position
        item = queue[position]
        e = item.entry
        self.progress.setText(_("Entry {i} of {n}").format(i=position + 1, n=len(queue)))
        self.card.setStyleSheet(CARD_QSS % hardness_color(e.hardness).name())
        self.title.setText(e.title)
        meta = [_(KIND_LABELS[Kind(e.kind)])]
        if e.status:
            meta.append(_(STATUS_LABELS[e.status]))
        meta.append(hardness_label(e.hardness))
        meta.append(_("written {date}").format(date=to_local(e.created_at).date().isoformat()))
        if e.tags:
            meta.append(" ".join(f"#{t}" for t in e.tags))
        self.meta.setText("  ·  ".join(meta))
        self.reasons.setText("   ".join(f"⟳ {reason_label(r)}" for r in item.reasons))
        head = " ".join(e.head.split())
        self.body.setText(head[:BODY_PREVIEW] + ("…" if len(head) > BODY_PREVIEW else ""))
        self.body.setVisible(bool(head))
        for button, h in zip(self.rate_buttons, HARDNESS, strict=True):
            button.setEnabled(h.level != e.hardness)
        statuses = STATUSES[Kind(e.kind)]
        self.status_row.setVisible(bool(statuses))
        self.status_label.setVisible(bool(statuses))
        self.status_combo.clear()
        for status in statuses:
            if status != e.status:
                self.status_combo.addItem(_(STATUS_LABELS[status]), status)
        closing = [
            i
            for i in range(self.status_combo.count())
            if self.status_combo.itemData(i) in CLOSED_STATUSES
        ]
        if closing:  # the likely decision in a review: it was answered, or it is done
            self.status_combo.setCurrentIndex(closing[0])
        self.outcome_edit.setText(e.outcome)
        self.sharpen_edit.setText(e.title)
        self.error.clear()
        self.up_next.clear()
        for index in range(position + 1, len(queue)):
            nxt = queue[index].entry
            row = QListWidgetItem(swatch_icon(nxt.hardness), nxt.title)
            row.setData(Qt.ItemDataRole.UserRole, index)
            self.up_next.addItem(row)
        self.up_next_label.setVisible(self.up_next.count() > 0)
        self.up_next.setVisible(self.up_next.count() > 0)
        self.keep_button.setFocus()

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def _on_status_clicked(self) -> None:
        status = self.status_combo.currentData()
        if status:
            self.action_requested.emit("status", (status, self.outcome_edit.text()))

    def _on_sharpen_clicked(self) -> None:
        text = self.sharpen_edit.text().strip()
        if text:
            self.action_requested.emit("sharpen", text)


def heading(text: str, parent: QWidget, delta: int = 5) -> QLabel:
    """A bold title, *delta* points larger than the default font."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + delta)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label
