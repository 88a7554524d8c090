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

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from questionbook.core import due_query, schedule
from questionbook.core.due_query import DueQuery
from questionbook.core.entities import Entry, EntrySummary, WaterlineResult, entry_from_record
from questionbook.core.entry_writes import (
    apply_hardness,
    apply_status,
    current_waterline,
    mark_reviewed,
    set_tags,
)
from questionbook.core.errors import InvalidValue, QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.models import (
    EntryRecord,
    ReviewAction,
    ReviewRecord,
    StatusChange,
    WaterlineMark,
)
from questionbook.core.schedule import Period
from questionbook.core.search import SUMMARY_COLUMNS, summary_from_row
from questionbook.core.text import clean_text, first_line_split
from questionbook.core.timeutil import utcnow
from questionbook.core.vocabulary import (
    Kind,
    check_status,
    parse_hardness,
)
from questionbook.i18n import _
from questionbook.settings import Settings
from questionbook.storage.database import Database, driver_connection

E = EntryRecord.__table__.c  # type: ignore[attr-defined]
ACTION = ReviewAction.__table__.c  # type: ignore[attr-defined]
REVIEW = ReviewRecord.__table__.c  # type: ignore[attr-defined]
STEPS = ("new", "due", "waterline", "reflection", "finished")
ENTRY_ACTIONS = ("keep", "rerate", "status", "sharpen", "snooze")
QUEUED, COVERED = "queued", "covered"
_CHUNK = 500


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
class ActionTaken:
    entry_id: str
    action: str
    detail: str
    acted_at: datetime


