"""The Markdown preview: a QTextBrowser that fetches nothing and opens only safe links.

``QTextBrowser`` makes no HTTP requests, but it *does* load ``file://`` images and absolute
paths, and with ``openLinks=True`` a click on a ``file://`` link shows that local file
(TECH-NOTES.md). So this view:

- shows only HTML from :func:`questionbook.core.markdown.render_markdown` (sanitised by nh3);
- overrides :meth:`loadResource` to answer every URL with a blank, as a second line of defence.
  It must not return ``None``: for a null answer ``QTextDocument.loadResource`` falls back to
  reading the local file itself (a test caught it reading ``/etc/passwd``), so images get a
  transparent 1x1 picture and everything else a single space;
- sets ``openLinks`` off and routes ``anchorClicked`` to an opener (``QDesktopServices.openUrl``
  by default, injectable for tests) only for http, https and mailto links.

Rendering can take a while in python-markdown (and pathological text would take minutes but
for the deadline in :func:`~questionbook.core.markdown.render_markdown`), so
:class:`PreviewRenderer` never renders on the GUI thread: every request runs in a worker
thread, and a newer request cancels the one before it (the render stops within a few
milliseconds; its result, if any, is dropped). Bodies above :data:`LIVE_PREVIEW_LIMIT`
characters get a notice instead of a live preview. :meth:`MarkdownView.set_markdown` renders
on the spot, for short texts the app writes itself (the review summary) and tests.
"""

from __future__ import annotations

import contextlib
import html
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from questionbook.core.markdown import RenderCancelled, link_is_safe, render_markdown
from questionbook.i18n import _

#: Longer bodies are not previewed live (rendering them would take seconds on every pause).
LIVE_PREVIEW_LIMIT = 200_000

UrlOpener = Callable[[QUrl], Any]
#: Hooks of the editor's preview (issue 18, ``journal_preview``): a resource for a URL (a
#: picture from the journal) or ``None`` for the blank; a handler that follows a link inside
#: the journal and says whether it did; a renderer run in the worker instead of the default.
ResourceProvider = Callable[[QUrl], Any]
LinkHandler = Callable[[QUrl], bool]
Renderer = Callable[[str, Callable[[], bool]], str]


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    return image


_DOCUMENT_CSS = """
body { line-height: 140%; }
pre, code { font-family: monospace; }
pre { background-color: rgba(127, 127, 127, 0.14); padding: 6px; }
blockquote { color: #808080; margin-left: 12px; }
.image-placeholder { color: #808080; font-style: italic; }
.notice { color: #808080; font-style: italic; }
table { border-collapse: collapse; margin-top: 4px; margin-bottom: 8px; }
ul.tasks { list-style-type: none; }
th, td { border: 1px solid #9a9a9a; padding: 3px 8px; }
th { text-align: left; font-weight: 600; }
img { max-width: 100%; }
"""


class MarkdownView(QTextBrowser):
    """Read-only rich-text view of sanitised Markdown that never loads a resource."""

    link_opened = Signal(QUrl)
    """A safe (http/https/mailto) link was clicked and handed to the opener."""
    link_refused = Signal(QUrl)
    """A clicked link was not http/https/mailto and was ignored."""

    def __init__(
        self, parent: QWidget | None = None, *, url_opener: UrlOpener | None = None
    ) -> None:
        super().__init__(parent)
        self._opener: UrlOpener = url_opener or QDesktopServices.openUrl
        #: Every URL the document asked for (all of them answered with nothing); for diagnostics.
        self.requested_resources: list[QUrl] = []
        self._resources: ResourceProvider | None = None
        self._link_handler: LinkHandler | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.document().setDefaultStyleSheet(_DOCUMENT_CSS)
        self.document().setDocumentMargin(10)
        self.anchorClicked.connect(self._on_anchor_clicked)

    def set_resource_provider(self, provider: ResourceProvider | None) -> None:
        """Ask *provider* first for every image (it answers pictures from the journal)."""
        self._resources = provider

    def set_link_handler(self, handler: LinkHandler | None) -> None:
        """Offer every clicked link to *handler* first (links inside the journal)."""
        self._link_handler = handler

    def loadResource(self, type_: int, url: QUrl | str) -> Any:
        """Answer every resource request (image, stylesheet, page) with a blank, unless the
        resource provider answers an image."""
        self.requested_resources.append(QUrl(url))
        if int(type_) == QTextDocument.ResourceType.ImageResource.value:
            found = self._resources(QUrl(url)) if self._resources is not None else None
            return found if found is not None else _blank_image()
        return " "

    def setSource(self, *args: Any, **kwargs: Any) -> None:
        """Never navigate: a preview shows one entry, not files or pages."""

    def set_markdown(self, text: str) -> None:
        """Render *text* now (synchronously); for short texts and tests."""
        self.show_html(render_markdown(text))

    def show_html(self, safe_html: str) -> None:
        """Show HTML that has already been sanitised, keeping the scroll position."""
        bar = self.verticalScrollBar()
        position = bar.value()
        self.setHtml(safe_html)
        bar.setValue(min(position, bar.maximum()))

    def show_notice(self, text: str) -> None:
        """Show a short message instead of a preview."""
        self.setHtml(f'<p class="notice">{html.escape(text)}</p>')

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if self._link_handler is not None and self._link_handler(url):
            return
        if link_is_safe(url.toString()):
            self._opener(url)
            self.link_opened.emit(url)
        else:
            self.link_refused.emit(url)


