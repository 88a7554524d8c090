"""The Conflicts page: every text kept from edits made on two computers at once (issue 16).

An entry's conflict shows as a banner on the entry, but not every text belongs to an entry
the user happens to open: a review's reflection, a trial's note, a template. This page lists
every unsettled copy — where it belongs, which field, on which computer and when the other
version was written, and its first line — and opens the compare dialog for one (or its entry).
Like the other pages it reads when shown and again when an operation changes the journal.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.core.store import Store
from questionbook.i18n import N_, _
from questionbook.sync.conflicts import Place, overview
from questionbook.sync.service import ConflictCopy, SyncService
from questionbook.ui.locale_format import format_datetime
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.retranslate import Texts
from questionbook.ui.sync.compare_dialog import device_words
from questionbook.ui.sync.words import field_label, place_text

COPY_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET = 120


class ConflictsPage(QWidget):
    """The list of unsettled conflict copies; see the module docstring."""

    compare_requested = Signal(object)
    """The user wants to compare this :class:`ConflictCopy`."""
    entry_open_requested = Signal(str)
    """The user wants to open this entry in the editor."""

    def __init__(
        self,
        service: SyncService,
        db: Store,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        own_device: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsPage")
        self._service = service
        self._db = db
        self._own = own_device
        self._copies: list[ConflictCopy] = []
        self._places: list[Place] = []
        self._names: dict[str, str] = {}
        self._texts = Texts()
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 7)
        font.setBold(True)
        self.title.setFont(font)
        self._texts.set(self.title.setText, N_("Conflicts"))
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._texts.set(
            self.explanation.setText,
            N_(
                "When the same text is changed on two computers before they sync, the later "
                "change is kept and the other version is listed here, so nothing typed is "
                "lost. Compare them, then keep one or combine them."
            ),
        )
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("conflictsList")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._on_tree_item_activated)
        self.tree.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.empty = QLabel(self)
        self.empty.setObjectName("conflictsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._texts.set(self.empty.setText, N_("No conflicts: every text is settled."))
        self.compare_button = QPushButton(self)
        self.compare_button.setObjectName("compareConflictButton")
        self._texts.set(self.compare_button.setText, N_("Compare…"))
        self.compare_button.clicked.connect(self._on_compare_button_clicked)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openConflictEntryButton")
        self._texts.set(self.open_button.setText, N_("Open Entry"))
        self.open_button.clicked.connect(self._on_open_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.compare_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        ops.changed.connect(self._on_ops_changed)
        self._set_headers()
        self._show()

    # -- public API ------------------------------------------------------------------------
    def copies(self) -> list[ConflictCopy]:
        return list(self._copies)

    def refresh(self) -> None:
        """Read the copies again and show them."""
        try:
            copies = self._service.conflicts()
            places, names = overview(self._db, [(c.table, c.row_key) for c in copies])
        except QuestionBookError:
            return  # busy for a moment: the next change or showing reads again
        self._copies, self._places, self._names = copies, places, names
        self._show()

    def set_own_device(self, device: str | None) -> None:
        self._own = device

    # -- showing ---------------------------------------------------------------------------
    def _set_headers(self) -> None:
        self.tree.setHeaderLabels(
            [_("Where"), _("Field"), _("Other version from"), _("When"), _("Other version")]
        )

    def _show(self) -> None:
        current = self._current_copy()
        self.tree.clear()
        for copy, where in zip(self._copies, self._places, strict=True):
            snippet = " ".join(copy.value.split())
            if len(snippet) > SNIPPET:
                snippet = snippet[: SNIPPET - 1] + "…"
            item = QTreeWidgetItem(
                [
                    place_text(where),
                    field_label(copy.table, copy.field),
                    device_words(copy.lost_device, self._names, copy.lost_device == self._own),
                    format_datetime(copy.lost_at),
                    snippet,
                ]
            )
            item.setData(0, COPY_ROLE, copy.id)
            item.setToolTip(4, copy.value[:2000])
            self.tree.addTopLevelItem(item)
            if current is not None and copy.id == current.id:
                self.tree.setCurrentItem(item)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        for column in range(4):
            self.tree.resizeColumnToContents(column)
        has = bool(self._copies)
        self.tree.setVisible(has)
        self.empty.setVisible(not has)
        self._update_buttons()

    def _current_copy(self) -> ConflictCopy | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, COPY_ROLE)
        return next((c for c in self._copies if c.id == wanted), None)

    def _update_buttons(self) -> None:
        copy = self._current_copy()
        self.compare_button.setEnabled(copy is not None)
        self.open_button.setEnabled(copy is not None and bool(copy.entry_id))

    # -- events ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._set_headers()
            self._show()

    def _on_ops_changed(self, _changes: Changes, _initiator: object) -> None:
        if self.isVisible():
            self.refresh()

    def _on_tree_item_activated(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._on_compare_button_clicked()

    def _on_compare_button_clicked(self) -> None:
        copy = self._current_copy()
        if copy is not None:
            self.compare_requested.emit(copy)

    def _on_open_button_clicked(self) -> None:
        copy = self._current_copy()
        if copy is not None and copy.entry_id:
            self.entry_open_requested.emit(copy.entry_id)
