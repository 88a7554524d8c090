"""Time helpers: everything is stored in UTC and shown in local time.

Supported dates run from the year 1000 to the year 9000 (:data:`MIN_YEAR`, :data:`MAX_YEAR`).
Python's datetimes stop at years 1 and 9999, and a time near either end cannot be moved into
every time zone (``9999-12-31 23:59`` UTC is already the year 10000 in Tokyo), so every place
where a date comes in (the command line, queries, imports) refuses dates outside the range
with a message naming it, and showing a time never fails: a time that cannot be converted is
shown in UTC.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from questionbook.core.errors import InvalidValue
from questionbook.i18n import _


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_tz() -> tzinfo:
    """The machine's current local time zone."""
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz


MIN_YEAR = 1000
MAX_YEAR = 9000


def range_message() -> str:
    return _("dates must be between the years {first} and {last}").format(
        first=MIN_YEAR, last=MAX_YEAR
    )


def in_supported_range(value: date) -> bool:
    """True if *value* (a date or an aware datetime, judged in UTC) lies in the years
    :data:`MIN_YEAR`..:data:`MAX_YEAR`."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            return False
    return MIN_YEAR <= value.year <= MAX_YEAR


def to_utc(value: datetime, tz: tzinfo | None = None) -> datetime:
    """Make *value* aware (naive means local, or *tz*) and convert it to UTC.

    Raises :class:`InvalidValue` naming the supported range for a time so near year 1 or
    9999 that it cannot be converted.
    """
    try:
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz) if tz else value.astimezone()
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InvalidValue(
            _("{value}: {reason}").format(value=value.isoformat(), reason=range_message())
        ) from None


def to_local(value: datetime, tz: tzinfo | None = None) -> datetime:
    """Convert an aware datetime to local time (or *tz*); never fails for showing a time:
    one that cannot be moved into the zone (near year 1 or 9999) stays in UTC."""
    try:
        return value.astimezone(tz) if tz else value.astimezone()
    except (OverflowError, ValueError):
        return value.astimezone(UTC) if value.tzinfo is not None else value


def format_utc(value: datetime) -> str:
    """The fixed-width stored form: sorts lexicographically in time order."""
    if value.tzinfo is UTC:  # most values
        return _format_in_utc(value)
    return to_utc(value).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=64)
def _format_in_utc(value: datetime) -> str:
    """:func:`format_utc` of a UTC time, cached: a row often repeats a time (an imported
    entry's creation, last change and first rating are one moment), and a bulk import formats
    hundreds of thousands. (Only UTC: two equal times of another zone may be an hour apart
    when one is the repeated hour of a clock going back.)"""
    return value.isoformat(timespec="microseconds")


def parse_stored(text: str) -> datetime:
    """Read a stored timestamp back into an aware UTC datetime."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1, "今天": 0, "昨天": -1, "明天": 1}


def add_months(day: date, months: int) -> date:
    """The same day of the month *months* later; a day the month lacks becomes its last."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def parse_date(text: str, *, today: date | None = None) -> date:
    """Parse a user date: ``YYYY-MM-DD``, ``today``, ``yesterday``, ``tomorrow``, ``-3d``, or
    a day ahead: ``+3d``, ``+2w``, ``+1m`` (the same day next month), ``+1y``."""
    value = text.strip().lower()
    base = today or date.today()
    if value in _RELATIVE:
        return base + timedelta(days=_RELATIVE[value])
    m = re.fullmatch(r"([-+])(\d{1,9})([dwmy])", value)
    day: date | None = None
    if m and (m.group(1) == "+" or m.group(3) == "d"):
        n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
        try:
            if m.group(3) in "dw":
                day = base + timedelta(days=n * (7 if m.group(3) == "w" else 1))
            else:
                day = add_months(base, n * (12 if m.group(3) == "y" else 1))
        except (OverflowError, ValueError):
            day = date.min if n < 0 else date.max
    if day is None:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InvalidValue(
                _("not a date: {text!r} (use YYYY-MM-DD)").format(text=text)
            ) from None
    if not in_supported_range(day):
        raise InvalidValue(_("{value}: {reason}").format(value=text, reason=range_message()))
    return day


def parse_datetime(text: str, tz: tzinfo | None = None) -> datetime:
    """Parse a user date-time (ISO 8601; naive means local) into aware UTC."""
    value = text.strip()
    low = value.lower()
    if low == "now":
        return utcnow()
    try:
        day = parse_date(value)
    except InvalidValue as exc:
        if range_message() in str(exc):
            raise
    else:
        now_local = datetime.now(tz).astimezone(tz) if tz else datetime.now().astimezone()
        if low in _RELATIVE or low.startswith("-"):
            return to_utc(datetime.combine(day, now_local.timetz().replace(tzinfo=None)), tz)
        return to_utc(datetime.combine(day, time(12, 0)), tz)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidValue(
            _("not a date and time: {text!r} (use YYYY-MM-DD or YYYY-MM-DD HH:MM)").format(
                text=text
            )
        ) from None
    if not in_supported_range(parsed.date()):
        raise InvalidValue(_("{value}: {reason}").format(value=text, reason=range_message()))
    return to_utc(parsed, tz)


def local_day_bounds(day: date, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of a local calendar day."""
    start = datetime.combine(day, time(0, 0))
    end = datetime.combine(day + timedelta(days=1), time(0, 0))
    return to_utc(start, tz), to_utc(end, tz)
