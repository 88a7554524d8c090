"""The "Edited on two computers — compare": one conflict copy beside the value it lost to.

Both texts side by side, each with where and when it was written. The user keeps the current
text, takes the other, or edits the current one to combine them (lines that differ are
tinted on both sides); then the copy is settled in one operation
(:func:`questionbook.sync.conflicts.settle`: the field gets the chosen text, the copy is marked
as looked at, and both travel). "Decide later" leaves everything as it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import tzinfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.store import Store
from questionbook.i18n import _
from questionbook.sync.conflicts import CopyDetails, Origin, details, settle
from questionbook.sync.service import ConflictCopy
from questionbook.ui.locale_format import format_datetime
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.sync.words import field_label, place_text
from questionbook.ui.widgets.elided_label import wrap_without_widening

#: Above this many lines the differences are not tinted (it would cost too much per keystroke).
DIFF_LINE_LIMIT = 4000
_TINT = QColor(230, 160, 30, 60)


def device_words(device: str, names: dict[str, str], this_device: bool) -> str:
    """A device as a person knows it: its name, and whether it is this computer."""
    if not device:
        return _("this computer")
    name = names.get(device) or device
    return _("{name} (this computer)").format(name=name) if this_device else name


def origin_text(origin: Origin | None, names: dict[str, str]) -> str:
    if origin is None:
        return _("Written on this computer")
    who = device_words(origin.device, names, origin.this_device)
    if origin.at is None:
        return _("Written on {device}").format(device=who)
    return _("Written on {device}, {when}").format(device=who, when=format_datetime(origin.at))


def changes_of(copy: ConflictCopy) -> Changes:
    """What settling *copy* may change, for the views."""
    if copy.entry_id:
        return Changes.of(copy.entry_id, tags=copy.table == "entry")
    if copy.table == "review":
        return Changes(reviews=True)
    return Changes.everything()


class CompareDialog(QDialog):
    """Compare one conflict copy with the current value and settle it."""

    def __init__(
        self,
        copy: ConflictCopy,
        db: Store,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        tz: tzinfo | None = None,
        own_device: str | None = None,
        before_write: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle(_("Edited on Two Computers"))
        self._copy = copy
        self._db = db
        self._ops = ops
        self._tz = tz
        self._before_write = before_write or (lambda: None)
        self._info: CopyDetails = details(db, copy.table, copy.row_key, copy.field)
        self._current = None if copy.current is None else str(copy.current)
        self._highlighting = False
        self._build(own_device)
        self._tint()
        self.resize(760, 520)

    # -- layout ----------------------------------------------------------------------------
    def _build(self, own_device: str | None) -> None:
        copy, info = self._copy, self._info
        heading = QLabel(_("The same text was changed on two computers"))
        heading.setObjectName("compareHeading")
        font = heading.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        heading.setFont(font)
        what = QLabel(
            _(
                "{place} — {field}. Both versions are kept. Keep one, or edit the left one to "
                "combine them."
            ).format(place=place_text(info.place), field=field_label(copy.table, copy.field))
        )
        what.setObjectName("compareWhat")
        what.setWordWrap(True)
        wrap_without_widening(what)

        names = info.names
        lost = Origin(copy.lost_device, copy.lost_at, copy.lost_device == own_device)
        self.current_edit = self._pane_edit("currentText", self._current or "", editable=True)
        self.other_edit = self._pane_edit("otherText", copy.value, editable=False)
        left = self._pane(
            _("This journal now"),
            origin_text(info.current, names)
            if self._current is not None
            else _("This text no longer exists here (it was deleted)."),
            self.current_edit,
        )
        right = self._pane(_("The other version"), origin_text(lost, names), self.other_edit)
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.setObjectName("comparePanes")
        panes.addWidget(left)
        panes.addWidget(right)
        panes.setChildrenCollapsible(False)

        self.error = QLabel()
        self.error.setObjectName("compareError")
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        wrap_without_widening(self.error)
        self.error.hide()

        self.later_button = self._button("laterButton", _("Decide Later"), self.reject)
        self.keep_button = self._button(
            "keepCurrentButton", _("Keep This Version"), lambda: self._settle(None)
        )
        self.take_button = self._button(
            "takeOtherButton", _("Use the Other Version"), lambda: self._settle(copy.value)
        )
        self.merge_button = self._button(
            "saveMergeButton",
            _("Save My Merge"),
            lambda: self._settle(self.current_edit.toPlainText()),
        )
        self.merge_button.setEnabled(False)
        if self._current is None:  # nothing to write into: only dismissing is left
            self.current_edit.setReadOnly(True)
            self.keep_button.setText(_("Dismiss"))
            self.take_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        for button in (self.keep_button, self.take_button, self.merge_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(what)
        layout.addWidget(panes, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.current_edit.textChanged.connect(self._on_current_edit_text_changed)
        self.keep_button.setDefault(True)

    @staticmethod
    def _pane_edit(name: str, text: str, *, editable: bool) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setPlainText(text)
        edit.setReadOnly(not editable)
        edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        return edit

    @staticmethod
    def _pane(title: str, where: str, edit: QPlainTextEdit) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QLabel(title)
        font = head.font()
        font.setBold(True)
        head.setFont(font)
        sub = QLabel(where)
        sub.setObjectName(f"{edit.objectName()}Origin")
        sub.setWordWrap(True)
        sub.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # readable in both themes
        wrap_without_widening(sub)
        layout.addWidget(head)
        layout.addWidget(sub)
        layout.addWidget(edit, 1)
        return box

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- differences -----------------------------------------------------------------------
    def _tint(self) -> None:
        """Tint the lines that differ between the two sides."""
        mine = self.current_edit.toPlainText().split("\n")
        theirs = self.other_edit.toPlainText().split("\n")
        if len(mine) + len(theirs) > DIFF_LINE_LIMIT:
            return
        matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
        left: list[int] = []
        right: list[int] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                left += range(i1, i2)
                right += range(j1, j2)
        _mark_lines(self.current_edit, left)
        _mark_lines(self.other_edit, right)

    def _on_current_edit_text_changed(self) -> None:
        edited = self._current is not None and self.current_edit.toPlainText() != self._current
        self.merge_button.setEnabled(edited)
        self.keep_button.setEnabled(not edited)
        self._tint()

    # -- settling --------------------------------------------------------------------------
    def _settle(self, value: str | None) -> None:
        self._before_write()  # the editor stores what it holds first
        for button in (self.keep_button, self.take_button, self.merge_button):
            button.setEnabled(False)
        copy, db, tz = self._copy, self._db, self._tz
        self._ops.op(
            lambda: settle(db, copy.id, value, tz=tz), changes=changes_of(copy), initiator=self
        ).on_success(lambda _entry: self.accept()).on_failure(self._on_failed).run()

    def _on_failed(self, reason: str) -> None:
        self.error.setText(_("Not settled: {reason}").format(reason=reason))
        self.error.show()
        self._on_current_edit_text_changed()
        self.take_button.setEnabled(self._current is not None)


def _mark_lines(edit: QPlainTextEdit, lines: list[int]) -> None:
    selections = []
    doc = edit.document()
    for number in lines:
        block = doc.findBlockByNumber(number)
        if not block.isValid():
            continue
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(_TINT)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        cursor = QTextCursor(block)
        selection.cursor = cursor
        selections.append(selection)
    edit.setExtraSelections(selections)
