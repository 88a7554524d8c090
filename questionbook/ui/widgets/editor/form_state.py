"""What the editor form shows, and which journal changes turn the stored entry into it.

Qt-free and pure, so the saving rules are easy to read and test: only fields that differ are
written (another process may have changed the others), an empty title keeps the stored one,
a kind change lets the journal pick that kind's first status, and the creation time counts to
the minute the date editor shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from questionbook.core.entities import Entry
from questionbook.core.journal import Journal


@dataclass(frozen=True)
class FormState:
    """The editable fields of one entry as the form shows (or last stored) them."""

    title: str
    body: str
    outcome: str
    kind: str
    status: str | None
    starred: bool
    created_ms: int

    @classmethod
    def of(cls, entry: Entry) -> FormState:
        return cls(
            entry.title,
            entry.body,
            entry.outcome,
            entry.kind,
            entry.status,
            entry.starred,
            to_msecs(entry.created_at),
        )

    @property
    def created_at(self) -> datetime:
        return datetime.fromtimestamp(self.created_ms / 1000, UTC)

    def after_save(self, base: FormState, entry: Entry) -> FormState:
        """The new baseline once this state was written and the journal returned *entry*."""
        title = self.title if self.title.strip() else base.title
        return FormState(
            title, self.body, self.outcome, entry.kind, entry.status, entry.starred, self.created_ms
        )

    def settled(self, sent: FormState, entry: Entry) -> FormState:
        """This wanted state, once *sent* (an earlier one) was stored as *entry*.

        The choices not changed since *sent* take the stored values: a kind change lets the
        journal pick the new kind's first status, which the form has not shown yet.
        """
        same_kind = self.kind == sent.kind
        return replace(
            self,
            kind=entry.kind if same_kind else self.kind,
            status=entry.status if same_kind and self.status == sent.status else self.status,
            starred=entry.starred if self.starred == sent.starred else self.starred,
        )


def to_msecs(value: datetime) -> int:
    return round(value.timestamp() * 1000)


def changes_between(
    base: FormState, now: FormState, add_tags: Sequence[str] = (), remove_tags: Sequence[str] = ()
) -> dict[str, Any]:
    """Keyword arguments for :meth:`Journal.update` that turn *base* into *now*."""
    changes: dict[str, Any] = {}
    if now.title != base.title and now.title.strip():
        changes["title"] = now.title
    if now.body != base.body:
        changes["body"] = now.body
    if now.kind != base.kind:
        changes["kind"] = now.kind
    elif now.status != base.status and now.status is not None:
        changes["status"] = now.status
    if now.outcome != base.outcome:
        changes["outcome"] = now.outcome
    if now.starred != base.starred:
        changes["starred"] = now.starred
    if now.created_ms // 60_000 != base.created_ms // 60_000:
        changes["created_at"] = now.created_at
    if add_tags:
        changes["add_tags"] = list(add_tags)
    if remove_tags:
        changes["remove_tags"] = list(remove_tags)
    return changes


def recreate(journal: Journal, old: Entry, now: FormState, add_tags: Sequence[str] = ()) -> Entry:
    """Store *now* again under *old*'s id: the entry was purged elsewhere while being edited."""
    return journal.add(
        now.title if now.title.strip() else old.title,
        now.body,
        kind=now.kind,
        status=now.status,
        hardness=old.hardness,
        tags=[*old.tags, *add_tags],
        starred=now.starred,
        outcome=now.outcome,
        created_at=now.created_at,
        entry_id=old.id,
    )
