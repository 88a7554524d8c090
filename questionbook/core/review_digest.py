"""What a weekly review itself did: the "In this review" part of the weekly summary.

The summary of a week counts what happened *in the week*; a review usually happens at its end or
just after, so the waterline it sets and the entries it re-rates, closes, sharpens or snoozes
would fall outside the week and be missing from the very summary the review ends with. The
review keeps every action it takes as ``review_action`` rows (and the entries the water covered
when the waterline was set); this module reads them back.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass, field

from questionbook.core import rows
from questionbook.core.entities import EntrySummary
from questionbook.core.schema import ENTRY

#: ``review_action`` rows that are not the user's own actions: the frozen queue, and the entries
#: the water covered when the review set the waterline.
QUEUED, COVERED = "queued", "covered"


@dataclass(frozen=True)
class StatusChangeInReview:
    entry: EntrySummary
    status: str
    outcome: str


@dataclass(frozen=True)
class Rerated:
    entry: EntrySummary
    level: int | None


@dataclass(frozen=True)
class Sharpened:
    entry: EntrySummary
    follow_up: EntrySummary | None


@dataclass(frozen=True)
class ReviewDigest:
    """The review of one period: the waterline it set, what that covered, and its actions."""

    waterline: int | None
    covered: list[EntrySummary] = field(default_factory=list)
    rerated: list[Rerated] = field(default_factory=list)
    closed: list[StatusChangeInReview] = field(default_factory=list)  # answered, done
    retired: list[StatusChangeInReview] = field(default_factory=list)  # retired, dropped
    moved: list[StatusChangeInReview] = field(default_factory=list)  # exploring, active...
    sharpened: list[Sharpened] = field(default_factory=list)
    snoozed: list[EntrySummary] = field(default_factory=list)
    kept: int = 0

    @property
    def is_empty(self) -> bool:
        return (
            self.waterline is None
            and not any(
                (self.covered, self.rerated, self.closed, self.retired, self.moved, self.sharpened)
            )
            and not (self.snoozed or self.kept)
        )


def _summaries(conn: sqlite3.Connection, ids: list[str]) -> dict[str, EntrySummary]:
    found: dict[str, EntrySummary] = {}
    for chunk in rows.chunks(ids):
        marks, params = rows.placeholders("id", chunk)
        sql = f"SELECT {{columns}} FROM entry WHERE entry.id IN ({marks})"
        found.update((e.id, e) for e in rows.fetch(conn, EntrySummary, ENTRY, sql, params))
    return found


def review_digest(conn: sqlite3.Connection, period_label: str) -> ReviewDigest | None:
    """The digest of the review of *period_label*, or None if there was no review."""
    found = conn.execute(
        "SELECT id, waterline FROM review WHERE period = ?", (period_label,)
    ).fetchone()
    if found is None:
        return None
    review_id, waterline = found
    actions = conn.execute(
        "SELECT entry_id, action, detail FROM review_action WHERE review_id = ? "
        "AND action != ? ORDER BY id",
        (review_id, QUEUED),
    ).fetchall()
    wanted = {a[0] for a in actions} | {a[2] for a in actions if a[1] == "sharpen" and a[2]}
    entries = _summaries(conn, sorted(wanted))
    latest: dict[tuple[str, str], str] = {}  # (entry, action) -> its last detail
    for entry_id, action, detail in actions:
        latest.pop((entry_id, action), None)  # keep the order of the last time it was done
        latest[(entry_id, action)] = detail
    digest = ReviewDigest(waterline=waterline)
    kept = 0
    for (entry_id, action), detail in latest.items():
        entry = entries.get(entry_id)
        if entry is None:  # purged since
            continue
        if action == COVERED:
            digest.covered.append(entry)
        elif action == "rerate":
            digest.rerated.append(Rerated(entry, int(detail) if detail else None))
        elif action == "status":
            item = StatusChangeInReview(entry, detail, entry.outcome)
            group = {"answered": digest.closed, "done": digest.closed}.get(
                detail, digest.retired if detail in ("retired", "dropped") else digest.moved
            )
            group.append(item)
        elif action == "sharpen":
            digest.sharpened.append(Sharpened(entry, entries.get(detail)))
        elif action == "snooze":
            digest.snoozed.append(entry)
        elif action == "keep":
            kept += 1
    return dataclasses.replace(digest, kept=kept)
