"""What AI trials say: an entry's evidence, verdicts by hardness level, and the waterline.

Pure functions over counts (plus one aggregate query), so the editor, the CLI, Insights and the
review all weigh trials the same way. Evidence *suggests*; the user rates. Nothing here writes.

The rules, kept deliberately simple and explained to the user in the same words:

- an entry whose trials mostly failed (more than half of the judged ones) is *at least
  Shoreline*: an AI did not get there alone;
- one whose trials mostly succeeded is *at most Shallows*;
- anything in between (partly, or mixed) is *Shallows or Shoreline*.

A suggestion is made only when the entry's rating lies outside that range (or it is unrated).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from questionbook.core.timeutil import format_utc
from questionbook.core.vocabulary import HARDNESS, VERDICTS
from questionbook.i18n import _, ngettext

#: The "quarter" the review's waterline step looks back on.
QUARTER_DAYS = 91
#: Fewer judged trials than this at a level say nothing about the waterline.
MIN_TRIALS = 3
#: The share of trials solved (or failed) at a level that moves the suggestion.
CONVINCING = 0.6
#: A failure means "at least Shoreline"; a success "at most Shallows".
FAILED_MIN, SOLVED_MAX = 2, 1


@dataclass(frozen=True)
class Evidence:
    """An entry's trials by verdict, and what they suggest for its hardness."""

    solved: int = 0
    partly: int = 0
    failed: int = 0
    pending: int = 0
    hardness: int | None = None
    #: The range the trials point to (None: open on that side; both None: no evidence).
    suggested_min: int | None = None
    suggested_max: int | None = None

    @property
    def judged(self) -> int:
        return self.solved + self.partly + self.failed

    @property
    def total(self) -> int:
        return self.judged + self.pending

    @property
    def fits(self) -> bool:
        """True when the entry's rating lies within what the trials suggest."""
        h = self.hardness
        if h is None:
            return False
        low_ok = self.suggested_min is None or h >= self.suggested_min
        high_ok = self.suggested_max is None or h <= self.suggested_max
        return low_ok and high_ok

    @property
    def suggestion(self) -> int | None:
        """The level accepting the suggestion sets, or None when there is nothing to suggest.

        The nearest level within the range; an unrated entry gets the range's top (a failure
        says "at least Shoreline", which is where it starts).
        """
        if self.suggested_min is None and self.suggested_max is None:
            return None
        if self.fits:
            return None
        h = self.hardness
        if h is None:
            return self.suggested_max if self.suggested_max is not None else self.suggested_min
        if self.suggested_min is not None and h < self.suggested_min:
            return self.suggested_min
        return self.suggested_max


def weigh(counts: dict[str, int], hardness: int | None) -> Evidence:
    """Weigh verdict *counts* (``{"failed": 2, ...}``) for an entry rated *hardness*."""
    got = {v: int(counts.get(v, 0)) for v in VERDICTS}
    judged = got["solved"] + got["partly"] + got["failed"]
    low = high = None
    if judged:
        if got["failed"] * 2 > judged:
            low = FAILED_MIN
        elif got["solved"] * 2 > judged:
            high = SOLVED_MAX
        else:
            low, high = SOLVED_MAX, FAILED_MIN
    return Evidence(
        solved=got["solved"],
        partly=got["partly"],
        failed=got["failed"],
        pending=got["pending"],
        hardness=hardness,
        suggested_min=low,
        suggested_max=high,
    )


def evidence_text(ev: Evidence) -> str:
    """The editor's line: "AI failed 2 of 2 — at least Shoreline?" ("" without trials)."""
    if not ev.total:
        return ""
    if not ev.judged:
        return ngettext(
            "{n} AI trial waits for your verdict", "{n} AI trials wait for your verdict", ev.pending
        ).format(n=ev.pending)
    n = ev.judged
    if ev.failed == n:
        said = _("AI failed {k} of {n}").format(k=ev.failed, n=n)
    elif ev.solved == n:
        said = _("AI solved {k} of {n}").format(k=ev.solved, n=n)
    elif ev.partly == n:
        said = _("AI partly managed {k} of {n}").format(k=ev.partly, n=n)
    else:
        said = _("AI solved {s}, partly {p}, failed {f} of {n}").format(
            s=ev.solved, p=ev.partly, f=ev.failed, n=n
        )
    if ev.pending:
        said += " " + _("({n} pending)").format(n=ev.pending)
    if ev.suggestion is None:
        return said
    low, high = ev.suggested_min, ev.suggested_max
    if high is None and low is not None:
        hint = _("at least {level}?").format(level=HARDNESS[low].label)
    elif low is None and high is not None:
        hint = _("at most {level}?").format(level=HARDNESS[high].label)
    else:
        assert low is not None and high is not None
        hint = _("{low} or {high}?").format(low=HARDNESS[low].label, high=HARDNESS[high].label)
    return f"{said} — {hint}"


