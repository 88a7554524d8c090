"""Small pictures on list rows of entries that hold one (issue 18), without slowing the list.

The list paints only the rows in sight, straight from the model, and must stay as fast with
5,000 pictures in the journal as with none. So the delegate only *asks* this object while
painting (:meth:`ListThumbnails.pixmap`: one dictionary lookup) and never waits:

- ids it has not seen are collected and, a moment later, looked up together in a worker thread
  (``AttachmentService.first_images``: one indexed query for the rows in sight);
- the first picture of each is resolved and decoded there too, through the same checks as the
  preview (:mod:`questionbook.ui.attachment_images`: no decompression bomb, SVG only as an
  image), straight to thumbnail size, and cropped to a square;
- when they arrive, the rows are painted again. Thumbnails are kept by content hash (the same
  picture on two entries is decoded once), the least recently used dropped past
  :data:`KEEP`; which entry has which picture is forgotten when an operation says the entry
  changed (a paste, a detach, another program).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict

from PySide6.QtCore import QObject, QPoint, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.attachments import url
from questionbook.ui.attachment_images import READ_ERRORS, ImageCache
from questionbook.ui.item_models.entry_list_model import EntryListModel
from questionbook.ui.operations import Changes, Operations

#: The side of a thumbnail on screen, in device-independent pixels.
THUMB = 38
#: Thumbnails kept in memory.
KEEP = 1500
#: Collect the rows painted for this long before looking them up.
BATCH_MS = 30
_UNKNOWN = object()


def square(image: QImage, side: int) -> QImage:
    """*image* scaled to cover a *side* square, then its centre cut out."""
    if image.isNull():
        return image
    scaled = image.scaled(
        QSize(side, side),
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    x = max(0, (scaled.width() - side) // 2)
    y = max(0, (scaled.height() - side) // 2)
    return scaled.copy(x, y, min(side, scaled.width()), min(side, scaled.height()))


class _Signals(QObject):
    found = Signal(int, object, object)  # generation, {id: sha or None}, {sha: QImage or None}


class _LookupJob(QRunnable):
    def __init__(
        self,
        generation: int,
        ids: list[str],
        known: frozenset[str],
        attachments: AttachmentService,
        cache: ImageCache,
        side: int,
        signals: _Signals,
    ) -> None:
        super().__init__()
        self._generation, self._ids, self._known = generation, ids, known
        self._attachments, self._cache, self._side, self._signals = (
            attachments,
            cache,
            side,
            signals,
        )

    def run(self) -> None:
        try:
            firsts = self._attachments.first_images(self._ids)
        except READ_ERRORS:
            firsts = None  # busy: asked again at the next paint
        owners: dict[str, str | None] = {}
        images: dict[str, QImage | None] = {}
        if firsts is not None:
            owners = {i: (firsts[i].sha256 if i in firsts else None) for i in self._ids}
            for item in firsts.values():
                if item.sha256 in images or item.sha256 in self._known:
                    continue
                found = self._cache.fetch(
                    self._attachments, url(item.sha256, item.name), item.sha256, self._side
                )
                images[item.sha256] = (
                    square(found, self._side) if isinstance(found, QImage) else None
                )
        with contextlib.suppress(RuntimeError):  # the list was closed meanwhile
            self._signals.found.emit(self._generation, owners, images)


class ListThumbnails(QObject):
    """Thumbnails for one list view's rows; see the module docstring."""

    def __init__(
        self,
        attachments: AttachmentService,
        view: QAbstractItemView,
        ops: Operations | None = None,
        *,
        pool: QThreadPool | None = None,
        side: int = THUMB,
    ) -> None:
        super().__init__(view)
        self._attachments = attachments
        self._view = view
        self._pool = pool or QThreadPool.globalInstance()
        self._side = side
        self._cache = ImageCache(limit=16 << 20)
        self._owners: dict[str, str | None] = {}  # entry id → sha of its first picture
        self._pixmaps: OrderedDict[str, QPixmap | None] = OrderedDict()  # sha → thumbnail
        self._pending: set[str] = set()
        self._asked: set[str] = set()
        self._generation = 0
        self._signals = _Signals(self)
        self._signals.found.connect(self._on_found)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(BATCH_MS)
        self._timer.timeout.connect(self._look_up)
        if ops is not None:
            ops.changed.connect(self._on_ops_changed)

    @property
    def side(self) -> int:
        return self._side

    def pixmap(self, entry_id: str) -> QPixmap | None:
        """The row's thumbnail, or ``None`` (none, or not looked up yet: then it is asked)."""
        sha = self._owners.get(entry_id, _UNKNOWN)
        if sha is None:
            return None
        if isinstance(sha, str) and sha in self._pixmaps:
            self._pixmaps.move_to_end(sha)
            return self._pixmaps[sha]
        # Not looked up yet, or its thumbnail was dropped to make room: ask (once).
        self._owners.pop(entry_id, None)
        if entry_id not in self._asked:
            self._pending.add(entry_id)
            if not self._timer.isActive():
                self._timer.start()
        return None

    def has_picture(self, entry_id: str) -> bool | None:
        """Whether the entry has a picture (``None``: not known yet)."""
        sha = self._owners.get(entry_id, _UNKNOWN)
        return None if sha is _UNKNOWN else sha is not None

    def forget(self, entry_ids: set[str] | None = None) -> None:
        """Look these entries (all, with ``None``) up again when they are painted next."""
        if entry_ids is None:
            self._owners.clear()
            self._asked.clear()
            self._generation += 1
        else:
            for entry_id in entry_ids:
                self._owners.pop(entry_id, None)
                self._asked.discard(entry_id)
        self._view.viewport().update()

    # -- looking up ------------------------------------------------------------------------
    def _look_up(self) -> None:
        ids = sorted(self._pending)
        self._pending.clear()
        if not ids:
            return
        self._asked.update(ids)
        known = frozenset(sha for sha, pix in self._pixmaps.items() if pix is not None)
        self._pool.start(
            _LookupJob(
                self._generation,
                ids,
                known,
                self._attachments,
                self._cache,
                self._thumb_pixels(),
                self._signals,
            )
        )

    def _thumb_pixels(self) -> int:
        ratio = self._view.devicePixelRatioF() if self._view is not None else 1.0
        return max(1, round(self._side * ratio))

    def _on_found(self, generation: int, owners: object, images: object) -> None:
        assert isinstance(owners, dict) and isinstance(images, dict)
        if generation != self._generation:
            return
        ratio = self._view.devicePixelRatioF()
        for sha, image in images.items():
            pixmap = None
            if isinstance(image, QImage) and not image.isNull():
                pixmap = QPixmap.fromImage(image)
                pixmap.setDevicePixelRatio(ratio)
            self._pixmaps[sha] = pixmap
            self._pixmaps.move_to_end(sha)
        while len(self._pixmaps) > KEEP:
            self._pixmaps.popitem(last=False)
        for entry_id, sha in owners.items():
            self._owners[entry_id] = sha
            self._asked.discard(entry_id)
        if not owners:  # the journal was busy: ask again at the next paint
            self._asked.clear()
        self._repaint_rows({i for i, sha in owners.items() if sha is not None})

    def _repaint_rows(self, entry_ids: set[str]) -> None:
        """Paint again just the rows in sight whose thumbnail arrived (not the whole list)."""
        if not entry_ids:
            return
        view, viewport = self._view, self._view.viewport()
        top = view.indexAt(QPoint(0, 0)).row()
        if top < 0:
            return
        model = view.model()
        for row in range(top, model.rowCount()):
            index = model.index(row, 0)
            rect = view.visualRect(index)
            if rect.top() > viewport.height():
                break
            if index.data(EntryListModel.IdRole) in entry_ids:
                viewport.update(rect)

    def _on_ops_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.external:
            self.forget()
        elif changes.entries:
            self.forget(set(changes.entries))
