"""The "due entries" step of the weekly review: one entry at a time, one click per decision.

A passive view: it shows a :class:`~questionbook.core.review.DueItem` and the rest of the queue
and *asks* for actions through signals; :class:`~questionbook.ui.pages.review_page.ReviewPage`
performs them through the review service (one transaction each) and shows the next entry.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPalette
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
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import Entry
from questionbook.core.review import DueItem, ReviewService
from questionbook.core.schedule import TIDE, reason_label, tide_message
from questionbook.core.vocabulary import (
    CLOSED_STATUSES,
    HARDNESS,
    KIND_LABELS,
    STATUS_LABELS,
    STATUSES,
    Kind,
)
from questionbook.i18n import N_, _
from questionbook.ui.locale_format import format_date
from questionbook.ui.operations import Changes
from questionbook.ui.retranslate import Texts
from questionbook.ui.widgets.editor.hardness_picker import (
    hardness_color,
    hardness_label,
    swatch_icon,
)
from questionbook.ui.widgets.elided_label import ElidedLabel, wrap_without_widening

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
    label = wrap_without_widening(QLabel(text, parent))  # it may show titles, tags, paths
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
        self._item: DueItem | None = None
        self._queue_size = 0
        self._waterline = 1
        t = self._texts = Texts()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(10)
        # Nothing below moves from one entry to the next (issue 12, #11): the card has one
        # height (a long entry scrolls inside it), rows that do not apply keep their place,
        # and "Up next" keeps its place on the last entry too.
        top = QHBoxLayout()
        self.progress = muted("", self)
        top.addWidget(self.progress, 1)
        self.confirmation = ElidedLabel(parent=self)  # what the last action did, e.g. re-rated
        self.confirmation.setObjectName("reviewConfirmation")
        self.confirmation.setStyleSheet("color: #2f9a57;")
        self.confirmation.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.confirmation, 2)
        box.addLayout(top)

        self.card = QFrame(self)
        self.card.setObjectName("reviewCard")
        frame_box = QVBoxLayout(self.card)
        frame_box.setContentsMargins(4, 4, 4, 4)
        self.card_scroll = QScrollArea(self.card)
        self.card_scroll.setWidgetResizable(True)
        self.card_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.card_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card_scroll.viewport().setAutoFillBackground(False)
        self.card_scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        inner = QWidget(self.card_scroll)
        card_box = QVBoxLayout(inner)
        card_box.setContentsMargins(14, 10, 14, 10)
        card_box.setSpacing(6)
        self.card_scroll.setWidget(inner)
        inner.setAutoFillBackground(False)  # the card's colour shows (setWidget turned it on)
        frame_box.addWidget(self.card_scroll)
        self.title = QLabel(inner)
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        wrap_without_widening(self.title)  # the user's title: wraps, never widens the page
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = muted("", inner)
        self.reasons = wrap_without_widening(QLabel(inner))
        self.body = wrap_without_widening(QLabel(inner))
        for w in (self.title, self.meta, self.reasons, self.body):
            card_box.addWidget(w)
        card_box.addStretch(1)
        box.addWidget(self.card)
        self._fix_card_height()

        self.keep_button = QPushButton(self)
        t.set(self.keep_button.setText, N_("Keep"))
        t.set(self.keep_button.setToolTip, N_("Looked at it; leave it as it is"))
        self.keep_button.clicked.connect(lambda: self.action_requested.emit("keep", None))
        self.snooze_button = QPushButton(self)
        t.set(self.snooze_button.setText, N_("Snooze a week"))
        self.snooze_button.clicked.connect(lambda: self.action_requested.emit("snooze", None))
        self.back_button = QPushButton(self)
        t.set(self.back_button.setText, N_("Back"))
        self.back_button.clicked.connect(lambda: self.move_requested.emit(-1))
        self.skip_button = QPushButton(self)
        t.set(self.skip_button.setText, N_("Skip"))
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
        rerate_label = QLabel(self)
        t.set(rerate_label.setText, N_("Re-rate:"))
        form.addWidget(rerate_label, 0, 0)
        rate_row = QHBoxLayout()
        rate_row.setSpacing(6)
        self.rate_buttons: list[QPushButton] = []
        for h in HARDNESS:
            button = QPushButton(swatch_icon(h.level), "", self)
            button.clicked.connect(
                lambda _c=False, lv=h.level: self.action_requested.emit("rerate", lv)
            )
            self.rate_buttons.append(button)
            rate_row.addWidget(button)
        rate_row.addStretch(1)
        form.addLayout(rate_row, 0, 1)

        self.status_label = QLabel(self)
        t.set(self.status_label.setText, N_("Status:"))
        self.status_row = QWidget(self)
        status_box = QHBoxLayout(self.status_row)
        status_box.setContentsMargins(0, 0, 0, 0)
        self.status_combo = QComboBox(self.status_row)
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.outcome_edit = QLineEdit(self.status_row)
        t.set(
            self.outcome_edit.setPlaceholderText,
            N_("Outcome: the answer found, or what came of it"),
        )
        self.status_button = QPushButton(self.status_row)
        t.set(self.status_button.setText, N_("Set status"))
        self.status_button.clicked.connect(self._on_status_clicked)
        status_box.addWidget(self.status_combo)
        status_box.addWidget(self.outcome_edit, 1)
        status_box.addWidget(self.status_button)
        form.addWidget(self.status_label, 1, 0)
        form.addWidget(self.status_row, 1, 1)
        for hidden_for_notes in (self.status_label, self.status_row):
            _keep_place_when_hidden(hidden_for_notes)

        sharpen_label = QLabel(self)
        t.set(sharpen_label.setText, N_("Sharpen:"))
        form.addWidget(sharpen_label, 2, 0)
        sharpen_row = QHBoxLayout()
        self.sharpen_edit = QLineEdit(self)
        t.set(self.sharpen_edit.setPlaceholderText, N_("A sharper, bolder version of it"))
        self.sharpen_edit.returnPressed.connect(self._on_sharpen_clicked)
        self.sharpen_button = QPushButton(self)
        t.set(self.sharpen_button.setText, N_("Save follow-up"))
        self.sharpen_button.clicked.connect(self._on_sharpen_clicked)
        sharpen_row.addWidget(self.sharpen_edit, 1)
        sharpen_row.addWidget(self.sharpen_button)
        form.addLayout(sharpen_row, 2, 1)
        box.addLayout(form)

        self.error = wrap_without_widening(QLabel(self))
        self.error.setForegroundRole(QPalette.ColorRole.BrightText)
        box.addWidget(self.error)
        self.up_next_label = muted("", self)
        self.up_next = QListWidget(self)
        self.up_next.setIconSize(QSize(12, 12))
        self.up_next.itemActivated.connect(
            lambda item: self.jump_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        _keep_place_when_hidden(self.up_next)
        box.addWidget(self.up_next_label)
        box.addWidget(self.up_next, 1)
        self._show_rate_labels()

    def _fix_card_height(self) -> None:
        """One height for every entry: two lines of title, two of details, one of reasons and
        three of text (more scrolls inside the card)."""
        title = QFontMetrics(self.title.font()).lineSpacing()
        line = self.fontMetrics().lineSpacing()
        self.card.setFixedHeight(2 * title + 6 * line + 3 * 6 + 2 * 10 + 2 * 4 + 4)

    def show_confirmation(self, text: str) -> None:
        """Say what the last action did ("“…” is now 1 Shallows"); "" clears it."""
        self.confirmation.setText(f"✓ {text}" if text else "")

    def _show_rate_labels(self) -> None:
        for button, h in zip(self.rate_buttons, HARDNESS, strict=True):
            button.setText(f"{h.level} {h.label}")
            button.setToolTip(h.description)

    def changeEvent(self, event: QEvent) -> None:
        """Say everything again in a new language; what was typed in the fields stays."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fix_card_height()
        if event.type() != QEvent.Type.LanguageChange:
            return
        self._texts.retranslate()
        self._show_rate_labels()
        self.confirmation.setText("")  # said in the old language; the next action says anew
        if self._item is not None:
            self._show_labels(self._item)
            for i in range(self.status_combo.count()):
                self.status_combo.setItemText(i, _(STATUS_LABELS[self.status_combo.itemData(i)]))

    def _show_labels(self, item: DueItem) -> None:
        """The texts about the entry shown (the translated parts of its card)."""
        e = item.entry
        self.progress.setText(
            _("Entry {i} of {n}").format(i=self._position + 1, n=self._queue_size)
        )
        meta = [_(KIND_LABELS[Kind(e.kind)])]
        if e.status:
            meta.append(_(STATUS_LABELS[e.status]))
        meta.append(hardness_label(e.hardness))
        meta.append(_("written {date}").format(date=format_date(e.created_at)))
        if e.tags:
            meta.append(" ".join(f"#{t}" for t in e.tags))
        self.meta.setText("  ·  ".join(meta))
        self.reasons.setText("   ".join(f"⟳ {reason_label(r)}" for r in item.reasons))
        if TIDE in item.reasons:  # the tide came: "sealed at Shallows; it is at ... now"
            self.reasons.setText(
                self.reasons.text() + "\n" + tide_message(e.seal_waterline, self._waterline)
            )

    def show_item(self, queue: list[DueItem], position: int, waterline: int | None = None) -> None:
        """Show ``queue[position]`` and list what follows it (*waterline*: where the water
        stands, for the tide's question)."""
        self._position = position
        if waterline is not None:
            self._waterline = waterline
        self._queue_size = len(queue)
        item = self._item = queue[position]
        e = item.entry
        self.card.setStyleSheet(CARD_QSS % hardness_color(e.hardness).name())
        self.title.setText(e.title)
        self._show_labels(item)
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
        last = self.up_next.count() == 0
        self.up_next_label.setText(
            _("This is the last one; the waterline comes next.") if last else _("Up next")
        )
        self.up_next.setVisible(not last)
        # The focus rests on the card, not on a button: a space or a letter typed while the
        # user thinks a text field has the focus must not press Keep (issue 12, #11).
        self.card_scroll.setFocus(Qt.FocusReason.OtherFocusReason)
        self.card_scroll.verticalScrollBar().setValue(0)

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