# -- calibration: verdicts by hardness level ---------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """Trials of live entries by the entry's hardness when it was tried (None: unrated), then
    by verdict; what Insights charts and the waterline step reads."""

    by_level: dict[int | None, dict[str, int]] = field(default_factory=dict)
    since: datetime | None = None

    def count(self, level: int | None, verdict: str) -> int:
        return self.by_level.get(level, {}).get(verdict, 0)

    def judged(self, level: int | None) -> int:
        return sum(self.count(level, v) for v in ("solved", "partly", "failed"))

    @property
    def is_empty(self) -> bool:
        return not any(sum(v.values()) for v in self.by_level.values())


#: The rating an entry had when it was tried: its last rating at or before the trial, else its
#: rating now. Later re-ratings (perhaps because of this very trial) must not bend the
#: calibration towards what it already says.
_LEVEL_WHEN_TRIED = (
    "coalesce((SELECT r.level FROM hardness_rating r WHERE r.entry_id = t.entry_id"
    " AND r.rated_at <= t.asked_at ORDER BY r.rated_at DESC, r.id DESC LIMIT 1), e.hardness)"
)


def calibration(conn: sqlite3.Connection, since: datetime | None = None) -> Calibration:
    """Verdicts by hardness level, over trials asked at or after *since* (all by default)."""
    sql = (
        f"SELECT {_LEVEL_WHEN_TRIED} AS level, t.verdict, count(*) FROM trial t"
        " JOIN entry e ON e.id = t.entry_id WHERE e.deleted_at IS NULL"
    )
    params: list[str] = []
    if since is not None:
        sql += " AND t.asked_at >= ?"
        params.append(format_utc(since))
    by_level: dict[int | None, dict[str, int]] = {h.level: {} for h in HARDNESS} | {None: {}}
    for level, verdict, n in conn.execute(f"{sql} GROUP BY level, t.verdict", params):
        by_level.setdefault(level, {})[verdict] = int(n)
    return Calibration(by_level, since)


@dataclass(frozen=True)
class WaterHint:
    """What the trials suggest about the waterline: maybe *level* is where the water is."""

    level: int
    text: str
    tried_level: int
    count: int
    judged: int


def waterline_hints(cal: Calibration, waterline: int) -> list[WaterHint]:
    """At most two hints: the highest level above the water that AI mostly solved ("the water
    may be above Shoreline"), and the lowest level at or below it that AI mostly failed ("the
    water may be below Shallows"). Each needs :data:`MIN_TRIALS` judged trials."""
    hints: list[WaterHint] = []
    for level in range(len(HARDNESS) - 1, waterline, -1):
        judged, solved = cal.judged(level), cal.count(level, "solved")
        if judged >= MIN_TRIALS and solved >= CONVINCING * judged:
            name = HARDNESS[level].label
            text = _(
                "AI solved {k} of {n} {level} trials in the last three months: "
                "the water may be above {level}."
            ).format(k=solved, n=judged, level=name)
            hints.append(WaterHint(level, text, level, solved, judged))
            break
    for level in range(1, waterline + 1):
        judged, failed = cal.judged(level), cal.count(level, "failed")
        if judged >= MIN_TRIALS and failed >= CONVINCING * judged:
            name = HARDNESS[level].label
            text = _(
                "AI failed {k} of {n} {level} trials in the last three months: "
                "the water may be below {level}."
            ).format(k=failed, n=judged, level=name)
            hints.append(WaterHint(level - 1, text, level, failed, judged))
            break
    return hints
