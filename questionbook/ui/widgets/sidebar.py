"""The sidebar: the views (Today, All, kinds, Starred, Submerged, Trash), extra pages such as
Review and Insights, and the tags with their counts.

It only shows and selects keys; what a key lists is decided by :mod:`questionbook.ui.views`
and by whoever added a page, so new pages need no change here.

Tags are a tree (issue 19): ``#ml/grokking`` is listed under ``ml``, each node counting the
entries of its whole subtree; a node folds and unfolds, and stays as the user left it when the
counts are read again. Selecting ``ml`` lists its subtree (the tag query does that). The context
menu of a tag asks for a rename (:attr:`Sidebar.tag_rename_requested`); the window decides.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPainter, QPalette, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from questionbook.core.entities import JournalStats
from questionbook.core.tag_service import TagNode
from questionbook.i18n import _
from questionbook.ui import resources
from questionbook.ui.locale_format import format_number
from questionbook.ui.views import TAG_PREFIX, VIEWS, tag_view_key

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ICON_ROLE = Qt.ItemDataRole.UserRole + 2
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3
_TAGS_GROUP = "__tags__"
_PAGES_GROUP = "__pages__"
MAX_TAGS = 200  # root tags shown (each with its subtree)
#: How far a nested tag sits right of its parent (room for the fold arrow).
TAG_INDENT = 14
#: Room left and right of a row's icon, title and count (the style's item padding).
ROW_PADDING = 12


class _CountDelegate(QStyledItemDelegate):
    """Draws the row as usual, then its count right-aligned in a muted colour."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        count = index.data(COUNT_ROLE)
        if not count:
            return
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))  # type: ignore[attr-defined]
        rect = option.rect.adjusted(0, 0, -10, 0)  # type: ignore[attr-defined]
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), str(count)
        )
        painter.restore()


