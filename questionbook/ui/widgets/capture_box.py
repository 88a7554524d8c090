"""The capture box: type a line, press Enter, and the entry is saved at once.

Capturing must take seconds, so there is no dialog: the line is the title, the kind comes from
the small switch beside the box (question, plan, note), and the box clears for the next one.

The kind stays as chosen (a run of notes is common), and it always shows which one is armed:
the chosen kind's button carries its name on the accent colour, the others are icons only, and
the placeholder asks the question of that kind. A kind that "silently stayed on note" after one
note is how a question got saved as a note (issue 12).

The write is a patient operation (:mod:`questionbook.ui.operations`) on the window's worker
thread. The box waits a moment for it (a few milliseconds when the journal is free, so the new
entry is listed at once). If the journal is busy in another program, the box clears anyway and
the line waits in the queue until the journal is free (:attr:`CaptureBox.late_entry_captured`);
if a write fails for another reason, the text comes back into the box, or, when the user has
typed something else meanwhile, it is tried again a few seconds later. Nothing captured is
dropped. The operation announces the new entry, so the lists show it by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QToolButton, QWidget

from questionbook.core.entities import Entry
from questionbook.core.journal import Journal
from questionbook.core.vocabulary import KIND_LABELS, Kind
from questionbook.i18n import N_, _
from questionbook.ui import resources
from questionbook.ui.journal_writer import WriteJob
from questionbook.ui.operations import Changes, Operations

PLACEHOLDERS = {
    Kind.QUESTION: N_("What are you curious about?"),
    Kind.PLAN: N_("What ambitious thing do you want to do?"),
    Kind.NOTE: N_("What's on your mind?"),
}
#: How long Enter waits for the write before letting it finish in the background.
CAPTURE_WAIT_MS = 2000
RETRY_DELAY_MS = 5000
#: Narrower than this, the armed kind shows its colour but not its name (the line needs room).
NAMED_KIND_WIDTH = 340


@dataclass
class PendingCapture:
    """A captured line on its way to the journal."""

    text: str
    kind: Kind
    waited: bool = False  # the box stopped waiting for it (the journal was busy)


class CaptureBox(QWidget):
    """A line edit plus a kind switch that writes new entries through the journal."""

    entry_captured = Signal(str)
    """A new entry was saved (its id)."""
    late_entry_captured = Signal(str)
    """A line captured while the journal was busy has now been saved (the new entry's id)."""
    capture_failed = Signal(str)
    """Saving failed; the message says why (the text is kept and saved later, or put back)."""

    def __init__(
        self,
        journal: Journal,
        parent: QWidget | None = None,
        *,
        ops: Operations | None = None,
        retry_ms: int = RETRY_DELAY_MS,
        clear_button: bool = True,
    ) -> None:
        """Without *clear_button* the line's clear button waits for :meth:`enable_clear_button`
        (the style looks its icon up in the icon theme: the app does it after its first paint,
        issue 21; the button only shows once there is text)."""
        super().__init__(parent)
        self._journal = journal
        self._ops = ops or Operations(journal.db.path, self)
        self._pending: list[PendingCapture] = []
        self._retry_ms = retry_ms
        self.setObjectName("captureBox")
        self.line = QLineEdit(self)
        self.line.setObjectName("captureLine")
        self.line.setClearButtonEnabled(clear_button)
        self.line.returnPressed.connect(self._on_line_return_pressed)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[Kind, QToolButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.line, 1)
        for kind in Kind:
            button = QToolButton(self)
            button.setObjectName(f"kind_{kind.value}")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setIconSize(QSize(18, 18))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._group.addButton(button)
            self._buttons[kind] = button
            layout.addWidget(button)
            button.toggled.connect(self._on_kind_toggled)
        self.setStyleSheet(
            "#captureBox QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); border-radius: 5px; padding: 1px 6px; }"
        )
        self._buttons[Kind.QUESTION].setChecked(True)
        self.retranslate()

    def enable_clear_button(self) -> None:
        self.line.setClearButtonEnabled(True)

    def changeEvent(self, event: QEvent) -> None:
        """Follow a live switch of theme (icons) and language (texts)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def _paint_icons(self) -> None:
        palette = self.palette()
        color = palette.color(self.foregroundRole())
        armed = palette.color(palette.ColorRole.HighlightedText)
        for kind, button in self._buttons.items():
            button.setIcon(resources.icon(kind.value, armed if button.isChecked() else color))

    def _show_armed(self) -> None:
        """The chosen kind shows its name (when the box has room for it: in a narrow window
        its accent colour alone marks it); the others only their icon."""
        roomy = self.width() >= NAMED_KIND_WIDTH
        for kind, button in self._buttons.items():
            armed = button.isChecked() and roomy
            button.setText(_(KIND_LABELS[kind]) if armed else "")
            button.setToolButtonStyle(
                Qt.ToolButtonStyle.ToolButtonTextBesideIcon
                if armed
                else Qt.ToolButtonStyle.ToolButtonIconOnly
            )
        self._paint_icons()

    def retranslate(self) -> None:
        for kind, button in self._buttons.items():
            button.setToolTip(_("New entries are: {kind}").format(kind=_(KIND_LABELS[kind])))
            button.setAccessibleName(_(KIND_LABELS[kind]))
        self.line.setPlaceholderText(_(PLACEHOLDERS[self.kind()]))
        self._show_armed()

    def kind(self) -> Kind:
        for kind, button in self._buttons.items():
            if button.isChecked():
                return kind
        return Kind.QUESTION

    def set_kind(self, kind: Kind) -> None:
        self._buttons[kind].setChecked(True)

    def focus(self) -> None:
        """Put the cursor in the box, ready to type."""
        self.line.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.line.selectAll()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        roomy = event.size().width() >= NAMED_KIND_WIDTH
        if roomy != (event.oldSize().width() >= NAMED_KIND_WIDTH):
            self._show_armed()

    def _on_kind_toggled(self, checked: bool) -> None:
        if checked:
            self.line.setPlaceholderText(_(PLACEHOLDERS[self.kind()]))
            self._show_armed()

    def pending(self) -> list[PendingCapture]:
        """Lines captured but not saved yet (the journal is busy, or a write failed)."""
        return list(self._pending)

    def _on_line_return_pressed(self) -> None:
        text = self.line.text().strip()
        if not text:
            return
        item = PendingCapture(text, self.kind())
        self._pending.append(item)
        job = self._submit(item)
        if not self._ops.wait(job, CAPTURE_WAIT_MS):
            item.waited = True  # the text is safe in the queue; the box is free for the next
            self.line.clear()

    def _submit(self, item: PendingCapture) -> WriteJob:
        journal = self._journal
        return (
            self._ops.op(
                lambda: journal.add(item.text, kind=item.kind),
                changes=lambda entry: Changes.of(entry.id, rows=True, tags=bool(entry.tags)),
                initiator=self,
            )
            .patient()
            .on_success(lambda entry: self._on_saved(item, entry))
            .on_failure(lambda reason: self._on_failed(item, reason))
            .run()
        )

    def _on_saved(self, item: PendingCapture, entry: Entry) -> None:
        self._pending.remove(item)
        if item.waited:
            self.late_entry_captured.emit(entry.id)
            return
        self.line.clear()
        self.entry_captured.emit(entry.id)

    def _on_failed(self, item: PendingCapture, reason: str) -> None:
        if not item.waited:  # Enter is still being answered: the text is still in the box
            self._pending.remove(item)
        elif not self.line.text().strip():
            self._pending.remove(item)
            self.line.setText(item.text)  # back where the user left it
        else:
            QTimer.singleShot(self._retry_ms, self, lambda: self._submit(item))
        self.capture_failed.emit(reason)
