"""The Journal service: every user action on entries, tags and the waterline.

One method call is one user action and one transaction (``BEGIN IMMEDIATE`` for writes). Methods
return plain objects from :mod:`questionbook.core.entities` and raise errors from
:mod:`questionbook.core.errors`. Both the CLI and the GUI call only this (and the other
services built on the same :class:`~questionbook.storage.database.Database`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from questionbook.core import entry_sql
from questionbook.core import entry_writes as writes
from questionbook.core.entities import (
    Entry,
    EntrySummary,
    HardnessChange,
    JournalStats,
    StatusEvent,
    WaterlineEvent,
    WaterlineResult,
    entry_from_record,
)
from questionbook.core.entry_sql import NewEntry
from questionbook.core.errors import InvalidValue
from questionbook.core.models import (
    EntryRecord,
    EntryTagLink,
    HardnessRating,
    StatusChange,
    TagRecord,
    WaterlineMark,
)
from questionbook.core.query import Query
from questionbook.core.search import SUMMARY_COLUMNS, summary_from_row
from questionbook.core.sql_reads import SqlReads
from questionbook.core.tags import clean_tag, tag_key
from questionbook.core.text import clean_text
from questionbook.core.timeutil import to_utc, utcnow
from questionbook.core.vocabulary import (
    MAX_LEVEL,
    MIN_LEVEL,
    Kind,
    check_status,
    parse_hardness,
    parse_kind,
)
from questionbook.i18n import _
from questionbook.storage.database import Database, driver_connection

E = EntryRecord.__table__.c  # type: ignore[attr-defined]
LINK = EntryTagLink.__table__.c  # type: ignore[attr-defined]
RATING = HardnessRating.__table__.c  # type: ignore[attr-defined]
STATUS = StatusChange.__table__.c  # type: ignore[attr-defined]
TAG = TagRecord.__table__.c  # type: ignore[attr-defined]
MARK = WaterlineMark.__table__.c  # type: ignore[attr-defined]
UNSET: Any = object()


class Journal(SqlReads):
    """Entries, tags, hardness, statuses and the waterline over one journal database."""

    def __init__(
        self, db: Database, *, clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz

    # -- reading -----------------------------------------------------------------------------
    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction's ``sqlite3`` connection, for the plain-SQL functions shared with
        the command line's quick path (which has the same method)."""
        with self.db.read() as s:
            yield driver_connection(s)

    def record(self, s: Session, id_or_prefix: str) -> EntryRecord:
        """The stored row of an entry inside the caller's session (the review service changes
        entries in its own transactions)."""
        full = entry_sql.resolve_id(driver_connection(s), id_or_prefix)
        rec = s.scalars(select(EntryRecord).where(E.id == full)).one()
        return rec

    def summaries(self, ids: Sequence[str]) -> list[EntrySummary]:
        """Summaries for *ids*, in the order given (missing ids are skipped)."""
        with self.db.read() as s:
            rows = {
                r.id: summary_from_row(r)
                for r in s.execute(select(*SUMMARY_COLUMNS).where(E.id.in_(list(ids))))
            }
        return [rows[i] for i in ids if i in rows]

    def stats(self) -> JournalStats:
        """Counts for the sidebar: one pass over a covering index, no table scan."""
        with self.db.read() as s:
            waterline = writes.current_waterline(s)
            submerged = case((E.hardness <= waterline, 1), else_=0)
            rows = s.execute(
                select(
                    E.kind,
                    func.count(),
                    func.sum(case((E.starred, 1), else_=0)),
                    func.sum(submerged),
                )
                .where(E.deleted_at.is_(None))
                .group_by(E.kind)
            ).all()
            trash = s.scalar(select(func.count()).where(E.deleted_at.is_not(None)))
        return JournalStats(
            total=sum(int(r[1]) for r in rows),
            by_kind={r[0]: int(r[1]) for r in rows},
            starred=sum(int(r[2] or 0) for r in rows),
            submerged=sum(int(r[3] or 0) for r in rows),
            trash=int(trash or 0),
            waterline=waterline,
        )

    def hardness_history(self, id_or_prefix: str) -> list[HardnessChange]:
        with self.db.read() as s:
            full = entry_sql.resolve_id(driver_connection(s), id_or_prefix)
            rows = s.scalars(
                select(HardnessRating)
                .where(RATING.entry_id == full)
                .order_by(RATING.rated_at, RATING.id)
            )
            return [HardnessChange(r.level, r.source, r.rated_at) for r in rows]

    def status_history(self, id_or_prefix: str) -> list[StatusEvent]:
        with self.db.read() as s:
            full = entry_sql.resolve_id(driver_connection(s), id_or_prefix)
            rows = s.scalars(
                select(StatusChange)
                .where(STATUS.entry_id == full)
                .order_by(STATUS.changed_at, STATUS.id)
            )
            return [StatusEvent(r.status, r.outcome, r.changed_at) for r in rows]

    def follow_ups(self, id_or_prefix: str) -> list[EntrySummary]:
        with self.db.read() as s:
            full = entry_sql.resolve_id(driver_connection(s), id_or_prefix)
            rows = s.execute(
                select(*SUMMARY_COLUMNS)
                .where(E.parent_id == full, E.deleted_at.is_(None))
                .order_by(E.created_at)
            )
            return [summary_from_row(r) for r in rows]

    def data_version(self) -> int:
        """A number that changes whenever another connection (any process) commits a change.

        The GUI polls it every second or so to pick up entries added from a terminal.
        """
        return self.db.data_version()

    # -- writing -----------------------------------------------------------------------------
    def add(
        self,
        title: str,
        body: str = "",
        *,
        kind: Kind | str = Kind.QUESTION,
        status: str | None = None,
        hardness: int | str | None = None,
        tags: Iterable[str] = (),
        starred: bool = False,
        outcome: str = "",
        created_at: datetime | None = None,
        parent_id: str | None = None,
        rating_source: str = "user",
        entry_id: str | None = None,
    ) -> Entry:
        """Create an entry. An empty title takes the body's first line."""
        new = entry_sql.new_entry(
            title,
            body,
            kind=kind,
            status=status,
            hardness=hardness,
            tags=tags,
            starred=starred,
            outcome=outcome,
            created_at=created_at,
            now=self.clock(),
            tz=self.tz,
            entry_id=entry_id,
        )
        return self.insert(new, parent_id=parent_id, rating_source=rating_source)

    def insert(
        self, new: NewEntry, *, parent_id: str | None = None, rating_source: str = "user"
    ) -> Entry:
        """Store an entry checked by :func:`~questionbook.core.entry_sql.new_entry`."""
        with self.db.write() as s:
            if parent_id:
                parent_id = entry_sql.resolve_id(driver_connection(s), parent_id)
            return entry_sql.insert_entry(
                driver_connection(s), new, parent_id=parent_id, rating_source=rating_source
            )

    def update(
        self,
        id_or_prefix: str,
        *,
        title: str | None = None,
        body: str | None = None,
        kind: Kind | str | None = None,
        status: str | None = None,
        outcome: str | None = None,
        hardness: Any = UNSET,
        starred: bool | None = None,
        created_at: datetime | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        set_tags: Iterable[str] | None = None,
        rating_source: str = "user",
    ) -> Entry:
        """Change any fields of an entry in one transaction; history is kept for hardness and
        status. Returns the entry as saved."""
        with self.db.write() as s:
            rec = self.record(s, id_or_prefix)
            now = self.clock()
            if title is not None:
                new_title = " ".join(clean_text(title).split())
                if not new_title:
                    raise InvalidValue(_("the title cannot be empty"))
                rec.title = new_title
            if body is not None:
                new_body = entry_sql.check_length(clean_text(body))
                rec.body = new_body
            if kind is not None:
                new_kind = parse_kind(kind) if isinstance(kind, str) else kind
                if new_kind.value != rec.kind:
                    rec.kind = new_kind.value
                    if status is None:
                        status = check_status(new_kind, None) if new_kind is not Kind.NOTE else ""
            if status is not None or outcome is not None:
                writes.apply_status(s, rec, status, outcome, now)
            if hardness is not UNSET:
                writes.apply_hardness(s, rec, parse_hardness(hardness), rating_source, now)
            if starred is not None:
                rec.starred = bool(starred)
            if created_at is not None:
                rec.created_at = to_utc(created_at, self.tz)
            manual = writes.manual_tags(s, rec)
            if set_tags is not None:
                manual = [t for t in map(clean_tag, set_tags) if t]
            manual += [t for t in map(clean_tag, add_tags) if t]
            removed = {tag_key(t) for t in remove_tags if clean_tag(t)}
            writes.set_tags(s, rec, manual=[t for t in manual if tag_key(t) not in removed])
            rec.updated_at = now
            s.flush()
            return entry_from_record(rec)

    def rate(self, id_or_prefix: str, level: int | str | None, *, source: str = "user") -> Entry:
        """Set (or clear) an entry's hardness, recording the rating in its history."""
        return self.update(id_or_prefix, hardness=level, rating_source=source)

    def set_status(self, id_or_prefix: str, status: str, outcome: str | None = None) -> Entry:
        return self.update(id_or_prefix, status=status, outcome=outcome)

    def star(self, id_or_prefix: str, starred: bool = True) -> Entry:
        return self.update(id_or_prefix, starred=starred)

    def follow_up(self, parent: str, title: str | None = None, body: str = "") -> Entry:
        """A new entry that sharpens *parent*: same kind, same tags, linked back to it."""
        original = self.get(parent)
        return self.add(
            title or original.title,
            body,
            kind=original.kind,
            tags=original.tags,
            parent_id=original.id,
        )

    def delete(self, id_or_prefix: str) -> Entry:
        """Move an entry to the Trash (it can be restored)."""
        with self.db.write() as s:
            rec = self.record(s, id_or_prefix)
            if rec.deleted_at is None:
                rec.deleted_at = self.clock()
            s.flush()
            return entry_from_record(rec)

    def restore(self, id_or_prefix: str) -> Entry:
        with self.db.write() as s:
            rec = self.record(s, id_or_prefix)
            rec.deleted_at = None
            s.flush()
            return entry_from_record(rec)

    def purge(self, id_or_prefix: str) -> None:
        """Delete an entry for good (with its history); follow-ups lose their link."""
        with self.db.write() as s:
            rec = self.record(s, id_or_prefix)
            s.delete(rec)
            s.flush()
            writes.drop_unused_tags(s)

    def empty_trash(self) -> int:
        with self.db.write() as s:
            result = s.execute(delete(EntryRecord).where(E.deleted_at.is_not(None)))
            writes.drop_unused_tags(s)
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    # -- waterline ---------------------------------------------------------------------------
    def waterline_history(self) -> list[WaterlineEvent]:
        with self.db.read() as s:
            rows = s.scalars(select(WaterlineMark).order_by(MARK.set_at, MARK.id))
            return [WaterlineEvent(r.level, r.note, r.set_at) for r in rows]

    def set_waterline(
        self, level: int | str, note: str = "", at: datetime | None = None
    ) -> WaterlineResult:
        """Move the waterline; the result lists the entries the water newly covers."""
        new = parse_hardness(level)
        if new is None or not MIN_LEVEL <= new <= MAX_LEVEL:
            raise InvalidValue(_("the waterline must be a level from 0 to 4"))
        with self.db.write() as s:
            old = writes.current_waterline(s)
            s.add(WaterlineMark(level=new, note=clean_text(note), set_at=at or self.clock()))
            covered: list[EntrySummary] = []
            if new > old:
                rows = s.execute(
                    select(*SUMMARY_COLUMNS)
                    .where(E.deleted_at.is_(None), E.hardness > old, E.hardness <= new)
                    .order_by(E.hardness.desc(), E.created_at.desc())
                )
                covered = [summary_from_row(r) for r in rows]
        return WaterlineResult(previous=old, level=new, newly_submerged=covered)

    def submerged_count(self) -> int:
        return self.count(Query(submerged=True))