class Sidebar(QTreeWidget):
    """A one-column tree whose rows carry a view or page key and a count."""

    view_selected = Signal(str)
    """The user picked a view, tag (``tag:NAME``) or page key."""
    tag_rename_requested = Signal(str)
    """The user asked to rename (or merge) the tag with this full name, from its menu."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widest: int | None = None  # see _widest_title
        self.setObjectName("sidebar")
        self.setColumnCount(1)
        self.setItemDelegate(_CountDelegate(self))
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(TAG_INDENT)  # views are top-level rows: only tags are indented
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._page_titles: dict[str, str] = {}
        self._shown_tags: list[tuple[str, int, int]] | None = None
        self._expanded_tags: set[str] = set()  # keys of the tag nodes the user unfolded
        self._wanted = ""  # a tag to select once it is listed (a renamed tag's new name)
        self._view_titles = {v.key: v.title for v in VIEWS}
        for view in VIEWS:
            self._add_item(view.key, view.icon)
        self._pages_anchor = self._items["trash"]
        self._tags_group = self._group(_TAGS_GROUP)
        self.addTopLevelItem(self._tags_group)
        self.currentItemChanged.connect(self._on_current_item_changed)
        self.itemExpanded.connect(self._on_item_expanded)
        self.itemCollapsed.connect(self._on_item_collapsed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)
        self.retranslate()

    # -- building ------------------------------------------------------------------------
    def _add_item(self, key: str, icon_name: str, index: int | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, KEY_ROLE, key)
        item.setData(0, ICON_ROLE, icon_name)
        self._paint_icon(item)
        if index is None:
            self.addTopLevelItem(item)
        else:
            self.insertTopLevelItem(index, item)
        self._items[key] = item
        self._widest = None
        return item

    def _group(self, key: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(0, KEY_ROLE, key)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() - 1)
        item.setFont(0, font)
        item.setForeground(0, self.palette().placeholderText())
        return item

    def drawBranches(
        self, painter: QPainter, rect: QRect, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Only a small fold arrow before a tag with tags under it: the style would also paint
        the selection into the indentation, a box beside the row's own rounded highlight."""
        if not self.model().hasChildren(index) or not rect.width():
            return
        size = 4.0
        center = QPointF(rect.right() - self.indentation() / 2 + 1, rect.center().y() + 0.5)
        if self.isExpanded(index):
            points = [(-size, -size / 2), (size, -size / 2), (0, size / 2 + 1)]
        else:
            points = [(-size / 2, -size), (size / 2 + 1, 0), (-size / 2, size)]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawPolygon(QPolygonF([center + QPointF(x, y) for x, y in points]))
        painter.restore()

    def changeEvent(self, event: QEvent) -> None:
        """Follow a live switch of theme (icon colours) and language (titles)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._widest = None
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_icons()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()

    def _paint_icon(self, item: QTreeWidgetItem) -> None:
        name = item.data(0, ICON_ROLE)
        if name:
            item.setIcon(0, resources.icon(str(name), self.palette().text().color()))

    def add_page(self, key: str, title: str, icon_name: str) -> None:
        """Add a page row after Trash (pages added later come after earlier ones); *title*
        is the untranslated text (marked with ``N_``), shown in the current language."""
        index = self.indexOfTopLevelItem(self._pages_anchor) + 1
        if _PAGES_GROUP not in self._items:
            spacer = QTreeWidgetItem()
            spacer.setFlags(Qt.ItemFlag.NoItemFlags)
            spacer.setData(0, KEY_ROLE, _PAGES_GROUP)
            self.insertTopLevelItem(index, spacer)
            self._items[_PAGES_GROUP] = spacer
            index += 1
        item = self._add_item(key, icon_name, index)
        item.setText(0, _(title))
        self._page_titles[key] = title
        self._pages_anchor = item
        self._titles_changed()

    def retranslate(self) -> None:
        for key, title in (self._view_titles | self._page_titles).items():
            self._items[key].setText(0, _(title))
        self._tags_group.setText(0, _("Tags").upper() if _("Tags").isascii() else _("Tags"))
        self._titles_changed()  # the widest title sets the minimum width

    def minimumSizeHint(self) -> QSize:
        """Wide enough for every view and page title and its count, so that no title is ever
        cut mid-word ("To", "Qu" at 800×600, issue 12 #3); tag names elide, with a tooltip."""
        hint = super().minimumSizeHint()
        icon = self.iconSize().width() if self.iconSize().width() > 0 else 16
        widest = self._widest_title()
        scrollbar = self.verticalScrollBar().sizeHint().width()
        width = widest + icon + 4 * ROW_PADDING + scrollbar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

    def _widest_title(self) -> int:
        """The widest view or page title with its count, measured once per change of titles,
        counts or font (layouts ask for the hints dozens of times while the window opens)."""
        if self._widest is None:
            fm = self.fontMetrics()
            self._widest = max(
                (
                    fm.horizontalAdvance(item.text(0))
                    + fm.horizontalAdvance(str(item.data(0, COUNT_ROLE) or ""))
                    for item in (
                        self._items[key] for key in (*self._view_titles, *self._page_titles)
                    )
                ),
                default=0,
            )
        return self._widest

    def _titles_changed(self) -> None:
        self._widest = None
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.minimumSizeHint().width() + ROW_PADDING, hint.height())

    def refresh_icons(self) -> None:
        """Re-colour the icons after a theme change."""
        for item in self._items.values():
            self._paint_icon(item)
        self._tags_group.setForeground(0, self.palette().placeholderText())

    # -- data ----------------------------------------------------------------------------
    def set_counts(self, stats: JournalStats, today: int) -> None:
        counts = {
            "today": today,
            "all": stats.total,
            "questions": stats.by_kind.get("question", 0),
            "plans": stats.by_kind.get("plan", 0),
            "notes": stats.by_kind.get("note", 0),
            "starred": stats.starred,
            "submerged": stats.submerged,
            "trash": stats.trash,
        }
        for key, n in counts.items():
            self._items[key].setData(0, COUNT_ROLE, format_number(n) if n else "")
        self._titles_changed()  # a longer count needs room beside its title

    def set_tags(self, tags: list[TagNode]) -> None:
        """Replace the tag tree, keeping the selected tag selected if it still exists and
        every node folded or unfolded as it was (most used first among siblings)."""
        roots = _ordered(tags)[:MAX_TAGS]
        shown = [(n.name, n.count, depth) for n, depth in _walk(roots)]
        if shown == self._shown_tags:
            return  # counts arrive after every save; rebuild only when something changed
        self._shown_tags = shown
        current = self.current_key()
        self.blockSignals(True)
        try:
            for child in self._tags_group.takeChildren():
                self._forget(child)
            for node in roots:
                self._add_tag(self._tags_group, node)
            self._tags_group.setHidden(not roots)
            self._tags_group.setExpanded(True)
            if current and current in self._items:
                self._reveal(self._items[current])
                self.setCurrentItem(self._items[current])
        finally:
            self.blockSignals(False)
        if self._wanted in self._items:
            wanted, self._wanted = self._wanted, ""
            self.select(wanted)

    def _add_tag(self, parent: QTreeWidgetItem, node: TagNode) -> None:
        item = QTreeWidgetItem(parent)
        key = tag_view_key(node.name)
        item.setData(0, KEY_ROLE, key)
        item.setData(0, ICON_ROLE, "tag")
        item.setText(0, node.label)
        item.setToolTip(0, node.name)  # the whole path; a long name elides
        item.setData(0, COUNT_ROLE, format_number(node.count))
        self._paint_icon(item)
        self._items[key] = item
        for child in _ordered(list(node.children)):
            self._add_tag(item, child)
        item.setExpanded(key in self._expanded_tags)

    def _forget(self, item: QTreeWidgetItem) -> None:
        self._items.pop(str(item.data(0, KEY_ROLE)), None)
        for i in range(item.childCount()):
            child = item.child(i)
            if child is not None:
                self._forget(child)

    @staticmethod
    def _reveal(item: QTreeWidgetItem) -> None:
        """Unfold the parents of *item* (a nested tag selected from elsewhere)."""
        parent = item.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()

    def set_tag_expanded(self, name: str, expanded: bool) -> bool:
        """Fold or unfold the tag *name*; False if it is not listed."""
        item = self._items.get(tag_view_key(name))
        if item is None:
            return False
        item.setExpanded(expanded)
        return True

    def tag_children(self, name: str) -> list[str]:
        """The full names of the tags listed right under *name* (in the order shown)."""
        item = self._items.get(tag_view_key(name))
        if item is None:
            return []
        children = (item.child(i) for i in range(item.childCount()))
        keys = (str(c.data(0, KEY_ROLE)) for c in children if c is not None)
        return [k[len(TAG_PREFIX) :] for k in keys]

    def is_tag_expanded(self, name: str) -> bool:
        item = self._items.get(tag_view_key(name))
        return item is not None and item.isExpanded()

    def _on_item_expanded(self, item: QTreeWidgetItem) -> None:
        key = str(item.data(0, KEY_ROLE))
        if key.startswith(TAG_PREFIX):
            self._expanded_tags.add(key)

    def _on_item_collapsed(self, item: QTreeWidgetItem) -> None:
        self._expanded_tags.discard(str(item.data(0, KEY_ROLE)))

    def tag_menu(self, key: str) -> QMenu | None:
        """The context menu of the tag row *key* (``None`` for other rows)."""
        if not key.startswith(TAG_PREFIX) or key not in self._items:
            return None
        name = key[len(TAG_PREFIX) :]
        menu = QMenu(self)
        menu.setObjectName("tagMenu")
        show = menu.addAction(_("Show Entries"))
        show.triggered.connect(lambda _checked=False: self.select(key))
        rename = menu.addAction(_("Rename or Merge Tag…"))
        rename.setObjectName("renameTag")
        rename.triggered.connect(lambda _checked=False: self.tag_rename_requested.emit(name))
        return menu

    def _on_context_menu_requested(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        menu = self.tag_menu(str(item.data(0, KEY_ROLE))) if item is not None else None
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def count_text(self, key: str) -> str:
        item = self._items.get(key)
        return str(item.data(0, COUNT_ROLE) or "") if item else ""

    def keys(self) -> list[str]:
        return [k for k in self._items if not k.startswith("__")]

    # -- selection -----------------------------------------------------------------------
    def current_key(self) -> str:
        item = self.currentItem()
        return str(item.data(0, KEY_ROLE)) if item else ""

    def select(self, key: str, *, when_listed: bool = False) -> bool:
        """Select *key* (emitting ``view_selected``); False if there is no such row. With
        *when_listed*, a tag not listed yet is selected as soon as it is (after a rename)."""
        item = self._items.get(key)
        if item is None and when_listed and key.startswith(TAG_PREFIX):
            self._wanted = key
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsSelectable:
            return False
        self._wanted = ""
        self._reveal(item)
        self.setCurrentItem(item)
        return True

    def title_of(self, key: str) -> str:
        item = self._items.get(key)
        return item.text(0) if item else ""

    def _on_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is not None:
            self.view_selected.emit(str(current.data(0, KEY_ROLE)))


def _ordered(nodes: list[TagNode]) -> list[TagNode]:
    """Siblings most used first, then by name (as the flat list was)."""
    return sorted(nodes, key=lambda n: (-n.count, n.key))


def _walk(nodes: list[TagNode], depth: int = 0) -> list[tuple[TagNode, int]]:
    out: list[tuple[TagNode, int]] = []
    for node in nodes:
        out.append((node, depth))
        out += _walk(_ordered(list(node.children)), depth + 1)
    return out
