"""The search text the full-text index holds: every CJK character a token of its own.

The index is contentless, so a row is removed by naming exactly the tokens it was indexed
with: the form must not change between versions (issue 21 rewrote it for speed)."""

from __future__ import annotations

import pytest

from questionbook.core.text import search_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        (None, ""),
        ("plain words only", "plain words only"),
        ("水", " 水 "),
        ("水位上涨", " 水 位 上 涨 "),
        ("the 水位 rose", "the  水 位  rose"),
        ("elevator电梯up", "elevator 电 梯 up"),
        ("かな カナ 한글", " か な   カ ナ   한 글 "),
        ("\U00020000x", " \U00020000 x"),
        ("e\u0301水", "\u00e9 水 "),  # NFC first
    ],
)
def test_search_text_spaces_every_cjk_character(text: str | None, expected: str) -> None:
    assert search_text(text) == expected
