"""The editor pane: one entry's title, kind, status, hardness, tags, date and Markdown body.

There is no Save button. The editor compares what the form shows with what it last stored and
writes only the differences through :meth:`Journal.update` (one call, one transaction):
text fields about a second after typing pauses, discrete choices (kind, status, star, tags)
at once, and everything pending on :meth:`flush` (switching entry, focus loss, closing).

The writes run on a worker thread (:class:`~questionbook.ui.journal_writer.JournalWriter`),
through a :class:`~.drafts.DraftStore` that holds the edits until they are stored. When the
journal is busy in another program the window stays responsive, the indicator says the text
will be saved when the journal is free, and the user may even open another entry: the draft
keeps the text and is written later (and opening the entry again shows the draft). If a write
fails for another reason (disk full), the text stays, the indicator says why, :attr:`save_failed`
fires and the next edit or flush tries again; then :meth:`load` refuses to switch away from the
unsaved text, so nothing typed is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from questionbook.core.entities import Entry
from questionbook.core.errors import EntryNotFound, QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.tags import parse_tags
from questionbook.core.vocabulary import Kind
from questionbook.i18n import _
from questionbook.settings import Settings
from questionbook.ui.journal_writer import JournalWriter, busy_explanation, fail_fast_if_busy
from questionbook.ui.widgets.editor.autosave import AutosaveController, SaveState
from questionbook.ui.widgets.editor.drafts import Draft, DraftStore
from questionbook.ui.widgets.editor.editor_layout import EditorForm
from questionbook.ui.widgets.editor.form_state import FormState, to_msecs
from questionbook.ui.widgets.editor.markdown_view import LIVE_PREVIEW_LIMIT, PreviewRenderer

PREVIEW_DELAY_MS = 350
#: Above this many characters the inline tags are not worked out for the tag chips.
INLINE_TAG_SCAN_LIMIT = 200_000
#: How long an explicit flush waits for its write when the journal is free (a huge body takes
#: a second or two to index); a busy journal ends the wait at once.
FLUSH_WAIT_MS = 3000
FLUSH_WAIT_MS_PER_MB = 1000


class EntryEditor(QWidget):
    """Edits one entry and saves it by itself; embed it as the main window's right pane."""

    entry_saved = Signal(str)
    """Changes to the entry with this id were written to the journal."""
    follow_up_created = Signal(str)
    """A follow-up entry with this id was created (and is now loaded in the editor)."""
    delete_requested = Signal(str)
    """The user asked to move the entry with this id to the Trash (the owner does it)."""
    save_failed = Signal(str)
    """Writing failed; the argument is the reason. The text stays in the editor."""

    def __init__(
        self,
        journal: Journal,
        parent: QWidget | None = None,
        *,
        settings: Settings | None = None,
        writer: JournalWriter | None = None,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._writer = writer or JournalWriter(journal.db.path, self)
        self._entry: Entry | None = None
        self._base: FormState | None = None
        self._add_tags: list[str] = []
        self._remove_tags: list[str] = []
        self._filling = False

        self._stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self.placeholder = QLabel(
            _("Select an entry to read or edit it,\nor press Ctrl+N to write a new one.")
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setObjectName("editorPlaceholder")
        self.placeholder.setEnabled(False)
        self._stack.addWidget(self.placeholder)
        self.form = EditorForm(self, completion_source=self._tag_names)
        self._stack.addWidget(self.form)
        f = self.form
        self.title_edit, self.body_edit, self.preview = f.title_edit, f.body_edit, f.preview
        self.kind_switch, self.status_box, self.outcome = f.kind_switch, f.status_box, f.outcome
        self.hardness_button, self.hardness_picker = f.hardness_button, f.hardness_picker
        self.tag_editor, self.star_button, self.date_edit = f.tag_editor, f.star_button, f.date_edit
        self.follow_up_button, self.delete_button = f.follow_up_button, f.delete_button
        self.preview_button, self.indicator = f.preview_button, f.indicator

        self.drafts = DraftStore(journal, self._writer, self)
        self.drafts.stored.connect(self._on_drafts_stored)
        self.drafts.waiting.connect(self._on_drafts_waiting)
        self.drafts.failed.connect(self._on_drafts_failed)
        self.autosave = AutosaveController(self._save, self)
        self.autosave.state_changed.connect(self._on_autosave_state_changed)
        self.autosave.failed.connect(self.save_failed)
        self.renderer = PreviewRenderer(self.preview, limit=LIVE_PREVIEW_LIMIT)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._render_preview)

        self.title_edit.textEdited.connect(self._on_text_edited)
        self.title_edit.returnPressed.connect(self.body_edit.setFocus)
        self.body_edit.textChanged.connect(self._on_body_text_changed)
        self.outcome.edit.textChanged.connect(self._on_text_edited)
        self.date_edit.dateTimeChanged.connect(self._on_text_edited)
        self.kind_switch.kind_chosen.connect(self._on_kind_switch_kind_chosen)
        self.status_box.status_chosen.connect(self._on_status_box_status_chosen)
        self.star_button.toggled.connect(self._on_discrete_change)
        self.tag_editor.tag_added.connect(self._on_tag_editor_tag_added)
        self.tag_editor.tag_removed.connect(self._on_tag_editor_tag_removed)
        self.hardness_button.clicked.connect(self.open_hardness_picker)
        self.hardness_picker.level_chosen.connect(self._on_hardness_picker_level_chosen)
        self.follow_up_button.clicked.connect(self._on_follow_up_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.preview_button.toggled.connect(self._on_preview_button_toggled)
        for widget in (self.title_edit, self.body_edit, self.outcome.edit, self.date_edit):
            widget.installEventFilter(self)
        if settings is not None:
            self.apply_settings(settings)
        self._show_placeholder()

    # -- public API ------------------------------------------------------------------------------
    def current_id(self) -> str | None:
        """The id of the entry shown, or ``None``."""
        return self._entry.id if self._entry else None

    def load(self, entry_id: str | None) -> bool:
        """Show *entry_id* (``None``: the empty placeholder), saving pending edits first.

        Returns False, and keeps the current entry with its unsaved text, if that save failed.
        A save that waits for a busy journal does not hold the user back: its draft keeps
        the text and is written when the journal is free.
        """
        if not self.flush() and self.autosave.state is SaveState.FAILED:
            return False
        if entry_id is None:
            self._show_placeholder()
            return True
        try:
            entry = self._journal.get(entry_id)
        except EntryNotFound:
            self._show_placeholder(_("This entry no longer exists."))
            return True
        except QuestionBookError as exc:
            self._show_placeholder(_("This entry cannot be read: {reason}").format(reason=exc))
            return True
        if (
            self._entry is not None
            and entry.id == self._entry.id
            and (
                entry.updated_at == self._entry.updated_at
                and entry.deleted_at == self._entry.deleted_at
            )
        ):
            return True  # already shown and unchanged: keep the cursor and the undo history
        self._fill(entry)
        if self.form.preview_shown():
            self.renderer.request(self.body_edit.toPlainText())
        else:
            self.preview.clear()
        return True

    def flush(self) -> bool:
        """Write pending edits now. True if everything is stored; False if the save failed or
        still waits for a busy journal (the text is kept either way)."""
        if self._entry is None:
            return True
        return self.autosave.flush()

    def unsaved_drafts(self) -> list[Draft]:
        """Edits of any entry not stored yet (after :meth:`flush` they include the form's)."""
        return self.drafts.drafts()

    def set_hardness(self, level: int | None) -> bool:
        """Rate the entry (user's own choice, e.g. Ctrl+1…5). False if nothing was written."""
        return self._rate(level, "user")

    def open_hardness_picker(self) -> None:
        """Pop up the level list and the rubric under the hardness button."""
        if self._entry is None or self._entry.in_trash:
            return
        self.hardness_picker.reset(self._entry.hardness)
        self.hardness_picker.popup_below(self.hardness_button)

    def apply_settings(self, settings: Settings) -> None:
        """Use the editor font and preview mode from *settings*."""
        font = QFont(self.body_edit.font())
        if settings.editor_font_family:
            font.setFamily(settings.editor_font_family)
        if settings.editor_font_size > 0:
            font.setPointSize(settings.editor_font_size)
        self.body_edit.setFont(font)
        preview_font = QFont(self.preview.font())
        preview_font.setPointSize(font.pointSize())  # the same size, in the UI's typeface
        self.preview.setFont(preview_font)
        self.form.set_preview_mode(settings.preview_mode)

    # -- saving ----------------------------------------------------------------------------------
    def _snapshot(self) -> FormState:
        kind = self.kind_switch.kind()
        return FormState(
            title=self.title_edit.text(),
            body=self.body_edit.toPlainText(),
            outcome=self.outcome.text(),
            kind=kind,
            status=self.status_box.status() if kind != Kind.NOTE.value else None,
            starred=self.star_button.isChecked(),
            created_ms=self.date_edit.dateTime().toMSecsSinceEpoch(),
        )

    def _save(self, wait: bool) -> None:
        """The autosave function: hand what differs from the stored state to the drafts;
        with *wait*, give the write a moment to go through."""
        if self._entry is None or self._base is None:
            return
        snapshot = self._snapshot()
        draft = self.drafts.put(
            self._entry, self._base, snapshot, self._add_tags, self._remove_tags
        )
        self._add_tags, self._remove_tags = [], []
        if draft is None:  # nothing differs
            self.autosave.report_stored(True)
        elif wait:
            ms = FLUSH_WAIT_MS + FLUSH_WAIT_MS_PER_MB * len(snapshot.body) // 1_000_000
            self.drafts.wait(self._entry.id, ms)

    def _on_drafts_stored(self, entry_id: str, entry: Entry, stored: FormState) -> None:
        draft = self.drafts.get(entry_id)
        if self._entry is not None and entry_id == self._entry.id:
            self._entry, self._base = entry, stored
            self._show_discrete(draft.shown_entry(entry) if draft else entry)
            self.autosave.report_stored(draft is None)
        self.entry_saved.emit(entry_id)

    def _on_drafts_waiting(self, entry_id: str) -> None:
        if self._entry is not None and entry_id == self._entry.id:
            self.autosave.report_waiting()

    def _on_drafts_failed(self, entry_id: str, reason: str) -> None:
        if self._entry is not None and entry_id == self._entry.id:
            self.autosave.report_failed(reason)  # the indicator and save_failed say it
            return
        draft = self.drafts.get(entry_id)
        title = (draft.target.title.strip() or draft.entry.title) if draft else ""
        self.save_failed.emit(
            _("“{title}” is not saved yet: {reason}").format(title=title, reason=reason)
        )

    def _rate(self, level: int | None, source: str) -> bool:
        if self._entry is None or self._entry.in_trash or not self.flush():
            return False
        try:
            fail_fast_if_busy(self._journal)
            entry = self._journal.rate(self._entry.id, level, source=source)
        except QuestionBookError as exc:
            self._show_failure(str(exc))
            self.save_failed.emit(str(exc))
            return False
        self._entry = entry
        self.hardness_button.set_level(entry.hardness)
        self.entry_saved.emit(entry.id)
        return True

    # -- filling the form ------------------------------------------------------------------------
    def _fill(self, stored: Entry) -> None:
        """Show *stored*, or its draft if it has edits not stored yet; nothing here counts as
        an edit."""
        draft = self.drafts.get(stored.id)
        entry = draft.shown_entry(stored) if draft else stored
        self._filling = True
        try:
            self._entry = stored
            self._add_tags, self._remove_tags = [], []
            self.title_edit.setText(entry.title)
            self.title_edit.setCursorPosition(0)
            self.body_edit.set_body(entry.body)  # also resets the undo history
            self.outcome.set_text(entry.outcome)
            created = QDateTime.fromMSecsSinceEpoch(to_msecs(entry.created_at))
            self.date_edit.setDateTime(created)
            self._show_discrete(entry)
            self._base = draft.base if draft else FormState.of(stored)
            self.form.set_parent_title(self._parent_title(entry))
            read_only = entry.in_trash
            self.form.set_read_only(read_only)
            self._stack.setCurrentWidget(self.form)
        finally:
            self._filling = False
        if draft is None:
            self.autosave.reset()
        elif draft.error:
            self.autosave.reset(SaveState.FAILED, draft.error)
        else:
            self.autosave.reset(SaveState.WAITING if draft.waiting else SaveState.PENDING)
        # Saving a huge body costs real time: save it less often during a long burst of typing.
        self.autosave.set_max_wait(1000 if len(entry.body) <= LIVE_PREVIEW_LIMIT else 5000)

    def _show_discrete(self, entry: Entry) -> None:
        """Update the non-text controls from the stored entry (after a load or a save)."""
        was_filling, self._filling = self._filling, True
        try:
            self.kind_switch.set_kind(entry.kind)
            self.status_box.set_kind_status(entry.kind, entry.status)
            self.status_box.setVisible(entry.kind != Kind.NOTE.value)
            self.outcome.set_context(entry.kind, entry.status)
            self.star_button.setChecked(entry.starred)
            self.hardness_button.set_level(entry.hardness)
            self.tag_editor.set_tags(entry.tags, self._inline_tags(entry))
            self.form.set_kind(entry.kind)
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
        self.autosave.reset()
        if text:
            self.placeholder.setText(text)
        self._stack.setCurrentWidget(self.placeholder)

    def _tag_names(self) -> list[str]:
        try:
            return [t.name for t in self._journal.tag_counts()]
        except QuestionBookError:
            return []

    def hideEvent(self, event: QHideEvent) -> None:
        """Save when the pane is hidden (another page of the window comes to the front)."""
        if self._entry is not None and self.autosave.is_dirty():
            self.autosave.flush()
        super().hideEvent(event)

    # -- reacting to the user --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Save when a text field loses the focus (unless the focus only went to a popup)."""
        if (
            event.type() == QEvent.Type.FocusOut
            and self._entry is not None
            and self.autosave.is_dirty()
            and getattr(event, "reason", lambda: None)() != Qt.FocusReason.PopupFocusReason
        ):
            self.autosave.flush()
        return super().eventFilter(watched, event)

    def _on_text_edited(self, *_args: object) -> None:
        if not self._filling and self._entry is not None:
            self.autosave.mark_dirty()

    def _on_body_text_changed(self) -> None:
        if self._filling or self._entry is None:
            return
        self.autosave.mark_dirty()
        if self.form.preview_shown():
            self._preview_timer.start()

    def _on_discrete_change(self, *_args: object) -> None:
        if not self._filling and self._entry is not None:
            self.autosave.mark_dirty()
            self.autosave.flush()

    def _on_kind_switch_kind_chosen(self, kind: str) -> None:
        self._on_discrete_change()

    def _on_status_box_status_chosen(self, status: str) -> None:
        if self._entry is None:
            return
        self.outcome.set_context(self.kind_switch.kind(), status)
        self._on_discrete_change()
        if self.outcome.isVisible() and not self.outcome.text():
            self.outcome.edit.setFocus()

    def _on_tag_editor_tag_added(self, name: str) -> None:
        self._add_tags.append(name)
        self._on_discrete_change()

    def _on_tag_editor_tag_removed(self, name: str) -> None:
        self._remove_tags.append(name)
        self._on_discrete_change()

    def _on_hardness_picker_level_chosen(self, level: int | None, source: str) -> None:
        self._rate(level, source)

    def _on_follow_up_button_clicked(self) -> None:
        if self._entry is None or not self.flush():
            return
        try:
            fail_fast_if_busy(self._journal)
            child = self._journal.follow_up(self._entry.id)
        except QuestionBookError as exc:
            self._show_failure(str(exc))
            self.save_failed.emit(str(exc))
            return
        self.load(child.id)
        self.follow_up_created.emit(child.id)
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def _on_delete_button_clicked(self) -> None:
        if self._entry is not None and self.flush():
            self.delete_requested.emit(self._entry.id)

    def _on_preview_button_toggled(self, shown: bool) -> None:
        self.form.show_preview(shown)
        if shown:
            self._render_preview()

    def _render_preview(self) -> None:
        if self._entry is not None and self.form.preview_shown():
            self.renderer.request(self.body_edit.toPlainText())

    def _on_autosave_state_changed(self, state: SaveState, reason: str) -> None:
        if state is SaveState.FAILED:
            self._show_failure(reason)
        elif state is SaveState.WAITING:
            self.form.set_indicator(_("Journal busy — will save when it is free"))
            self.form.indicator.setToolTip(busy_explanation())
        else:
            self.form.set_indicator(_("Saving…") if state is SaveState.PENDING else _("Saved"))

    def _show_failure(self, reason: str) -> None:
        self.form.set_indicator(_("Not saved: {reason}").format(reason=reason), error=True)
