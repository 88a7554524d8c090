"""The files of the entry as chips under the body (issue 18): name, size and type; a click
opens the file with the system's default application (a private copy), × removes it.

One row that scrolls sideways rather than wraps, so any number of files costs the editor one
line's height (it must fit 800×600); hidden while the entry has none. The list is read when
the editor shows an entry and again when an operation says the entry changed (a paste, a
detach, another program), and the chips are rebuilt only if it differs.

Removing is a ``detach``: the file leaves the entry and its references leave the text; its
bytes are freed if no other entry holds them. It asks first, since that cannot be undone,
and hands the editor's pending text to the writer before, so the references removed are
those of the text as typed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QToolButton,
    QWidget,
)

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.attachments import Attachment, human_size
from questionbook.core.entities import Entry
from questionbook.i18n import _
from questionbook.ui.attachment_images import READ_ERRORS
from questionbook.ui.attachment_opener import AttachmentOpener
from questionbook.ui.operations import Changes, Operations

_MUTED = "color: rgba(127, 127, 127, 230);"
_CHIP_CSS = (
    "#attachmentChip { border: 1px solid rgba(127, 127, 127, 90); border-radius: 10px; }"
    "#openAttachment { border: none; padding: 0 2px; }"
    "#removeAttachment { border: none; padding: 0 2px; }"
)
#: A chip shows at most this many characters of a name (the tooltip has all of it).
NAME_CHARS = 28
Confirm = Callable[[QWidget, Attachment], bool]


def type_label(item: Attachment) -> str:
    """A short word for the file's type: ``PNG``, ``PDF`` ... (the extension, else the mime)."""
    stem, dot, ext = item.name.rpartition(".")
    if dot and stem and 0 < len(ext) <= 5:
        return ext.upper()
    subtype = item.mime.rpartition("/")[2]
    return subtype.upper() if subtype and len(subtype) <= 8 else item.mime or "?"


def short_name(name: str) -> str:
    if len(name) <= NAME_CHARS:
        return name
    _stem, dot, ext = name.rpartition(".")
    tail = f"{dot}{ext}" if dot and len(ext) <= 6 else ""
    return name[: NAME_CHARS - len(tail) - 1] + "…" + tail


