"""The punctuation the code puts between translated pieces follows the language (issue 22)."""

from __future__ import annotations

from questionbook.i18n import dashed, join_list, label_value, parenthetical, set_language


def test_english_and_chinese_punctuation() -> None:
    try:
        set_language("en")
        assert join_list(["a", "b"]) == "a, b"
        assert label_value("New entries", 5) == "New entries: 5"
        assert parenthetical("Questions", 3) == "Questions (3)"
        assert (
            dashed("4 Summit", "an AI would not think of it")
            == "4 Summit — an AI would not think of it"
        )
        set_language("zh_CN")
        assert join_list(["问题", "计划"]) == "问题、计划"
        assert label_value("新记录", 5) == "新记录：5"
        assert parenthetical("问题", 3) == "问题（3）"
        assert dashed("4 山巅", "AI 想不到") == "4 山巅——AI 想不到"
    finally:
        set_language("en")
