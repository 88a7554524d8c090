"""The weekly summary: what a week (or any date range) of journaling added up to.

:func:`build_summary` gathers the facts with aggregate queries (no full-journal loads, so it
stays quick at 100,000 entries); :func:`render_markdown` and :func:`summary_json` turn them into
the Markdown document the review ends with and the ``--format json`` form. Counts by status and
the hardness distribution are taken *as of the end of the range* from the status and rating
histories, so the summary of a past week stays what it was. Chinese text is counted by
characters (:func:`questionbook.core.text.count_words`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from questionbook.core import rows
from questionbook.core.entities import EntrySummary, StillMineItem, TagCount
from questionbook.core.freeboard import Freeboard, freeboard_at
from questionbook.core.review_digest import ReviewDigest, StatusChangeInReview, review_digest
from questionbook.core.schedule import Period
from questionbook.core.schema import ENTRY
from questionbook.core.still_mine import still_mine_items
from questionbook.core.store import Store
from questionbook.core.text import count_words
from questionbook.core.timeutil import format_utc, local_day_bounds, to_local
from questionbook.core.vocabulary import (
    DEFAULT_WATERLINE,
    HARDNESS,
    STATUSES,
    Kind,
)

KINDS = tuple(k.value for k in Kind)
TOP_TAGS = 10
LIST_LIMIT = 50  # entries listed per section; the counts stay exact


@dataclass(frozen=True)
class ClosedItem:
    """A question answered or a plan done in the range, with what came of it."""

    entry: EntrySummary
    status: str
    outcome: str
    changed_at: datetime


@dataclass(frozen=True)
class Summary:
    """Everything the weekly summary reports. ``end`` is exclusive."""

    label: str
    start: date
    end: date
    new_entries: dict[str, list[EntrySummary]]
    new_counts: dict[str, int]
    status_counts: dict[str, dict[str, int]]
    totals: dict[str, int]
    closed: list[ClosedItem]
    hardness: dict[int | None, int]
    waterline: int
    newly_submerged: list[EntrySummary]
    newly_submerged_count: int
    top_tags: list[TagCount]
    streak: int
    active_days: int
    words: int
    reflection: str = ""
    days: int = field(default=7)
    #: What the review of this period did (None when the range is not a reviewed week).
    review: ReviewDigest | None = None
    #: Where the open entries stood against the water at the end (and the flood warning).
    freeboard: Freeboard | None = None
    #: "Still mine" lines written in the range, newest first.
    still_mine: list[StillMineItem] = field(default_factory=list)
    #: The last day the streak counts up to (the range's last day, or today if earlier): a
    #: streak of 0 means nothing was written on that day, however many days were active.
    streak_end: date | None = None


def _when(value: datetime) -> str:
    return format_utc(value)


def _summaries(conn: sqlite3.Connection, where: str, params: Any) -> list[EntrySummary]:
    return rows.fetch(
        conn, EntrySummary, ENTRY, f"SELECT {{columns}} FROM entry WHERE {where}", params
    )


def _waterline_before(conn: sqlite3.Connection, end: datetime) -> int:
    row = conn.execute(
        "SELECT level FROM waterline_mark WHERE set_at < ? ORDER BY set_at DESC, id DESC LIMIT 1",
        (_when(end),),
    ).fetchone()
    return DEFAULT_WATERLINE if row is None else int(row[0])


def _changed_since(
    conn: sqlite3.Connection, table: str, value: str, stamp: str, current: str, when: datetime
) -> list[tuple[str, str, Any, Any]]:
    """(id, kind, value now, value at *when*) for live entries written before *when* whose
    history in *table* changed at or after *when*.

    The entry row holds the current hardness and status; only entries changed since *when*
    need their history read, and for the current week that is next to none. So the summary
    stays a few ``GROUP BY`` queries at 100,000 entries instead of a window over all history.
    """
    at = _when(when)
    ids = [
        r[0]
        for r in conn.execute(f"SELECT DISTINCT entry_id FROM {table} WHERE {stamp} >= ?", (at,))
    ]
    out: list[tuple[str, str, Any, Any]] = []
    for chunk in rows.chunks(ids):
        marks, params = rows.placeholders("id", chunk)
        params["t"] = at
        then: dict[str, Any] = dict(
            conn.execute(
                f"SELECT entry_id, {value} FROM (SELECT entry_id, {value}, ROW_NUMBER() OVER "
                f"(PARTITION BY entry_id ORDER BY {stamp} DESC, id DESC) AS rn FROM {table} "
                f"WHERE {stamp} < :t AND entry_id IN ({marks})) WHERE rn = 1",
                params,
            )
        )
        for entry_id, kind, now in conn.execute(
            f"SELECT id, kind, {current} FROM entry WHERE id IN ({marks}) "
            "AND deleted_at IS NULL AND created_at < :t",
            params,
        ):
            out.append((entry_id, kind, now, then.get(entry_id, now)))
    return out


def _submerged_ids(conn: sqlite3.Connection, when: datetime) -> set[str]:
    """Live entries at or below the waterline as it stood at *when* (by rating history)."""
    waterline = _waterline_before(conn, when)
    ids = {
        r[0]
        for r in conn.execute(
            "SELECT id FROM entry WHERE deleted_at IS NULL AND created_at < ? AND hardness <= ?",
            (_when(when), waterline),
        )
    }
    for entry_id, _kind, _now, then in _changed_since(
        conn, "hardness_rating", "level", "rated_at", "hardness", when
    ):
        ids.discard(entry_id)
        if then is not None and then <= waterline:
            ids.add(entry_id)
    return ids


def _status_counts(conn: sqlite3.Connection, end: datetime) -> dict[str, dict[str, int]]:
    """Live entries written before *end* by kind and by their status at *end*."""
    counts: dict[str, dict[str, int]] = {k: {} for k in KINDS}
    for kind, status, n in conn.execute(
        "SELECT kind, status, count(*) FROM entry WHERE deleted_at IS NULL AND created_at < ? "
        "GROUP BY kind, status",
        (_when(end),),
    ):
        counts.setdefault(kind, {})[status or ""] = int(n)
    for _id, kind, now, then in _changed_since(
        conn, "status_change", "status", "changed_at", "status", end
    ):
        by_status = counts.setdefault(kind, {})
        by_status[now or ""] = by_status.get(now or "", 0) - 1
        by_status[then or ""] = by_status.get(then or "", 0) + 1
    return {k: {st: n for st, n in v.items() if n} for k, v in counts.items()}


def _hardness_counts(conn: sqlite3.Connection, end: datetime) -> dict[int | None, int]:
    """Live entries written before *end* by their hardness at *end*."""
    counts: dict[int | None, int] = {h.level: 0 for h in HARDNESS} | {None: 0}
    for level, n in conn.execute(
        "SELECT hardness, count(*) FROM entry WHERE deleted_at IS NULL AND created_at < ? "
        "GROUP BY hardness",
        (_when(end),),
    ):
        counts[level] = int(n)
    for _id, _kind, now, then in _changed_since(
        conn, "hardness_rating", "level", "rated_at", "hardness", end
    ):
        counts[now] -= 1
        counts[then] += 1
    return counts


def _closed(conn: sqlite3.Connection, start: datetime, end: datetime) -> list[ClosedItem]:
    latest: dict[str, tuple[str, str, datetime]] = {}
    for entry_id, status, outcome, changed_at in conn.execute(
        "SELECT entry_id, status, outcome, changed_at FROM status_change "
        "WHERE changed_at >= ? AND changed_at < ? AND status IN ('answered', 'done') "
        "ORDER BY changed_at, id",
        (_when(start), _when(end)),
    ):
        latest[entry_id] = (status, outcome, rows.decode_time(changed_at))
    summaries: dict[str, EntrySummary] = {}
    for chunk in rows.chunks(list(latest)):
        marks, params = rows.placeholders("id", chunk)
        found = _summaries(conn, f"entry.id IN ({marks}) AND entry.deleted_at IS NULL", params)
        summaries.update((e.id, e) for e in found)
    return [
        ClosedItem(summaries[i], st, oc or summaries[i].outcome, at)
        for i, (st, oc, at) in latest.items()
        if i in summaries
    ]


def _streak(
    conn: sqlite3.Connection, last_day: date, end: datetime, tz: tzinfo | None, today: date | None
) -> int:
    """Days in a row, ending on *last_day*, with at least one entry (stream, stop at a gap).

    When the range ends today and nothing is written yet today, the run ending yesterday still
    counts: the day is not over.
    """
    expected = last_day
    grace = today == last_day
    streak = 0
    for (created,) in conn.execute(
        "SELECT created_at FROM entry WHERE deleted_at IS NULL AND created_at < ? "
        "ORDER BY created_at DESC",
        (_when(end),),
    ):
        day = to_local(rows.decode_time(created), tz).date()
        if day > expected:
            continue
        if day == expected:
            streak += 1
            expected -= timedelta(days=1)
            continue
        if grace and streak == 0 and day == expected - timedelta(days=1):
            grace = False
            streak, expected = 1, day - timedelta(days=1)
            continue
        break
    return streak


def build_summary(
    db: Store,
    start: date,
    end: date,
    *,
    tz: tzinfo | None = None,
    label: str | None = None,
    today: date | None = None,
) -> Summary:
    """Summarise local dates *start* (inclusive) to *end* (exclusive). If *label* names a
    review period, that review's reflection is included."""
    start_utc, end_utc = local_day_bounds(start, tz)[0], local_day_bounds(end, tz)[0]
    label = label or f"{start.isoformat()} – {(end - timedelta(days=1)).isoformat()}"
    in_range = (_when(start_utc), _when(end_utc))
    with db.read() as conn:
        new_rows = _summaries(
            conn,
            "entry.deleted_at IS NULL AND entry.created_at >= ? AND entry.created_at < ? "
            "ORDER BY entry.created_at, entry.num",
            in_range,
        )
        words = sum(
            count_words(f"{title}\n{body}")
            for title, body in conn.execute(
                "SELECT title, body FROM entry WHERE deleted_at IS NULL "
                "AND created_at >= ? AND created_at < ?",
                in_range,
            )
        )
        status_counts = _status_counts(conn, end_utc)
        hardness = _hardness_counts(conn, end_utc)
        waterline = _waterline_before(conn, end_utc)
        newly = sorted(_submerged_ids(conn, end_utc) - _submerged_ids(conn, start_utc))
        marks, params = rows.placeholders("id", newly[:LIST_LIMIT])
        newly_rows = (
            _summaries(
                conn,
                f"entry.id IN ({marks}) ORDER BY entry.hardness DESC, entry.created_at",
                params,
            )
            if newly
            else []
        )
        tags = [
            TagCount(name, int(n))
            for name, n in conn.execute(
                "SELECT tag.name, count(*) FROM tag JOIN entry_tag ON entry_tag.tag_id = tag.id "
                "JOIN entry ON entry.id = entry_tag.entry_id WHERE entry.deleted_at IS NULL "
                "AND entry.created_at >= ? AND entry.created_at < ? GROUP BY tag.id "
                f"ORDER BY count(*) DESC, tag.name LIMIT {TOP_TAGS}",
                in_range,
            )
        ]
        closed = _closed(conn, start_utc, end_utc)
        last_day = min(end - timedelta(days=1), today) if today else end - timedelta(days=1)
        streak = _streak(conn, last_day, local_day_bounds(last_day, tz)[1], tz, today)
        found = conn.execute("SELECT reflection FROM review WHERE period = ?", (label,)).fetchone()
        reflection = (found[0] if found else "") or ""
        digest = review_digest(conn, label)
        freeboard = freeboard_at(conn, end_utc)
        still_mine = still_mine_items(conn, start_utc, end_utc)[:LIST_LIMIT]
    if digest is not None and digest.waterline is not None:
        waterline = digest.waterline  # the review sets the week's waterline, often after it ends
    by_kind: dict[str, list[EntrySummary]] = {k: [] for k in KINDS}
    for row in new_rows:
        by_kind.setdefault(row.kind, []).append(row)
    active_days = len({to_local(r.created_at, tz).date() for r in new_rows})
    return Summary(
        label=label,
        start=start,
        end=end,
        new_entries={k: v[:LIST_LIMIT] for k, v in by_kind.items()},
        new_counts={k: len(v) for k, v in by_kind.items()},
        status_counts=status_counts,
        totals={k: sum(v.values()) for k, v in status_counts.items()},
        closed=closed,
        hardness=hardness,
        waterline=waterline,
        newly_submerged=newly_rows,
        newly_submerged_count=len(newly),
        top_tags=tags,
        streak=streak,
        streak_end=last_day,
        active_days=active_days,
        words=words,
        reflection=reflection,
        days=(end - start).days,
        review=digest,
        freeboard=freeboard,
        still_mine=still_mine,
    )