def ask_to_remove(parent: QWidget, item: Attachment) -> bool:
    answer = QMessageBox.question(
        parent,
        _("Remove Attachment"),
        _(
            "Remove {name} from this entry? Its references in the text are removed too, and "
            "its bytes are freed if no other entry holds it."
        ).format(name=item.name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class AttachmentChips(QWidget):
    """The entry's files as a row of chips; see the module docstring."""

    failed = Signal(str)
    """Reading, opening or removing failed; says why."""

    def __init__(
        self,
        attachments: AttachmentService,
        ops: Operations,
        opener: AttachmentOpener,
        parent: QWidget | None = None,
        *,
        hand_over: Callable[[], object] = lambda: None,
        confirm: Confirm = ask_to_remove,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentChips")
        self._attachments = attachments
        self._ops = ops
        self._opener = opener
        self._hand_over = hand_over
        self._confirm = confirm
        self._entry_id: str | None = None
        self._items: list[Attachment] = []
        self._read_only = False
        self.setStyleSheet(_CHIP_CSS)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self._label = QLabel(self)
        self._label.setStyleSheet(_MUTED)
        outer.addWidget(self._label)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("attachmentChipsScroll")
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidgetResizable(True)
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        outer.addWidget(self._scroll, 1)
        self._row_widget = QWidget(self._scroll)
        self._row = QHBoxLayout(self._row_widget)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(6)
        self._row.addStretch(1)
        self._scroll.setWidget(self._row_widget)
        opener.failed.connect(self._on_failed)
        ops.changed.connect(self._on_ops_changed)
        self._retranslate()
        self.hide()

    # -- public API ------------------------------------------------------------------------
    def show_entry(self, entry: Entry | None) -> None:
        """Show the files of *entry* (``None``: nothing)."""
        self._entry_id = entry.id if entry is not None else None
        self._read_only = entry is not None and entry.in_trash
        self.reload()

    def reload(self) -> None:
        """Read the entry's files again; the chips change only if they differ."""
        items: list[Attachment] = []
        if self._entry_id is not None:
            try:
                items = self._attachments.attached(self._entry_id)
            except READ_ERRORS:
                return  # gone, busy or closed: the next change reads again
        if items == self._items and self._row.count() == len(items) + 1:
            self.setVisible(bool(items))
            return
        self._items = items
        self._rebuild()

    def items(self) -> list[Attachment]:
        """The files shown, in the order they were added."""
        return list(self._items)

    def open(self, name: str) -> bool:
        """Open the file called *name* with the system's default application."""
        for item in self._items:
            if item.name == name:
                self._opener.open(item.sha256, item.name)
                return True
        return False

    def remove(self, name: str) -> bool:
        """Detach the file called *name* (after asking); False if nothing was done."""
        item = next((i for i in self._items if i.name == name), None)
        if item is None or self._entry_id is None or self._read_only:
            return False
        if not self._confirm(self, item):
            return False
        self._hand_over()
        entry_id, files = self._entry_id, self._attachments
        self._ops.op(
            lambda: files.detach(entry_id, item.name),
            changes=Changes.of(entry_id),
            initiator=self,
        ).on_success(lambda _result: self.reload()).on_failure(self._on_failed).run()
        return True

    # -- building --------------------------------------------------------------------------
    def _rebuild(self) -> None:
        while self._row.count() > 1:
            found = self._row.takeAt(0)
            widget = found.widget() if found is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, item in enumerate(self._items):
            self._row.insertWidget(index, self._chip(item))
        bar = self._scroll.horizontalScrollBar().sizeHint().height()
        self._scroll.setFixedHeight(self._row_widget.sizeHint().height() + bar)
        self.setVisible(bool(self._items))

    def _chip(self, item: Attachment) -> QFrame:
        chip = QFrame(self._row_widget)
        chip.setObjectName("attachmentChip")
        chip.setProperty("attachmentName", item.name)
        layout = QHBoxLayout(chip)
        layout.setContentsMargins(8, 1, 4, 1)
        layout.setSpacing(4)
        opener = QToolButton(chip)
        opener.setObjectName("openAttachment")
        opener.setText(short_name(item.name))
        opener.setAutoRaise(True)
        opener.setCursor(Qt.CursorShape.PointingHandCursor)
        details = f"{human_size(item.size)} · {type_label(item)}"
        opener.setToolTip(
            _("{name} ({details}, {mime}): open with the default application").format(
                name=item.name, details=human_size(item.size), mime=item.mime
            )
        )
        opener.clicked.connect(lambda: self.open(item.name))
        layout.addWidget(opener)
        size = QLabel(details, chip)
        size.setObjectName("attachmentDetails")
        size.setStyleSheet(_MUTED)
        layout.addWidget(size)
        remove = QToolButton(chip)
        remove.setObjectName("removeAttachment")
        remove.setText("\u00d7")  # ×
        remove.setAutoRaise(True)
        remove.setToolTip(_("Remove {name} from this entry").format(name=item.name))
        remove.setAccessibleName(_("Remove {name}").format(name=item.name))
        remove.setVisible(not self._read_only)
        remove.clicked.connect(lambda: self.remove(item.name))
        layout.addWidget(remove)
        return chip

    # -- reacting --------------------------------------------------------------------------
    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches(self._entry_id):
            self.reload()

    def _on_failed(self, reason: str) -> None:
        self.failed.emit(reason)

    def _retranslate(self) -> None:
        self._label.setText(_("Files:"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            with contextlib.suppress(RuntimeError):
                self._rebuild()
