"""Paste a picture or drop files into the body: they are attached to the entry and a reference
goes where the cursor was (issue 18).

- **What counts.** Dropped or pasted *local files* (a file manager's drag, "Copy" on a file)
  are attached as they are; *picture data* on the clipboard with no text beside it (a
  screenshot, "Copy Image" in a browser) is stored as a PNG named after the moment. Anything
  else (text, web addresses) is pasted as text, as before.
- **Off the GUI thread.** The attach is an operation (:mod:`questionbook.ui.operations`): the
  window's writer reads the files in pieces, hashes and stores them, and encodes a pasted
  picture there too, so a 50 MB file never freezes the editor. The indicator says
  "Attaching…" meanwhile; the writing goes on.
- **Where the reference goes.** The cursor's place is remembered in the document when the
  paste happens (a ``QTextCursor`` moves with the text typed before it), and the Markdown
  (:func:`~questionbook.core.attachments.markup`) is inserted there when the journal has the
  bytes, as an ordinary edit, saved like typing.
- **A new entry** is a stored entry already (Ctrl+N stores it); its pending text is handed to
  the writer first, so the attach follows the typing in the writer's order.
- **Refusals** (over the ``attachment_max_mb`` limit, unreadable, a folder) leave the text as
  it was and say why in the editor's indicator (and the window's status bar).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QObject, Signal
from PySide6.QtGui import QImage, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.attachments import Attachment, AttachmentError, markup
from questionbook.core.entities import Entry
from questionbook.i18n import _, join_list
from questionbook.ui.operations import Changes, Operations

Say = Callable[[str, bool], None]


class MimeHandler(Protocol):
    """What :class:`~.editor_layout.BodyEdit` asks before its own paste and drop."""

    def accepts(self, source: QMimeData) -> bool: ...

    def insert(self, source: QMimeData) -> bool: ...


def local_files(source: QMimeData) -> list[Path]:
    """The local files *source* carries (dropped or copied in a file manager)."""
    if not source.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in source.urls() if url.isLocalFile()]


def pasted_picture(source: QMimeData) -> QImage | None:
    """The picture *source* carries with no text beside it (a screenshot, a copied image)."""
    if not source.hasImage() or source.hasText():
        return None
    image = source.imageData()
    return image if isinstance(image, QImage) and not image.isNull() else None


def png_bytes(image: QImage) -> bytes:
    """*image* as PNG (called on the writer's thread: encoding a big screenshot takes time)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # str at run time
        raise AttachmentError(_("The pasted picture could not be stored as PNG."))
    buffer.close()
    return bytes(data.data())


def pasted_name(now: datetime) -> str:
    return now.strftime("pasted-%Y%m%d-%H%M%S.png")


class AttachmentInput(QObject):
    """Turns paste and drop into attachments for the entry the editor shows."""

    attached = Signal(str)
    """Files were attached to the entry with this id (their references are in its text)."""
    failed = Signal(str)
    """Attaching failed; says why."""

    def __init__(
        self,
        body: QPlainTextEdit,
        attachments: AttachmentService,
        ops: Operations,
        *,
        current: Callable[[], Entry | None],
        hand_over: Callable[[], object],
        say: Say,
        parent: QObject | None = None,
    ) -> None:
        """*current* is the entry shown; *hand_over* gives its pending edits to the writer;
        *say* shows a line in the editor's indicator (``error=True`` in red)."""
        super().__init__(parent)
        self._body = body
        self._attachments = attachments
        self._ops = ops
        self._current = current
        self._hand_over = hand_over
        self._say = say

    # -- what BodyEdit asks ----------------------------------------------------------------
    def accepts(self, source: QMimeData) -> bool:
        """True if *source* is files or a picture and the entry can take them."""
        if self._body.isReadOnly() or self._current() is None:
            return False
        return bool(local_files(source)) or pasted_picture(source) is not None

    def insert(self, source: QMimeData) -> bool:
        """Attach what *source* carries (True), or leave it to the ordinary paste (False)."""
        if not self.accepts(source):
            return False
        files = local_files(source)
        if files:
            return self.attach_files(files)
        picture = pasted_picture(source)
        return picture is not None and self.attach_picture(picture)

    # -- intents ---------------------------------------------------------------------------
    def attach_files(self, paths: list[Path]) -> bool:
        """Attach *paths* to the entry shown, all or none; their references go at the cursor."""
        entry = self._current()
        if entry is None or not paths:
            return False
        files = self._attachments
        names = join_list(p.name for p in paths)
        return self._run(entry, names, lambda: files.attach(entry.id, paths, insert=False)[1])

    def attach_picture(self, image: QImage, name: str | None = None) -> bool:
        """Store a pasted picture as PNG and put its reference at the cursor."""
        entry = self._current()
        if entry is None:
            return False
        name = name or pasted_name(datetime.now())
        picture = image.copy()  # its own copy: the clipboard may change meanwhile
        files = self._attachments

        def work() -> list[Attachment]:
            return files.attach_data(entry.id, name, png_bytes(picture))[1]

        return self._run(entry, name, work)

    def _run(self, entry: Entry, names: str, work: Callable[[], list[Attachment]]) -> bool:
        at = QTextCursor(self._body.textCursor())
        at.removeSelectedText()  # a paste replaces the selection
        at.clearSelection()
        self._hand_over()
        self._say(_("Attaching {names}…").format(names=names), False)
        entry_id = entry.id

        def done(added: list[Attachment]) -> None:
            self._on_attached(entry_id, at, added)

        def failed(reason: str) -> str:
            text = _("Not attached: {reason}").format(reason=reason)
            self._say(text, True)
            self.failed.emit(text)
            return text

        self._ops.op(work, changes=Changes.of(entry_id), initiator=self).on_success(
            done
        ).on_failure(failed).run()
        return True

    def _on_attached(self, entry_id: str, at: QTextCursor, added: list[Attachment]) -> None:
        shown = self._current()
        names = join_list(a.name for a in added)
        if shown is None or shown.id != entry_id or self._body.isReadOnly():
            self._say(_("Attached {names} to the entry you left").format(names=names), False)
        else:
            text = "\n".join(markup(a.sha256, a.name, a.mime) for a in added)
            at.setPosition(min(at.position(), self._body.document().characterCount() - 1))
            at.insertText(text)
            self._body.setTextCursor(at)
            self._say(_("Attached {names}").format(names=names), False)
        self.attached.emit(entry_id)
