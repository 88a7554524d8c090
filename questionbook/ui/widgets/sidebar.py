"""The sidebar: the views (Today, All, kinds, Starred, Submerged, Trash), extra pages such as
Review and Insights, and the tags with their counts.

It only shows and selects keys; what a key lists is decided by :mod:`questionbook.ui.views`
and by whoever added a page, so new pages need no change here.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from questionbook.core.entities import JournalStats, TagCount
from questionbook.i18n import _
from questionbook.ui import resources
from questionbook.ui.locale_format import format_number
from questionbook.ui.views import VIEWS, tag_view_key

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ICON_ROLE = Qt.ItemDataRole.UserRole + 2
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3
_TAGS_GROUP = "__tags__"
_PAGES_GROUP = "__pages__"
MAX_TAGS = 200
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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setColumnCount(1)
        self.setItemDelegate(_CountDelegate(self))
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(0)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._page_titles: dict[str, str] = {}
        self._shown_tags: list[tuple[str, int]] | None = None
        self._view_titles = {v.key: v.title for v in VIEWS}
        for view in VIEWS:
            self._add_item(view.key, view.icon)
        self._pages_anchor = self._items["trash"]
        self._tags_group = self._group(_TAGS_GROUP)
        self.addTopLevelItem(self._tags_group)
        self.currentItemChanged.connect(self._on_current_item_changed)
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

    def changeEvent(self, event: QEvent) -> None:
        """Follow a live switch of theme (icon colours) and language (titles)."""
        super().changeEvent(event)
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
        self.updateGeometry()

    def retranslate(self) -> None:
        for key, title in (self._view_titles | self._page_titles).items():
            self._items[key].setText(0, _(title))
        self._tags_group.setText(0, _("Tags").upper() if _("Tags").isascii() else _("Tags"))
        self.updateGeometry()  # the widest title sets the minimum width

    def minimumSizeHint(self) -> QSize:
        """Wide enough for every view and page title and its count, so that no title is ever
        cut mid-word ("To", "Qu" at 800×600, issue 12 #3); tag names elide, with a tooltip."""
        hint = super().minimumSizeHint()
        fm = self.fontMetrics()
        icon = self.iconSize().width() if self.iconSize().width() > 0 else 16
        widest = max(
            (
                fm.horizontalAdvance(item.text(0))
                + fm.horizontalAdvance(str(item.data(0, COUNT_ROLE) or ""))
                for item in (self._items[key] for key in (*self._view_titles, *self._page_titles))
            ),
            default=0,
        )
        scrollbar = self.verticalScrollBar().sizeHint().width()
        width = widest + icon + 4 * ROW_PADDING + scrollbar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

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
        self.updateGeometry()  # a longer count needs room beside its title

    def set_tags(self, tags: list[TagCount]) -> None:
        """Replace the tag rows, keeping the selected tag selected if it still exists."""
        shown = [(t.name, t.count) for t in tags[:MAX_TAGS]]
        if shown == self._shown_tags:
            return  # counts arrive after every save; rebuild only when something changed
        self._shown_tags = shown
        current = self.current_key()
        self.blockSignals(True)
        try:
            for child in self._tags_group.takeChildren():
                self._items.pop(str(child.data(0, KEY_ROLE)), None)
            for tag in tags[:MAX_TAGS]:
                item = QTreeWidgetItem(self._tags_group)
                key = tag_view_key(tag.name)
                item.setData(0, KEY_ROLE, key)
                item.setData(0, ICON_ROLE, "tag")
                item.setText(0, tag.name)
                item.setToolTip(0, tag.name)  # a long name elides
                item.setData(0, COUNT_ROLE, format_number(tag.count))
                self._paint_icon(item)
                self._items[key] = item
            self._tags_group.setHidden(not tags)
            self._tags_group.setExpanded(True)
            if current and current in self._items:
                self.setCurrentItem(self._items[current])
        finally:
            self.blockSignals(False)

    def count_text(self, key: str) -> str:
        item = self._items.get(key)
        return str(item.data(0, COUNT_ROLE) or "") if item else ""

    def keys(self) -> list[str]:
        return [k for k in self._items if not k.startswith("__")]

    # -- selection -----------------------------------------------------------------------
    def current_key(self) -> str:
        item = self.currentItem()
        return str(item.data(0, KEY_ROLE)) if item else ""

    def select(self, key: str) -> bool:
        """Select *key* (emitting ``view_selected``); False if there is no such row."""
        item = self._items.get(key)
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsSelectable:
            return False
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