def _keep_place_when_hidden(widget: QWidget) -> None:
    """Hiding *widget* leaves its space empty instead of moving what follows up."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def heading(text: str, parent: QWidget, delta: int = 5) -> QLabel:
    """A bold title, *delta* points larger than the default font."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + delta)
    font.setBold(True)
    label.setFont(font)
    return wrap_without_widening(label)


def due_write(
    review: ReviewService, review_id: int, entry_id: str, action: str, value: object
) -> tuple[Callable[[], object], Changes] | None:
    """The service call for a :attr:`DuePane.action_requested` and what it changes (None for
    an action it does not know)."""
    changes = Changes(entries=frozenset({entry_id}), reviews=True)
    if action == "keep":
        return (lambda: review.keep(review_id, entry_id)), changes
    if action == "snooze":
        return (lambda: review.snooze(review_id, entry_id)), changes
    if action == "rerate":
        level = value if isinstance(value, int) else None
        return (lambda: review.rerate(review_id, entry_id, level)), changes | Changes(rows=True)
    if action == "status" and isinstance(value, tuple):
        status, outcome = str(value[0]), str(value[1])
        work = lambda: review.change_status(review_id, entry_id, status, outcome)  # noqa: E731
        return work, changes | Changes(rows=True)
    if action == "sharpen":
        title = str(value)
        work = lambda: review.sharpen(review_id, entry_id, title)  # noqa: E731
        return work, changes | Changes(rows=True, tags=True)
    return None


def done_text(action: str, title: str, result: object) -> str:
    """What an action on the entry titled *title* did, said after it (the review confirms
    every decision visibly, a re-rating above all: the card has moved on by then)."""
    if action == "rerate" and isinstance(result, Entry):
        level = hardness_label(result.hardness)
        if result.hardness is not None:
            level = f"{result.hardness} {level}"
        return _("Re-rated “{title}”: {level}").format(title=title, level=level)
    if action == "status" and isinstance(result, Entry) and result.status:
        return _("“{title}” is now {status}").format(
            title=title, status=_(STATUS_LABELS[result.status])
        )
    if action == "keep":
        return _("Kept “{title}”").format(title=title)
    if action == "snooze":
        return _("Snoozed “{title}” for a week").format(title=title)
    if action == "sharpen":
        return _("Saved a sharper follow-up of “{title}”").format(title=title)
    return ""
