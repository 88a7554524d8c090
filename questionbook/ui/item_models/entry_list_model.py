"""The entry list as a lazy ``QAbstractListModel`` over ``Journal.find`` pages.

Why lazy: a 100,000-entry journal must open instantly, so the model holds only the rows the
view has asked for (``canFetchMore``/``fetchMore`` load one page at a time) and each row keeps
of the entry's body only the one-line snippet the row shows: full bodies are never loaded
here. Rows are kept compact (:class:`~questionbook.ui.item_models.list_row.ListRow`);
:meth:`EntryListModel.summary` gives the :class:`EntrySummary` back when asked. Today's view
uses fixed *sections* instead (today's entries, then "On this day" per earlier year), with
header rows that cannot be selected.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from sys import intern

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from questionbook.core.entities import EntrySummary
from questionbook.core.journal import Journal
from questionbook.core.query import Query
from questionbook.core.vocabulary import is_submerged
from questionbook.i18n import _
from questionbook.ui.item_models.list_row import ListRow, make_snippet, pack_id
from questionbook.ui.locale_format import format_number
from questionbook.ui.widgets.row_marks import row_marks

Index = QModelIndex | QPersistentModelIndex
#: The first page: a few screens of rows. Every keystroke of a search loads it again and makes
#: each row's snippet, so it is kept small (200 rows cost 10 ms of a 16 ms frame at 100k).
PAGE_SIZE = 50
#: The largest page: pages grow with the rows already loaded (50, 50, 100, 200 ...), because
#: every insertion costs the view a pass over all its rows; growing pages keep a scroll to the
#: end of 100,000 entries near-linear instead of quadratic.
MAX_PAGE = 10_000


@dataclass(frozen=True)
class SectionHeader:
    """A non-selectable caption row ("On this day in 2025").

    *title* is the untranslated text (marked ``N_``, with ``{year}`` for *year*): it is said in
    the language current when the row is painted, so a language switch needs no re-reading.
    """

    title: str
    icon: str = ""
    year: int | None = None
    #: How many entries the section lists, said after the title ("On this day in 2025 · 2"):
    #: they are counted apart from the view's own number (Today counts today only).
    count: int | None = None

    @property
    def text(self) -> str:
        text = _(self.title).format(year=self.year) if self.year is not None else _(self.title)
        return f"{text} · {format_number(self.count)}" if self.count else text


Row = ListRow | SectionHeader
Sections = list[tuple[SectionHeader | None, list[EntrySummary]]]


class EntryListModel(QAbstractListModel):
    """Rows of entry summaries for one view; see the module docstring for why it is lazy."""

    SummaryRole = Qt.ItemDataRole.UserRole + 1
    IdRole = Qt.ItemDataRole.UserRole + 2
    HeaderRole = Qt.ItemDataRole.UserRole + 3
    SubmergedRole = Qt.ItemDataRole.UserRole + 4
    SnippetRole = Qt.ItemDataRole.UserRole + 5
    HighlightRole = Qt.ItemDataRole.UserRole + 6

    def __init__(
        self, journal: Journal, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._page_size = max(1, page_size)
        self._rows: list[Row] = []
        self._query: Query | None = None
        self._trash = False
        self._sections: Callable[[], Sections] | None = None
        self._exhausted = True
        self._waterline = journal.waterline()
        self._highlight: tuple[str, ...] = ()
        self._tag_sets: dict[tuple[str, ...], tuple[str, ...]] = {}

    # -- what to show --------------------------------------------------------------------
    def set_query(
        self,
        query: Query,
        *,
        trash: bool = False,
        first_page: Sequence[EntrySummary] | None = None,
        waterline: int | None = None,
    ) -> None:
        """Show the entries *query* finds; loads the first page at once, unless it was read
        already (*first_page*, of :attr:`page_size` entries at most, read at *waterline*)."""
        if first_page is None:
            waterline = self._journal.waterline()
            first_page = self._journal.find(query, trash=trash, limit=self._page_size)
        self.beginResetModel()
        self._query, self._trash, self._sections = query, trash, None
        self._highlight = tuple(query.highlight_terms)
        self._waterline = self._journal.waterline() if waterline is None else waterline
        self._rows = [self._slim(e, lazy=True) for e in first_page]
        self._exhausted = len(self._rows) < self._page_size
        self.endResetModel()

    @property
    def page_size(self) -> int:
        """The rows of the first page."""
        return self._page_size

    def set_sections(self, loader: Callable[[], Sections]) -> None:
        """Show fixed sections from *loader* (called again on :meth:`refresh`)."""
        self.beginResetModel()
        self._query, self._trash, self._sections = None, False, loader
        self._highlight = ()
        self._waterline = self._journal.waterline()
        self._rows = self._flatten(loader())
        self._exhausted = True
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read what is loaded (after a change here or in another process).

        If the same entries come back in the same order, only their data changes, so the view
        keeps its selection and scroll position; otherwise the model resets.
        """
        self._waterline = self._journal.waterline()
        if self._sections is not None:
            rows: list[Row] = self._flatten(self._sections())
            exhausted = True
        elif self._query is not None:
            wanted = max(self.entry_count(), self._page_size)
            rows = list(self._page(0, wanted))
            exhausted = len(rows) < wanted
        else:
            return
        if [_key(r) for r in rows] == [_key(r) for r in self._rows]:
            self._rows, self._exhausted = rows, exhausted
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows, self._exhausted = rows, exhausted
        self.endResetModel()

    def refresh_entries(self, ids: Sequence[str]) -> bool:
        """Re-read just *ids* in place (after an edit here); False if a full refresh is needed
        because an entry left the rows, or its date moved it."""
        rows = {entry_id: self.row_of(entry_id) for entry_id in ids}
        if any(row < 0 for row in rows.values()):
            return False
        fresh = {s.id: s for s in self._journal.summaries(list(ids))}
        for entry_id, row in rows.items():
            new = fresh.get(entry_id)
            old = self._rows[row]
            if (
                new is None
                or not isinstance(old, ListRow)
                or new.created_at.timestamp() != old.created
            ):
                return False
            if new.deleted_at != old.deleted_at:
                return False
            self._rows[row] = self._slim(new)
            self.dataChanged.emit(self.index(row), self.index(row))
        return True

    def _page(self, offset: int, limit: int) -> list[ListRow]:
        assert self._query is not None
        return self._journal.find_as(
            self._query, self._slim, trash=self._trash, limit=limit, offset=offset
        )

    def _slim(self, item: EntrySummary, *, lazy: bool = False) -> ListRow:
        """Keep only what a row shows: a list may hold 100,000 rows. Its kind, status and tag
        names are shared strings, and rows with the same tags share one tuple (each row read
        from SQLite has its own copies: ~150 bytes a row, 15 MB over a whole 100k list).
        *lazy* (the first page) keeps the body's head until the snippet is painted."""
        tags = item.tags
        if tags:
            shared = self._tag_sets.get(tags)
            if shared is None:
                shared = self._tag_sets[tags] = tuple(intern(t) for t in tags)
            tags = shared
        snippet = None if lazy else make_snippet(item.head or item.outcome, self._highlight)
        return ListRow(item, snippet, tags)

    def _flatten(self, sections: Sections) -> list[Row]:
        rows: list[Row] = []
        for header, entries in sections:
            if not entries:
                continue
            if header is not None:
                rows.append(header)
            # a few hundred rows (Today's "On this day"): previews made as they are painted
            rows.extend(self._slim(e, lazy=True) for e in entries)
        return rows

    # -- lookups -------------------------------------------------------------------------
    @property
    def waterline(self) -> int:
        return self._waterline

    @property
    def query(self) -> Query | None:
        """The query listed (None for fixed sections such as Today)."""
        return self._query

    @property
    def trash(self) -> bool:
        """True when the query lists the Trash."""
        return self._trash

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        return self._highlight

    def entry_count(self) -> int:
        """Loaded entry rows (section headers not counted)."""
        return sum(1 for r in self._rows if isinstance(r, ListRow))

    def leading_entry_count(self) -> int:
        """Entry rows before the first section header (Today's own entries, without the
        "On this day" sections below them)."""
        count = 0
        for row in self._rows:
            if not isinstance(row, ListRow):
                break
            count += 1
        return count

    def summary(self, row: int) -> EntrySummary | None:
        """The entry at *row* (its head is the row's snippet), or None for a header."""
        item = self.list_row(row)
        return item.summary(self._highlight) if item is not None else None

    def list_row(self, row: int) -> ListRow | None:
        """The row as kept (what the delegate paints from), or None for a header."""
        if 0 <= row < len(self._rows):
            item = self._rows[row]
            return item if isinstance(item, ListRow) else None
        return None

    def row_of(self, entry_id: str) -> int:
        """The row of *entry_id* among the loaded rows, or -1."""
        key = pack_id(entry_id)
        for i, item in enumerate(self._rows):
            if isinstance(item, ListRow) and item.has_id(key):
                return i
        return -1

    def ids(self) -> list[str]:
        return [r.id for r in self._rows if isinstance(r, ListRow)]

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and self._query is not None

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        size = min(max(self._page_size, len(self._rows)), max(self._page_size, MAX_PAGE))
        more = list(self._page(len(self._rows), size))
        self._exhausted = len(more) < size
        if more:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self._rows[index.row()], SectionHeader):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if isinstance(item, SectionHeader):
            if role in (
                Qt.ItemDataRole.DisplayRole,
                self.HeaderRole,
                Qt.ItemDataRole.AccessibleTextRole,
            ):
                return item.text
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.title
        if role == self.IdRole:
            return item.id
        if role == self.SummaryRole:
            return item.summary(self._highlight)
        if role == self.SubmergedRole:
            return is_submerged(item.hardness, self._waterline)
        if role == self.SnippetRole:
            return item.snippet(self._highlight)
        if role == self.HighlightRole:
            return self._highlight
        if role == Qt.ItemDataRole.ToolTipRole:
            snippet = item.snippet(self._highlight)
            lines = [item.title, snippet] if snippet else [item.title]
            marks = row_marks(item.summary(self._highlight), self._waterline)
            return "\n".join([*lines, *(m.tip for m in marks)])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return item.title
        return None


def _key(row: Row) -> str:
    return row.id if isinstance(row, ListRow) else "\x00" + row.title
