"""The weekly review: start or resume, act on each entry, set the waterline, reflect, finish.

Every method is one user action and one transaction, so closing the app at any moment loses
nothing and the review resumes exactly where it was. At the start of a review its queue of due
entries is frozen as ``review_action`` rows (action ``queued``, detail = the reasons): entries
drop out of "due" as soon as they are acted on, so recomputing the queue on resume would
renumber it. ``review.step`` and ``review.position`` say which step and which queue item the
user is at. The entries the water covers when the waterline is set are stored the same way
(action ``covered``), so a resumed review still shows them.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from questionbook.core import entry_sql, rows, schedule
from questionbook.core.due_query import DueQuery
from questionbook.core.entities import Entry, EntrySummary, WaterlineResult
from questionbook.core.entry_writes import change_entry, mark_reviewed, parse_waterline
from questionbook.core.errors import InvalidValue, QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.pending_review import PendingReview
from questionbook.core.review_digest import COVERED, QUEUED
from questionbook.core.schedule import Period
from questionbook.core.schema import ENTRY, REVIEW, REVIEW_ACTION, ReviewRow
from questionbook.core.store import Store
from questionbook.core.text import clean_text
from questionbook.core.timeutil import to_local, utcnow
from questionbook.core.vocabulary import Kind, check_status, parse_hardness
from questionbook.i18n import _
from questionbook.settings import Settings

if TYPE_CHECKING:
    from questionbook.core.evidence import WaterHint
    from questionbook.core.freeboard import Freeboard

STEPS = ("new", "due", "waterline", "reflection", "finished")
ENTRY_ACTIONS = ("keep", "rerate", "status", "sharpen", "snooze")


class ReviewNotFound(QuestionBookError):
    """No review with that id or period."""


@dataclass(frozen=True)
class ReviewState:
    """A review as stored: where it stands and what the user wrote."""

    id: int
    period: Period
    started_at: datetime
    finished_at: datetime | None
    waterline: int | None
    reflection: str
    step: str
    position: int

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True)
class DueItem:
    """One entry the review brings up, and why."""

    entry: EntrySummary
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class WaterlineAdvice:
    """What the waterline step shows besides the level: what the last three months of AI trials
    suggest, and the freeboard with its flood warning (which asks for one new entry at
    ``freeboard.ask_level`` or higher). The waterline stays the user's decision."""

    hints: list[WaterHint]
    freeboard: Freeboard


@dataclass(frozen=True)
class ActionTaken:
    entry_id: str
    action: str
    detail: str
    acted_at: datetime


