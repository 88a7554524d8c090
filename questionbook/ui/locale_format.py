"""Localised dates, times and numbers for the GUI ("3 days ago" / "3 天前", "2026年11月29日").

Why here and not in core: Qt's ``QLocale`` already knows each language's date patterns, day
names and digit grouping, and the GUI is the only face that shows relative dates. Words such as
"yesterday" come from our gettext catalog, formats from ``QLocale``, so both follow the one
language setting. Timestamps are stored in UTC and shown in local time: every helper takes an
aware ``datetime`` and converts it to *tz* (default: the machine's zone).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone

from questionbook.i18n import _, current_language, join_words, ngettext


def locale_for(language: str | None = None) -> QLocale:
    """The ``QLocale`` for a language setting ("en", "zh_CN", or None for the current one)."""
    lang = language or current_language()
    if lang.lower().startswith("zh"):
        return QLocale(
            QLocale.Language.Chinese, QLocale.Script.SimplifiedHanScript, QLocale.Country.China
        )
    if lang == "en":
        system = QLocale.system()
        if system.language() == QLocale.Language.English:
            return system  # keep the user's English variant (en_GB dates, say)
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return QLocale.system()


def set_default_locale(language: str | None = None) -> QLocale:
    """Make *language* Qt's default locale (spin boxes, calendars and these helpers follow)."""
    loc = locale_for(language)
    QLocale.setDefault(loc)
    return loc


def _local(when: datetime, tz: tzinfo | None) -> datetime:
    if when.tzinfo is None:  # stored times are UTC; be forgiving with naive ones
        from datetime import UTC

        when = when.replace(tzinfo=UTC)
    return when.astimezone(tz)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def format_number(value: float, locale: QLocale | None = None, decimals: int = 0) -> str:
    """*value* with the locale's digit grouping (``12,345`` / ``12,345``; ``1.5``)."""
    loc = locale or QLocale()
    if decimals == 0:
        return loc.toString(round(value))
    return loc.toString(float(value), "f", decimals)


def format_date(
    value: date | datetime,
    locale: QLocale | None = None,
    *,
    long: bool = False,
    tz: tzinfo | None = None,
) -> str:
    """A date in the locale's short (``11/29/26``, ``2026年11月29日``) or long form.

    Chinese short dates are written out (``2026年11月29日``, not Qt's ``2026/11/29``) so that
    they read like the ``11月28日`` of this year's dates beside them: one style per locale."""
    loc = locale or QLocale()
    day = _local(value, tz).date() if isinstance(value, datetime) else value
    if not long and loc.language() == QLocale.Language.Chinese:
        return loc.toString(_qdate(day), "yyyy年M月d日")
    fmt = QLocale.FormatType.LongFormat if long else QLocale.FormatType.ShortFormat
    return loc.toString(_qdate(day), fmt)


def datetime_edit_format(locale: QLocale | None = None) -> str:
    """The editor's date-and-time field pattern, in the style of the dates in the list:
    ``2026年12月6日 08:30`` in Chinese, ``2026-12-06 08:30`` otherwise."""
    loc = locale or QLocale()
    if loc.language() == QLocale.Language.Chinese:
        return "yyyy年M月d日 HH:mm"
    return "yyyy-MM-dd HH:mm"


def format_time(value: datetime, locale: QLocale | None = None, *, tz: tzinfo | None = None) -> str:
    """A wall-clock time in the locale's short form (``7:05 PM`` / ``19:05``)."""
    loc = locale or QLocale()
    local = _local(value, tz)
    return loc.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)


def format_datetime(
    value: datetime, locale: QLocale | None = None, *, tz: tzinfo | None = None
) -> str:
    """Date and time in the locale's short form, in local time."""
    return join_words(format_date(value, locale, tz=tz), format_time(value, locale, tz=tz))


def day_name(iso_weekday: int, locale: QLocale | None = None, *, short: bool = False) -> str:
    """The locale's name for an ISO weekday (1 = Monday ... 7 = Sunday)."""
    loc = locale or QLocale()
    fmt = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
    return loc.dayName(iso_weekday, fmt)


def relative_date(
    value: datetime,
    now: datetime | None = None,
    locale: QLocale | None = None,
    *,
    tz: tzinfo | None = None,
    short: bool = False,
) -> str:
    """How long ago *value* was, in words: "just now", "5 minutes ago", "yesterday",
    "3 days ago"; from a week back, the localised date (with the year only if it differs).
    *short* is for a narrow list, where the words took the title's room: "now", "5 min",
    "14 h", "3 d" (the dates are short already).

    Days are counted by calendar date in local time, so something written last night at
    23:50 is "yesterday" at 00:10, as a person would say it.
    """
    loc = locale or QLocale()
    now_local = _local(now or datetime.now().astimezone(), tz)
    then = _local(value, tz)
    seconds = (now_local - then).total_seconds()
    days = (now_local.date() - then.date()).days
    if seconds < 0:  # in the future (clock skew, or a backdated entry set ahead)
        return format_date(then, loc, tz=tz)
    if days == 0:
        if seconds < 60:
            # TRANSLATORS: "just now" in a narrow list
            return _("now") if short else _("just now")
        if seconds < 3600:
            n = int(seconds // 60)
            if short:
                # TRANSLATORS: minutes ago, in a narrow list
                return _("{n} min").format(n=loc.toString(n))
            return ngettext("{n} minute ago", "{n} minutes ago", n).format(n=loc.toString(n))
        n = int(seconds // 3600)
        if short:
            # TRANSLATORS: hours ago, in a narrow list
            return _("{n} h").format(n=loc.toString(n))
        return ngettext("{n} hour ago", "{n} hours ago", n).format(n=loc.toString(n))
    if days == 1:
        return _("yesterday")
    if days < 7:
        if short:
            # TRANSLATORS: days ago, in a narrow list
            return _("{n} d").format(n=loc.toString(days))
        return ngettext("{n} day ago", "{n} days ago", days).format(n=loc.toString(days))
    if then.year == now_local.year:
        return loc.toString(_qdate(then.date()), _month_day_format(loc))
    return format_date(then, loc, tz=tz)


def format_day(day: date, today: date, locale: QLocale | None = None) -> str:
    """A calendar day, short: "Mar 1" / "3月1日" within *today*'s year, else the short date
    with its year (a revisit day, issue 19)."""
    loc = locale or QLocale()
    if day.year == today.year:
        return loc.toString(_qdate(day), _month_day_format(loc))
    return format_date(day, loc)


def _month_day_format(loc: QLocale) -> str:
    """A day-and-month pattern without the year ("Nov 29" / "11月29日")."""
    if loc.language() == QLocale.Language.Chinese:
        return "M月d日"
    if loc.language() == QLocale.Language.English:
        return "MMM d" if loc.territory() == QLocale.Country.UnitedStates else "d MMM"
    return (
        loc.dateFormat(QLocale.FormatType.ShortFormat)
        .replace("yyyy", "")
        .replace("yy", "")
        .strip(" /.-")
    )


def to_qdatetime(value: datetime) -> QDateTime:
    """An aware ``datetime`` as a ``QDateTime`` in the same instant (for Qt date widgets)."""
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    offset = value.utcoffset() or timedelta(0)
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second, value.microsecond // 1000),
        QTimeZone(int(offset.total_seconds())),
    )
