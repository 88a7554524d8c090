"""The editor pane: one entry's title, kind, status, hardness, tags, date and Markdown body.

There is no Save button. The editor compares what the form shows with what it last stored and
writes only the differences through :meth:`Journal.update` (one call, one transaction):
text fields about a second after typing pauses, discrete choices (kind, status, star, tags)
at once, and everything pending on :meth:`flush` (switching entry, focus loss, closing).

Every write is an operation (:mod:`questionbook.ui.operations`) run on the window's worker
thread; the edits go through a :class:`~.drafts.DraftStore` that holds them until they are
stored. When the journal is busy in another program the window stays responsive, the indicator
says the text will be saved when the journal is free, and the user may even open another
entry: the draft keeps the text and is written later (and opening the entry again shows the
draft). If a write fails for another reason (disk full), the text stays, the indicator says
why, :attr:`save_failed` fires and the next edit or flush tries again; then :meth:`load`
refuses to switch away from the unsaved text, so nothing typed is lost.

When somebody else changes the shown entry (the list's context menu, the review, another
program), the editor hears it from :attr:`Operations.changed` and updates the fields that
changed. It never reloads a text field the user is editing: cursor, selection and scroll stay
where they are. Its own writes it learns from their results and skips their echo.

The widgets are private; the window uses the intent-level methods below (``toggle_star``,
``follow_up``, ``set_hardness``, ``focus_title`` ...) and the signals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.entities import Entry
from questionbook.core.errors import EntryNotFound, QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.links import Links
from questionbook.core.tags import parse_tags
from questionbook.core.trials import TrialService
from questionbook.i18n import _
from questionbook.settings import Settings
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.autosave import (
    MAX_WAIT_MS,
    SAVE_DELAY_MS,
    AutosaveController,
    SaveState,
)
from questionbook.ui.widgets.editor.drafts import Draft, DraftStore
from questionbook.ui.widgets.editor.editor_layout import EditorForm
from questionbook.ui.widgets.editor.entry_references import EntryReferences
from questionbook.ui.widgets.editor.evidence_panel import EvidencePanel
from questionbook.ui.widgets.editor.form_state import FormState, changes_between
from questionbook.ui.widgets.editor.markdown_view import LIVE_PREVIEW_LIMIT, PreviewRenderer
from questionbook.ui.widgets.editor.new_entry import NewEntry
from questionbook.ui.widgets.editor.preview_link import PreviewLink
from questionbook.ui.widgets.editor.writing_parts import WritingParts

PREVIEW_DELAY_MS = 350
#: Above this many characters the inline tags are not worked out for the tag chips.
INLINE_TAG_SCAN_LIMIT = 200_000
#: How long an explicit flush waits for its write when the journal is free (a huge body takes
#: a second or two to index); a busy journal ends the wait at once.
FLUSH_WAIT_MS = 3000
FLUSH_WAIT_MS_PER_MB = 1000
#: The settings the editor applies live.
EDITOR_SETTINGS = ("editor_font_family", "editor_font_size", "preview_mode")


class EntryEditor(QWidget):
    """Edits one entry and saves it by itself; embed it as the main window's right pane."""

    entry_saved = Signal(str)
    """Changes to the entry with this id were written to the journal."""
    follow_up_created = Signal(str)
    """A follow-up entry with this id was created (and is now loaded in the editor)."""
    delete_requested = Signal(str)
    """The user asked to move the entry with this id to the Trash (the owner does it)."""
    restore_requested = Signal(str)
    """The user asked to take the entry with this id out of the Trash (the owner does it)."""
    purge_requested = Signal(str)
    """The user asked to delete the trashed entry with this id forever (the owner does it)."""
    save_failed = Signal(str)
    """Writing failed; the argument is the reason. The text stays in the editor."""
    leave_requested = Signal()
    """The user pressed Esc in the editor: back to the list (edits are saved first)."""
    entry_shown = Signal(str)
    """The editor now shows the entry with this id ("" for none); banners follow it."""
    open_entry_requested = Signal(str)
    """The user followed a link to the entry with this id (the window opens it)."""
    reading_mode_changed = Signal(bool)
    """Reading mode was turned on (True) or off: the window gives the editor all its room."""

    def __init__(
        self,
        journal: Journal,
        parent: QWidget | None = None,
        *,
        ops: Operations | None = None,
        settings: SettingsController | None = None,
        trials: TrialService | None = None,
        attachments: AttachmentService | None = None,
        links: Links | None = None,
        save_delay_ms: int = SAVE_DELAY_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        """*save_delay_ms* and *max_wait_ms* tune the autosave (see
        :class:`~.autosave.AutosaveController`); tests shorten them. *trials*,
        *attachments* and *links* default to services over *journal*'s database."""
        super().__init__(parent)
        self.setObjectName("entryEditor")
        self._max_wait_ms = max_wait_ms
        self._journal = journal
        self._ops = ops or Operations(journal.db.path, self)
        self._settings = settings
        self._entry: Entry | None = None
        self._base: FormState | None = None
        self._add_tags: list[str] = []
        self._remove_tags: list[str] = []
        self._filling = False
        self._placeholder_text: str | None = None
        self._new: NewEntry | None = None  # made by Ctrl+N and not touched yet

        self._stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._banners = QVBoxLayout()  # notices about the entry shown (add_banner)
        layout.addLayout(self._banners)
        layout.addWidget(self._stack)
        self._placeholder = QLabel()
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setObjectName("editorPlaceholder")
        self._placeholder.setEnabled(False)
        self._stack.addWidget(self._placeholder)
        self._form = EditorForm(self, completion_source=self._tag_names)
        self._stack.addWidget(self._form)
        f = self._form
        # Pictures, files and links (issue 18): its sections come before the evidence.
        self._refs = EntryReferences(
            journal,
            self._ops,
            f,
            current=lambda: self._entry,
            hand_over=self._hand_over_edits,
            attachments=attachments,
            links=links,
            settings=settings,
            parent=self,
        )
        self._refs.open_entry_requested.connect(self.open_entry_requested)
        self._trials = trials or TrialService(journal.db, clock=journal.clock, tz=journal.tz)
        self._evidence = EvidencePanel(journal, self._trials, self._ops, f, settings=settings)
        self._evidence.ignore_changes_from(self)
        self._evidence.ask_ai_requested.connect(self.ask_ai)
        self._evidence.failed.connect(self.save_failed)
        f.add_section(self._evidence)
        # Revisit day, templates of a new entry, reading mode (issue 19).
        self._writing = WritingParts(journal, self._ops, f, folded=[self._evidence], parent=self)
        self._writing.reading.changed.connect(self.reading_mode_changed)
        self._writing.reading.toggle_requested.connect(self.set_reading_mode)
        self._writing.revisit.failed.connect(self.save_failed)

        self._drafts = DraftStore(journal, self._ops, self, initiator=self)
        self._drafts.stored.connect(self._on_drafts_stored)
        self._drafts.waiting.connect(self._on_drafts_waiting)
        self._drafts.failed.connect(self._on_drafts_failed)
        self._autosave = AutosaveController(
            self._save, self, delay_ms=save_delay_ms, max_wait_ms=max_wait_ms
        )
        self._autosave.state_changed.connect(self._on_autosave_state_changed)
        self._autosave.failed.connect(self.save_failed)
        self._renderer = PreviewRenderer(
            f.preview, limit=LIVE_PREVIEW_LIMIT, render=self._refs.render
        )
        self._refs.preview_stale.connect(self._render_preview)
        self._preview_link = PreviewLink(f.body_edit, f.preview, self)  # follows, ticks tasks
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._render_preview)

        f.title_edit.textEdited.connect(self._on_text_edited)
        f.title_edit.returnPressed.connect(f.body_edit.setFocus)
        f.body_edit.edited.connect(self._on_body_text_changed)
        f.outcome.edit.textChanged.connect(self._on_text_edited)
        f.date_edit.dateTimeChanged.connect(self._on_text_edited)
        f.kind_switch.kind_chosen.connect(self._on_discrete_change)
        f.status_box.status_chosen.connect(self._on_status_box_status_chosen)
        f.star_button.toggled.connect(self._on_discrete_change)
        f.tag_editor.tag_added.connect(self._on_tag_editor_tag_added)
        f.tag_editor.tag_removed.connect(self._on_tag_editor_tag_removed)
        f.hardness_button.clicked.connect(self.open_hardness_picker)
        f.hardness_picker.level_chosen.connect(self._on_hardness_picker_level_chosen)
        f.follow_up_button.clicked.connect(self.follow_up)
        f.delete_button.clicked.connect(self._on_delete_button_clicked)
        f.restore_button.clicked.connect(lambda: self._ask_for_trashed(self.restore_requested))
        f.purge_button.clicked.connect(lambda: self._ask_for_trashed(self.purge_requested))
        f.preview_button.toggled.connect(self._on_preview_button_toggled)
        for widget in (f.title_edit, f.body_edit, f.outcome.edit, f.date_edit):
            widget.installEventFilter(self)
        self._ops.changed.connect(self._on_ops_changed)
        if settings is not None:
            settings.subscribe(self, EDITOR_SETTINGS, self._on_settings_changed)
        self._apply_settings(settings.settings if settings is not None else Settings())
        self._retranslate()
        self._show_placeholder()

    # -- public API ------------------------------------------------------------------------------
    def current_id(self) -> str | None:
        """The id of the entry shown, or ``None``."""
        return self._entry.id if self._entry else None

    def shows_trashed(self) -> bool:
        """True while the entry shown is in the Trash (read-only)."""
        return self._entry is not None and self._entry.in_trash

    def load(self, entry_id: str | None) -> bool:
        """Show *entry_id* (``None``: the empty placeholder), saving pending edits first.

        Returns False, and keeps the current entry with its unsaved text, if that save failed.
        A save that waits for a busy journal does not hold the user back: its draft keeps
        the text and is written when the journal is free. Loading the entry already shown
        only brings changed fields up to date (the text being edited stays as it is).
        """
        if entry_id != self.current_id():
            self.discard_untouched_new()
        if not self.flush() and self._autosave.state is SaveState.FAILED:
            return False
        if entry_id is None:
            self._show_placeholder()
            return True
        if self._entry is not None and entry_id == self._entry.id:
            self._sync_from_journal()
            return True
        try:
            entry = self._journal.get(entry_id)
        except EntryNotFound:
            self._show_placeholder(_("This entry no longer exists."))
            return True
        except QuestionBookError as exc:
            self._show_placeholder(_("This entry cannot be read: {reason}").format(reason=exc))
            return True
        self._fill(entry)
        if self._form.preview_shown():
            self._renderer.request(self._form.body_edit.toPlainText())
        else:
            self._form.preview.clear()
        return True

    def add_banner(self, banner: QWidget, show_entry: Callable[[str], object]) -> None:
        """Show *banner* above the entry: a notice about the entry shown, such as "edited on
        two computers" (issue 16). *show_entry* is told the id of every entry the editor
        shows ("" for none) and decides whether the banner is visible."""
        self._banners.addWidget(banner)
        self.entry_shown.connect(show_entry)
        show_entry(self.current_id() or "")

    def mark_new(self, entry_id: str) -> None:
        """The entry shown was just made by Ctrl+N: leaving it untouched deletes it (its
        kind's templates are offered meanwhile)."""
        if self._entry is not None and self._entry.id == entry_id:
            self._new = NewEntry.of(self._entry)
            if not self._entry.body:
                self._writing.offer_templates(self._entry.kind)

    def discard_untouched_new(self) -> bool:
        """Delete the entry shown if Ctrl+N made it and nothing was done to it since
        (:mod:`.new_entry`); then the editor shows nothing. Returns whether it did."""
        new, entry, self._new = self._new, self._entry, None
        if new is None or entry is None or entry.id != new.entry_id:
            return False
        if self._autosave.is_dirty() or self._drafts.get(entry.id) is not None:
            return False
        if changes_between(new.state, self._form.snapshot()) or not new.untouched(entry):
            return False
        journal = self._journal
        self._ops.op(
            lambda: new.discard(journal), changes=Changes.of(entry.id, rows=True), initiator=self
        ).run()
        self._show_placeholder()
        return True

    def leave(self) -> None:
        """Esc: save (or drop an untouched new entry) and hand the keyboard back to the list;
        in reading mode, Esc only leaves reading mode."""
        if self.reading_mode():
            self.set_reading_mode(False)
            return
        if not self.discard_untouched_new():
            self.flush()
        self.leave_requested.emit()

    def flush(self) -> bool:
        """Write pending edits now. True if everything is stored; False if the save failed or
        still waits for a busy journal (the text is kept either way)."""
        if self._entry is None:
            return True
        self._evidence.save_still_mine()  # a still-mine line typed and not yet left
        return self._autosave.flush()

    def save_state(self) -> SaveState:
        """Whether everything shown is stored (saved, pending, waiting, failed)."""
        return self._autosave.state

    def unsaved_drafts(self) -> list[Draft]:
        """Edits of any entry not stored yet (after :meth:`flush` they include the form's)."""
        return self._drafts.drafts()

    def set_hardness(self, level: int | None) -> bool:
        """Rate the entry (user's own choice, e.g. Ctrl+1…5). False if nothing is written."""
        return self._rate(level, "user")

    def toggle_star(self) -> bool:
        """Star or unstar the entry (Ctrl+D), saved like any other field: the text being
        typed stays as it is. False if there is nothing to star (none shown, or trashed)."""
        if self._entry is None or self._entry.in_trash:
            return False
        self._form.star_button.toggle()
        return True

    def follow_up(self) -> bool:
        """Create a follow-up of the entry ("Sharpen this question") and open it with its
        title selected. False if there is nothing to follow up."""
        if self._entry is None or self._entry.in_trash or not self._hand_over_edits():
            return False
        self._new = None  # sharpened: the entry is the follow-up's parent now, kept
        parent_id, journal = self._entry.id, self._journal
        self._ops.op(
            lambda: journal.follow_up(parent_id),
            changes=lambda child: Changes.of(child.id, rows=True, tags=bool(child.tags)),
            initiator=self,
        ).on_success(self._on_follow_up_stored).on_failure(self._on_write_failed).run()
        return True

    def set_reading_mode(self, on: bool) -> bool:
        """Turn reading mode on or off (F11); False if there is no entry to read."""
        if on and self._entry is None:
            return False
        self._writing.reading.set_active(on)
        if on:
            self._form.body_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def reading_mode(self) -> bool:
        return self._writing.reading.active

    def focus_body(self) -> None:
        """Put the cursor at the end of the body (an entry started from a prompt)."""
        body = self._form.body_edit
        body.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = body.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        body.setTextCursor(cursor)

    def focus_title(self) -> None:
        """Put the cursor in the title with the title selected (a new entry: type over it)."""
        self._form.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._form.title_edit.selectAll()

    def ask_ai(self) -> QWidget | None:
        """Open "Ask AI" for the entry as it reads now (the text typed, saved or not), if
        asking is turned on in Settings → AI; returns the dialog."""
        if self._entry is None:
            return None
        from questionbook.ui.dialogs.ask_ai_dialog import open_ask_ai

        shown = self._form.snapshot()
        entry = replace(self._entry, title=shown.title or self._entry.title, body=shown.body)
        settings = self._settings.settings if self._settings is not None else Settings()
        return open_ask_ai(self, entry, self._trials, self._ops, settings)

    def open_hardness_picker(self) -> None:
        """Pop up the level list and the rubric under the hardness button."""
        if self._entry is None or self._entry.in_trash:
            return
        self._form.hardness_picker.reset(self._entry.hardness)
        self._form.hardness_picker.popup_below(self._form.hardness_button)

    # -- settings and language -------------------------------------------------------------------
    def _on_settings_changed(self, _names: set[str]) -> None:
        if self._settings is not None:
            self._apply_settings(self._settings.settings)

    def _apply_settings(self, settings: Settings) -> None:
        self._form.apply_settings(settings)

    def _retranslate(self) -> None:
        self._placeholder.setText(
            self._placeholder_text
            or _("Select an entry to read or edit it,\nor press Ctrl+N to write a new one.")
        )
        self._on_autosave_state_changed(self._autosave.state, self._autosave.reason)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()

    # -- saving ----------------------------------------------------------------------------------
    def _save(self, wait: bool) -> None:
        """The autosave function: hand what differs from the stored state to the drafts;
        with *wait*, give the write a moment to go through."""
        if self._entry is None or self._base is None:
            return
        snapshot = self._form.snapshot()
        draft = self._drafts.put(
            self._entry, self._base, snapshot, self._add_tags, self._remove_tags
        )
        self._add_tags, self._remove_tags = [], []
        if draft is None:  # nothing differs
            self._autosave.report_stored(True)
        elif wait:
            ms = FLUSH_WAIT_MS + FLUSH_WAIT_MS_PER_MB * len(snapshot.body) // 1_000_000
            self._drafts.wait(self._entry.id, ms)

    def _on_drafts_stored(self, entry_id: str, entry: Entry, stored: FormState) -> None:
        draft = self._drafts.get(entry_id)
        if self._entry is not None and entry_id == self._entry.id:
            self._entry, self._base = entry, stored
            self._show_discrete(draft.shown_entry(entry) if draft else entry)
            self._autosave.report_stored(draft is None)
        self.entry_saved.emit(entry_id)

    def _on_drafts_waiting(self, entry_id: str) -> None:
        if self._entry is not None and entry_id == self._entry.id:
            self._autosave.report_waiting()

    def _on_drafts_failed(self, entry_id: str, reason: str) -> None:
        if self._entry is not None and entry_id == self._entry.id:
            self._autosave.report_failed(reason)  # the indicator and save_failed say it

    def _rate(self, level: int | None, source: str) -> bool:
        if self._entry is None or self._entry.in_trash or not self._hand_over_edits():
            return False
        entry_id, journal = self._entry.id, self._journal
        self._ops.op(
            lambda: journal.rate(entry_id, level, source=source),
            changes=Changes.of(entry_id, rows=True),
            initiator=self,
        ).on_success(self._on_rated).on_failure(self._on_write_failed).run()
        return True

    def _hand_over_edits(self) -> bool:
        """Hand the pending edits to the worker before another write of this entry (the
        worker keeps the order). False while the text could not be stored (disk full): then
        nothing else is written, so the unsaved text stays the user's only concern."""
        if self._autosave.state is SaveState.FAILED:
            return False
        self._autosave.flush(wait=False)
        return True

    def _on_rated(self, entry: Entry) -> None:
        if self._entry is not None and entry.id == self._entry.id:
            self._entry = entry
            self._form.hardness_button.set_level(entry.hardness)
            self._evidence.show_entry(entry)
        self.entry_saved.emit(entry.id)

    def _on_follow_up_stored(self, child: Entry) -> None:
        if not self.load(child.id):
            return
        self.follow_up_created.emit(child.id)
        self.focus_title()

    def _on_write_failed(self, reason: str) -> None:
        if self._entry is not None:
            self._show_failure(reason)
        self.save_failed.emit(reason)

    # -- somebody else changed the entry ---------------------------------------------------------
    def _on_ops_changed(self, changes: Changes, initiator: object) -> None:
        if initiator is self or self._entry is None or not changes.touches(self._entry.id):
            return
        self._sync_from_journal()

    def _sync_from_journal(self) -> None:
        """Bring the shown entry up to date with the journal without disturbing the user:
        discrete fields always; a text field only when it holds no edits of its own, and then
        with its cursor and scroll position kept."""
        if self._entry is None:
            return
        entry_id = self._entry.id
        draft = self._drafts.get(entry_id)
        quiet = draft is None and not self._autosave.is_dirty()
        try:
            stored = self._journal.get(entry_id)
        except EntryNotFound:
            if quiet:
                self._show_placeholder(_("This entry no longer exists."))
            return
        except QuestionBookError:
            return  # unreadable for a moment (busy): the next change tries again
        if stored == self._entry:
            return
        self._filling = True
        try:
            self._entry = stored
            if quiet:
                self._form.keep_cursor_set_text(stored)
                self._base = FormState.of(stored)
            elif self._base is not None:
                base = replace(
                    self._base, kind=stored.kind, status=stored.status, starred=stored.starred
                )
                if draft is None:  # the texts the user has not touched show the new value
                    shown = self._form.snapshot()
                    fresh = {
                        name: getattr(stored, name)
                        for name in ("title", "body", "outcome")
                        if getattr(shown, name) == getattr(base, name)
                    }
                    self._form.keep_cursor_set_text(stored, only=fresh)
                    base = replace(base, **fresh)
                self._base = base
            self._show_discrete(draft.shown_entry(stored) if draft else stored)
            self._form.set_parent_title(self._parent_title(stored))
            self._form.set_read_only(stored.in_trash)
            self._evidence.set_read_only(stored.in_trash)
            self._evidence.show_entry(stored)
            self._refs.show_entry(stored)
            self._writing.show_entry(stored)
        finally:
            self._filling = False

    # -- filling the form ------------------------------------------------------------------------
    def _fill(self, stored: Entry) -> None:
        """Show *stored*, or its draft if it has edits not stored yet; nothing here counts as
        an edit."""
        draft = self._drafts.get(stored.id)
        entry = draft.shown_entry(stored) if draft else stored
        self._filling = True
        try:
            self._entry = stored
            self._add_tags, self._remove_tags = [], []
            self._form.show_entry(entry, self._inline_tags(entry), self._parent_title(entry))
            self._evidence.set_read_only(stored.in_trash)
            self._evidence.show_entry(stored)
            self._refs.show_entry(stored)
            self._writing.show_entry(stored)
            self._writing.withdraw_templates()
            self._base = draft.base if draft else FormState.of(stored)
            self._stack.setCurrentWidget(self._form)
        finally:
            self._filling = False
        self.entry_shown.emit(stored.id)
        if draft is None:
            self._autosave.reset()
        elif draft.error:
            self._autosave.reset(SaveState.FAILED, draft.error)
        else:
            self._autosave.reset(SaveState.WAITING if draft.waiting else SaveState.PENDING)
        # Saving a huge body costs real time: save it less often during a long burst of typing.
        huge = len(entry.body) > LIVE_PREVIEW_LIMIT
        self._autosave.set_max_wait(self._max_wait_ms * 5 if huge else self._max_wait_ms)

    def _show_discrete(self, entry: Entry) -> None:
        """Update the non-text controls from the stored entry (after a load or a save)."""
        was_filling, self._filling = self._filling, True
        try:
            self._form.show_discrete(entry, self._inline_tags(entry))
        finally:
            self._filling = was_filling

    def _inline_tags(self, entry: Entry) -> list[str]:
        if not entry.tags or len(entry.body) > INLINE_TAG_SCAN_LIMIT:
            return []
        return parse_tags(f"{entry.title}\n{entry.body}")

    def _parent_title(self, entry: Entry) -> str:
        if not entry.parent_id:
            return ""
        try:
            return self._journal.get(entry.parent_id).title
        except QuestionBookError:
            return ""

    def _show_placeholder(self, text: str | None = None) -> None:
        self._entry = None
        self._base = None
        self._evidence.show_entry(None)
        self._refs.show_entry(None)
        self._writing.show_entry(None)
        self._autosave.reset()
        self._placeholder_text = text
        self._retranslate()
        self._stack.setCurrentWidget(self._placeholder)
        self.entry_shown.emit("")

    def _tag_names(self) -> list[str]:
        try:
            return [t.name for t in self._journal.tag_counts()]
        except QuestionBookError:
            return []

    def hideEvent(self, event: QHideEvent) -> None:
        """Save when the pane is hidden (another page of the window comes to the front)."""
        if self._entry is not None and self._autosave.is_dirty():
            self._autosave.flush()
        super().hideEvent(event)

    # -- reacting to the user --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Save when a text field loses the focus (unless the focus only went to a popup);
        Esc in a field leaves the editor for the list."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.leave()
            return True
        if (
            event.type() == QEvent.Type.FocusOut
            and self._entry is not None
            and self._autosave.is_dirty()
            and getattr(event, "reason", lambda: None)() != Qt.FocusReason.PopupFocusReason
        ):
            self._autosave.flush()
        return super().eventFilter(watched, event)

    def _on_text_edited(self, *_args: object) -> None:
        if not self._filling and self._entry is not None:
            self._autosave.mark_dirty()

    def _on_body_text_changed(self) -> None:
        if self._filling or self._entry is None:
            return
        self._autosave.mark_dirty()
        if self._form.preview_shown():
            self._preview_timer.start()

    def _on_discrete_change(self, *_args: object) -> None:
        if not self._filling and self._entry is not None:
            self._autosave.mark_dirty()
            self._autosave.flush()

    def _on_status_box_status_chosen(self, status: str) -> None:
        if self._entry is None:
            return
        f = self._form
        f.outcome.set_context(f.kind_switch.kind(), status)
        self._on_discrete_change()
        if f.outcome.isVisible() and not f.outcome.text():
            f.outcome.edit.setFocus()

    def _on_tag_editor_tag_added(self, name: str) -> None:
        self._add_tags.append(name)
        self._on_discrete_change()

    def _on_tag_editor_tag_removed(self, name: str) -> None:
        self._remove_tags.append(name)
        self._on_discrete_change()

    def _on_hardness_picker_level_chosen(self, level: int | None, source: str) -> None:
        self._rate(level, source)

    def _on_delete_button_clicked(self) -> None:
        if self._entry is not None and self.flush():
            self.delete_requested.emit(self._entry.id)

    def _ask_for_trashed(self, request: SignalInstance) -> None:
        if self._entry is not None and self._entry.in_trash:
            request.emit(self._entry.id)

    def _on_preview_button_toggled(self, shown: bool) -> None:
        self._form.show_preview(shown)
        if shown:
            self._render_preview()

    def _render_preview(self) -> None:
        if self._entry is not None and self._form.preview_shown():
            self._renderer.request(self._form.body_edit.toPlainText())

    def _on_autosave_state_changed(self, state: SaveState, reason: str) -> None:
        self._form.show_save_state(state, reason)

    def _show_failure(self, reason: str) -> None:
        self._form.show_save_state(SaveState.FAILED, reason)
