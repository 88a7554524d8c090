"""Rename or merge a tag from the sidebar (issue 19).

:meth:`TagService.rename` renames the tag and its whole subtree, merges into a tag that already
has the new name, and rewrites the inline ``#tags`` of every entry that has one — one
transaction, which on a large journal takes seconds (~0.6 ms an entry). So it runs as an
operation on the window's worker; the dialog shows its progress (the service reports every 500
entries; the report crosses to the UI thread as a queued signal) and can cancel it: the next
report then raises, and the transaction rolls back with nothing changed.

What the service refuses (a tag moved under itself, a name that could not be written inline)
is said in the dialog, in the service's words, and the dialog stays open for another name.
Before it runs the editor's pending typing is stored (*before_run*), so an autosave of text
still saying ``#old`` cannot bring the old tag back afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.query import Query
from questionbook.core.tag_service import TagRename, TagService
from questionbook.core.tags import clean_tag, tag_key
from questionbook.i18n import _, ngettext
from questionbook.ui.operations import Changes, Operations

_MUTED = "color: rgba(127, 127, 127, 230);"
_ERROR = "color: #c0392b;"


class RenameCancelled(QuestionBookError):
    """The user cancelled the rename; the transaction rolled back."""


class _Progress(QObject):
    """Carries the worker's reports to the UI thread (a queued connection)."""

    reported = Signal(int, int)


def renamed_message(result: TagRename) -> str:
    """What the status bar says after a rename."""
    entries = ngettext("{n} entry", "{n} entries", result.entries).format(n=result.entries)
    if result.merged:
        return _("Merged #{old} into #{new} ({entries} changed).").format(
            old=result.old, new=result.new, entries=entries
        )
    return _("Renamed #{old} to #{new} ({entries} changed).").format(
        old=result.old, new=result.new, entries=entries
    )


class TagRenameDialog(QDialog):
    """Asks for the new name, runs the rename with progress; see the module docstring."""

    renamed = Signal(object)
    """The rename is stored: a :class:`TagRename`."""

    def __init__(
        self,
        old: str,
        journal: Journal,
        tags: TagService,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        known: list[str] | None = None,
        before_run: Callable[[], object] | None = None,
    ) -> None:
        """*known* are the tag names offered while typing (and used to say "merge")."""
        super().__init__(parent)
        self.setObjectName("tagRenameDialog")
        self.setWindowTitle(_("Rename or Merge Tag"))
        self._old = old
        self._journal = journal
        self._tags = tags
        self._ops = ops
        self._known = {tag_key(n): n for n in (known or [])}
        self._before_run = before_run
        self._cancel = threading.Event()
        self._running = False
        self._progress = _Progress(self)
        self._progress.reported.connect(self._on_progress_reported)

        self.question = QLabel(
            _("Rename #{name} and every tag under it to:").format(name=old), self
        )
        self.question.setWordWrap(True)
        self.name = QLineEdit(old, self)
        self.name.setObjectName("tagNewName")
        self.name.selectAll()
        self.name.textChanged.connect(self._on_name_changed)
        if known:
            completer = QCompleter(sorted(known, key=str.casefold), self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.name.setCompleter(completer)
        self.note = QLabel(self)
        self.note.setObjectName("tagRenameNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(_MUTED)
        self.error = QLabel(self)
        self.error.setObjectName("tagRenameError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR)
        self.error.hide()
        self.bar = QProgressBar(self)
        self.bar.setObjectName("tagRenameProgress")
        self.bar.hide()
        self.buttons = QDialogButtonBox(self)
        self.rename_button = QPushButton(_("Rename"), self)
        self.rename_button.setObjectName("tagRenameRun")
        self.rename_button.setDefault(True)
        self.buttons.addButton(self.rename_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.rename_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.name)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._on_name_changed(old)

    # -- public API ------------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self._running

    def run(self) -> bool:
        """Rename to the name typed; False if there is nothing to do (the same name)."""
        new = clean_tag(self.name.text().lstrip("#＃")) or ""
        if self._running:
            return False
        if not new or new == self._old:
            self._show_error(_("Type the new name of the tag.") if not new else "")
            return False
        if self._before_run is not None:
            self._before_run()
        self._set_running(True)
        old, journal, tags, cancel, progress = (
            self._old,
            self._journal,
            self._tags,
            self._cancel,
            self._progress,
        )

        def report(done: int, total: int) -> None:
            if cancel.is_set():
                raise RenameCancelled(_("cancelled; nothing was renamed"))
            progress.reported.emit(done, total)

        def work() -> tuple[TagRename, frozenset[str]]:
            query = Query(tags=[old])
            ids = frozenset(journal.find_ids(query) + journal.find_ids(query, trash=True))
            return tags.rename(old, new, progress=report), ids

        self._ops.op(
            work,
            changes=lambda done: Changes(entries=done[1], rows=True, tags=True),
            initiator=self,
        ).on_success(self._on_done).on_failure(self._on_failed).run()
        return True

    # -- internals -------------------------------------------------------------------------------
    def _on_name_changed(self, text: str) -> None:
        self._show_error("")
        new = clean_tag(text.lstrip("#＃")) or ""
        exists = new and tag_key(new) in self._known and tag_key(new) != tag_key(self._old)
        if exists:
            self.note.setText(
                _("#{name} exists already: the two tags will be merged.").format(
                    name=self._known[tag_key(new)]
                )
            )
        else:
            self.note.setText(
                _("The #tags written in titles and bodies are rewritten too; nothing else changes.")
            )

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.name.setEnabled(not running)
        self.rename_button.setEnabled(not running)
        self.bar.setVisible(running)
        self.bar.setRange(0, 0)  # busy until the first report
        if running:
            self._cancel.clear()
            self._show_error("")

    def _on_progress_reported(self, done: int, total: int) -> None:
        if self._running and total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(_("%v of %m entries"))

    def _on_done(self, result: tuple[TagRename, frozenset[str]]) -> None:
        self._set_running(False)
        self.renamed.emit(result[0])
        self.accept()

    def _on_failed(self, reason: str) -> str:
        self._set_running(False)
        self._show_error(reason)
        self.name.setFocus()
        return _("Tag not renamed: {reason}").format(reason=reason)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _on_cancel_clicked(self) -> None:
        if self._running:
            self._cancel.set()  # the worker stops at its next report and rolls back
            return
        self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._running:
            self._cancel.set()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._running:  # the window waits for the rename to finish or cancel
            self._cancel.set()
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self._running:
            self._cancel.set()
            return
        super().reject()
