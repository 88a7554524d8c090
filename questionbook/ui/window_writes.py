"""The window's own writes: new entry, Trash (move, undo, restore, delete forever, empty),
star and rating from the list, the waterline. Each is one operation
(:mod:`questionbook.ui.operations`); what it changed is announced to every view, and the result
handlers here only move the selection and say what happened.

A mixin of :class:`~questionbook.ui.main_window.MainWindow`, kept apart so that the window
module stays about assembling parts (ARCHITECTURE.md, rule 10); the attributes it uses are
declared below and set by the window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from questionbook.core.entities import Entry, WaterlineResult
from questionbook.core.errors import InvalidValue, QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.vocabulary import KIND_LABELS
from questionbook.i18n import _, ngettext
from questionbook.ui.actions import Actions
from questionbook.ui.counts_loader import Counts
from questionbook.ui.dialogs import trash_dialogs
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from questionbook.ui.widgets.entry_list import EntryListPane
from questionbook.ui.widgets.sidebar import Sidebar
from questionbook.ui.widgets.status_bar import StatusBar
from questionbook.ui.widgets.waterline_report import WaterlineReport


class EntryWrites:
    """The window's write actions and what follows them (see the module docstring)."""

    _journal: Journal
    _ops: Operations
    _list: EntryListPane
    _editor: EntryEditor
    _sidebar: Sidebar
    _status: StatusBar
    _actions: Actions
    _counts: Counts | None
    _last_deleted: str | None

    # Provided by the window.
    def open_entry(self, entry_id: str) -> None:
        raise NotImplementedError

    def _selected_id(self) -> str:
        raise NotImplementedError

    def _selection_trashed(self) -> bool:
        raise NotImplementedError

    def _on_any_failed(self, message: str) -> None:
        raise NotImplementedError

    def _as_parent(self) -> QWidget:
        """The window, as the parent of the dialogs asked here."""
        assert isinstance(self, QWidget)
        return self

    # -- writes --------------------------------------------------------------------------
    def new_entry(self) -> None:
        """Ctrl+N: a new entry of the current view's kind, open in the editor (and gone
        again if the user leaves it untouched, :mod:`.widgets.editor.new_entry`)."""
        kind = self._list.view.new_kind
        if not self._editor.flush():
            return
        title = _("New {kind}").format(kind=_(KIND_LABELS[kind]).lower())
        journal = self._journal
        self._ops.op(
            lambda: journal.add(title, kind=kind),
            changes=lambda entry: Changes.of(entry.id, rows=True),
            initiator=self,
        ).on_success(self._on_new_entry_stored).run()

    def new_entry_from_prompt(self, prompt: str) -> None:
        """A new entry titled with *prompt* (the prompt of the day was clicked), of the
        current view's kind, with the cursor in its body; left untouched, it is not kept."""
        kind = self._list.view.new_kind
        if not prompt.strip() or not self._editor.flush():
            return
        journal = self._journal
        self._ops.op(
            lambda: journal.add(prompt, kind=kind),
            changes=lambda entry: Changes.of(entry.id, rows=True, tags=bool(entry.tags)),
            initiator=self,
        ).on_success(lambda entry: self._on_new_entry_stored(entry, focus_body=True)).run()

    def delete_entry(self, entry_id: str) -> None:
        """Move *entry_id* to the Trash and offer Undo in the status bar."""
        if not entry_id:
            return
        row = self._list.row_of(entry_id)
        self._editor.flush()
        journal = self._journal
        self._ops.op(
            lambda: journal.delete(entry_id),
            changes=Changes.of(entry_id, rows=True, tags=True),
            initiator=self,
        ).on_success(lambda entry: self._on_deleted(entry, row)).run()

    def undo_delete(self) -> None:
        """Bring back the entry the last delete moved to the Trash."""
        entry_id, self._last_deleted = self._last_deleted, None
        self._actions.undo_delete.setEnabled(False)
        self._status.hide_undo()
        if entry_id:
            self._restore(entry_id, _("Restored."))

    def restore_entry(self, entry_id: str) -> None:
        """Take *entry_id* out of the Trash. In the Trash view the next trashed entry is
        selected; elsewhere the entry stays open, now editable."""
        if entry_id:
            self._restore(entry_id, _("Restored from the Trash."))

    def purge_entry(self, entry_id: str) -> None:
        """Delete the trashed entry *entry_id* forever, after asking."""
        if not entry_id:
            return
        try:
            entry = self._journal.get(entry_id)
        except QuestionBookError as exc:  # gone or unreadable: say so
            self._on_any_failed(str(exc))
            return
        if not entry.in_trash:
            self._on_any_failed(_("Only entries in the Trash can be deleted forever."))
            return
        if not trash_dialogs.confirm_purge(self._as_parent(), entry.title):
            return
        row, journal = self._list.row_of(entry_id), self._journal

        def work() -> None:
            if not journal.get(entry_id).in_trash:  # restored meanwhile (another program)
                raise InvalidValue(_("Only entries in the Trash can be deleted forever."))
            journal.purge(entry_id)

        self._ops.op(
            work, changes=Changes.of(entry_id, rows=True, tags=True), initiator=self
        ).on_success(lambda _none: self._after_removed(entry_id, row, _("Deleted forever."))).run()

    def empty_trash(self) -> None:
        """Delete every entry in the Trash forever, after asking (naming how many)."""
        count = self._counts.stats.trash if self._counts else self._journal.stats().trash
        if not count:
            self._status.showMessage(_("The Trash is empty."), 4000)
            return
        if not trash_dialogs.confirm_empty_trash(self._as_parent(), count):
            return
        journal = self._journal
        self._ops.op(
            journal.empty_trash, changes=Changes(rows=True, tags=True), initiator=self
        ).on_success(self._on_trash_emptied).run()

    def set_waterline(self, level: int) -> None:
        """Move the waterline; if the water covers new entries, say which (non-modal)."""
        journal = self._journal
        self._ops.op(
            lambda: journal.set_waterline(level),
            changes=Changes(waterline=True),
            initiator=self,
        ).on_success(self._on_waterline_set).run()

    # -- results -------------------------------------------------------------------------
    def _on_new_entry_stored(self, entry: Entry, *, focus_body: bool = False) -> None:
        if self._list.view.trash:
            self._sidebar.select("today")
        self.open_entry(entry.id)
        self._editor.mark_new(entry.id)  # left untouched, it is not kept
        if focus_body:
            self._editor.focus_body()
        else:
            self._editor.focus_title()

    def _on_deleted(self, entry: Entry, row: int) -> None:
        self._last_deleted = entry.id
        self._actions.undo_delete.setEnabled(True)
        self._after_removed(entry.id, row, "")
        self._status.show_undo(_("Moved “{title}” to the Trash.").format(title=entry.title))

    def _after_removed(self, entry_id: str, row: int, message: str) -> None:
        """An entry left the list: the editor shows the next one (or nothing)."""
        if self._editor.current_id() == entry_id:
            self._editor.load(None)
        self._list.select_row(row)
        if message:
            self._status.showMessage(message, 4000)

    def _restore(self, entry_id: str, message: str) -> None:
        row, journal = self._list.row_of(entry_id), self._journal

        def done(_entry: Entry) -> None:
            if self._list.view.trash:
                self._after_removed(entry_id, row, message)
                return
            self.open_entry(entry_id)
            self._status.showMessage(message, 3000)

        self._ops.op(
            lambda: journal.restore(entry_id),
            changes=Changes.of(entry_id, rows=True, tags=True),
            initiator=self,
        ).on_success(done).run()

    def _on_trash_emptied(self, count: int) -> None:
        if self._editor.shows_trashed():
            self._editor.load(None)
        self._status.showMessage(
            ngettext("Deleted {n} entry forever.", "Deleted {n} entries forever.", count).format(
                n=count
            ),
            5000,
        )

    def _on_waterline_set(self, result: WaterlineResult) -> None:
        if not result.newly_submerged:
            self._status.showMessage(_("Waterline set."), 4000)
            return
        report = WaterlineReport(result, self._as_parent())
        report.show_submerged_requested.connect(lambda: self._sidebar.select("submerged"))
        report.open()

    def _on_star_triggered(self) -> None:
        entry_id = self._selected_id()
        if not entry_id or self._selection_trashed():
            return
        if self._editor.current_id() == entry_id:
            self._editor.toggle_star()  # a field of the form: the text being typed stays
            return
        journal = self._journal
        self._ops.op(
            lambda: journal.star(entry_id, not journal.get(entry_id).starred),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).run()

    def rate_selected(self, level: int) -> None:
        """Ctrl+1…5: rate the selected entry (in the editor if it shows it)."""
        entry_id = self._selected_id()
        if not entry_id or self._selection_trashed():
            return
        if self._editor.current_id() == entry_id:
            self._editor.set_hardness(level)
            return
        journal = self._journal
        self._ops.op(
            lambda: journal.rate(entry_id, level),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).run()
