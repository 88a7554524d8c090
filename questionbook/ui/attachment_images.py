"""Pictures from the journal, decoded safely and kept for a while (issue 18).

Every picture the app shows from an attachment (the preview, the full-size viewer, the list's
thumbnails) is decoded here, always in a worker thread, never on the GUI thread:

- the bytes come from :meth:`AttachmentService.resolve`, which refuses an image whose header
  declares too many pixels *before* anything decodes it (a 1×1-pixel PNG can claim
  100,000 × 100,000, i.e. 40 GB);
- formats whose header the core does not read (BMP, TIFF, ICO ...) are checked the same way
  through ``QImageReader.size()`` before ``read()``; every read is capped by Qt's allocation
  limit and decoded straight to the size it is shown at (``setScaledSize``: a 6000-pixel
  photo in the preview never exists at full size);
- an SVG is drawn only after :func:`~questionbook.core.svg_clean.clean_svg` removed scripts
  and external references, by ``QSvgRenderer`` into an image (no animation, Qt's untrusted
  mode), so the preview only ever sees pixels.

What cannot be shown raises :class:`AttachmentError` with a sentence for the user.
:class:`ImageCache` keeps decoded pictures by content hash and size, bounded in bytes; a hash
names its content for ever, so an entry is never stale.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.attachments import (
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    AttachmentError,
    Resolved,
)
from questionbook.core.errors import QuestionBookError
from questionbook.i18n import _

#: The preview decodes pictures to at most this many pixels a side (it scales them to the
#: pane's width when drawing; more would only cost memory).
PREVIEW_SIDE = 1600
#: The full-size viewer's limit (a 40-megapixel photo is shown at 8192 pixels a side at most).
VIEWER_SIDE = 8192
#: Qt refuses to allocate more than this for one decoded picture (its default is 256).
ALLOCATION_LIMIT_MB = 256
#: Decoded pictures kept in memory per cache.
CACHE_BYTES = 96 << 20
SVG = "image/svg+xml"

#: What reading the journal from a worker thread may raise: busy, damaged, or closed
#: meanwhile (the window was rebuilt). A worker says "not now" for them, never crashes.
READ_ERRORS = (QuestionBookError, sqlite3.Error, RuntimeError)

QImageReader.setAllocationLimit(ALLOCATION_LIMIT_MB)


def fitted(size: QSize, side: int) -> QSize:
    """*size* scaled down (never up) so that neither side exceeds *side*."""
    if size.width() <= side and size.height() <= side:
        return QSize(size)
    return size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio)


def decode(resolved: Resolved, side: int) -> QImage:
    """The picture behind *resolved*, at most *side* pixels a side; raises
    :class:`AttachmentError` saying why it cannot be shown. Safe in any thread."""
    if resolved.problem:
        raise AttachmentError(resolved.problem)
    if resolved.mime == SVG:
        return _draw_svg(resolved.data, side)
    data = QByteArray(resolved.data)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone photo stands the way it was taken
    size = reader.size()
    if not size.isValid() or size.isEmpty():
        raise AttachmentError(_("This file is not a picture the app can show."))
    w, h = size.width(), size.height()
    if w > MAX_IMAGE_SIDE or h > MAX_IMAGE_SIDE or w * h > MAX_IMAGE_PIXELS:
        raise AttachmentError(
            _("the image is too large to show ({w} × {h} pixels)").format(w=w, h=h)
        )
    reader.setScaledSize(fitted(size, side))
    image = reader.read()
    if image.isNull():
        raise AttachmentError(
            _("The picture cannot be shown: {reason}").format(reason=reader.errorString())
        )
    return image


def _draw_svg(data: bytes, side: int) -> QImage:
    from PySide6.QtSvg import QSvgRenderer, QtSvg  # only when an SVG is shown

    from questionbook.core.svg_clean import clean_svg  # xml.etree: not at start-up (issue 21)

    renderer = QSvgRenderer()
    renderer.setOptions(QtSvg.Option.DisableAnimations)
    if not renderer.load(QByteArray(clean_svg(data))) or not renderer.isValid():
        raise AttachmentError(_("This SVG is not shown: it is not a valid drawing."))
    natural = renderer.defaultSize()
    if natural.isEmpty():
        natural = QSize(side, side)
    size = fitted(natural, side)
    if natural.width() < side and natural.height() < side:
        size = natural
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise AttachmentError(_("This SVG is not shown: it is too large."))
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        renderer.render(painter)
    finally:
        painter.end()
    return image


def load(attachments: AttachmentService, reference: str, side: int) -> QImage:
    """Resolve an ``attachment:`` URL through the journal and decode it (any thread).

    Raises :class:`AttachmentError` for a picture that cannot be shown, and other
    :class:`QuestionBookError` for a journal that cannot be read just now (busy)."""
    resolved = attachments.resolve(reference)
    if resolved is None:
        raise AttachmentError(_("This is not a picture in the journal."))
    if not resolved.mime:  # not in the journal (yet): the same bytes may be attached later
        raise _NotStored(resolved.problem or "")
    return decode(resolved, side)


class _NotStored(QuestionBookError):
    """The journal holds no such bytes now; not remembered, unlike a picture that is bad."""


class ImageCache:
    """Decoded pictures (or why one cannot be shown) by (content hash, size), least recently
    used first out once they pass *limit* bytes. Shared between the GUI thread and workers."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int], QImage | str] = OrderedDict()
        self._bytes = 0

    def get(self, sha256: str, side: int) -> QImage | str | None:
        """The picture, the reason it cannot be shown, or ``None`` if not decoded yet."""
        with self._lock:
            found = self._items.get((sha256, side))
            if found is not None:
                self._items.move_to_end((sha256, side))
            return found

    def put(self, sha256: str, side: int, value: QImage | str) -> None:
        with self._lock:
            key = (sha256, side)
            old = self._items.pop(key, None)
            self._bytes -= _cost(old)
            self._items[key] = value
            self._bytes += _cost(value)
            while self._bytes > self._limit and len(self._items) > 1:
                _key, gone = self._items.popitem(last=False)
                self._bytes -= _cost(gone)

    def fetch(
        self, attachments: AttachmentService, reference: str, sha256: str, side: int
    ) -> QImage | str:
        """The cached picture, else decode it now (a worker thread) and keep it."""
        found = self.get(sha256, side)
        if found is not None:
            return found
        value: QImage | str
        try:
            value = load(attachments, reference, side)
        except AttachmentError as exc:
            value = str(exc)
        except READ_ERRORS as exc:  # missing or busy: said, and tried again next time
            return str(exc)
        self.put(sha256, side, value)
        return value


def _cost(value: QImage | str | None) -> int:
    if isinstance(value, QImage):
        return int(value.sizeInBytes())
    return 0 if value is None else 64
