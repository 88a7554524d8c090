"""Everything the editor does with pictures, files and links between entries (issue 18), built
in one place so that the editor itself only needs a few lines to plug it in:

- :class:`~.attachment_input.AttachmentInput`: paste and drop into the body;
- :class:`~.journal_preview.JournalPreview`: the preview's links by title and pictures from the
  journal (its :meth:`EntryReferences.render` is the preview's renderer), a click on a picture
  opens :mod:`~questionbook.ui.dialogs.image_viewer`, on a file opens it, on a link selects
  that entry;
- :class:`~.attachment_chips.AttachmentChips` and :class:`~.linked_from_panel.LinkedFromPanel`:
  the two sections under the body (added before the Evidence section);
- :class:`~.link_completer.LinkCompleter`: ``[[`` completion in the body;
- the ``attachment_max_mb`` setting, applied to the attachments service as it changes.

The editor hands it the entry it shows (:meth:`show_entry`) and connects
:attr:`open_entry_requested` (the window opens that entry) and :attr:`preview_stale` (render the
preview again: a linked entry was renamed or trashed).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.entities import Entry
from questionbook.core.journal import Journal
from questionbook.core.links import Links
from questionbook.settings import Settings
from questionbook.ui.attachment_images import ImageCache
from questionbook.ui.attachment_opener import AttachmentOpener
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.attachment_chips import AttachmentChips
from questionbook.ui.widgets.editor.attachment_input import AttachmentInput
from questionbook.ui.widgets.editor.editor_layout import EditorForm
from questionbook.ui.widgets.editor.journal_preview import JournalPreview
from questionbook.ui.widgets.editor.link_completer import LinkCompleter
from questionbook.ui.widgets.editor.linked_from_panel import LinkedFromPanel

#: Titles the ``[[`` list asks for.
COMPLETIONS = 20


class EntryReferences(QObject):
    """Attachments and links in the editor; see the module docstring."""

    open_entry_requested = Signal(str)
    """The user followed a link to the entry with this id (preview or Linked from)."""
    preview_stale = Signal()
    """What the preview shows of other entries (a linked title) may have changed."""

    def __init__(
        self,
        journal: Journal,
        ops: Operations,
        form: EditorForm,
        *,
        current: Callable[[], Entry | None],
        hand_over: Callable[[], object],
        attachments: AttachmentService | None = None,
        links: Links | None = None,
        settings: SettingsController | None = None,
        parent: QObject | None = None,
    ) -> None:
        """*current* is the entry the editor shows; *hand_over* gives its pending edits to
        the writer (before a paste's attach or a detach). *attachments* and *links* default
        to services over *journal*'s file."""
        super().__init__(parent)
        self._form = form
        self._current = current
        self._settings = settings
        max_mb = (settings.settings if settings is not None else Settings()).attachment_max_mb
        self.attachments = attachments or AttachmentService(
            journal.db, clock=journal.clock, max_bytes=max(1, max_mb) << 20
        )
        self.links = links or Links(journal.db)
        self.images = ImageCache()
        self.opener = AttachmentOpener(self.attachments, self)
        self.preview = JournalPreview(form.preview, self.links, self.attachments, self.images, self)
        self.preview.entry_clicked.connect(self.open_entry_requested)
        self.preview.picture_clicked.connect(self.show_picture)
        self.preview.file_clicked.connect(self.opener.open)
        self.input = AttachmentInput(
            form.body_edit,
            self.attachments,
            ops,
            current=current,
            hand_over=hand_over,
            say=self._say,
            parent=self,
        )
        form.body_edit.mime_handler = self.input
        self.chips = AttachmentChips(self.attachments, ops, self.opener, form, hand_over=hand_over)
        self.linked_from = LinkedFromPanel(self.links, ops, form)
        self.linked_from.open_requested.connect(self.open_entry_requested)
        form.add_section(self.chips)
        form.add_section(self.linked_from)
        links_service = self.links
        self.completer = LinkCompleter(
            form.body_edit,
            lambda typed: links_service.complete(typed, limit=COMPLETIONS),
            form,
            exclude=self._current_id,
        )
        self.opener.failed.connect(lambda reason: self._say(reason, True))
        self.chips.failed.connect(lambda reason: self._say(reason, True))
        self._stale = QTimer(self)
        self._stale.setSingleShot(True)
        self._stale.setInterval(200)
        self._stale.timeout.connect(self.preview_stale)
        ops.changed.connect(self._on_ops_changed)
        if settings is not None:
            settings.subscribe(self, {"attachment_max_mb"}, self._on_settings_changed)

    # -- what the editor calls -------------------------------------------------------------
    def show_entry(self, entry: Entry | None) -> None:
        """The editor shows *entry* now (``None``: nothing): the sections follow."""
        self.completer.close()
        self.chips.show_entry(entry)
        self.linked_from.show_entry(entry)

    def render(self, text: str, cancelled: Callable[[], bool]) -> str:
        """The preview's renderer (a worker thread): links by title, pictures decoded."""
        return self.preview.render(text, cancelled)

    def show_picture(self, reference: str, name: str) -> QWidget:
        """Open the picture behind *reference* full size."""
        from questionbook.ui.dialogs.image_viewer import show_picture

        return show_picture(self.attachments, reference, name, self._form.window(), self.opener)

    # -- reacting --------------------------------------------------------------------------
    def _current_id(self) -> str | None:
        entry = self._current()
        return entry.id if entry is not None else None

    def _say(self, text: str, error: bool) -> None:
        self._form.set_indicator(text, error=error)

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        """Another entry changed: a title the preview shows for a link may differ now."""
        own = self._current_id()
        if own is None or not self._form.preview_shown():
            return
        others = changes.external or changes.rows or bool(changes.entries - {own})
        if others and "[[" in self._form.body_edit.toPlainText()[:200_000]:
            self._stale.start()

    def _on_settings_changed(self, _names: set[str]) -> None:
        if self._settings is not None:
            mb = int(self._settings.get("attachment_max_mb"))
            self.attachments.max_bytes = max(1, mb) << 20
