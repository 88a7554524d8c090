"""The editor's "Linked from" section (issue 18): the entries whose text links to this one, each
with the sentence around its link; a click on a title opens that entry.

Folded into one line ("Linked from · 3") until opened, and capped at a share of the editor's
height with its own scroll area, like the Evidence section, so the editor fits 800×600;
hidden while nothing links here. The count is one probe of the link index
(``Links.backlink_ids``) and is read whenever the editor shows an entry and whenever another
entry changes (a link may have been written or removed there); the sentences are read only
while the section is open.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import Entry
from questionbook.core.links import Backlink, Links
from questionbook.i18n import _, ngettext
from questionbook.ui.attachment_images import READ_ERRORS
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.widgets.elided_label import wrap_without_widening

_MUTED = "color: rgba(127, 127, 127, 230);"
#: The opened section takes at most this share of the editor's height.
MAX_SHARE = 0.25
MIN_HEIGHT = 48
#: What the rest of the editor keeps at least when the section is open.
MIN_BODY_ROOM = 300
#: Entries listed when opened (the count says how many there are in all).
SHOWN = 50


def backlink_html(link: Backlink) -> str:
    """One item: the source's title as a link, then its sentences, muted."""
    title = html.escape(link.source.title or _("(untitled)"))
    lines = [f'<a href="{html.escape(link.source.id)}">{title}</a>']
    lines += [
        f'<span style="color: rgba(127, 127, 127, 230);">{html.escape(s)}</span>'
        for s in link.sentences
    ]
    return "<br>".join(lines)


class LinkedFromPanel(QWidget):
    """Backlinks of the entry the editor shows; see the module docstring."""

    open_requested = Signal(str)
    """The user clicked the entry with this id (it links here)."""

    def __init__(self, links: Links, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linkedFromPanel")
        self._links = links
        self._entry_id: str | None = None
        self._count = 0
        self._shown_ids: list[str] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        header = QHBoxLayout()
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("linkedFromToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        header.addWidget(self.toggle)
        header.addStretch(1)
        outer.addLayout(header)
        self.body_area = QScrollArea(self)
        self.body_area.setObjectName("linkedFromScroll")
        self.body_area.setWidgetResizable(True)
        self.body_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._list = QWidget(self.body_area)
        self._items = QVBoxLayout(self._list)
        self._items.setContentsMargins(22, 0, 4, 4)
        self._items.setSpacing(8)
        self._items.addStretch(1)
        self.body_area.setWidget(self._list)
        self.body_area.hide()
        outer.addWidget(self.body_area)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self.reload)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        ops.changed.connect(self._on_ops_changed)
        if parent is not None:
            parent.installEventFilter(self)
        self._retranslate()
        self.hide()

    # -- public API ------------------------------------------------------------------------
    def show_entry(self, entry: Entry | None) -> None:
        """Show what links to *entry* (``None``: nothing)."""
        new = entry.id if entry is not None else None
        if new != self._entry_id:
            self._shown_ids = []
        self._entry_id = new
        self.reload()

    def count(self) -> int:
        """How many live entries link here."""
        return self._count

    def expand(self, shown: bool = True) -> None:
        """Open (or fold) the section."""
        self.toggle.setChecked(shown)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def reload(self) -> None:
        """Count the backlinks again, and list them if the section is open."""
        if self._entry_id is None:
            self._count = 0
            self._fill([])
            self.hide()
            return
        try:
            ids = self._links.backlink_ids(self._entry_id)
        except READ_ERRORS:
            return  # unreadable for a moment: the next change reads again
        self._count = len(ids)
        self._retranslate()
        self.setVisible(bool(ids))
        if self.is_expanded() and ids[:SHOWN] != self._shown_ids:
            try:
                self._fill(self._links.backlinks(self._entry_id, limit=SHOWN))
            except READ_ERRORS:
                return
            self._shown_ids = ids[:SHOWN]
            self._fit()

    # -- showing ---------------------------------------------------------------------------
    def _fill(self, backlinks: list[Backlink]) -> None:
        while self._items.count() > 1:
            item = self._items.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for index, link in enumerate(backlinks):
            label = wrap_without_widening(QLabel(self._list))
            label.setObjectName("backlinkItem")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setText(backlink_html(link))
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
            label.setToolTip(_("Open {title}").format(title=link.source.title))
            label.linkActivated.connect(self.open_requested)
            self._items.insertWidget(index, label)
            label.show()  # now, not at the next event: the section's height counts it
        if self._count > len(backlinks) and backlinks:
            more = QLabel(
                ngettext("… and {n} more", "… and {n} more", self._count - len(backlinks)).format(
                    n=self._count - len(backlinks)
                ),
                self._list,
            )
            more.setStyleSheet(_MUTED)
            self._items.insertWidget(len(backlinks), more)
            more.show()

    def _retranslate(self) -> None:
        self.toggle.setText(_("Linked from · {n}").format(n=self._count))
        self.toggle.setToolTip(_("Entries whose text links to this one"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._shown_ids = []  # "(untitled)" and "… more" in the new language
            self.reload()

    # -- reacting --------------------------------------------------------------------------
    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        """A link here may have been written, removed, trashed or restored elsewhere."""
        if self._entry_id is None:
            return
        if changes.external or changes.rows or (changes.entries - {self._entry_id}):
            self._shown_ids = []  # a sentence around a link may have changed: list again
            self._refresh.start()

    def _on_toggle_toggled(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.body_area.setVisible(shown)
        self._fit()
        if shown:
            self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the opened section to a share of the editor, so the body stays writable."""
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._refit.start()  # once the children have their new widths
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        """As tall as the list, at most a share of the editor, leaving the body its room."""
        parent = self.parentWidget()
        if parent is None:
            return
        room = parent.height()
        cap = max(MIN_HEIGHT, min(int(room * MAX_SHARE), room - MIN_BODY_ROOM))
        width = self.body_area.viewport().width() or parent.width()
        wrapped = self._list.heightForWidth(width) if self._list.hasHeightForWidth() else -1
        wanted = (wrapped if wrapped > 0 else self._list.sizeHint().height()) + 2 * (
            self.body_area.frameWidth()
        )
        self.body_area.setFixedHeight(max(24, min(wanted, cap)))  # its hint is one line