def summary_for_period(
    db: Store, period: Period, *, tz: tzinfo | None = None, today: date | None = None
) -> Summary:
    """The summary of one review week, with that review's reflection."""
    return build_summary(db, period.start, period.end, tz=tz, label=period.label, today=today)


def _entry_json(e: EntrySummary) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind,
        "title": e.title,
        "status": e.status,
        "hardness": e.hardness,
        "tags": list(e.tags),
        "created_at": e.created_at.isoformat(),
    }


def summary_json(summary: Summary) -> dict[str, Any]:
    """The ``--format json`` form: plain values, entries by id and title."""
    entry = _entry_json

    ordered_statuses = {
        k: {s: summary.status_counts.get(k, {}).get(s, 0) for s in STATUSES[Kind(k)]}
        for k in KINDS
        if STATUSES[Kind(k)]
    }
    return {
        "period": summary.label,
        "start": summary.start.isoformat(),
        "end": (summary.end - timedelta(days=1)).isoformat(),
        "new": summary.new_counts,
        "totals": summary.totals,
        "statuses": ordered_statuses,
        "new_entries": {k: [entry(e) for e in v] for k, v in summary.new_entries.items()},
        "closed": [
            {
                **entry(c.entry),
                "status": c.status,
                "outcome": c.outcome,
                "changed_at": c.changed_at.isoformat(),
            }
            for c in summary.closed
        ],
        "hardness": {("unrated" if k is None else str(k)): v for k, v in summary.hardness.items()},
        "waterline": summary.waterline,
        "newly_submerged": [entry(e) for e in summary.newly_submerged],
        "newly_submerged_count": summary.newly_submerged_count,
        "top_tags": [{"tag": t.name, "count": t.count} for t in summary.top_tags],
        "streak": summary.streak,
        "streak_end": summary.streak_end.isoformat() if summary.streak_end else None,
        "active_days": summary.active_days,
        "words": summary.words,
        "reflection": summary.reflection,
        "in_this_review": _digest_json(summary.review),
        **_evidence_json(summary),
    }


