"""A picture of the journal at full size (issue 18): what a click on a picture in the preview
opens.

The picture is decoded again for this window, larger than the preview's copy (up to
:data:`~questionbook.ui.attachment_images.VIEWER_SIDE` pixels a side) and, like every
decode, in a worker thread with the journal's safety checks. It opens fitted to the window;
"Actual size" shows it pixel for pixel, scrolling. "Open With…" hands a private copy to the
system's default application.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.attachment_service import AttachmentService
from questionbook.core.attachments import REFERENCE_RE, AttachmentError
from questionbook.i18n import _
from questionbook.ui.attachment_images import READ_ERRORS, VIEWER_SIDE, load
from questionbook.ui.attachment_opener import AttachmentOpener


class _Signals(QObject):
    decoded = Signal(QImage)
    failed = Signal(str)


class _DecodeJob(QRunnable):
    def __init__(self, attachments: AttachmentService, reference: str, signals: _Signals) -> None:
        super().__init__()
        self._attachments, self._reference, self._signals = attachments, reference, signals

    def run(self) -> None:
        try:
            image = load(self._attachments, self._reference, VIEWER_SIDE)
        except READ_ERRORS as exc:
            with contextlib.suppress(RuntimeError):  # closed meanwhile
                self._signals.failed.emit(str(exc))
            return
        with contextlib.suppress(RuntimeError):
            self._signals.decoded.emit(image)


class ImageViewer(QDialog):
    """One picture, full size; see the module docstring."""

    shown = Signal()
    """The picture (or the reason it cannot be shown) is on screen."""

    def __init__(
        self,
        attachments: AttachmentService,
        reference: str,
        name: str,
        parent: QWidget | None = None,
        *,
        opener: AttachmentOpener | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("imageViewer")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self._image = QImage()
        self._reference = reference
        self._name = name
        self._opener = opener
        self.picture = QLabel(_("Loading…"))
        self.picture.setObjectName("imageViewerPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea(self)
        self.scroller.setWidget(self.picture)
        self.scroller.setWidgetResizable(True)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.actual = QCheckBox()
        self.actual.setObjectName("imageViewerActualSize")
        self.actual.toggled.connect(self._on_actual_toggled)
        self.open_with = QPushButton()
        self.open_with.setObjectName("imageViewerOpen")
        self.open_with.setAutoDefault(False)
        self.open_with.setEnabled(opener is not None)
        self.open_with.clicked.connect(self._on_open_with_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.actual)
        row.addStretch(1)
        row.addWidget(self.open_with)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(row)
        self.resize(640, 480)
        self._retranslate()
        self._signals = _Signals(self)
        self._signals.decoded.connect(self._on_decoded)
        self._signals.failed.connect(self._on_failed)
        (pool or QThreadPool.globalInstance()).start(
            _DecodeJob(attachments, reference, self._signals)
        )

    def _retranslate(self) -> None:
        self.setWindowTitle(self._name or _("Picture"))
        self.actual.setText(_("Actual size"))
        self.open_with.setText(_("Open With Default Application"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()

    def image(self) -> QImage:
        """The picture as decoded (null until it is, or if it cannot be shown)."""
        return self._image

    def _on_decoded(self, image: QImage) -> None:
        self._image = image
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() * 0.85 if screen is not None else None
        want = image.size().grownBy(self.contentsMargins())
        if room is not None:
            want = want.boundedTo(room)
        self.resize(want.expandedTo(self.size()))
        self._show_picture()
        self.shown.emit()

    def _on_failed(self, reason: str) -> None:
        self.picture.setText(_("This picture cannot be shown: {reason}").format(reason=reason))
        self.picture.setWordWrap(True)
        self.actual.setEnabled(False)
        self.shown.emit()

    def _show_picture(self) -> None:
        if self._image.isNull():
            return
        pixmap = QPixmap.fromImage(self._image)
        actual = self.actual.isChecked()
        self.scroller.setWidgetResizable(not actual)
        if not actual:
            room = self.scroller.viewport().size()
            if pixmap.width() > room.width() or pixmap.height() > room.height():
                pixmap = pixmap.scaled(
                    room,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
        self.picture.setPixmap(pixmap)
        if actual:
            self.picture.resize(pixmap.size())

    def _on_actual_toggled(self, _on: bool) -> None:
        self._show_picture()

    def _on_open_with_clicked(self) -> None:
        found = REFERENCE_RE.fullmatch(self._reference)
        if self._opener is not None and found is not None:
            self._opener.open(found.group(1), self._name)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.actual.isChecked():
            self._show_picture()


def show_picture(
    attachments: AttachmentService,
    reference: str,
    name: str,
    parent: QWidget | None,
    opener: AttachmentOpener | None = None,
) -> ImageViewer:
    """Open the viewer for *reference* (not modal: the editor stays usable)."""
    if REFERENCE_RE.fullmatch(reference) is None:
        raise AttachmentError(_("This is not a picture in the journal."))
    viewer = ImageViewer(attachments, reference, name, parent, opener=opener)
    viewer.show()
    return viewer
