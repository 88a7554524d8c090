"""Inline tag parsing (PRODUCT.md, "Tags")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionbook.core.tags import clean_tag, parse_tags, tag_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("about #ai and #ML", ["ai", "ML"]),
        ("full width ＃全角 tag", ["全角"]),
        ("weibo #多个词# form", ["多个词"]),
        ("#电梯。后面", ["电梯"]),
        ("#问题，逗号", ["问题"]),
        ("ends with punctuation #rising-water.", ["rising-water"]),
        ("nested #project/ai tag", ["project/ai"]),
        ("# A heading\nbody", []),
        ("## Another heading", []),
        ("see https://example.com/page#section", []),
        ("inline `#code` span", []),
        ("```\n#in_fence\n```\nafter #out", ["out"]),
        ("~~~python\n#comment\n~~~", []),
        ("issue #1 and #42", []),
        ("C# is a language", []),
        ("[link](http://a.com/#x) #real", ["real"]),
        ("#AI twice #ai", ["AI"]),
        ("#问题 and #答案", ["问题", "答案"]),
    ],
)
def test_parse_tags(text: str, expected: list[str]) -> None:
    assert parse_tags(text) == expected


def test_tag_key_is_case_insensitive_for_latin() -> None:
    assert tag_key("AI") == tag_key("ai")
    assert tag_key("电梯") != tag_key("电")


def test_clean_tag_strips_hash_and_spaces() -> None:
    assert clean_tag("  #Focus ") == "Focus"
    assert clean_tag("＃全角") == "全角"
    assert clean_tag("###") is None


@given(st.text())
def test_parse_tags_never_raises(text: str) -> None:
    tags = parse_tags(text)
    assert all(t and "#" not in t for t in tags)
