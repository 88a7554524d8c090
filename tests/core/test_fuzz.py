"""Hostile input, generated: the query and tag parsers never raise, and searching any string
returns a list (never a database error) and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionbook.core.journal import Journal
from questionbook.core.query import Query, parse_query
from questionbook.core.tags import clean_tag, parse_tags, tag_key
from questionbook.paths import AppPaths
from questionbook.services import open_services

# Any code point, including NUL, lone surrogates and control characters ...
ANY_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=80)
# ... and text made of the characters the parsers care about, so operators really combine.
OPERATORS = [
    "kind:",
    "status:",
    "is:",
    "tag:",
    "before:",
    "after:",
    "hardness>=",
    "h<",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "电梯",
    "elev",
    "3",
    "2026-11-29",
    "```",
    "http://x#y",
    "#多个词#",
]
SYNTAX = st.lists(
    st.sampled_from([*'#＃"-:<>=() *^+.,，。/\\`~[]\n\t\x00\ud800', *OPERATORS]), max_size=30
).map("".join)
QUERIES = st.one_of(ANY_TEXT, SYNTAX)
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(QUERIES)
def test_parse_query_never_raises(text: str) -> None:
    query = parse_query(text)
    assert isinstance(query, Query)
    if query.hardness_min is not None:
        assert 0 <= query.hardness_min <= 5


@SETTINGS
@given(QUERIES)
def test_tag_parser_never_raises_and_returns_clean_tags(text: str) -> None:
    tags = parse_tags(text)
    assert isinstance(tags, list)
    assert len({tag_key(t) for t in tags}) == len(tags)
    for tag in tags:
        assert tag and "\x00" not in tag and len(tag) <= 64
        tag.encode("utf-8")  # no lone surrogates
    cleaned = clean_tag(text)
    assert cleaned is None or ("\x00" not in cleaned and cleaned == cleaned.strip())


@pytest.fixture(scope="module")
def search_journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    home = Path(tmp_path_factory.mktemp("fuzz"))
    services = open_services(AppPaths(data_dir=home, config_dir=home / "config"))
    journal = services.journal
    journal.add("Why do people build elevators? #ai", "电梯 and stairs", hardness=3)
    journal.add("A plan to climb #多个词#", 'NEAR AND OR "quoted"', kind="plan", starred=True)
    journal.add("note", "plain", kind="note")
    yield journal
    services.close()


@SETTINGS
@given(QUERIES)
def test_find_with_any_string_returns_a_list_and_changes_nothing(
    search_journal: Journal, text: str
) -> None:
    before = search_journal.data_version()
    found = search_journal.find(text)
    assert isinstance(found, list)
    assert len(found) <= 3
    assert search_journal.count(text) == len(found)
    assert search_journal.data_version() == before