class ReviewService:
    """Weekly reviews over one journal database."""

    def __init__(
        self,
        db: Store,
        journal: Journal,
        *,
        clock: Callable[[], datetime] = utcnow,
        tz: tzinfo | None = None,
        week_start: int = 1,
    ) -> None:
        self.db = db
        self.journal = journal
        self.clock = clock
        self.tz = tz if tz is not None else journal.tz
        self.week_start = week_start

    # -- periods and reminders ---------------------------------------------------------------
    def period(self, label: str | None = None, when: datetime | None = None) -> Period:
        """The period called *label*, or the one containing *when* (default now)."""
        if label:
            return schedule.parse_period(label, self.week_start)
        return schedule.period_at(when or self.clock(), self.tz, self.week_start)

    def due_period(self, now: datetime, settings: Settings) -> Period | None:
        """The week whose review is due at *now* and not finished yet, or ``None``."""
        return PendingReview(self.db, self.tz).due_period(now, settings)

    def is_review_due(self, now: datetime, settings: Settings) -> bool:
        """True once the review time has passed and that week's review is not finished."""
        return self.due_period(now, settings) is not None

    def period_to_review(self, settings: Settings) -> Period:
        """What "Start review" opens now: the due week, or else the current week."""
        now = self.clock()
        return self.due_period(now, settings) or schedule.period_at(
            now, self.tz, settings.week_start
        )

    # -- what a review shows -----------------------------------------------------------------
    def new_entries(self, period: Period) -> list[EntrySummary]:
        """Entries written during *period*, oldest first."""
        start, end = period.utc_bounds(self.tz)
        with self.db.read() as conn:
            return rows.fetch(
                conn,
                EntrySummary,
                ENTRY,
                "SELECT {columns} FROM entry WHERE entry.deleted_at IS NULL "
                "AND entry.created_at >= ? AND entry.created_at < ? "
                "ORDER BY entry.created_at, entry.num",
                (rows.encode("time", start), rows.encode("time", end)),
            )

    def due_overview(
        self,
        at: datetime | None = None,
        *,
        created_before: datetime | None = None,
        limit: int | None = schedule.REVIEW_LIMIT,
    ) -> tuple[list[DueItem], int]:
        """The entries a review at *at* (default now) would bring up, most pressing first (at
        most *limit*; ``None``: all), and how many are due in all.

        Both come from SQL (:class:`DueQuery`): a large journal has tens of thousands of due
        entries, and only the first *limit* are ever shown.
        """
        with self.db.read() as conn:
            query = DueQuery.at(conn, at or self.clock(), tz=self.tz, created_before=created_before)
            picked, total = query.pick(conn, limit), query.count(conn)
        return self._items(picked), total

    def due_entries(
        self,
        at: datetime | None = None,
        *,
        created_before: datetime | None = None,
        limit: int | None = schedule.REVIEW_LIMIT,
    ) -> list[DueItem]:
        """The first part of :meth:`due_overview`, without counting the rest."""
        with self.db.read() as conn:
            query = DueQuery.at(conn, at or self.clock(), tz=self.tz, created_before=created_before)
            picked = query.pick(conn, limit)
        return self._items(picked)

    def _items(self, due: Sequence[tuple[str, tuple[str, ...]]]) -> list[DueItem]:
        summaries = {e.id: e for e in self.journal.summaries([i for i, _r in due])}
        return [DueItem(summaries[i], r) for i, r in due if i in summaries]

    # -- a review's life ---------------------------------------------------------------------
    def start(self, period: Period | str | None = None) -> ReviewState:
        """Start the review of *period* (default: the current week), or resume it if it exists.

        Starting freezes the queue: the entries due now, minus those written in the period
        itself (they are shown as new entries instead).
        """
        if not isinstance(period, Period):
            period = self.period(period)
        now = self.clock()
        with self.db.write() as conn:
            found = self._find(conn, "period = ?", (period.label,))
            if found:
                return self._state(found[0])
            review_id = rows.insert(
                conn,
                REVIEW,
                ReviewRow(period=period.label, started_at=now, step="new", position=0),
            )
            start, _end = period.utc_bounds(self.tz)
            query = DueQuery.at(conn, now, tz=self.tz, created_before=start)
            rows.insert_many(
                conn,
                REVIEW_ACTION,
                (
                    {
                        "review_id": review_id,
                        "entry_id": entry_id,
                        "action": QUEUED,
                        "detail": ",".join(reasons),
                        "acted_at": now,
                    }
                    for entry_id, reasons in query.pick(conn)
                ),
            )
            return self._state(self._find(conn, "id = ?", (review_id,))[0])

    def get(self, period: Period | str) -> ReviewState | None:
        label = period.label if isinstance(period, Period) else self.period(period).label
        with self.db.read() as conn:
            found = self._find(conn, "period = ?", (label,))
        return self._state(found[0]) if found else None

    def reviews(self) -> list[ReviewState]:
        """Every review, newest period first."""
        with self.db.read() as conn:
            found = self._find(conn, "1 ORDER BY period DESC", ())
        return [self._state(r) for r in found]

    def queue(self, review_id: int) -> list[DueItem]:
        """The review's frozen queue of due entries, in order (entries since purged drop out)."""
        with self.db.read() as conn:
            due = [
                (i, tuple(d.split(",")) if d else ())
                for i, d in conn.execute(
                    "SELECT entry_id, detail FROM review_action WHERE review_id = ? "
                    "AND action = ? ORDER BY id",
                    (review_id, QUEUED),
                )
            ]
        return self._items(due)

    def actions(self, review_id: int) -> list[ActionTaken]:
        """What the user did in the review, in order (queue and covered rows left out)."""
        with self.db.read() as conn:
            return rows.fetch(
                conn,
                ActionTaken,
                REVIEW_ACTION,
                "SELECT {columns} FROM review_action WHERE review_id = ? "
                "AND action NOT IN (?, ?) ORDER BY id",
                (review_id, QUEUED, COVERED),
            )

    def covered(self, review_id: int) -> list[EntrySummary]:
        """The entries the water newly covered when the waterline was set in this review."""
        with self.db.read() as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT entry_id FROM review_action WHERE review_id = ? AND action = ? "
                    "ORDER BY id",
                    (review_id, COVERED),
                )
            ]
        return self.journal.summaries(ids)

    def move_to(self, review_id: int, step: str, position: int = 0) -> ReviewState:
        """Remember where the user is (next step, or going back/skipping in the queue)."""
        if step not in STEPS:
            raise InvalidValue(f"unknown review step {step!r}")
        with self.db.write() as conn:
            return self._save(
                conn, self._open(conn, review_id), step=step, position=max(0, position)
            )

    # -- actions on one entry (each its own transaction) ----------------------------------
    def keep(self, review_id: int, entry_id: str) -> Entry:
        """Leave the entry as it is; it was looked at."""
        return self._act(review_id, entry_id, "keep", lambda conn, entry, now: (entry, ""))

    def rerate(self, review_id: int, entry_id: str, level: int | str | None) -> Entry:
        new = parse_hardness(level)

        def apply(conn: sqlite3.Connection, entry: Entry, now: datetime) -> tuple[Entry, str]:
            saved = change_entry(conn, entry, {"hardness": new}, now=now, rating_source="review")
            return saved, "" if new is None else str(new)

        return self._act(review_id, entry_id, "rerate", apply)

    def change_status(
        self, review_id: int, entry_id: str, status: str, outcome: str | None = None
    ) -> Entry:
        def apply(conn: sqlite3.Connection, entry: Entry, now: datetime) -> tuple[Entry, str]:
            if entry.kind == Kind.NOTE.value:
                raise InvalidValue(_("notes have no status"))
            changes: dict[str, Any] = {"status": check_status(Kind(entry.kind), status)}
            if outcome is not None:
                changes["outcome"] = clean_text(outcome)
            saved = change_entry(conn, entry, changes, now=now)
            return saved, saved.status or ""

        return self._act(review_id, entry_id, "status", apply)

    def snooze(self, review_id: int, entry_id: str) -> Entry:
        """Hide the entry for a week; it is not marked as reviewed, so it comes back."""
        return self._act(
            review_id, entry_id, "snooze", lambda conn, entry, now: (entry, ""), snooze=True
        )

    def sharpen(self, review_id: int, entry_id: str, title: str, body: str = "") -> Entry:
        """Write a sharper follow-up (same kind and tags, linked back); returns the new entry."""
        if not clean_text(title).strip():
            raise InvalidValue(_("an entry needs some text"))
        made: list[Entry] = []

        def apply(conn: sqlite3.Connection, entry: Entry, now: datetime) -> tuple[Entry, str]:
            child = entry_sql.insert_entry(conn, self.journal.follow_up_of(entry, title, body))
            made.append(child)
            return entry, child.id

        self._act(review_id, entry_id, "sharpen", apply)
        return made[0]

    def _act(
        self,
        review_id: int,
        entry_id: str,
        action: str,
        apply: Callable[[sqlite3.Connection, Entry, datetime], tuple[Entry, str]],
        *,
        snooze: bool = False,
    ) -> Entry:
        """One review action in one transaction: change the entry, mark it looked at (or
        snoozed), record the action and move the review's position past it. Acting on an entry
        the tide brought back lifts its seal, and on one whose revisit day has come clears the
        day: each has done its work. (A snooze keeps both: the entry comes back after it.)"""
        now = self.clock()
        with self.db.write() as conn:
            review = self._open(conn, review_id)
            entry, detail = apply(conn, entry_sql.load_entry(conn, entry_id), now)
            sealed = entry.seal_level
            if not snooze and sealed is not None and entry_sql.current_waterline(conn) >= sealed:
                unseal = {"seal_level": None, "seal_waterline": None}  # the tide came
                entry = change_entry(conn, entry, unseal, now=now, touch=False)
            revisit = entry.revisit_on
            if not snooze and revisit is not None and revisit <= to_local(now, self.tz).date():
                entry = change_entry(conn, entry, {"revisit_on": None}, now=now, touch=False)
            if snooze:
                until = schedule.snooze_until(now, self.tz)
                entry = change_entry(conn, entry, {"snoozed_until": until}, now=now, touch=False)
            else:
                mark_reviewed(conn, entry.id, now, None)
                entry = dataclasses.replace(entry, last_reviewed_at=now, snoozed_until=None)
            rows.insert(
                conn,
                REVIEW_ACTION,
                {
                    "review_id": review_id,
                    "entry_id": entry.id,
                    "action": action,
                    "detail": detail,
                    "acted_at": now,
                },
            )
            queued = [
                r[0]
                for r in conn.execute(
                    "SELECT entry_id FROM review_action WHERE review_id = ? AND action = ? "
                    "ORDER BY id",
                    (review.id, QUEUED),
                )
            ]
            if entry.id in queued:
                self._save(conn, review, step="due", position=queued.index(entry.id) + 1)
            return entry

    # -- waterline, reflection, finish -----------------------------------------------------
    def set_waterline(self, review_id: int, level: int | str, note: str = "") -> WaterlineResult:
        """Move the waterline as part of the review; the newly covered entries are kept with
        the review so that resuming still shows them."""
        new = parse_waterline(level)
        now = self.clock()
        with self.db.write() as conn:
            review = self._open(conn, review_id)
            result = Journal.move_waterline(conn, new, note, now)
            rows.insert_many(
                conn,
                REVIEW_ACTION,
                (
                    {
                        "review_id": review_id,
                        "entry_id": entry.id,
                        "action": COVERED,
                        "detail": str(new),
                        "acted_at": now,
                    }
                    for entry in result.newly_submerged
                ),
            )
            self._save(conn, review, waterline=new, step="waterline", position=0)
        return result

    def waterline_advice(self) -> WaterlineAdvice:
        """The evidence for the waterline step (one read transaction)."""
        from questionbook.core.evidence import QUARTER_DAYS, calibration, waterline_hints
        from questionbook.core.freeboard import freeboard_now

        since = self.clock() - timedelta(days=QUARTER_DAYS)
        with self.db.read() as conn:
            waterline = entry_sql.current_waterline(conn)
            hints = waterline_hints(calibration(conn, since), waterline)
            return WaterlineAdvice(hints, freeboard_now(conn))

    def set_reflection(self, review_id: int, text: str) -> ReviewState:
        with self.db.write() as conn:
            review = self._open(conn, review_id)
            return self._save(conn, review, reflection=clean_text(text).strip(), step="reflection")

    def finish(self, review_id: int, reflection: str | None = None) -> ReviewState:
        """Close the review (saving the reflection if given); a finished review is kept."""
        now = self.clock()
        with self.db.write() as conn:
            review = self._open(conn, review_id, allow_finished=True)
            changes: dict[str, Any] = {"step": "finished", "position": 0}
            if reflection is not None:
                changes["reflection"] = clean_text(reflection).strip()
            if review.waterline is None:
                changes["waterline"] = entry_sql.current_waterline(conn)
            changes["finished_at"] = review.finished_at or now
            return self._save(conn, review, **changes)

    # -- internals ---------------------------------------------------------------------------
    @staticmethod
    def _find(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[ReviewRow]:
        return rows.fetch(
            conn, ReviewRow, REVIEW, f"SELECT {{columns}} FROM review WHERE {where}", params
        )

    def _open(
        self, conn: sqlite3.Connection, review_id: int, *, allow_finished: bool = False
    ) -> ReviewRow:
        found = self._find(conn, "id = ?", (review_id,))
        if not found:
            raise ReviewNotFound(_("no review with id {id}").format(id=review_id))
        if found[0].finished_at is not None and not allow_finished:
            raise InvalidValue(_("this review is already finished"))
        return found[0]

    def _save(self, conn: sqlite3.Connection, review: ReviewRow, **changes: Any) -> ReviewState:
        rows.update(conn, REVIEW, changes, "id = :id", {"id": review.id})
        return self._state(dataclasses.replace(review, **changes))

    def _state(self, rec: ReviewRow) -> ReviewState:
        assert rec.id is not None
        return ReviewState(
            id=rec.id,
            period=schedule.parse_period(rec.period, self.week_start),
            started_at=rec.started_at,
            finished_at=rec.finished_at,
            waterline=rec.waterline,
            reflection=rec.reflection,
            step=rec.step,
            position=rec.position,
        )
