"""The query language: any string is a valid query."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionbook.core.query import parse_query


def test_words_phrases_and_exclusions() -> None:
    q = parse_query('rising "water level" -tide 电梯')
    assert q.terms == ["rising", "电梯"]
    assert q.phrases == ["water level"]
    assert q.excluded == ["tide"]
    assert q.has_text


def test_operators() -> None:
    q = parse_query(
        "kind:plan status:active hardness>=3 is:starred is:submerged #AI "
        "after:2026-01-01 before:2026-12-31"
    )
    assert q.kinds == ["plan"]
    assert q.statuses == ["active"]
    assert (q.hardness_min, q.hardness_max) == (3, None)
    assert q.starred and q.submerged
    assert q.tags == ["AI"]
    assert q.after == date(2026, 1, 1)
    assert q.before == date(2026, 12, 31)
    assert not q.has_text


def test_hardness_comparisons() -> None:
    assert (parse_query("hardness:2").hardness_min, parse_query("hardness:2").hardness_max) == (
        2,
        2,
    )
    assert parse_query("hardness<3").hardness_max == 2
    assert parse_query("hardness>1").hardness_min == 2
    assert parse_query("hardness<=1").hardness_max == 1


def test_unknown_operators_are_words_and_invalid_ones_problems() -> None:
    q = parse_query("kind:banana hardness:9 before:yesterday foo:bar")
    assert q.terms == ["foo:bar"]
    assert [p.token for p in q.problems] == ["kind:banana", "hardness:9", "before:yesterday"]
    assert not q.kinds and q.hardness_min is None and q.before is None


def test_unbalanced_quote_is_a_phrase() -> None:
    assert parse_query('"open ended').phrases == ["open ended"]


@given(st.text())
def test_any_string_parses(text: str) -> None:
    q = parse_query(text)
    assert isinstance(q.terms, list)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("hardness:summit", 4, 4),
        ("hardness:山巅", 4, 4),
        ("hardness>=highlands", 3, None),
        ("h<shoreline", None, 1),
        ("hardness:Shallows", 1, 1),
        ("hardness<=岸线", None, 2),
    ],
)
def test_hardness_accepts_level_names_in_both_languages(text: str, low, high) -> None:
    query = parse_query(text)
    assert (query.hardness_min, query.hardness_max) == (low, high)
    assert not query.problems and not query.terms


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("kind:foo", ["kind:foo", "question, plan, note"]),
        ("hardness>=9", ["hardness>=9", "0 underwater", "4 summit"]),
        ("hardness:", ["hardness:"]),
        ("status:sleeping", ["status:sleeping", "answered"]),
        ("is:urgent", ["is:urgent", "starred, submerged, unrated"]),
        ("after:yesterday-ish", ["after:yesterday-ish", "YYYY-MM-DD"]),
        ("tag:", ["tag:"]),
    ],
)
def test_bad_operator_values_are_reported_not_searched(text: str, named: list[str]) -> None:
    query = parse_query(f"elevator {text}")
    assert query.terms == ["elevator"]  # the bad operator is left out, the rest still searches
    assert len(query.problems) == 1
    message = query.problems[0].message
    for part in named:
        assert part in message


def test_words_with_colons_that_are_not_operators_stay_words() -> None:
    query = parse_query("http://example.org note:this 12:30")
    assert query.terms == ["http://example.org", "note:this", "12:30"]
    assert not query.problems
