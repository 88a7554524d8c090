"""Open a file of the journal with the system's default application (issue 18).

The bytes live inside the journal, so another program can only open a copy: each open writes
one to a fresh owner-only folder (0700, the file 0600) under one private temporary folder of
this process, which is removed when the app exits. The copy is written in a worker thread (a
50 MB file must not hold up the window), then handed to ``QDesktopServices.openUrl`` (which a
test replaces). Nothing is ever opened from a path the text names.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from questionbook.core.attachment_service import AttachmentService
from questionbook.i18n import _
from questionbook.ui.attachment_images import READ_ERRORS

_base: Path | None = None
_base_lock = threading.Lock()


def private_folder() -> Path:
    """A new owner-only folder for one copy, inside this process's private temporary folder
    (made on first use and removed at exit)."""
    global _base
    with _base_lock:
        if _base is None or not _base.is_dir():
            _base = Path(tempfile.mkdtemp(prefix="questionbook-open-"))
            atexit.register(shutil.rmtree, _base, True)
        return Path(tempfile.mkdtemp(dir=_base))


class _Signals(QObject):
    copied = Signal(str, str)  # path, name
    failed = Signal(str)


class _CopyJob(QRunnable):
    def __init__(
        self, attachments: AttachmentService, sha256: str, name: str, signals: _Signals
    ) -> None:
        super().__init__()
        self._attachments, self._sha, self._name, self._signals = attachments, sha256, name, signals

    def run(self) -> None:
        try:
            path = self._attachments.private_copy(self._sha, self._name, private_folder())
        except (*READ_ERRORS, OSError) as exc:
            reason = _("Cannot open {name}: {reason}").format(name=self._name, reason=exc)
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self._signals.failed.emit(reason)
            return
        with contextlib.suppress(RuntimeError):
            self._signals.copied.emit(str(path), self._name)


class AttachmentOpener(QObject):
    """Copies an attachment out privately and opens it with the default application."""

    opened = Signal(str)
    """The copy at this path was handed to the system to open."""
    failed = Signal(str)
    """Copying or opening failed; says why."""

    def __init__(
        self,
        attachments: AttachmentService,
        parent: QObject | None = None,
        *,
        open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self._attachments = attachments
        self._open_url = open_url
        self._pool = pool or QThreadPool.globalInstance()
        self._signals = _Signals(self)
        self._signals.copied.connect(self._on_copied)
        self._signals.failed.connect(self.failed)

    def open(self, sha256: str, name: str) -> None:
        """Copy the file out (in a worker thread), then open it."""
        self._pool.start(_CopyJob(self._attachments, sha256, name, self._signals))

    def _on_copied(self, path: str, name: str) -> None:
        if self._open_url(QUrl.fromLocalFile(path)) is False:
            self.failed.emit(_("No application on this computer opens {name}.").format(name=name))
            return
        self.opened.emit(path)