def _chunks(ids: Sequence[str]) -> list[Sequence[str]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


class ReviewService:
    """Weekly reviews over one journal database."""

    def __init__(
        self,
        db: Database,
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
        with self.db.read() as s:
            return due_query.pending_period(
                driver_connection(s),
                now,
                weekday=settings.review_weekday,
                review_time=settings.review_time,
                week_start=settings.week_start,
                tz=self.tz,
            )

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
        with self.db.read() as s:
            rows = s.execute(
                select(*SUMMARY_COLUMNS)
                .where(E.deleted_at.is_(None), E.created_at >= start, E.created_at < end)
                .order_by(E.created_at, E.num)
            )
            return [summary_from_row(r) for r in rows]

    def due_entries(
        self,
        at: datetime | None = None,
        *,
        created_before: datetime | None = None,
        limit: int | None = schedule.REVIEW_LIMIT,
    ) -> list[DueItem]:
        """What a review at *at* (default now) brings up, most pressing first, at most
        *limit* entries (``None``: every due entry)."""
        with self.db.read() as s:
            conn = driver_connection(s)
            query = DueQuery.at(conn, at or self.clock(), tz=self.tz, created_before=created_before)
            picked = query.pick(conn, limit)
        return self._items(picked)

    def due_overview(
        self,
        at: datetime | None = None,
        *,
        created_before: datetime | None = None,
        limit: int | None = schedule.REVIEW_LIMIT,
    ) -> tuple[list[DueItem], int]:
        """The entries a review would bring up, and how many are due in all.

        Both come from SQL (:class:`DueQuery`): a large journal has tens of thousands of due
        entries, and only the first *limit* are ever shown.
        """
        with self.db.read() as s:
            conn = driver_connection(s)
            query = DueQuery.at(conn, at or self.clock(), tz=self.tz, created_before=created_before)
            picked, total = query.pick(conn, limit), query.count(conn)
        return self._items(picked), total

    def _items(self, due: Sequence[tuple[str, tuple[str, ...]]]) -> list[DueItem]:
        ids = [i for i, _r in due]
        summaries: dict[str, EntrySummary] = {}
        for chunk in _chunks(ids):
            summaries.update((e.id, e) for e in self.journal.summaries(chunk))
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
        with self.db.write() as s:
            rec = s.scalars(select(ReviewRecord).where(REVIEW.period == period.label)).first()
            if rec is None:
                rec = ReviewRecord(period=period.label, started_at=now, step="new", position=0)
                s.add(rec)
                s.flush()
                start, _end = period.utc_bounds(self.tz)
                conn = driver_connection(s)
                query = DueQuery.at(conn, now, tz=self.tz, created_before=start)
                for entry_id, reasons in query.pick(conn):
                    s.add(
                        ReviewAction(
                            review_id=int(rec.id or 0),
                            entry_id=entry_id,
                            action=QUEUED,
                            detail=",".join(reasons),
                            acted_at=now,
                        )
                    )
                s.flush()
            return self._state(rec)

    def get(self, period: Period | str) -> ReviewState | None:
        label = period.label if isinstance(period, Period) else self.period(period).label
        with self.db.read() as s:
            rec = s.scalars(select(ReviewRecord).where(REVIEW.period == label)).first()
            return self._state(rec) if rec else None

    def reviews(self) -> list[ReviewState]:
        """Every review, newest period first."""
        with self.db.read() as s:
            recs = s.scalars(select(ReviewRecord).order_by(REVIEW.period.desc()))
            return [self._state(r) for r in recs]

    def queue(self, review_id: int) -> list[DueItem]:
        """The review's frozen queue of due entries, in order (entries since purged drop out)."""
        with self.db.read() as s:
            rows = s.execute(
                select(ACTION.entry_id, ACTION.detail)
                .where(ACTION.review_id == review_id, ACTION.action == QUEUED)
                .order_by(ACTION.id)
            )
            due = [(i, tuple(d.split(",")) if d else ()) for i, d in rows]
        return self._items(due)

    def actions(self, review_id: int) -> list[ActionTaken]:
        """What the user did in the review, in order (queue and covered rows left out)."""
        with self.db.read() as s:
            rows = s.scalars(
                select(ReviewAction)
                .where(
                    ACTION.review_id == review_id,
                    ACTION.action.not_in((QUEUED, COVERED)),
                )
                .order_by(ACTION.id)
            )
            return [ActionTaken(r.entry_id, r.action, r.detail, r.acted_at) for r in rows]

    def covered(self, review_id: int) -> list[EntrySummary]:
        """The entries the water newly covered when the waterline was set in this review."""
        with self.db.read() as s:
            ids = list(
                s.scalars(
                    select(ACTION.entry_id)
                    .where(ACTION.review_id == review_id, ACTION.action == COVERED)
                    .order_by(ACTION.id)
                )
            )
        return self.journal.summaries(ids)

    def move_to(self, review_id: int, step: str, position: int = 0) -> ReviewState:
        """Remember where the user is (next step, or going back/skipping in the queue)."""
        if step not in STEPS:
            raise InvalidValue(f"unknown review step {step!r}")
        with self.db.write() as s:
            rec = self._open_record(s, review_id)
            rec.step, rec.position = step, max(0, position)
            return self._state(rec)

    # -- actions on one entry (each its own transaction) ----------------------------------
    def keep(self, review_id: int, entry_id: str) -> Entry:
        """Leave the entry as it is; it was looked at."""
        return self._act(review_id, entry_id, "keep", lambda s, rec, now: "")

    def rerate(self, review_id: int, entry_id: str, level: int | str | None) -> Entry:
        new = parse_hardness(level)

        def apply(s: Session, rec: EntryRecord, now: datetime) -> str:
            apply_hardness(s, rec, new, "review", now)
            rec.updated_at = now
            return "" if new is None else str(new)

        return self._act(review_id, entry_id, "rerate", apply)

    def change_status(
        self, review_id: int, entry_id: str, status: str, outcome: str | None = None
    ) -> Entry:
        def apply(s: Session, rec: EntryRecord, now: datetime) -> str:
            if rec.kind == Kind.NOTE.value:
                raise InvalidValue(_("notes have no status"))
            apply_status(s, rec, check_status(Kind(rec.kind), status), outcome, now)
            rec.updated_at = now
            return rec.status or ""

        return self._act(review_id, entry_id, "status", apply)

    def snooze(self, review_id: int, entry_id: str) -> Entry:
        """Hide the entry for a week; it is not marked as reviewed, so it comes back."""
        return self._act(review_id, entry_id, "snooze", lambda s, rec, now: "", snooze=True)

    def sharpen(self, review_id: int, entry_id: str, title: str, body: str = "") -> Entry:
        """Write a sharper follow-up (same kind and tags, linked back); returns the new entry."""
        title, body = clean_text(title).strip(), clean_text(body)
        if "\n" in title:
            title, rest = first_line_split(title)
            body = f"{rest}\n\n{body}".strip("\n")
        if not title:
            raise InvalidValue(_("an entry needs some text"))
        made: list[EntryRecord] = []

        def apply(s: Session, rec: EntryRecord, now: datetime) -> str:
            kind = Kind(rec.kind)
            status = check_status(kind, None)
            child = EntryRecord(
                id=str(uuid.uuid4()),
                kind=rec.kind,
                title=title,
                body=body,
                status=status,
                parent_id=rec.id,
                created_at=now,
                updated_at=now,
            )
            s.add(child)
            s.flush()
            set_tags(s, child, manual=[t for t in rec.tags_text.split("\x1f") if t])
            if status is not None:
                s.add(StatusChange(entry_id=child.id, status=status, changed_at=now))
            made.append(child)
            return child.id

        self._act(review_id, entry_id, "sharpen", apply)
        return self.journal.get(made[0].id)

    def _act(
        self,
        review_id: int,
        entry_id: str,
        action: str,
        apply: Callable[[Session, EntryRecord, datetime], str],
        *,
        snooze: bool = False,
    ) -> Entry:
        now = self.clock()
        with self.db.write() as s:
            review = self._open_record(s, review_id)
            rec = self.journal.record(s, entry_id)
            detail = apply(s, rec, now)
            if snooze:
                rec.snoozed_until = schedule.snooze_until(now, self.tz)
            else:
                mark_reviewed(s, rec.id, now, None)
            s.add(
                ReviewAction(
                    review_id=review_id, entry_id=rec.id, action=action, detail=detail, acted_at=now
                )
            )
            queued = list(
                s.scalars(
                    select(ACTION.entry_id)
                    .where(ACTION.review_id == review.id, ACTION.action == QUEUED)
                    .order_by(ACTION.id)
                )
            )
            if rec.id in queued:
                review.step, review.position = "due", queued.index(rec.id) + 1
            s.flush()
            s.refresh(rec)
            return entry_from_record(rec)

    # -- waterline, reflection, finish -----------------------------------------------------
    def set_waterline(self, review_id: int, level: int | str, note: str = "") -> WaterlineResult:
        """Move the waterline as part of the review; the newly covered entries are kept with
        the review so that resuming still shows them."""
        new = parse_hardness(level)
        if new is None:
            raise InvalidValue(_("the waterline must be a level from 0 to 4"))
        now = self.clock()
        with self.db.write() as s:
            review = self._open_record(s, review_id)
            old = current_waterline(s)
            s.add(WaterlineMark(level=new, note=clean_text(note), set_at=now))
            covered: list[EntrySummary] = []
            if new > old:
                rows = s.execute(
                    select(*SUMMARY_COLUMNS)
                    .where(E.deleted_at.is_(None), E.hardness > old, E.hardness <= new)
                    .order_by(E.hardness.desc(), E.created_at.desc())
                )
                covered = [summary_from_row(r) for r in rows]
                for entry in covered:
                    s.add(
                        ReviewAction(
                            review_id=review_id,
                            entry_id=entry.id,
                            action=COVERED,
                            detail=str(new),
                            acted_at=now,
                        )
                    )
            review.waterline, review.step, review.position = new, "waterline", 0
        return WaterlineResult(previous=old, level=new, newly_submerged=covered)

    def set_reflection(self, review_id: int, text: str) -> ReviewState:
        with self.db.write() as s:
            review = self._open_record(s, review_id)
            review.reflection, review.step = clean_text(text).strip(), "reflection"
            return self._state(review)

    def finish(self, review_id: int, reflection: str | None = None) -> ReviewState:
        """Close the review (saving the reflection if given); a finished review is kept."""
        now = self.clock()
        with self.db.write() as s:
            review = self._open_record(s, review_id, allow_finished=True)
            if reflection is not None:
                review.reflection = clean_text(reflection).strip()
            if review.waterline is None:
                review.waterline = current_waterline(s)
            review.finished_at = review.finished_at or now
            review.step, review.position = "finished", 0
            return self._state(review)

    # -- internals ---------------------------------------------------------------------------
    def _open_record(
        self, s: Session, review_id: int, *, allow_finished: bool = False
    ) -> ReviewRecord:
        rec = s.get(ReviewRecord, review_id)
        if rec is None:
            raise ReviewNotFound(_("no review with id {id}").format(id=review_id))
        if rec.finished_at is not None and not allow_finished:
            raise InvalidValue(_("this review is already finished"))
        return rec

    def _state(self, rec: ReviewRecord) -> ReviewState:
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
