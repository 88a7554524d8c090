"""Freeboard and the flood warning: now, as of any past moment from the histories, week by week
for Insights, and in the weekly summary (issue 17)."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from questionbook.core.freeboard import OPEN_STATUSES, Freeboard, freeboard_series
from questionbook.core.insights_evidence import gather_evidence_insights
from questionbook.core.journal import Journal
from questionbook.core.summary import build_summary, render_markdown, summary_json
from questionbook.core.timeutil import format_utc
from questionbook.services import Services
from tests.conftest import FakeClock


def test_freeboard_arithmetic() -> None:
    fb = Freeboard(waterline=1, levels={1: 1, 2: 3, 4: 2})
    assert (fb.rated, fb.median, fb.value) == (6, 2.0, 1.0)
    assert fb.near_water == 4 and fb.flood  # 4 of 6 within one level: 67 %
    even = Freeboard(waterline=1, levels={2: 1, 3: 1})
    assert (even.median, even.value, even.flood) == (2.5, 1.5, False)  # two entries: no flood
    assert Freeboard(1, {}).value is None and not Freeboard(1, {}).flood
    assert not Freeboard(1, {2: 3, 3: 3}).flood  # half is not "most"
    assert Freeboard(1, {2: 3, 3: 2}).flood  # 60 % is
    assert Freeboard(1, {}).ask_level == 3 and Freeboard(3, {}).ask_level is None


def test_freeboard_now_counts_open_questions_and_plans(clocked_journal: Journal) -> None:
    j = clocked_journal
    j.add("open q", hardness=2)
    j.add("exploring q", hardness=2, status="exploring")
    j.add("idea", kind="plan", hardness=4)
    j.add("active", kind="plan", status="active", hardness=2)
    j.add("answered", hardness=0, status="answered")
    j.add("a note", kind="note", hardness=0)
    j.add("unrated")
    gone = j.add("trashed", hardness=0)
    j.delete(gone.id)
    fb = j.freeboard()
    assert fb.levels == {2: 3, 4: 1} and fb.waterline == 1
    assert (fb.value, fb.flood, fb.near_water) == (1.0, True, 3)
    j.set_waterline(0)
    assert not j.freeboard().flood and j.freeboard().value == 2.0


def _brute(conn: sqlite3.Connection, end: datetime) -> tuple[int, dict[int, int]]:
    """The freeboard's inputs just before *end*, the slow way: every entry's history."""
    at = format_utc(end)
    row = conn.execute(
        "SELECT level FROM waterline_mark WHERE set_at < ? ORDER BY set_at DESC, id DESC LIMIT 1",
        (at,),
    ).fetchone()
    levels: dict[int, int] = {}
    for (entry_id,) in conn.execute(
        "SELECT id FROM entry WHERE deleted_at IS NULL AND created_at < ?", (at,)
    ).fetchall():
        level = conn.execute(
            "SELECT level FROM hardness_rating WHERE entry_id = ? AND rated_at < ?"
            " ORDER BY rated_at DESC, id DESC LIMIT 1",
            (entry_id, at),
        ).fetchone()
        status = conn.execute(
            "SELECT status FROM status_change WHERE entry_id = ? AND changed_at < ?"
            " ORDER BY changed_at DESC, id DESC LIMIT 1",
            (entry_id, at),
        ).fetchone()
        if level and level[0] is not None and status and status[0] in OPEN_STATUSES:
            levels[level[0]] = levels.get(level[0], 0) + 1
    return (1 if row is None else row[0]), levels


def test_freeboard_series_matches_the_histories_replayed(
    services: Services, clock: FakeClock
) -> None:
    rng = random.Random(17)
    journal = Journal(services.db, clock=clock, tz=UTC)
    start = datetime(2026, 6, 1, 9, tzinfo=UTC)
    ids = []
    for i in range(80):
        clock.now = start + timedelta(hours=rng.randrange(24 * 150))
        kind = rng.choice(("question", "plan", "note"))
        entry = journal.add(
            f"entry {i}",
            kind=kind,
            hardness=rng.choice((None, 0, 1, 2, 3, 4)),
            created_at=clock.now,
        )
        ids.append((entry.id, kind, clock.now))
    for _ in range(160):  # re-ratings and status changes, all after the entry was written
        entry_id, kind, created = rng.choice(ids)
        clock.now = created + timedelta(hours=rng.randrange(1, 24 * 100))
        if rng.random() < 0.5:
            journal.rate(entry_id, rng.choice((None, 0, 1, 2, 3, 4)))
        elif kind != "note":
            statuses = (
                ("open", "exploring", "answered")
                if kind == "question"
                else ("idea", "active", "done")
            )
            journal.set_status(entry_id, rng.choice(statuses))
    for k in range(6):
        journal.set_waterline(rng.randrange(5), at=start + timedelta(days=25 * k + 3))
    journal.delete(ids[0][0])
    ends = [start + timedelta(days=7 * w, hours=rng.randrange(24)) for w in range(-1, 40)]
    with services.db.read() as conn:
        series = freeboard_series(conn, ends)
        for end, fb in zip(ends, series, strict=True):
            assert (fb.waterline, fb.levels) == _brute(conn, end), end
    assert len({fb.value for fb in series}) > 5  # the corpus moves


def test_insights_series_and_the_weekly_summary(services: Services, clock: FakeClock) -> None:
    journal = Journal(services.db, clock=clock, tz=UTC)
    clock.now = datetime(2026, 11, 2, 12, tzinfo=UTC)
    near = [journal.add(f"near {i}", hardness=2) for i in range(3)]
    journal.add("high", hardness=4)
    clock.now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    journal.update(near[0].id, still_mine="how it feels to the team")
    journal.rate(near[1].id, 4)
    insights = gather_evidence_insights(services.db, today=date(2026, 11, 25), tz=UTC, weeks=4)
    assert [p.label for p in insights.weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert [fb.levels for fb in insights.freeboard] == [
        {2: 3, 4: 1},
        {2: 3, 4: 1},
        {2: 3, 4: 1},
        {2: 2, 4: 2},
    ]
    assert [fb.flood for fb in insights.freeboard] == [True, True, True, False]

    last_week = build_summary(services.db, date(2026, 11, 16), date(2026, 11, 23), tz=UTC)
    data = summary_json(last_week)
    assert (data["freeboard"], data["flood"], data["still_mine"]) == (1.0, True, [])
    text = render_markdown(last_week)
    assert "## Freeboard" in text and "**Flood warning:** 3 of 4 open entries" in text
    assert "(Highlands or higher)" in text and "## Still mine" not in text
    this_week = build_summary(services.db, date(2026, 11, 23), date(2026, 11, 30), tz=UTC)
    data = summary_json(this_week)
    assert (data["freeboard"], data["flood"]) == (2.0, False)
    assert data["still_mine"] == [
        {
            "id": near[0].id,
            "title": "near 0",
            "tags": [],
            "still_mine": "how it feels to the team",
        }
    ]
    text = render_markdown(this_week)
    assert "Flood warning" not in text
    assert "## Still mine\n\n- near 0: how it feels to the team" in text
    assert (
        "Freeboard: +2 levels. The median open entry stands at Highlands (4 rated); "
        "the water is at Shallows." in text
    )


@pytest.mark.parametrize(
    ("median", "label"), [(2.0, "Shoreline"), (2.5, "between Shoreline and Highlands")]
)
def test_median_in_words(median: float, label: str) -> None:
    from questionbook.core.summary_markdown import median_label

    assert median_label(median) == label
