"""The Journal service: every user action on entries, tags and the waterline.

One method call is one user action and one transaction (``BEGIN IMMEDIATE`` for writes). Methods
return plain objects from :mod:`questionbook.core.entities` and raise errors from
:mod:`questionbook.core.errors`. The command line and the app call only this (and the other
services over the same :class:`~questionbook.core.store.Store`). Rows are read and
written by name through :mod:`questionbook.core.rows`; searching is
:mod:`questionbook.core.search_sql`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, TypeVar

from questionbook.core import entry_sql, rows, search_sql
from questionbook.core.entities import (
    Entry,
    EntrySummary,
    HardnessChange,
    JournalStats,
    StatusEvent,
    StillMineGroup,
    TagCount,
    WaterlineEvent,
    WaterlineResult,
)
from questionbook.core.entry_writes import (
    UNSET,
    Unset,
    change_entry,
    checked_changes,
    merged_manual_tags,
    newly_covered,
    parse_waterline,
)
from questionbook.core.query import Query
from questionbook.core.schedule import on_this_day_ranges
from questionbook.core.schema import ENTRY, HARDNESS_RATING, STATUS_CHANGE, WATERLINE_MARK
from questionbook.core.store import Store
from questionbook.core.text import clean_text
from questionbook.core.timeutil import to_local, utcnow
from questionbook.core.vocabulary import Kind

if TYPE_CHECKING:
    from questionbook.core.freeboard import Freeboard

#: Called by :meth:`Journal.update` in its transaction with the stored entry and the changes.
UpdateGuard = Callable[[sqlite3.Connection, Entry, Mapping[str, Any]], object]

T = TypeVar("T")

#: How far back "On this day" looks.
ON_THIS_DAY_YEARS = 30


def on_this_day_statement(
    today: date, tz: tzinfo | None, years: int = ON_THIS_DAY_YEARS
) -> tuple[str, list[Any]] | None:
    """The one statement of :meth:`Journal.on_this_day` (``{columns}`` still to fill), or None
    when no earlier year has today's month-day.

    ``+deleted_at`` keeps SQLite off the deleted_at index, and ``ORDER BY +created_at`` keeps it
    from walking the created_at index in order to skip a sort: with a journal's statistics
    (``ANALYZE``) it did that, reading all 100,000 entries (140 ms of every start-up on *Today*)
    instead of unioning the day ranges (0.5 ms) and sorting the few hundred found.
    """
    ranges, params = [], []
    for _year, start, end in on_this_day_ranges(today, today.year - years, tz):
        ranges.append("entry.created_at >= ? AND entry.created_at < ?")
        params += [rows.encode("time", start), rows.encode("time", end)]
    if not ranges:
        return None
    sql = (
        "SELECT {columns} FROM entry WHERE +entry.deleted_at IS NULL AND "
        f"({' OR '.join(ranges)}) ORDER BY +entry.created_at DESC"
    )
    return sql, params


class Journal:
    """Entries, tags, hardness, statuses and the waterline over one journal database."""

    def __init__(
        self, db: Store, *, clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz

    # -- reading -----------------------------------------------------------------------------
    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction (one snapshot) and its connection, for the core's SQL functions
        (the review's due rules, exports) that read several things consistently."""
        return self.db.read()

    def find(
        self,
        query: Query | str = "",
        *,
        trash: bool = False,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[EntrySummary]:
        """Entries matching *query* (text or parsed), one page: ranked by relevance, or newest
        first for filter-only queries and for text queries with very many hits."""
        with self.db.read() as conn:
            return search_sql.find_summaries(
                conn, query, trash=trash, tz=self.tz, limit=limit, offset=offset
            )

    def find_as(
        self,
        query: Query | str,
        convert: Callable[[EntrySummary], T],
        *,
        trash: bool = False,
        limit: int | None = 100,
        offset: int = 0,
    ) -> list[T]:
        """:meth:`find`, each entry passed through *convert* as it is read (a list that keeps
        less of each row never holds a whole page of full summaries: issue 21)."""
        with self.db.read() as conn:
            return search_sql.find_converted(
                conn, query, convert, trash=trash, tz=self.tz, limit=limit, offset=offset
            )

    def count(self, query: Query | str = "", *, trash: bool = False) -> int:
        with self.db.read() as conn:
            return search_sql.count_matches(conn, query, trash=trash, tz=self.tz)

    def find_ids(self, query: Query | str = "", *, trash: bool = False) -> list[str]:
        """Every matching id in order (cheap: used for paging in large lists and exports)."""
        with self.db.read() as conn:
            return search_sql.find_ids(conn, query, trash=trash, tz=self.tz)

    def resolve_id(self, id_or_prefix: str) -> str:
        """The full id of the one entry whose id starts with *id_or_prefix*."""
        with self.db.read() as conn:
            return entry_sql.resolve_id(conn, id_or_prefix)

    def get(self, id_or_prefix: str) -> Entry:
        """One whole entry, by its id or a unique prefix of 4 or more characters."""
        with self.db.read() as conn:
            return entry_sql.load_entry(conn, id_or_prefix)

    def entries(self, ids: Sequence[str]) -> list[Entry]:
        """Whole entries for *ids*, in the order given (missing ids are skipped)."""
        with self.db.read() as conn:
            return entry_sql.load_entries(conn, ids)

    def summaries(self, ids: Sequence[str]) -> list[EntrySummary]:
        """List rows for *ids*, in the order given (missing ids are skipped)."""
        found: dict[str, EntrySummary] = {}
        with self.db.read() as conn:
            for chunk in rows.chunks(list(ids)):
                marks, params = rows.placeholders("id", chunk)
                sql = f"SELECT {{columns}} FROM entry WHERE entry.id IN ({marks})"
                found.update((s.id, s) for s in rows.fetch(conn, EntrySummary, ENTRY, sql, params))
        return [found[i] for i in ids if i in found]

    def tag_counts(self) -> list[TagCount]:
        """Tags of entries not in the Trash, most used first, then by name."""
        with self.db.read() as conn:
            return entry_sql.tag_counts(conn)

    def waterline(self) -> int:
        """Where the user says AI stands now (the latest waterline mark; 1 before any)."""
        with self.db.read() as conn:
            return entry_sql.current_waterline(conn)

    def stats(self) -> JournalStats:
        """Counts for the sidebar: one pass over a covering index, no table scan."""
        with self.db.read() as conn:
            waterline = entry_sql.current_waterline(conn)
            by_kind = conn.execute(
                "SELECT kind, count(*), sum(starred), sum(hardness <= ?) FROM entry "
                "WHERE deleted_at IS NULL GROUP BY kind",
                (waterline,),
            ).fetchall()
            trash = conn.execute(
                "SELECT count(*) FROM entry WHERE deleted_at IS NOT NULL"
            ).fetchone()[0]
        return JournalStats(
            total=sum(int(r[1]) for r in by_kind),
            by_kind={r[0]: int(r[1]) for r in by_kind},
            starred=sum(int(r[2] or 0) for r in by_kind),
            submerged=sum(int(r[3] or 0) for r in by_kind),
            trash=int(trash or 0),
            waterline=waterline,
        )

    def hardness_history(self, id_or_prefix: str) -> list[HardnessChange]:
        with self.db.read() as conn:
            full = entry_sql.resolve_id(conn, id_or_prefix)
            return rows.fetch(
                conn,
                HardnessChange,
                HARDNESS_RATING,
                "SELECT {columns} FROM hardness_rating WHERE entry_id = ? ORDER BY rated_at, id",
                (full,),
            )

    def status_history(self, id_or_prefix: str) -> list[StatusEvent]:
        with self.db.read() as conn:
            full = entry_sql.resolve_id(conn, id_or_prefix)
            return rows.fetch(
                conn,
                StatusEvent,
                STATUS_CHANGE,
                "SELECT {columns} FROM status_change WHERE entry_id = ? ORDER BY changed_at, id",
                (full,),
            )

    def follow_ups(self, id_or_prefix: str) -> list[EntrySummary]:
        with self.db.read() as conn:
            full = entry_sql.resolve_id(conn, id_or_prefix)
            return rows.fetch(
                conn,
                EntrySummary,
                ENTRY,
                "SELECT {columns} FROM entry WHERE parent_id = ? AND deleted_at IS NULL "
                "ORDER BY created_at",
                (full,),
            )

    def on_this_day(
        self, today: date, *, years: int = ON_THIS_DAY_YEARS, per_year: int = 50
    ) -> list[tuple[int, list[EntrySummary]]]:
        """Entries from this month and day in earlier years, as (year, entries), latest year
        first.

        One indexed statement for all years (an OR of one-day ranges on ``created_at``): thirty
        separate calls cost a third of a second at start-up on a large journal. 29 February is
        looked up only in leap years (:func:`~questionbook.core.schedule.on_this_day_ranges`).
        """
        statement = on_this_day_statement(today, self.tz, years)
        if statement is None:
            return []
        sql, params = statement
        with self.db.read() as conn:
            found = rows.fetch(conn, EntrySummary, ENTRY, sql, params)
        by_year: dict[int, list[EntrySummary]] = {}
        for summary in found:
            bucket = by_year.setdefault(summary.created_at.astimezone(self.tz).year, [])
            if len(bucket) < per_year:
                bucket.append(summary)
        return sorted(by_year.items(), reverse=True)

    def data_version(self) -> int:
        """A number that changes whenever another connection (any process) commits a change.

        The app polls it every second or so to pick up entries added from a terminal.
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
        reach: int | str | None = None,
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
            parent_id=parent_id,
            reach=reach,
        )
        return self.insert(new, rating_source=rating_source)

    def insert(self, new: Entry, *, rating_source: str = "user") -> Entry:
        """Store an entry checked by :func:`~questionbook.core.entry_sql.new_entry`."""
        with self.db.write() as conn:
            return entry_sql.insert_entry(conn, new, rating_source=rating_source)

    def update(
        self,
        id_or_prefix: str,
        *,
        title: str | None = None,
        body: str | None = None,
        kind: Kind | str | None = None,
        status: str | None = None,
        outcome: str | None = None,
        hardness: int | str | Unset | None = UNSET,
        reach: int | str | Unset | None = UNSET,
        starred: bool | None = None,
        created_at: datetime | None = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        set_tags: Iterable[str] | None = None,
        rating_source: str = "user",
        seal_until: int | str | Unset | None = UNSET,
        still_mine: str | None = None,
        revisit: date | str | Unset | None = UNSET,
        guard: UpdateGuard | None = None,
    ) -> Entry:
        """Change any fields of an entry in one transaction; history is kept for hardness and
        status. *seal_until* seals the entry until the waterline reaches that level (``None``
        unseals it); *still_mine* is the line on what part of it stays the user's own;
        *revisit* the local day to see it again in the review (``None`` clears it). Returns
        the entry as saved.

        *guard* is called inside the transaction with the stored entry and the checked changes
        just before they are written: the app's editor uses it to keep, as a conflict copy, a
        text that changed since the editor read it (a sync, another program) instead of
        overwriting it unseen."""
        with self.db.write() as conn:
            entry = entry_sql.load_entry(conn, id_or_prefix)
            sealing = not isinstance(seal_until, Unset) and seal_until is not None
            changes = checked_changes(
                entry,
                title=title,
                body=body,
                kind=kind,
                status=status,
                outcome=outcome,
                hardness=hardness,
                reach=reach,
                starred=starred,
                created_at=created_at,
                tz=self.tz,
                seal_until=seal_until,
                waterline=entry_sql.current_waterline(conn) if sealing else None,
                still_mine=still_mine,
                revisit=revisit,
                today=to_local(self.clock(), self.tz).date(),
            )
            manual = merged_manual_tags(
                conn, entry.id, set_tags=set_tags, add_tags=add_tags, remove_tags=remove_tags
            )
            if guard is not None:
                guard(conn, entry, changes)
            return change_entry(
                conn, entry, changes, now=self.clock(), rating_source=rating_source, manual=manual
            )

    def rate(self, id_or_prefix: str, level: int | str | None, *, source: str = "user") -> Entry:
        """Set (or clear) an entry's hardness, recording the rating in its history."""
        return self.update(id_or_prefix, hardness=level, rating_source=source)

    def set_status(self, id_or_prefix: str, status: str, outcome: str | None = None) -> Entry:
        return self.update(id_or_prefix, status=status, outcome=outcome)

    def star(self, id_or_prefix: str, starred: bool = True) -> Entry:
        return self.update(id_or_prefix, starred=starred)

    def follow_up(self, parent: str, title: str | None = None, body: str = "") -> Entry:
        """A new entry that sharpens *parent*: same kind, same tags, linked back to it."""
        with self.db.write() as conn:
            original = entry_sql.load_entry(conn, parent)
            return entry_sql.insert_entry(conn, self.follow_up_of(original, title, body))

    def follow_up_of(self, original: Entry, title: str | None = None, body: str = "") -> Entry:
        """The checked follow-up of *original* (not stored yet): the review's "sharpen" stores it
        in its own transaction."""
        return entry_sql.new_entry(
            title or original.title,
            body,
            kind=original.kind,
            tags=original.tags,
            parent_id=original.id,
            now=self.clock(),
            tz=self.tz,
        )

    def delete(self, id_or_prefix: str) -> Entry:
        """Move an entry to the Trash (it can be restored)."""
        with self.db.write() as conn:
            entry = entry_sql.load_entry(conn, id_or_prefix)
            if entry.deleted_at is not None:
                return entry
            return change_entry(
                conn, entry, {"deleted_at": self.clock()}, now=self.clock(), touch=False
            )

    def restore(self, id_or_prefix: str) -> Entry:
        with self.db.write() as conn:
            entry = entry_sql.load_entry(conn, id_or_prefix)
            return change_entry(conn, entry, {"deleted_at": None}, now=self.clock(), touch=False)

    def purge(self, id_or_prefix: str) -> None:
        """Delete an entry for good (with its history); follow-ups lose their link."""
        with self.db.write() as conn:
            full = entry_sql.resolve_id(conn, id_or_prefix)
            conn.execute("DELETE FROM entry WHERE id = ?", (full,))
            entry_sql.drop_unused(conn)

    def empty_trash(self) -> int:
        with self.db.write() as conn:
            gone = conn.execute("DELETE FROM entry WHERE deleted_at IS NOT NULL").rowcount
            entry_sql.drop_unused(conn)
            return int(gone)

    # -- waterline ---------------------------------------------------------------------------
    def waterline_history(self) -> list[WaterlineEvent]:
        with self.db.read() as conn:
            return rows.fetch(
                conn,
                WaterlineEvent,
                WATERLINE_MARK,
                "SELECT {columns} FROM waterline_mark ORDER BY set_at, id",
            )

    def set_waterline(
        self, level: int | str, note: str = "", at: datetime | None = None
    ) -> WaterlineResult:
        """Move the waterline; the result lists the entries the water newly covers."""
        new = parse_waterline(level)
        with self.db.write() as conn:
            return self.move_waterline(conn, new, note, at or self.clock())

    @staticmethod
    def move_waterline(
        conn: sqlite3.Connection, level: int, note: str, at: datetime
    ) -> WaterlineResult:
        """Record a waterline mark inside the caller's transaction (the review sets it as one of
        its steps); returns what the water newly covers."""
        old = entry_sql.current_waterline(conn)
        rows.insert(conn, WATERLINE_MARK, {"level": level, "note": clean_text(note), "set_at": at})
        return WaterlineResult(
            previous=old, level=level, newly_submerged=newly_covered(conn, old, level)
        )

    def submerged_count(self) -> int:
        return self.count(Query(submerged=True))

    # -- evidence (issue 17) -----------------------------------------------------------------
    def still_mine(self) -> list[StillMineGroup]:
        """The "Still mine" view: every line on what stays the user's own, grouped by tag."""
        from questionbook.core.still_mine import group_by_tag, still_mine_items

        with self.db.read() as conn:
            return group_by_tag(still_mine_items(conn))

    def freeboard(self) -> Freeboard:
        """How far above the water the open entries stand now, and whether a flood warning
        is up (:mod:`questionbook.core.freeboard`)."""
        from questionbook.core.freeboard import freeboard_now

        with self.db.read() as conn:
            return freeboard_now(conn)