class _RenderSignals(QObject):
    finished = Signal(int, str)


class _RenderJob(QRunnable):
    def __init__(
        self,
        generation: int,
        text: str,
        signals: _RenderSignals,
        cancel: threading.Event,
        render: Renderer | None = None,
    ) -> None:
        super().__init__()
        self._generation, self._text, self._signals = generation, text, signals
        self._cancel = cancel
        self._render = render

    def run(self) -> None:
        if self._cancel.is_set():
            return  # overtaken before it started
        try:
            if self._render is not None:
                result = self._render(self._text, self._cancel.is_set)
            else:
                result = render_markdown(self._text, cancelled=self._cancel.is_set)
        except RenderCancelled:
            return  # the text changed: a newer job shows the newer text
        except Exception as exc:  # a renderer bug must not kill the app; show why instead
            reason = _("Preview failed: {reason}").format(reason=exc)
            result = f'<p class="notice">{html.escape(reason)}</p>'
        with contextlib.suppress(RuntimeError):  # the view was closed while rendering
            self._signals.finished.emit(self._generation, result)


class PreviewRenderer(QObject):
    """Renders Markdown for a :class:`MarkdownView` in a worker thread, newest request wins:
    a new request cancels the render still running for an older text."""

    rendered = Signal()
    """The view now shows the result of the latest request (or a notice)."""

    def __init__(
        self,
        view: MarkdownView,
        *,
        limit: int = LIVE_PREVIEW_LIMIT,
        pool: QThreadPool | None = None,
        render: Renderer | None = None,
    ) -> None:
        """*render* replaces :func:`render_markdown` (it runs in the worker and is given the
        text and the cancel check)."""
        super().__init__(view)
        self._render = render
        self._view = view
        self._limit = limit
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._pending = False
        self._cancel = threading.Event()
        self._signals = _RenderSignals(self)
        self._signals.finished.connect(self._on_job_finished)

    @property
    def busy(self) -> bool:
        """True while a render is running whose result has not been shown yet."""
        return self._pending

    def request(self, text: str) -> None:
        """Render *text* (or show the too-long notice) and show it when done; an older render
        still running is cancelled."""
        self._generation += 1
        self._cancel.set()  # whatever runs for an older text stops
        self._cancel = threading.Event()
        if len(text) > self._limit:
            self._pending = False
            self._view.show_notice(
                _(
                    "This entry is very long ({n:,} characters), so the live preview is off. "
                    "Everything you type is still saved."
                ).format(n=len(text))
            )
            self.rendered.emit()
            return
        self._pending = True
        self._pool.start(
            _RenderJob(self._generation, text, self._signals, self._cancel, self._render)
        )

    def cancel(self) -> None:
        """Stop any render in progress and show nothing more (e.g. the editor closes)."""
        self._generation += 1
        self._cancel.set()
        self._pending = False

    def _on_job_finished(self, generation: int, result: str) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self._view.show_html(result)
        self.rendered.emit()
