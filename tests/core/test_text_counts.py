"""Reading-mode counts (issue 19): Chinese characters count as words, Markdown syntax does not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionbook.core.text import TextCounts, count_words, reading_text, text_counts


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Why does grokking happen suddenly?", 5),
        ("电梯为什么这么慢", 8),
        ("我想造一台 elevator，不是 stairs。", 9),
        ("Don't stop: state-of-the-art, 3.14 and 100,000", 6),
        ("see https://example.org/a-b?c=d and www.x.org", 4),
        ("ひらがな", 4),
        ("안녕하세요 세계", 2),  # Korean spaces its words
        ("", 0),
        ("— · … !!", 0),
    ],
)
def test_words(text: str, words: int) -> None:
    assert count_words(text) == words


def test_markdown_syntax_is_not_counted() -> None:
    body = (
        "# 电梯\n\n"
        "**Why** do [[3f2a1b4c-0000-4000-8000-000000000000|elevators]] rise?\n"
        "![a photo](attachment:0123abcd/photo.png) `x = 1`\n"
        "- [ ] one\n> quoted\n<!-- hidden note -->\n```python\nprint(1)\n```"
    )
    assert reading_text(body).split() == [
        "电梯", "Why", "do", "elevators", "rise?", "a", "photo", "x", "=", "1",
        "one", "quoted", "print(1)",
    ]  # fmt: skip
    counts = text_counts(body)
    # 电梯; Why do elevators rise; a photo; x 1; one; quoted; print 1
    assert counts.words == 2 + 4 + 2 + 2 + 1 + 1 + 2
    assert counts.characters == sum(len(w) for w in reading_text(body).split()) == 47
    assert text_counts("a b\nc") == TextCounts(3, 3, 4)  # line breaks are not characters
    assert text_counts("2*3*4 and my_var", markdown=True).characters == 14


@given(st.text())
def test_counts_never_fail_and_stay_consistent(text: str) -> None:
    counts = text_counts(text)
    assert 0 <= counts.characters <= counts.characters_with_spaces <= len(text)
    assert counts.words <= counts.characters
