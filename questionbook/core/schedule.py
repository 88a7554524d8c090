"""When entries resurface and when the weekly review is due (PRODUCT.md, "Review").

The rules are pure functions over dates (no Qt, no clock of their own, no database):
:mod:`questionbook.core.due_query` states them in SQL to find the due entries of a whole
journal, and the tests hold the two to the same answers. Every rule is computed on
*local calendar dates* and converted to UTC only at the edges, so that a DST change (a 23- or
25-hour day) never moves a due date or a review time: "7 days later" means seven calendar days,
not 168 hours.

Resurfacing: an entry comes back 7, 30, 90 and 365 days after it was created, then on every
later anniversary. A review marks every checkpoint up to that day as seen, so the next one due
is the first checkpoint after the last review. Closed entries (answered, retired, done, dropped)
never resurface. Snoozing hides an entry for a week. Active plans untouched for 14 days and
entries the water has covered since they were last reviewed are due as well.

A tide seal ("ask me again when the water reaches level N") hides an entry from every rule until
the waterline reaches N; from then on it is due with the reason ``tide`` (besides any other)
until a review acts on it, which lifts the seal.

A revisit date ("ask me again on 1 March", issue 19) is a day the user chose: from that local
day on the entry is due with the reason ``revisit`` whatever else holds — closed or sealed, the
user asked for it — until a review acts on it, which clears the date. Only the Trash and a
snooze (itself a review's "not now") hide it. The date is a calendar day, not an instant, so it
is compared with today's local date and never shifts with the time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from questionbook.core.errors import InvalidValue
from questionbook.core.timeutil import local_day_bounds, to_local, to_utc
from questionbook.core.vocabulary import CLOSED_STATUSES, is_submerged
from questionbook.i18n import _

RESURFACE_DAYS = (7, 30, 90, 365)
SNOOZE_DAYS = 7
STALLED_DAYS = 14

# Why an entry is due; the stored/JSON values. Labels via :func:`reason_label`.
RESURFACE = "resurface"
SUBMERGED = "submerged"
STALLED = "stalled"
TIDE = "tide"
REVISIT = "revisit"


def add_years(day: date, years: int) -> date:
    """The same month-day *years* later; 29 February becomes 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def checkpoints(created: date) -> Iterator[date]:
    """The endless sequence of days an entry created on *created* resurfaces."""
    for days in RESURFACE_DAYS:
        yield created + timedelta(days=days)
    years = 2
    while True:
        yield add_years(created, years)
        years += 1


def next_resurface(created: date, last_reviewed: date | None = None) -> date:
    """The first checkpoint after the last review (or the first one, if never reviewed)."""
    for day in checkpoints(created):
        if last_reviewed is None or day > last_reviewed:
            return day
    raise AssertionError("unreachable: checkpoints never end")


def snooze_until(now: datetime, tz: tzinfo | None = None) -> datetime:
    """Same local wall-clock time a week of calendar days later, in UTC (DST-safe)."""
    local = to_local(now, tz)
    later = datetime.combine(local.date() + timedelta(days=SNOOZE_DAYS), local.time())
    return to_utc(later, tz or local.tzinfo)


@dataclass(frozen=True)
class ScheduleFacts:
    """What the rules need to know about one entry (all times aware UTC)."""

    kind: str
    status: str | None
    hardness: int | None
    created_at: datetime
    updated_at: datetime
    last_reviewed_at: datetime | None = None
    snoozed_until: datetime | None = None
    covered_at: datetime | None = None  # when the water last reached it (rating or waterline)
    seal_level: int | None = None  # sealed until the waterline reaches this level
    revisit_on: date | None = None  # the local day the user asked to see it again


def due_reasons(
    facts: ScheduleFacts, now: datetime, waterline: int, tz: tzinfo | None = None
) -> tuple[str, ...]:
    """Why the entry is due at *now* (empty if it is not)."""
    if facts.snoozed_until is not None and facts.snoozed_until > now:
        return ()
    today = to_local(now, tz).date()
    revisit = (REVISIT,) if facts.revisit_on is not None and facts.revisit_on <= today else ()
    if facts.status in CLOSED_STATUSES:
        return revisit
    if facts.seal_level is not None and facts.seal_level > waterline:
        return revisit  # sealed: resting until the tide comes (or the chosen day)
    reviewed = facts.last_reviewed_at
    reviewed_day = to_local(reviewed, tz).date() if reviewed else None
    reasons: list[str] = []
    created_day = to_local(facts.created_at, tz).date()
    if next_resurface(created_day, reviewed_day) <= today:
        reasons.append(RESURFACE)
    if is_submerged(facts.hardness, waterline) and (
        reviewed is None or (facts.covered_at is not None and facts.covered_at > reviewed)
    ):
        reasons.append(SUBMERGED)
    if facts.kind == "plan" and facts.status == "active":
        touched = max(facts.updated_at, reviewed) if reviewed else facts.updated_at
        if to_local(touched, tz).date() + timedelta(days=STALLED_DAYS) <= today:
            reasons.append(STALLED)
    if facts.seal_level is not None:
        reasons.append(TIDE)
    return (*reasons, *revisit)


def reason_label(reason: str) -> str:
    """A reason for the user, e.g. "Resurfacing"."""
    labels = {
        RESURFACE: _("Resurfacing"),
        SUBMERGED: _("Submerged"),
        STALLED: _("Stalled plan (untouched for two weeks)"),
        TIDE: _("The tide came (its seal is reached)"),
        REVISIT: _("Revisit: the day you chose has come"),
    }
    return labels.get(reason, reason)


