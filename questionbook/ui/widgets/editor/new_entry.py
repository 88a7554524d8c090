"""Ctrl+N leaves no junk: a new entry the user never touched is not kept (issue 12, #12).

Ctrl+N stores "New question" at once (so the list shows it, and nothing typed into it can be
lost), and the editor remembers it as *untouched*. When the user leaves it — Esc, another entry,
another view, quitting — without having typed, rated, tagged or starred anything, it is deleted
for good (not moved to the Trash: there is nothing in it to restore).

Whether it is still untouched is decided twice: in the form (nothing typed, nothing waiting to
be saved) and again on the worker, against the stored entry, just before deleting it — so a
rating or a tag that reached the journal another way (the list's context menu, another program)
keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

from questionbook.core.entities import Entry
from questionbook.core.errors import EntryNotFound
from questionbook.core.journal import Journal
from questionbook.ui.widgets.editor.form_state import FormState


@dataclass(frozen=True)
class NewEntry:
    """A just-created entry as it was stored, before the user did anything to it."""

    entry_id: str
    state: FormState

    @classmethod
    def of(cls, entry: Entry) -> NewEntry:
        return cls(entry.id, FormState.of(entry))

    def untouched(self, entry: Entry) -> bool:
        """True while *entry* (as stored or shown) is exactly what Ctrl+N made of it."""
        return (
            entry.id == self.entry_id
            and FormState.of(entry) == self.state
            and entry.hardness is None
            and entry.reach is None
            and not entry.tags
            and not entry.in_trash
        )

    def discard(self, journal: Journal) -> bool:
        """Delete the entry for good if the journal still holds it untouched (runs on the
        worker thread). Returns whether it was deleted."""
        try:
            stored = journal.get(self.entry_id)
        except EntryNotFound:
            return False
        if not self.untouched(stored):
            return False
        journal.purge(self.entry_id)
        return True
