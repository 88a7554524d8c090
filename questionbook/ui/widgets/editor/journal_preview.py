"""What the editor's preview shows of the journal itself (issue 18): links to other entries by
their current title, and pictures that live in the journal.

The preview's renderer runs :meth:`JournalPreview.render` in a worker thread instead of plain
:func:`~questionbook.core.markdown.render_markdown`:

1. ``[[<id>|label]]`` becomes ``[current title](entry:<id>)`` (``Links.preview_markdown``); a
   link to an entry in the Trash or deleted for good is struck through and says so;
2. the Markdown is rendered with ``journal_refs``: the sanitiser keeps exactly the
   ``attachment:`` picture sources and ``entry:``/``attachment:`` link targets, nothing else;
3. every picture is decoded there and then (:mod:`questionbook.ui.attachment_images`: the
   decompression-bomb checks, SVG only as an image) into a cache, so that the view's resource
   loader, which Qt calls on the GUI thread while laying out, only looks it up. A picture
   that cannot be shown becomes a line saying why. Each picture is wrapped in a link to
   itself, so a click opens it full size.

:meth:`resource` is the view's resource provider (never a file, never the network: a URL that
is not a decoded attachment gets the view's blank), :meth:`follow` its link handler.
"""

from __future__ import annotations

import contextlib
import html
import re
import urllib.parse
from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QImage

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.attachments import REFERENCE_RE
from questionbook.core.links import ENTRY_SCHEME, MISSING, TRASHED, UUID, Links
from questionbook.core.markdown import RenderCancelled, render_markdown
from questionbook.i18n import _
from questionbook.ui.attachment_images import PREVIEW_SIDE, READ_ERRORS, ImageCache
from questionbook.ui.widgets.editor.markdown_view import MarkdownView

#: An image the sanitiser kept (its source can only be an attachment reference).
_IMG_RE = re.compile(r'<img(?:\s+[\w:-]+="[^"]*")*?\s+src="([^"]*)"(?:\s+[\w:-]+="[^"]*")*\s*/?>')
_ENTRY_RE = re.compile(rf"{ENTRY_SCHEME}:({UUID})")


def link_marks() -> dict[str, str]:
    """What follows a struck-through link, in the current language."""
    return {TRASHED: _("(in the Trash)"), MISSING: _("(deleted)")}


def attachment_name(reference: str) -> str:
    """The file name in an ``attachment:<sha>/<name>`` URL ("" if it has none)."""
    match = REFERENCE_RE.fullmatch(reference)
    return urllib.parse.unquote(match.group(2) or "") if match else ""


class JournalPreview(QObject):
    """Links and pictures of the journal in one preview (see the module docstring)."""

    entry_clicked = Signal(str)
    """A link to the entry with this id was clicked."""
    picture_clicked = Signal(str, str)
    """A picture was clicked: (its ``attachment:`` URL, its file name)."""
    file_clicked = Signal(str, str)
    """A link to a file in the journal was clicked: (its SHA-256, its file name)."""

    def __init__(
        self,
        view: MarkdownView,
        links: Links,
        attachments: AttachmentService,
        cache: ImageCache,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._links = links
        self._attachments = attachments
        self._cache = cache
        view.set_resource_provider(self.resource)
        view.set_link_handler(self.follow)

    # -- the worker's part ---------------------------------------------------------------------
    def render(self, text: str, cancelled: Callable[[], bool]) -> str:
        """*text* as the preview shows it (runs in a worker thread; see the module doc)."""
        shown = text
        if "[[" in text:
            with contextlib.suppress(*READ_ERRORS):  # busy for a moment: links as written
                shown = self._links.preview_markdown(text, link_marks())
        rendered = render_markdown(shown, cancelled=cancelled, journal_refs=True)
        if "<img" not in rendered:
            return rendered
        return self._pictures(rendered, cancelled)

    def _pictures(self, rendered: str, cancelled: Callable[[], bool]) -> str:
        out: list[str] = []
        at = 0
        for match in _IMG_RE.finditer(rendered):
            if cancelled():
                raise RenderCancelled()
            out.append(rendered[at : match.start()])
            at = match.end()
            reference = html.unescape(match.group(1))
            found = REFERENCE_RE.fullmatch(reference)
            if found is None:  # cannot happen after the sanitiser; never shown anyway
                continue
            value = self._cache.fetch(self._attachments, reference, found.group(1), PREVIEW_SIDE)
            if isinstance(value, str):
                name = attachment_name(reference) or found.group(1)[:12]
                label = _("[image: {alt}]").format(alt=f"{name} — {value}")
                out.append(f'<span class="image-placeholder">{html.escape(label)}</span>')
                continue
            before = rendered[: match.start()]
            if before.rfind("<a ") > before.rfind("</a>"):  # already inside a link
                out.append(match.group(0))
            else:
                out.append(f'<a href="{html.escape(reference)}">{match.group(0)}</a>')
        out.append(rendered[at:])
        return "".join(out)

    # -- the view's part (GUI thread) ----------------------------------------------------------
    def resource(self, url: QUrl) -> QImage | None:
        """A picture decoded for this preview, or ``None`` (the view answers a blank)."""
        found = REFERENCE_RE.fullmatch(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))
        if found is None:
            return None
        value = self._cache.get(found.group(1), PREVIEW_SIDE)
        return value if isinstance(value, QImage) else None

    def follow(self, url: QUrl) -> bool:
        """Follow a link inside the journal; False for any other link."""
        text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        entry = _ENTRY_RE.fullmatch(text)
        if entry is not None:
            self.entry_clicked.emit(entry.group(1))
            return True
        found = REFERENCE_RE.fullmatch(text)
        if found is None:
            return False
        name = attachment_name(text)
        if isinstance(self._cache.get(found.group(1), PREVIEW_SIDE), QImage):
            self.picture_clicked.emit(text, name)
        else:
            self.file_clicked.emit(found.group(1), name)
        return True
