"""Localised relative dates, dates and numbers in English and Simplified Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QLocale

from questionbook.i18n import current_language, set_language
from questionbook.ui.locale_format import (
    day_name,
    format_date,
    format_number,
    locale_for,
    relative_date,
    to_qdatetime,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
EN = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture
def zh() -> Iterator[QLocale]:
    previous = current_language()
    set_language("zh_CN")
    yield locale_for("zh_CN")
    set_language(previous)


@pytest.fixture
def en() -> Iterator[QLocale]:
    previous = current_language()
    set_language("en")
    yield EN
    set_language(previous)


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=5), "5 minutes ago"),
        (timedelta(hours=3), "3 hours ago"),
        (timedelta(days=1), "yesterday"),
        (timedelta(days=3), "3 days ago"),
        (timedelta(days=20), "Nov 9"),
        (timedelta(days=400), "10/25/25"),
    ],
)
def test_relative_english(en: QLocale, ago: timedelta, expected: str) -> None:
    assert relative_date(NOW - ago, NOW, en, tz=UTC) == expected


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=20), "刚刚"),
        (timedelta(minutes=5), "5 分钟前"),
        (timedelta(hours=3), "3 小时前"),
        (timedelta(days=1), "昨天"),
        (timedelta(days=3), "3 天前"),
        (timedelta(days=20), "11月9日"),
        (timedelta(days=400), "2025年10月25日"),  # not Qt's 2025/10/25: one style
    ],
)
def test_relative_chinese(zh: QLocale, ago: timedelta, expected: str) -> None:
    assert relative_date(NOW - ago, NOW, zh, tz=UTC) == expected


def test_days_count_by_local_calendar_date(en: QLocale) -> None:
    tz = timezone(timedelta(hours=8))
    late = datetime(2026, 11, 28, 15, 50, tzinfo=UTC)  # 23:50 on the 28th in UTC+8
    just_after_midnight = datetime(2026, 11, 28, 16, 10, tzinfo=UTC)  # 00:10 on the 29th
    assert relative_date(late, just_after_midnight, en, tz=tz) == "yesterday"
    assert relative_date(late, just_after_midnight, en, tz=UTC) == "20 minutes ago"


def test_future_times_show_a_date(en: QLocale) -> None:
    assert relative_date(NOW + timedelta(days=2), NOW, en, tz=UTC) == "12/1/26"


def test_numbers_and_dates_follow_the_locale(zh: QLocale) -> None:
    assert format_number(12345, EN) == "12,345"
    assert format_number(1.5, EN, decimals=1) == "1.5"
    assert format_date(date(2026, 11, 29), zh, long=True) == "2026年11月29日星期日"
    assert format_date(date(2026, 11, 29), EN) == "11/29/26"
    assert day_name(7, zh) == "星期日" and day_name(1, EN) == "Monday"


def test_to_qdatetime_keeps_the_instant() -> None:
    when = datetime(2026, 11, 29, 20, 5, tzinfo=timezone(timedelta(hours=8)))
    qdt = to_qdatetime(when)
    assert qdt.toSecsSinceEpoch() == int(when.timestamp())


@pytest.mark.parametrize(
    ("ago", "english", "chinese"),
    [
        (timedelta(seconds=20), "now", "刚刚"),
        (timedelta(minutes=5), "5 min", "5 分钟"),
        (timedelta(hours=3), "3 h", "3 小时"),
        (timedelta(days=1), "yesterday", "昨天"),
        (timedelta(days=3), "3 d", "3 天"),
        (timedelta(days=20), "Nov 9", "11月9日"),
    ],
)
def test_the_short_form_for_a_narrow_list(ago: timedelta, english: str, chinese: str) -> None:
    previous = current_language()
    try:
        set_language("en")
        assert relative_date(NOW - ago, NOW, EN, tz=UTC, short=True) == english
        set_language("zh_CN")
        assert relative_date(NOW - ago, NOW, QLocale("zh_CN"), tz=UTC, short=True) == chinese
    finally:
        set_language(previous)
