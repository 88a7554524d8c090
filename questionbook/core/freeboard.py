"""Freeboard: how far above the water the user's open entries stand, and the flood warning.

*Freeboard* is the median hardness of the open entries — questions that are open or being
explored, plans that are ideas or active — minus the waterline (unrated entries do not count).
A *flood warning* is raised when at least 60% of them sit at most one level above the water
(those already under it included): the water is about to cover most of what the user is
working on, and the review asks for one new entry at least two levels above it.

Both are computed *as of* any moment from the status and rating histories, as the weekly
summary computes its counts, so a past week's freeboard stays what it was; :func:`freeboard_series`
gives one value per week for Insights in one scan of the entries plus the few entries whose
history changed in those weeks.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from questionbook.core import rows
from questionbook.core.entry_sql import load_histories
from questionbook.core.timeutil import format_utc
from questionbook.core.vocabulary import DEFAULT_WATERLINE, MAX_LEVEL

#: The statuses of entries still being worked on (notes have none and do not count).
OPEN_STATUSES = ("open", "exploring", "idea", "active")
#: A flood: at least this share of the open rated entries within one level of the water ...
FLOOD_SHARE = 0.6
#: ... and at least this many of them (one or two entries make no flood).
FLOOD_MIN_ENTRIES = 3


@dataclass(frozen=True)
class Freeboard:
    """Where the open entries stand against the water at one moment."""

    waterline: int
    #: Open entries with a hardness, by level.
    levels: dict[int, int]

    @property
    def rated(self) -> int:
        return sum(self.levels.values())

    @property
    def median(self) -> float | None:
        """The median hardness of the open rated entries (a half for an even count)."""
        n = self.rated
        if not n:
            return None
        ordered = sorted(self.levels.items())

        def nth(k: int) -> int:
            seen = 0
            for level, count in ordered:
                seen += count
                if k < seen:
                    return level
            raise AssertionError("unreachable")

        return (nth((n - 1) // 2) + nth(n // 2)) / 2

    @property
    def value(self) -> float | None:
        """Median hardness minus the waterline, in levels (None without rated open entries)."""
        median = self.median
        return None if median is None else median - self.waterline

    @property
    def near_water(self) -> int:
        """Open rated entries at most one level above the water (or already under it)."""
        return sum(n for level, n in self.levels.items() if level <= self.waterline + 1)

    @property
    def flood(self) -> bool:
        n = self.rated
        return n >= FLOOD_MIN_ENTRIES and self.near_water >= FLOOD_SHARE * n

    @property
    def ask_level(self) -> int | None:
        """The level the flood warning asks a new entry to reach (two above the water), or
        None when the scale ends first."""
        level = self.waterline + 2
        return level if level <= MAX_LEVEL else None


def _waterlines(conn: sqlite3.Connection) -> tuple[list[str], list[int]]:
    marks = conn.execute("SELECT set_at, level FROM waterline_mark ORDER BY set_at, id").fetchall()
    return [m[0] for m in marks], [int(m[1]) for m in marks]


def _waterline_before(times: list[str], levels: list[int], when: datetime) -> int:
    """The waterline as it stood just before *when* (the summary's rule)."""
    i = bisect_left(times, format_utc(when))
    return levels[i - 1] if i else DEFAULT_WATERLINE


def _state_at(events: Sequence[Any], attr: str, stamp: str, when: datetime) -> Any:
    """The value of the last history event before *when* (None if there is none)."""
    value = None
    for event in events:
        if getattr(event, stamp) < when:
            value = getattr(event, attr)
    return value


def freeboard_series(conn: sqlite3.Connection, ends: Sequence[datetime]) -> list[Freeboard]:
    """The freeboard just before each moment of *ends* (ascending), from the histories.

    Entries are counted by their current status and hardness in one pass (bucketed by creation
    time), then the entries whose status or rating changed since the first moment are counted
    again as they stood at each moment.
    """
    if not ends:
        return []
    bounds = [format_utc(e) for e in ends]
    cases = " ".join(f"WHEN created_at < ? THEN {i}" for i in range(len(bounds)))
    marks = ", ".join("?" for _s in OPEN_STATUSES)
    per_bucket: list[Counter[int]] = [Counter() for _e in ends]
    for bucket, level, n in conn.execute(
        f"SELECT CASE {cases} ELSE -1 END AS b, hardness, count(*) FROM entry"
        f" WHERE deleted_at IS NULL AND hardness IS NOT NULL AND status IN ({marks})"
        " AND created_at < ? GROUP BY b, hardness",
        [*bounds, *OPEN_STATUSES, bounds[-1]],
    ):
        if bucket >= 0:
            per_bucket[bucket][int(level)] += int(n)
    counts: list[Counter[int]] = []
    running: Counter[int] = Counter()
    for bucket_counts in per_bucket:  # created before end i = buckets 0..i
        running = running + bucket_counts
        counts.append(Counter(running))

    first = bounds[0]
    changed = [
        r[0]
        for r in conn.execute(
            "SELECT entry_id FROM hardness_rating WHERE rated_at >= ?"
            " UNION SELECT entry_id FROM status_change WHERE changed_at >= ?",
            (first, first),
        )
    ]
    for chunk in rows.chunks(changed):
        place, params = rows.placeholders("id", chunk)
        found = conn.execute(
            f"SELECT id, created_at, status, hardness FROM entry WHERE id IN ({place})"
            " AND deleted_at IS NULL",
            params,
        ).fetchall()
        histories = load_histories(conn, [r[0] for r in found])
        for entry_id, created, status, hardness in found:
            ratings, statuses = histories[entry_id]
            now_open = status in OPEN_STATUSES and hardness is not None
            for i, end in enumerate(ends):
                if created >= bounds[i]:
                    continue
                if now_open:
                    counts[i][int(hardness)] -= 1
                level = _state_at(ratings, "level", "rated_at", end)
                then = _state_at(statuses, "status", "changed_at", end)
                if then in OPEN_STATUSES and level is not None:
                    counts[i][int(level)] += 1
    times, levels = _waterlines(conn)
    return [
        Freeboard(
            waterline=_waterline_before(times, levels, end),
            levels={lv: n for lv, n in sorted(c.items()) if n > 0},
        )
        for end, c in zip(ends, counts, strict=True)
    ]


def freeboard_at(conn: sqlite3.Connection, when: datetime) -> Freeboard:
    """The freeboard just before *when*."""
    return freeboard_series(conn, [when])[0]


def freeboard_now(conn: sqlite3.Connection) -> Freeboard:
    """The freeboard now, from the entries as they are (one indexed ``GROUP BY``)."""
    marks = ", ".join("?" for _s in OPEN_STATUSES)
    levels = {
        int(level): int(n)
        for level, n in conn.execute(
            "SELECT hardness, count(*) FROM entry WHERE deleted_at IS NULL"
            f" AND hardness IS NOT NULL AND status IN ({marks}) GROUP BY hardness",
            OPEN_STATUSES,
        )
    }
    _times, marks_levels = _waterlines(conn)
    return Freeboard(marks_levels[-1] if marks_levels else DEFAULT_WATERLINE, levels)
