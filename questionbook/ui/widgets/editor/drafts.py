"""Unsaved edits, per entry, on their way to the journal as patient operations
(:mod:`questionbook.ui.operations`).

Why a store apart from the editor: when the journal is busy in another program, a save can
wait for a long time, and the user should still be free to open another entry. The edits then
live here, not in the widgets: the editor hands over a :class:`Draft` (what is stored, what the
form shows, the tag changes) and may move on; the store writes it, retries, and keeps it until
it is stored. Opening that entry again shows the draft, not the older stored text, and on
quitting the window asks the store what is still unsaved.

One write per entry at a time: edits made while a write runs update the draft, and the next
write (of what is still different) starts when the running one is done. A write that fails
for another reason than a busy journal (disk full ...) is tried again every few seconds.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from questionbook.core.entities import Entry
from questionbook.core.errors import EntryNotFound
from questionbook.core.journal import Journal
from questionbook.i18n import _
from questionbook.sync.conflicts import keep_overwritten
from questionbook.ui.journal_writer import WriteJob
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.widgets.editor.form_state import FormState, changes_between, recreate

RETRY_DELAY_MS = 5000


@dataclass
class Draft:
    """One entry's edits that are not stored yet."""

    entry: Entry  # the entry as last stored (or loaded)
    base: FormState  # its editable fields as stored
    target: FormState  # what the user wants stored
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    job: WriteJob | None = None  # the write running now, if any
    waiting: bool = False  # the running write waits for the journal (busy elsewhere)
    error: str = ""  # why the last write failed (not busy); retried

    def changes(self) -> dict[str, Any]:
        """The :meth:`Journal.update` arguments still needed."""
        return changes_between(self.base, self.target, self.add_tags, self.remove_tags)

    def shown_entry(self, stored: Entry) -> Entry:
        """*stored* with this draft's edits on top: what the editor shows for it."""
        t = self.target
        removed = {name.casefold() for name in self.remove_tags}
        tags = [n for n in (*stored.tags, *self.add_tags) if n.casefold() not in removed]
        return replace(
            stored,
            title=t.title,
            body=t.body,
            outcome=t.outcome,
            kind=t.kind,
            status=t.status,
            starred=t.starred,
            created_at=t.created_at,
            tags=tuple(dict.fromkeys(tags)),
        )


