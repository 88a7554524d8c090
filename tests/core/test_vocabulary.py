"""Kinds, statuses, hardness and the rubric."""

from __future__ import annotations

import pytest

from questionbook.core.errors import InvalidValue
from questionbook.core.vocabulary import (
    HARDNESS,
    Kind,
    check_status,
    is_submerged,
    parse_hardness,
    parse_kind,
    rubric_level,
)


def test_hardness_scale_names() -> None:
    assert [h.zh for h in HARDNESS] == ["水下", "浅滩", "岸线", "高地", "山巅"]
    assert [h.key for h in HARDNESS] == [
        "underwater",
        "shallows",
        "shoreline",
        "highlands",
        "summit",
    ]


@pytest.mark.parametrize(
    ("value", "level"), [("3", 3), (0, 0), ("Summit", 4), ("岸线", 2), ("none", None), ("-", None)]
)
def test_parse_hardness(value: object, level: int | None) -> None:
    assert parse_hardness(value) == level  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["5", "-1", "hard", "2.5"])
def test_parse_hardness_rejects(value: str) -> None:
    with pytest.raises(InvalidValue):
        parse_hardness(value)


@pytest.mark.parametrize(
    ("a", "b", "c", "level"),
    [
        (True, False, False, 0),
        (True, False, True, 0),
        (True, True, False, 1),
        (True, True, True, 1),
        (False, False, False, 2),
        (False, False, True, 2),
        (False, True, True, 3),
        (False, True, False, 4),
    ],
)
def test_rubric(a: bool, b: bool, c: bool, level: int) -> None:
    assert rubric_level(a, b, c) == level


def test_statuses_per_kind() -> None:
    assert check_status(Kind.QUESTION, None) == "open"
    assert check_status(Kind.PLAN, "Active") == "active"
    assert check_status(Kind.NOTE, None) is None
    with pytest.raises(InvalidValue):
        check_status(Kind.QUESTION, "done")
    with pytest.raises(InvalidValue):
        check_status(Kind.NOTE, "open")


def test_parse_kind() -> None:
    assert parse_kind("Q") is Kind.QUESTION
    assert parse_kind("计划") is Kind.PLAN
    with pytest.raises(InvalidValue):
        parse_kind("todo")


def test_submerged() -> None:
    assert is_submerged(1, 1) and is_submerged(0, 1)
    assert not is_submerged(2, 1) and not is_submerged(None, 4)