def tide_message(seal_waterline: int | None, waterline: int) -> str:
    """What the review says of an entry whose seal the water reached."""
    from questionbook.core.vocabulary import HARDNESS

    now = HARDNESS[waterline].label
    if seal_waterline is None:
        return _("The water is at {now} now: what changed?").format(now=now)
    return _("Sealed when the water was at {then}; it is at {now} now: what changed?").format(
        then=HARDNESS[seal_waterline].label, now=now
    )


def on_this_day_ranges(
    today: date, first_year: int, tz: tzinfo | None = None
) -> list[tuple[int, datetime, datetime]]:
    """For each earlier year back to *first_year*: (year, UTC start, UTC end) of today's
    month-day there. Years without that date (29 February) are skipped."""
    ranges = []
    for year in range(today.year - 1, first_year - 1, -1):
        try:
            day = today.replace(year=year)
        except ValueError:
            continue
        start, end = local_day_bounds(day, tz)
        ranges.append((year, start, end))
    return ranges


# -- review periods -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A review week: ``label`` like ``2026-W48``, local dates ``start`` (inclusive) to ``end``
    (exclusive)."""

    label: str
    start: date
    end: date

    def utc_bounds(self, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
        return (
            to_utc(datetime.combine(self.start, time(0, 0)), tz),
            to_utc(datetime.combine(self.end, time(0, 0)), tz),
        )

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def week_start_of(day: date, week_start: int = 1) -> date:
    """The first day of the week containing *day*; *week_start* is an ISO weekday (1=Monday)."""
    if not 1 <= week_start <= 7:
        raise InvalidValue(_("the week must start on a weekday from 1 to 7"))
    return day - timedelta(days=(day.isoweekday() - week_start) % 7)


def period_of(day: date, week_start: int = 1) -> Period:
    """The review week containing *day*. Weeks are numbered like ISO weeks: a week belongs to
    the ISO week of its fourth day (for Monday weeks that is ISO 8601 exactly)."""
    start = week_start_of(day, week_start)
    year, week, _day = (start + timedelta(days=3)).isocalendar()
    return Period(f"{year}-W{week:02d}", start, start + timedelta(days=7))


def period_at(moment: datetime, tz: tzinfo | None = None, week_start: int = 1) -> Period:
    """The review week containing the local date of *moment*."""
    return period_of(to_local(moment, tz).date(), week_start)


def parse_period(label: str, week_start: int = 1) -> Period:
    """``2026-W48`` (also ``2026W48``, ``2026-w48``) to its :class:`Period`."""
    text = label.strip().upper().replace("W", "-W").replace("--", "-")
    try:
        year_text, week_text = text.split("-W")
        monday = date.fromisocalendar(int(year_text), int(week_text), 1)
    except ValueError:
        raise InvalidValue(
            _("not a week: {label!r} (use YYYY-Www, e.g. 2026-W48)").format(label=label)
        ) from None
    offset = week_start - 1
    start = monday + timedelta(days=offset if offset <= 3 else offset - 7)
    return period_of(start, week_start)


# -- when the review is due -----------------------------------------------------------------


def parse_review_time(text: str) -> time:
    """``19:00`` to a time; a bad value falls back to 19:00 rather than stopping the app."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return time(19, 0)


def _review_moment(day: date, at: time, tz: tzinfo | None) -> datetime:
    return to_utc(datetime.combine(day, at), tz)


def last_review_time(now: datetime, weekday: int, at: str, tz: tzinfo | None = None) -> datetime:
    """The latest scheduled review time at or before *now* (UTC)."""
    when = parse_review_time(at)
    today = to_local(now, tz).date()
    day = today - timedelta(days=(today.isoweekday() - weekday) % 7)
    moment = _review_moment(day, when, tz)
    if moment > now:
        moment = _review_moment(day - timedelta(days=7), when, tz)
    return moment


def next_review_time(now: datetime, weekday: int, at: str, tz: tzinfo | None = None) -> datetime:
    """The first scheduled review time after *now* (UTC), on the local review weekday."""
    when = parse_review_time(at)
    today = to_local(now, tz).date()
    day = today + timedelta(days=(weekday - today.isoweekday()) % 7)
    moment = _review_moment(day, when, tz)
    if moment <= now:
        moment = _review_moment(day + timedelta(days=7), when, tz)
    return moment


def period_reviewed_at(moment: datetime, week_start: int = 1, tz: tzinfo | None = None) -> Period:
    """The week a review held at *moment* looks back on: the week it falls in, or, when the
    review day is the first day of the week, the week that has just ended."""
    day = to_local(moment, tz).date()
    if day.isoweekday() == week_start:
        day -= timedelta(days=1)
    return period_of(day, week_start)


# -- due entries in a journal ---------------------------------------------------------------
# The rules above, in SQL over a whole journal: questionbook.core.due_query.


#: At most this many entries come up in one weekly review: it should take minutes, not hours.
#: The rest stay due and come up in later weeks.
REVIEW_LIMIT = 30
_PRIORITY = {SUBMERGED: 0, TIDE: 0, REVISIT: 0, STALLED: 1, RESURFACE: 2}


def prioritise(
    due: list[tuple[str, tuple[str, ...]]], limit: int | None = REVIEW_LIMIT
) -> list[tuple[str, tuple[str, ...]]]:
    """The entries a review brings up, most pressing first: what the water covered, a tide
    brought back or the user asked to see on a date, then stalled plans, then resurfacing entries; oldest first within each (the
    input order)."""
    ranked = sorted(
        enumerate(due), key=lambda pair: (min(_PRIORITY.get(r, 9) for r in pair[1][1]), pair[0])
    )
    return [item for _i, item in ranked[:limit]]
