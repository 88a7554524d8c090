"""The list column: capture box, view title with count, search field, and the entry list.

It owns the lazy :class:`EntryListModel` and decides what it lists from a view key and the
search text; selection comes out as :attr:`EntryListPane.current_changed`. Writing happens
elsewhere (the capture box runs its own operation; deletes go through the window). The pane
refreshes itself when an operation announces changes (:mod:`questionbook.ui.operations`):
typing in an entry updates its row in place; anything that can add or remove rows re-reads
the rows loaded, keeping the selection and the scroll position.

The count beside the title is the number of entries the query matches, not the rows loaded:
when the model holds them all it is known at once, otherwise a :class:`MatchCounter` counts in
the background once per query (and after data changes), never per page fetched; for a typed
search only once the typing pauses. Until the count arrives the header keeps its previous number
rather than flickering.

A typed search (the search field's debounce ran out) reads its first page in the background
(:class:`PageReader`) and the list keeps the previous results until it arrives, so the keyboard
never waits for SQLite; a view switch, Enter and a refresh read at once (issue 21).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.query import parse_query
from questionbook.i18n import N_, _
from questionbook.ui.item_models.entry_list_model import EntryListModel, SectionHeader, Sections
from questionbook.ui.locale_format import format_number
from questionbook.ui.match_counter import MatchCounter
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.views import View, on_this_day, today_entries, view_for, view_query
from questionbook.ui.widgets.capture_box import CaptureBox, PendingCapture
from questionbook.ui.widgets.elided_label import ElidedLabel
from questionbook.ui.widgets.empty_state import EmptyState
from questionbook.ui.widgets.entry_delegate import EntryDelegate
from questionbook.ui.widgets.list_thumbnails import ListThumbnails
from questionbook.ui.widgets.page_reader import Page, PageReader
from questionbook.ui.widgets.search_bar import SearchBar

log = logging.getLogger(__name__)

#: A search's matches are counted once the typing pauses this long after the debounced query:
#: a count per keystroke cost each keystroke several milliseconds of the GUI thread (the
#: worker takes the GIL as it starts), at 100,000 entries a third of a frame (issue 21).
COUNT_PAUSE_MS = 350


class EntryListView(QListView):
    """A QListView set up for many uniform rows painted by :class:`EntryDelegate`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryList")
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.setItemDelegate(EntryDelegate(self))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._context: list[QAction | None] = []

    def set_context_actions(self, actions: list[QAction | None]) -> None:
        """The right-click menu: the window's entry actions (``None`` is a separator)."""
        if actions == self._context:
            return
        self._context = list(actions)
        for action in self.actions():
            self.removeAction(action)
            if action.isSeparator() and action.parent() is self:
                action.deleteLater()
        for item in actions:
            if item is None:
                item = QAction(self)
                item.setSeparator(True)
            self.addAction(item)


