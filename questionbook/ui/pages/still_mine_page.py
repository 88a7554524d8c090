"""The "Still mine" page: every line on what part of an entry stays the user's own, by tag.

When the water reaches an entry, the review asks "what part of this is still yours?" (issue
17). The answers, collected here from :meth:`Journal.still_mine`, are the user's own map of
where they stay above the water. A page rather than a list view, because what it shows is
the *line*, grouped by tag, with the entry beside it; activating a line opens its entry.
Like the other pages it reads when shown and again when an operation changes entries.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import StillMineGroup
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.i18n import N_, _
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.retranslate import Texts
from questionbook.ui.widgets.editor.hardness_picker import swatch_icon

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class StillMinePage(QWidget):
    """The lines, grouped by tag (biggest group first); see the module docstring."""

    entry_open_requested = Signal(str)
    """The user wants to open this entry in the editor."""

    def __init__(
        self, journal: Journal, parent: QWidget | None = None, *, ops: Operations | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stillMinePage")
        self._journal = journal
        self._groups: list[StillMineGroup] = []
        self._texts = Texts()
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 7)
        font.setBold(True)
        self.title.setFont(font)
        self._texts.set(self.title.setText, N_("Still mine"))
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._texts.set(
            self.explanation.setText,
            N_(
                "What stays yours when the water reaches an entry: your taste, your context, "
                "your decisions. Double-click a line to open its entry."
            ),
        )
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("stillMineTree")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setWordWrap(True)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.empty = QLabel(self)
        self.empty.setObjectName("stillMineEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._texts.set(
            self.empty.setText,
            N_(
                "Nothing here yet. When the water reaches an entry, the weekly review asks "
                "what part of it is still yours; you can also write it in the entry's "
                "Evidence section."
            ),
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.stack, 1)
        if ops is not None:
            ops.changed.connect(self._on_ops_changed)

    def refresh(self) -> None:
        """Read the lines again and show them."""
        try:
            self._groups = self._journal.still_mine()
        except QuestionBookError:
            return  # busy for a moment: the next change or showing reads again
        self._show()

    def groups(self) -> list[StillMineGroup]:
        return list(self._groups)

    def _show(self) -> None:
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group in self._groups:
            name = f"#{group.tag}" if group.tag else _("Without a tag")
            top = QTreeWidgetItem(self.tree, [f"{name}  ({len(group.items)})"])
            top.setFont(0, bold)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for item in group.items:
                child = QTreeWidgetItem(top, [f"{item.still_mine}   —  {item.title}"])
                child.setIcon(0, swatch_icon(item.hardness))
                child.setData(0, ID_ROLE, item.id)
                child.setToolTip(0, f"{item.still_mine}\n{item.title}")
        self.tree.expandAll()
        self.stack.setCurrentWidget(self.tree if self._groups else self.empty)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._show()

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if self.isVisible() and (changes.entries or changes.rows or changes.external):
            self.refresh()

    def _on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry_id = item.data(0, ID_ROLE)
        if entry_id:
            self.entry_open_requested.emit(str(entry_id))