class DraftStore(QObject):
    """Writes :class:`Draft` objects as operations; see the module docstring."""

    stored = Signal(str, object, object)
    """A write for the entry with this id went through: (id, stored Entry, stored FormState)."""
    waiting = Signal(str)
    """A write for the entry with this id waits for the journal (busy in another program)."""
    failed = Signal(str, str)
    """A write for the entry with this id failed: (id, reason). The draft is kept and retried."""

    def __init__(
        self,
        journal: Journal,
        ops: Operations,
        parent: QObject | None = None,
        *,
        initiator: object | None = None,
        retry_ms: int = RETRY_DELAY_MS,
    ) -> None:
        """*initiator* is named as the source of the changes announced (the editor, which
        learns its own results from :attr:`stored` and skips the echo)."""
        super().__init__(parent)
        self._journal = journal
        self._ops = ops
        self._initiator = initiator
        self._drafts: dict[str, Draft] = {}
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self._on_retry_timeout)

    def put(
        self,
        entry: Entry,
        base: FormState,
        target: FormState,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
    ) -> Draft | None:
        """Ask for *target* to be stored for *entry*; returns the draft (None: nothing to do).

        If the entry already has a draft, that draft's record of what is stored is newer than
        the caller's, so only the target and the tag changes are taken.
        """
        draft = self._drafts.get(entry.id)
        if draft is None:
            draft = Draft(entry, base, target, list(add_tags), list(remove_tags))
            if not draft.changes():
                return None
            self._drafts[entry.id] = draft
        else:
            draft.target = target
            draft.add_tags.extend(add_tags)
            draft.remove_tags.extend(remove_tags)
        if draft.job is None:
            self._start(draft)
        return self._drafts.get(entry.id)

    def get(self, entry_id: str) -> Draft | None:
        return self._drafts.get(entry_id)

    def drafts(self) -> list[Draft]:
        """Every draft not stored yet."""
        return list(self._drafts.values())

    def wait(self, entry_id: str, timeout_ms: int) -> None:
        """Block up to *timeout_ms* until *entry_id*'s draft is stored, failed or waiting."""
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            draft = self._drafts.get(entry_id)
            if draft is None or draft.job is None or draft.waiting:
                return
            remaining = int((deadline - time.monotonic()) * 1000)
            if remaining <= 0 or not self._ops.wait(draft.job, remaining):
                return

    # -- writing ---------------------------------------------------------------------------------
    def _start(self, draft: Draft) -> None:
        changes = draft.changes()
        entry_id = draft.entry.id
        if not changes:
            self._drafts.pop(entry_id, None)
            return
        journal, old, base, target = self._journal, draft.entry, draft.base, draft.target
        add_tags = list(draft.add_tags)
        n_add, n_remove = len(draft.add_tags), len(draft.remove_tags)

        # A text changed under the draft since it was read (a sync, another program) is kept
        # as a conflict copy, never overwritten unseen (issue 16).
        guard = keep_overwritten({"title": base.title, "body": base.body, "outcome": base.outcome})

        def work() -> Entry:
            try:
                return journal.update(entry_id, guard=guard, **changes)
            except EntryNotFound:  # purged elsewhere meanwhile: the typed text still gets stored
                return recreate(journal, old, target, add_tags)

        def done(entry: Entry) -> None:
            self._on_done(draft, entry, target, target.after_save(base, entry), n_add, n_remove)

        draft.error = ""
        draft.waiting = False
        draft.job = (
            self._ops.op(
                work,
                changes=lambda entry: changes_of_save(old, entry, changes),
                initiator=self._initiator,
            )
            .patient(lambda: self._on_waiting(draft))
            .on_success(done)
            .on_failure(lambda reason: self._on_failed(draft, reason))
            .run()
        )

    def _on_done(
        self,
        draft: Draft,
        entry: Entry,
        sent: FormState,
        stored: FormState,
        n_add: int,
        n_remove: int,
    ) -> None:
        draft.job, draft.waiting, draft.error = None, False, ""
        draft.entry, draft.base = entry, stored
        draft.target = draft.target.settled(sent, entry)
        del draft.add_tags[:n_add]
        del draft.remove_tags[:n_remove]
        if draft.changes():
            self._start(draft)  # edits made while this write ran
        else:
            self._drafts.pop(entry.id, None)
        self.stored.emit(entry.id, entry, stored)

    def _on_failed(self, draft: Draft, reason: str) -> str:
        draft.job, draft.waiting, draft.error = None, False, reason
        self._retry.start()
        self.failed.emit(draft.entry.id, reason)
        title = draft.target.title.strip() or draft.entry.title
        return _("“{title}” is not saved yet: {reason}").format(title=title, reason=reason)

    def _on_waiting(self, draft: Draft) -> None:
        draft.waiting = True
        self.waiting.emit(draft.entry.id)

    def _on_retry_timeout(self) -> None:
        for draft in list(self._drafts.values()):
            if draft.job is None and draft.error:
                self._start(draft)


#: Fields of an update that can move an entry into or out of a list (views filter on them).
_LISTED_FIELDS = frozenset({"kind", "status", "starred", "created_at"})


def changes_of_save(old: Entry, new: Entry, update: dict[str, Any]) -> Changes:
    """What storing *update* (turning *old* into *new*) changed, for the views: typing only
    changes the entry itself; a kind, status, star or date change may move it between lists;
    inline ``#tags`` typed in the text change the tags."""
    return Changes.of(
        new.id,
        rows=bool(_LISTED_FIELDS & update.keys()) or old.id != new.id,
        tags=tuple(old.tags) != tuple(new.tags),
    )