class EntryListPane(QWidget):
    """Capture + search + list for the current view (see the module docstring)."""

    current_changed = Signal(str)
    """The selected entry changed (its id, or "" when nothing is selected)."""
    entry_captured = Signal(str)
    """The capture box saved a new entry (its id); the list shows it already."""
    late_entry_captured = Signal(str)
    """A line captured while the journal was busy has now been saved (its id)."""
    failed = Signal(str)
    """Reading the list failed (the journal is unreadable for a moment); says why."""
    results_shown = Signal()
    """The list shows the results of the search text typed (read in the background)."""

    def __init__(
        self,
        journal: Journal,
        today: Callable[[], object],
        parent: QWidget | None = None,
        *,
        ops: Operations | None = None,
        attachments: AttachmentService | None = None,
        clear_buttons: bool = True,
    ) -> None:
        """With *attachments*, rows of entries that hold a picture show it (issue 18); without
        *clear_buttons* the capture and search lines get theirs from
        :meth:`enable_clear_buttons`."""
        super().__init__(parent)
        self.setObjectName("entryListPane")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._journal = journal
        self._today = today
        self._view: View = view_for("today")
        self._total: int | None = None  # entries the current query matches, once known
        self._count_ticket = 0
        self._journal_empty = False
        self.counter = MatchCounter(journal, self)
        self.counter.counted.connect(self._on_counter_counted)
        self.counter.failed.connect(self._on_counter_failed)
        self.reader = PageReader(journal, self)
        self.reader.read.connect(self._on_page_read)
        self._page_pending = False  # a typed search's page is being read
        self.reader.failed.connect(self._on_page_failed)
        self._ops = ops or Operations(journal.db.path, self)
        self._ops.changed.connect(self._on_ops_changed)
        self.capture = CaptureBox(journal, self, ops=self._ops, clear_button=clear_buttons)
        self.capture.entry_captured.connect(self.entry_captured)
        self.capture.late_entry_captured.connect(self.late_entry_captured)
        self.title = ElidedLabel(parent=self)  # a tag view is titled with the tag's name
        self.title.setObjectName("viewTitle")
        self.count = QLabel(self)
        self.count.setObjectName("viewCount")
        self.search = SearchBar(self, clear_button=clear_buttons)
        # What the search could not use ("kind:foo"), named with the values it takes; it
        # never blocks the typing, and the rest of the query still searches.
        self.problem = ElidedLabel(parent=self)
        self.problem.setObjectName("searchProblem")
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.hide()
        self.model = EntryListModel(journal, parent=self)
        self.list = EntryListView(self)
        self.list.setModel(self.model)
        self.list.selectionModel().currentChanged.connect(self._on_selection_current_changed)
        self.thumbnails: ListThumbnails | None = None
        if attachments is not None:
            self.thumbnails = ListThumbnails(attachments, self.list, self._ops)
            delegate = self.list.itemDelegate()
            assert isinstance(delegate, EntryDelegate)
            delegate.thumbnails = self.thumbnails
        self.empty = EmptyState(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.search.query_changed.connect(self._on_search_query_changed)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(8)
        header.addWidget(self.title)
        header.addWidget(self.count)
        header.addStretch(1)
        header.addWidget(self.search, 2)
        top = QVBoxLayout()
        top.setContentsMargins(14, 14, 14, 8)
        top.setSpacing(12)
        top.addWidget(self.capture)
        top.addLayout(header)
        self._top = top
        top.addWidget(self.problem)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

    # -- what is listed ------------------------------------------------------------------
    @property
    def view(self) -> View:
        return self._view

    def enable_clear_buttons(self) -> None:
        self.capture.enable_clear_button()
        self.search.setClearButtonEnabled(True)

    def show_view(self, key: str) -> None:
        """List view *key* (a built-in view or ``tag:NAME``), keeping the search text."""
        self._view = view_for(key)
        self.reload()

    def reload(self, *, typed: bool = False) -> None:
        """Run the current view's query again from the top. After a change to the search
        text (*typed*) the matches are counted once the typing pauses (issue 21)."""
        self.reader.cancel()  # a page still being read for an older text is not wanted
        self._page_pending = False
        search = self.search.query()
        self._show_problems(search)
        if self._view.key == "today" and not search:
            self.model.set_sections(self._today_sections)
        else:
            view = view_for("all") if self._view.key == "today" else self._view
            self.model.set_query(view_query(view, search), trash=view.trash)
        self._count(after_ms=COUNT_PAUSE_MS if typed else 0)
        self._update_header()

    def _read_typed(self) -> None:
        """Read the first page of the typed search in the background; the rows shown stay
        until it is ready (:meth:`_on_page_read`). Today's sections are read at once."""
        search = self.search.query()
        if self._view.key == "today" and not search:
            self.reload(typed=True)
            return
        self._show_problems(search)
        view = view_for("all") if self._view.key == "today" else self._view
        self.reader.request(view_query(view, search), trash=view.trash, limit=self.model.page_size)
        self._page_pending = True

    def _on_page_read(self, page: Page) -> None:
        if page.ticket != self.reader.ticket:
            return  # the text changed again, or the list was read another way meanwhile
        self._page_pending = False
        self.model.set_query(
            page.query, trash=page.trash, first_page=page.entries, waterline=page.waterline
        )
        self._count(after_ms=COUNT_PAUSE_MS)
        self._update_header()
        self.results_shown.emit()

    def _on_page_failed(self, ticket: int, message: str) -> None:
        if ticket == self.reader.ticket:
            self._page_pending = False
            self.failed.emit(message)

    def _show_problems(self, search: str) -> None:
        problems = parse_query(search).problems if search else []
        self.problem.setText("; ".join(p.message for p in problems))
        self.problem.setVisible(bool(problems))

    def refresh(self) -> None:
        """Re-read the loaded rows, keeping the selection (another process wrote, say)."""
        current = self.current_id()
        bar = self.list.verticalScrollBar()
        position = bar.value()
        self.model.refresh()
        if current and self.current_id() != current:
            self.select_id(current, emit=False)
            bar.setValue(position)
        self._count()
        self._update_header()

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        """Show what a write changed: rows that may come or go re-read the list; edits to
        listed entries update their rows in place (autosave runs every second or so while
        typing, and re-reading thousands of loaded rows each time would be wasteful)."""
        if self._page_pending:  # it may have been read before this change: read it again
            self._read_typed()
        try:
            if changes.rows or changes.waterline or changes.external:
                self.refresh()
                return
            listed = [i for i in changes.entries if self.model.row_of(i) >= 0]
            if listed and not self.model.refresh_entries(listed):
                self.refresh()
        except QuestionBookError as exc:
            log.warning("the list could not be re-read: %s", exc)
            self.failed.emit(str(exc))

    def total(self) -> int | None:
        """How many entries the current query matches (None while being counted)."""
        return self._total

    def shutdown(self) -> None:
        """Stop reading and counting in the background (before the journal closes)."""
        self.reader.close()
        self.counter.close()

    def _count(self, *, after_ms: int = 0) -> None:
        """Know the total at once if every row is loaded, else count it in the background
        (after *after_ms* without a newer query)."""
        query = self.model.query
        if query is None:  # Today: its own entries; "On this day" is counted in its sections
            self.counter.cancel()
            self._total = self.model.leading_entry_count()
            return
        if not self.model.canFetchMore(QModelIndex()):
            self.counter.cancel()
            self._total = self.model.entry_count()
            return
        self._total = None
        self._count_ticket = self.counter.request(query, trash=self.model.trash, after_ms=after_ms)

    def _on_counter_counted(self, ticket: int, n: int) -> None:
        if ticket == self._count_ticket:
            self._total = n
            self._show_count()

    def _on_counter_failed(self, ticket: int) -> None:
        if ticket == self._count_ticket:
            self._total = None
            self._show_count(fallback=True)

    def _show_count(self, *, fallback: bool = False) -> None:
        """The number of matches; while it is being counted, the previous text stays (a
        count takes milliseconds), unless counting failed: then "200+" from the rows loaded."""
        if self._total is not None:
            self.count.setText(format_number(self._total) if self._total else "")
        elif fallback:
            self.count.setText(format_number(self.model.entry_count()) + "+")

    def _today_sections(self) -> Sections:
        day = self._today()
        sections: Sections = [(None, today_entries(self._journal, day))]  # type: ignore[arg-type]
        for year, entries in on_this_day(self._journal, day):  # type: ignore[arg-type]
            sections.append(
                (
                    SectionHeader(N_("On this day in {year}"), "on-this-day", year, len(entries)),
                    entries,
                )
            )
        return sections

    def _update_header(self, *, requery: bool = True) -> None:
        """The title, the count and, for an empty list, why it is empty. After a language
        switch (*requery* False) the same state is said again without reading the journal."""
        search = self.search.query()
        self.title.setText(
            _("Search results") if search and self._view.key == "today" else _(self._view.title)
        )
        self._show_count()
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.list)
            return
        self.stack.setCurrentWidget(self.empty)
        if requery:
            self._journal_empty = not search and self._journal_is_empty()
        if search:
            self.empty.show_message(
                "search",
                _("Nothing matches “{query}”").format(query=search),
                _("Try fewer words, or a word's beginning: “elev” finds “elevator”."),
            )
        elif self._journal_empty and self._view.key != "trash":
            self.empty.show_welcome()
        elif self._view.key == "today":
            self.empty.show_message(
                "today",
                _("Nothing written today yet"),
                _("What are you curious about? Type it above and press Enter."),
            )
        elif self._view.key == "trash":
            self.empty.show_message(
                "trash",
                _("The Trash is empty"),
                _("Deleted entries wait here until you empty the Trash."),
            )
        elif self._view.key == "starred":
            self.empty.show_message(
                "starred", _("No starred entries"), _("Star the entries you want to find quickly.")
            )
        elif self._view.key == "submerged":
            self.empty.show_message(
                "submerged",
                _("Nothing is under water"),
                _("Entries rated at or below the waterline appear here."),
            )
        else:
            self.empty.show_message(self._view.icon, _("Nothing here yet"))

    def _journal_is_empty(self) -> bool:
        try:
            return self._journal.count() == 0
        except QuestionBookError:
            return False

    # -- for the window --------------------------------------------------------------------
    def focus_capture(self) -> None:
        """Put the cursor in the capture box."""
        self.capture.focus()

    def add_under_capture(self, widget: QWidget) -> None:
        """Put *widget* (the prompt of the day, issue 19) right under the capture box."""
        self._top.insertWidget(self._top.indexOf(self.capture) + 1, widget)

    def focus_list(self) -> None:
        """Put the keyboard on the list (Esc from the editor); on the capture box if the
        list is empty."""
        if self.stack.currentWidget() is self.list:
            self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.focus_capture()

    def focus_search(self) -> None:
        """Put the cursor in the search field with its text selected (Ctrl+F)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def pending_captures(self) -> list[PendingCapture]:
        """Captured lines not stored yet (the journal is busy, or a write failed)."""
        return self.capture.pending()

    def set_context_actions(self, actions: list[QAction | None]) -> None:
        """The right-click menu of the rows (``None`` is a separator)."""
        self.list.set_context_actions(actions)

    def row_of(self, entry_id: str) -> int:
        """The row of *entry_id* among the loaded rows, or -1."""
        return self.model.row_of(entry_id)

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) entry, skipping section headers."""
        row = self.list.currentIndex().row() + delta
        while 0 <= row < self.model.rowCount():
            summary = self.model.summary(row)
            if summary is not None:
                self.select_id(summary.id)
                return
            row += delta

    # -- selection -----------------------------------------------------------------------
    def current_id(self) -> str:
        index = self.list.currentIndex()
        if not index.isValid() or not self.list.selectionModel().isSelected(index):
            return ""
        return str(index.data(EntryListModel.IdRole) or "")

    def select_id(self, entry_id: str, *, emit: bool = True) -> bool:
        """Select *entry_id* if it is loaded; returns whether it was."""
        row = self.model.row_of(entry_id)
        if row < 0:
            return False
        index = self.model.index(row)
        if not emit:
            self.list.selectionModel().blockSignals(True)
        try:
            self.list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self.list.selectionModel().blockSignals(False)
        self.list.scrollTo(index)
        if not emit:
            self.list.viewport().update()
        return True

    def select_row(self, row: int) -> None:
        """Select the entry at or after *row* (after a delete, the next one)."""
        for r in [
            *range(max(row, 0), self.model.rowCount()),
            *reversed(range(0, min(row, self.model.rowCount()))),
        ]:
            summary = self.model.summary(r)
            if summary is not None:
                self.select_id(summary.id)
                return
        self.list.clearSelection()
        self.current_changed.emit("")

    def _on_selection_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(
            str(current.data(EntryListModel.IdRole) or "") if current.isValid() else ""
        )

    def _on_search_query_changed(self, _query: str) -> None:
        if self.search.paused():
            self._read_typed()
        else:
            self.reload(typed=True)

    def changeEvent(self, event: QEvent) -> None:
        """Say the header and the empty state again in a new language (the capture box and
        the search field handle their own texts)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._update_header(requery=False)
            self._show_problems(self.search.query())  # the messages are translated
            self.list.viewport().update()  # rows say dates and section titles when painted