def _digest_json(digest: ReviewDigest | None) -> dict[str, Any] | None:
    if digest is None:
        return None
    entry = _entry_json

    def changed(items: list[StatusChangeInReview]) -> list[dict[str, Any]]:
        return [{**entry(c.entry), "status": c.status, "outcome": c.outcome} for c in items]

    return {
        "waterline": digest.waterline,
        "covered": [entry(e) for e in digest.covered],
        "rerated": [{**entry(r.entry), "hardness": r.level} for r in digest.rerated],
        "closed": changed(digest.closed),
        "retired": changed(digest.retired),
        "moved": changed(digest.moved),
        "sharpened": [
            {**entry(s.entry), "follow_up": entry(s.follow_up) if s.follow_up else None}
            for s in digest.sharpened
        ],
        "snoozed": [entry(e) for e in digest.snoozed],
        "kept": digest.kept,
    }


def _evidence_json(summary: Summary) -> dict[str, Any]:
    """The freeboard (median hardness of the open entries minus the waterline; null without
    rated open entries), the flood warning, and the week's "still mine" lines."""
    fb = summary.freeboard
    return {
        "freeboard": None if fb is None else fb.value,
        "flood": bool(fb and fb.flood),
        "still_mine": [
            {"id": i.id, "title": i.title, "tags": list(i.tags), "still_mine": i.still_mine}
            for i in summary.still_mine
        ],
    }


def render_markdown(summary: Summary) -> str:
    """The weekly summary as a Markdown document (see :mod:`questionbook.core.summary_markdown`)."""
    from questionbook.core.summary_markdown import render_markdown as render

    return render(summary)
