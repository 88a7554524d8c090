"""Closing the window while some writing is not stored yet: wait a moment, visibly, then ask.

Why: saves run on a worker thread (:mod:`questionbook.ui.operations`), so the window can be
closed while a save waits for a journal that another program is using. Quitting at once would
lose that text, and holding the close silently would look like a hang. So :func:`confirm_close`
shows a small "Saving your last changes…" dialog that closes by itself once everything is
stored, for at most :data:`QUIT_WAIT_MS` (longer than one round of SQLite's busy timeout, so a
short lock is outlasted). If the text is still not stored, the user chooses: keep the window
open (the saves go on and finish when the journal is free), or quit and keep a copy of the text
in a Markdown file next to the journal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from questionbook.i18n import _
from questionbook.storage.keyfile import JournalKey
from questionbook.ui.operations import Operations
from questionbook.ui.widgets.capture_box import PendingCapture
from questionbook.ui.widgets.editor.drafts import Draft

#: How long closing waits for pending saves before asking what to do.
QUIT_WAIT_MS = 15_000
#: Where copies of unsaved text go: a folder next to the journal.
COPY_FOLDER = "unsaved"


@dataclass(frozen=True)
class UnsavedText:
    """Something written that is not stored yet: an entry's text or a captured line."""

    title: str
    body: str = ""
    outcome: str = ""


def unsaved_texts(drafts: Sequence[Draft], captures: Sequence[PendingCapture]) -> list[UnsavedText]:
    """What is not stored yet: the editor's drafts and the captured lines."""
    texts = [UnsavedText(d.target.title, d.target.body, d.target.outcome) for d in drafts]
    return texts + [UnsavedText(c.text) for c in captures]


class SavingDialog(QDialog):
    """ "Saving your last changes…" with a busy bar; accepts itself once all is stored."""

    def __init__(
        self,
        writer: Operations,
        all_saved: Callable[[], bool],
        reason: str,
        timeout_ms: int = QUIT_WAIT_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("savingDialog")
        self.setWindowTitle(_("Saving"))
        self.setModal(True)
        self._writer = writer
        self._all_saved = all_saved
        layout = QVBoxLayout(self)
        self.headline = QLabel(_("Saving your last changes…"), self)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.detail = QLabel(reason, self)
        self.detail.setWordWrap(True)
        bar = QProgressBar(self)
        bar.setRange(0, 0)  # busy: we cannot know how long the other program takes
        bar.setTextVisible(False)
        buttons = QDialogButtonBox(self)
        self.stop_button = buttons.addButton(
            _("Stop Waiting"), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        layout.addWidget(bar)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        writer.idle.connect(self._on_writer_idle)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.reject)
        self._timer.start()

    def _on_writer_idle(self) -> None:
        # Called for each batch of writes: done if all is stored; if a write failed, waiting
        # longer does not help.
        if self._all_saved():
            self.accept()
        elif self._writer.pending() == 0:
            self.reject()

    def done(self, result: int) -> None:
        self._timer.stop()
        self._writer.idle.disconnect(self._on_writer_idle)
        super().done(result)


def confirm_close(
    parent: QWidget,
    writer: Operations,
    unsaved: Callable[[], Sequence[UnsavedText]],
    reason: Callable[[], str],
    folder: Path,
    *,
    timeout_ms: int = QUIT_WAIT_MS,
    key: JournalKey | None = None,
) -> bool:
    """True when the window may close: everything is stored, or the user chose to quit with a
    copy of what is not (written to *folder*; sealed with *key* for an encrypted journal).
    False keeps the window open."""
    if not unsaved():
        return True
    if writer.pending():
        SavingDialog(writer, lambda: not unsaved(), reason(), timeout_ms, parent).exec()
        if not unsaved():
            return True
    box = QMessageBox(QMessageBox.Icon.Warning, _("Not Saved Yet"), "", parent=parent)
    box.setObjectName("unsavedQuestion")
    box.setText(_("Some of your writing is not saved in the journal yet."))
    box.setInformativeText(
        _(
            "{reason}\n\nKeep the window open and QuestionBook saves it as soon as it can, "
            "or quit and keep a copy in {folder}."
        ).format(reason=reason(), folder=folder)
    )
    keep = box.addButton(_("Keep Window Open"), QMessageBox.ButtonRole.RejectRole)
    quit_button = box.addButton(_("Quit and Keep a Copy"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    if box.clickedButton() is not quit_button:
        return False
    try:
        write_copy(folder, unsaved(), key=key)
    except OSError as exc:
        QMessageBox.critical(
            parent,
            _("Not Saved Yet"),
            _("The copy could not be written either: {reason}\n\nThe window stays open.").format(
                reason=exc
            ),
        )
        return False
    return True


def write_copy(
    folder: Path,
    texts: Sequence[UnsavedText],
    now: datetime | None = None,
    key: JournalKey | None = None,
) -> Path:
    """Write *texts* as one Markdown file in *folder*, readable by the owner only. With the
    *key* of an encrypted journal the file is sealed (``unsaved-….md.sealed``; ``questionbook
    unsaved FILE`` shows it), so no text leaves the journal in the clear."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M%S")
    tail = ".md" if key is None else ".md.sealed"
    path = folder / f"unsaved-{stamp}{tail}"
    n = 2
    while path.exists():
        path = folder / f"unsaved-{stamp}-{n}{tail}"
        n += 1
    parts = []
    for text in texts:
        part = f"# {text.title.strip() or _('(no title)')}\n\n{text.body}".rstrip() + "\n"
        if text.outcome.strip():
            part += f"\n**{_('Outcome')}:** {text.outcome.strip()}\n"
        parts.append(part)
    data = "\n---\n\n".join(parts).encode("utf-8")
    if key is not None:
        from questionbook.storage.sealed import seal

        data = seal(key, data)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return path
