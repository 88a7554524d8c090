"""The query language: any string is a valid query."""

from __future__ import annotations

from datetime import date

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


def test_unknown_or_invalid_operators_are_words() -> None:
    q = parse_query("kind:banana hardness:9 before:yesterday foo:bar")
    assert q.terms == ["kind:banana", "hardness:9", "before:yesterday", "foo:bar"]
    assert not q.kinds and q.hardness_min is None and q.before is None


def test_unbalanced_quote_is_a_phrase() -> None:
    assert parse_query('"open ended').phrases == ["open ended"]


@given(st.text())
def test_any_string_parses(text: str) -> None:
    q = parse_query(text)
    assert isinstance(q.terms, list)
