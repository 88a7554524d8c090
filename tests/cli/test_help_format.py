"""CLI help is laid out in terminal columns and punctuated like Chinese in Chinese.

argparse counts characters: "用法：" is 3 characters but 6 columns, so its continuation lines
were indented too little, and Chinese help text (no spaces) wrapped at twice the terminal width.
"""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from questionbook import i18n
from questionbook.cli.help_format import wrap
from questionbook.cli.main import run


@pytest.fixture
def help_of(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    previous = i18n.current_language()

    def read(*argv: str) -> str:
        with pytest.raises(SystemExit):
            run([*argv, "--help"])
        return capsys.readouterr().out

    yield read
    i18n.set_language(previous)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_usage_continuation_lines_line_up_under_the_program_name(help_of, lang) -> None:
    lines = help_of("--lang", lang, "list").splitlines()
    first = lines[0]
    prog_at = wcswidth(first[: first.index("questionbook")])
    assert prog_at == (6 if lang == "zh_CN" else 7)  # "用法：" / "usage: "
    options_at = prog_at + wcswidth("questionbook list ")
    continuation = [line for line in lines[1:4] if line.startswith(" ")]
    assert continuation, lines[:4]
    for line in continuation:
        assert len(line) - len(line.lstrip(" ")) == options_at, line


def test_chinese_help_fits_the_terminal(help_of) -> None:
    for argv in ([], ["list"], ["export"], ["review"], ["encrypt"]):
        out = help_of("--lang", "zh_CN", *argv)
        for line in out.splitlines():
            assert wcswidth(line) <= 80, line


def test_headings_take_the_language_colon(help_of) -> None:
    zh = help_of("--lang", "zh_CN")
    assert "\n位置参数：\n" in zh and "\n选项：\n" in zh and zh.startswith("用法：questionbook ")
    en = help_of("--lang", "en")
    assert "\npositional arguments:\n" in en and "\noptions:\n" in en
    assert en.startswith("usage: questionbook ")


def test_wrap_breaks_between_chinese_characters_but_not_before_closing_punctuation() -> None:
    assert wrap("加密日记的密码", 8) == ["加密日记", "的密码"]
    assert wrap("一二三，四", 6) == ["一二", "三，四"]  # the comma takes its character along
    assert wrap("（一）二三", 4) == ["（一）", "二三"]  # nor does a line end with "（"
    assert wrap("use this journal file", 10) == ["use this", "journal", "file"]
    assert wrap("AI 现在的水位", 8) == ["AI 现在", "的水位"]
