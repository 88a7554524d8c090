"""List-row snippets drop Markdown syntax, never characters inside words (issue 12 #6)."""

from __future__ import annotations

import pytest

from questionbook.core.text import snippet


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("use my_var_name, 2*3*4 = 24", "use my_var_name, 2*3*4 = 24"),
        ("# Title\n**bold** and _it_ and *em*", "Title bold and it and em"),
        ("- [ ] task one\n- [x] done\n1. first", "task one done first"),
        ("see [the paper](https://x.org) and ![a cat](cat.png)", "see the paper and a cat"),
        ("`code` and ~~gone~~ > not a quote", "code and gone > not a quote"),
        ("```python\nprint('hidden')\n```\nafter the code", "after the code"),
        ("> quoted line", "quoted line"),
        ("电梯**重要**的问题", "电梯重要的问题"),
        ("a * b * c and x_1 + y_2", "a * b * c and x_1 + y_2"),
        ("snake_case_name and __dunder", "snake_case_name and __dunder"),
    ],
)
def test_snippet_strips_syntax_not_word_characters(body: str, shown: str) -> None:
    assert snippet(body) == shown


def test_snippet_is_one_bounded_line() -> None:
    text = snippet("word " * 200, length=50)
    assert len(text) == 51 and text.endswith("…") and "\n" not in text
