"""Tags as removable chips plus a line to add more, with completion from the journal's tags.

Tags written inline in the text (``#tag``) belong to the text: removing such a chip would be
undone by the next save (the core keeps inline tags, "the text wins"), so their chips have no
remove button and say where the tag comes from. Completion asks its source only when the add
line gets the focus, so switching entries never pays for counting every tag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from questionbook.core.tags import clean_tag, tag_key
from questionbook.i18n import _
from questionbook.ui.widgets.elided_label import ElidedLabel
from questionbook.ui.widgets.flow_layout import FlowLayout

#: A tag chip shows at most about this many characters (a longer tag elides, with a tooltip).
CHIP_CHARS = 24

_SEPARATORS = (",", "，", "、", ";", "；")


class TagChip(QWidget):
    """One tag: its name and, unless it is written in the text, a remove button."""

    remove_clicked = Signal(str)
    """The user asked to remove this tag."""

    def __init__(self, name: str, *, inline: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName("tagChip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(9, 0, 3 if not inline else 9, 0)
        self.setFixedHeight(max(22, self.fontMetrics().height() + 8))
        layout.setSpacing(2)
        label = ElidedLabel(f"#{name}")  # a long tag elides rather than widen the editor
        label.setMaximumWidth(label.fontMetrics().horizontalAdvance("M") * CHIP_CHARS)
        layout.addWidget(label)
        self.remove_button: QToolButton | None = None
        if inline:
            self.setToolTip(_("Written as #{tag} in the text; remove it there.").format(tag=name))
        else:
            button = QToolButton()
            button.setText("\u00d7")
            button.setAutoRaise(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(_("Remove the tag {tag}").format(tag=name))
            button.clicked.connect(lambda: self.remove_clicked.emit(self.name))
            layout.addWidget(button)
            self.remove_button = button


class _TagLine(QLineEdit):
    """The add line: Enter or a comma adds what was typed; Backspace on empty removes the last."""

    focused = Signal()
    backspace_on_empty = Signal()

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.focused.emit()
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Backspace and not self.text():
            self.backspace_on_empty.emit()
            return
        super().keyPressEvent(event)


class TagEditor(QWidget):
    """Edits one entry's tags; says what changed through signals, never writes itself."""

    tag_added = Signal(str)
    """The user added a tag (cleaned, not already present)."""
    tag_removed = Signal(str)
    """The user removed a tag that is not written inline in the text."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        completion_source: Callable[[], Iterable[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = completion_source
        self._tags: list[str] = []
        self._inline: set[str] = set()
        self._read_only = False
        self.chips: list[TagChip] = []
        self.setStyleSheet(
            "#tagChip { border: 1px solid rgba(127,127,127,90); border-radius: 11px;"
            " background: rgba(127,127,127,28); }"
            "#tagChip QToolButton { border: none; padding: 0 3px; background: transparent; }"
            "QLineEdit { background: transparent; border: 1px dashed rgba(127,127,127,110);"
            " border-radius: 11px; padding: 0 8px; }"
            "QLineEdit:focus { border: 1px solid palette(highlight); }"
        )
        self._flow = FlowLayout(self, spacing=5)
        self.line = _TagLine()
        self.line.setFrame(False)
        self.line.setFixedHeight(max(22, self.fontMetrics().height() + 8))  # as tall as a chip
        self.line.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 9))
        self._model = QStringListModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.line.setCompleter(self._completer)
        self._completer.activated.connect(self._on_completer_activated)
        self.line.returnPressed.connect(self._on_line_return_pressed)
        self.line.textEdited.connect(self._on_line_text_edited)
        self.line.focused.connect(self.refresh_completions)
        self.line.backspace_on_empty.connect(self._on_line_backspace_on_empty)
        self._flow.addWidget(self.line)
        self.retranslate()

    def retranslate(self) -> None:
        """Texts in the current language; the chips are rebuilt for their tooltips."""
        self.line.setPlaceholderText(_("Add a tag…"))
        if self.chips:
            tags, inline = self._tags, self._inline
            self._tags = []
            self.set_tags(tags, [t for t in tags if tag_key(t) in inline])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def completer(self) -> QCompleter:
        return self._completer

    def tags(self) -> list[str]:
        return list(self._tags)

    def set_tags(self, tags: Sequence[str], inline: Iterable[str] = ()) -> None:
        """Show *tags*; those whose key is in *inline* are written in the text."""
        inline_keys = {tag_key(t) for t in inline}
        if list(tags) == self._tags and inline_keys == self._inline and self.chips:
            return  # unchanged (the editor calls this after every save): no flicker
        self._tags = list(tags)
        self._inline = inline_keys
        for chip in self.chips:
            self._flow.removeWidget(chip)
            chip.hide()  # deleteLater waits for the event loop; don't show it meanwhile
            chip.deleteLater()
        self.chips = []
        for i, name in enumerate(self._tags):
            chip = TagChip(name, inline=tag_key(name) in self._inline, parent=self)
            chip.remove_clicked.connect(self._on_chip_remove_clicked)
            self._flow.insertWidget(i, chip)
            self.chips.append(chip)
            if chip.remove_button is not None:
                chip.remove_button.setVisible(not self._read_only)
        self.updateGeometry()

    def set_completions(self, names: Iterable[str]) -> None:
        self._model.setStringList(list(names))

    def refresh_completions(self) -> None:
        """Ask the completion source for the journal's tags again."""
        if self._source is not None:
            self.set_completions(self._source())

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.line.setVisible(not read_only)
        for chip in self.chips:
            if chip.remove_button is not None:
                chip.remove_button.setVisible(not read_only)

    def add_tag(self, text: str) -> bool:
        """Add *text* as a tag (as if typed); False if it is empty or already there."""
        name = clean_tag(text)
        if not name or tag_key(name) in {tag_key(t) for t in self._tags}:
            return False
        self.set_tags([*self._tags, name], self._inline)
        self.tag_added.emit(name)
        return True

    def remove_tag(self, name: str) -> bool:
        key = tag_key(name)
        if key in self._inline or key not in {tag_key(t) for t in self._tags}:
            return False
        self.set_tags([t for t in self._tags if tag_key(t) != key], self._inline)
        self.tag_removed.emit(name)
        return True

    def _commit_line(self) -> None:
        text = self.line.text()
        self.line.clear()
        for part in _split(text):
            self.add_tag(part)

    def _on_line_return_pressed(self) -> None:
        popup = self._completer.popup()
        if popup is not None and popup.isVisible():
            index = popup.currentIndex()
            popup.hide()
            if index.isValid():  # a completion was picked with the arrow keys: take it
                self.line.clear()
                self.add_tag(str(index.data()))
                return
        self._commit_line()

    def _on_completer_activated(self, text: str) -> None:
        self.add_tag(text)
        # The line edit writes the completion into itself after this signal: clear it after.
        QTimer.singleShot(0, self.line.clear)

    def _on_line_text_edited(self, text: str) -> None:
        if any(sep in text for sep in _SEPARATORS):
            self._commit_line()

    def _on_line_backspace_on_empty(self) -> None:
        removable = [t for t in self._tags if tag_key(t) not in self._inline]
        if removable:
            self.remove_tag(removable[-1])

    def _on_chip_remove_clicked(self, name: str) -> None:
        self.remove_tag(name)


def _split(text: str) -> list[str]:
    for sep in _SEPARATORS[1:]:
        text = text.replace(sep, ",")
    return [part for part in text.split(",") if part.strip()]
