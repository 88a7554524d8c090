"""Is a weekly review due? The one question the app asks about reviews before its first paint.

Kept apart from :mod:`questionbook.core.review` and :mod:`questionbook.core.due_query`: the
review reminder checks this when the window opens, and importing the whole review service for
it cost a noticeable part of the start-up (issue 21). Both of those use it too, so the rule
lives here once.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from questionbook.core import schedule
from questionbook.core.schedule import Period
from questionbook.core.timeutil import format_utc

if TYPE_CHECKING:
    from questionbook.core.store import Store
    from questionbook.settings import Settings


def pending_period(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    weekday: int,
    review_time: str,
    week_start: int,
    tz: tzinfo | None = None,
) -> Period | None:
    """The week whose review is due at *now* and not finished yet, or ``None`` (also when
    nothing had been written by the review time, or by the end of that week: a journal begun
    on a Monday is not asked on that Monday evening about the week before, in which it did
    not exist yet)."""
    moment = schedule.last_review_time(now, weekday, review_time, tz)
    period = schedule.period_reviewed_at(moment, week_start, tz)
    done = conn.execute(
        "SELECT 1 FROM review WHERE period = ? AND finished_at IS NOT NULL", (period.label,)
    ).fetchone()
    _start, end = period.utc_bounds(tz)
    written = conn.execute(
        "SELECT 1 FROM entry WHERE deleted_at IS NULL AND created_at <= ? AND created_at < ? "
        "LIMIT 1",
        (format_utc(moment), format_utc(end)),
    ).fetchone()
    return None if done or written is None else period


class PendingReview:
    """The due week of the journal in *db*, read in the user's zone *tz*: what the reminder
    needs of :class:`~questionbook.core.review.ReviewService`, which has the same method."""

    def __init__(self, db: Store, tz: tzinfo | None = None) -> None:
        self.db = db
        self.tz = tz

    def due_period(self, now: datetime, settings: Settings) -> Period | None:
        """The week whose review is due at *now* and not finished yet, or ``None``."""
        with self.db.read() as conn:
            return pending_period(
                conn,
                now,
                weekday=settings.review_weekday,
                review_time=settings.review_time,
                week_start=settings.week_start,
                tz=self.tz,
            )
