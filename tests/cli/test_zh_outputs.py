"""What the command line prints in Chinese, scanned for Western punctuation and spacing.

The catalog can be right while the code joins its strings with ", " or ": " (issue 22): these
run the real commands in Chinese over a demo journal and a real journal file, and scan help
(main and every sub-command), the weekly summary and the waterline, due, doctor and review
outputs with questionbook/typography.py. A new command or output is covered by the help scan
as soon as it is registered.
"""

from __future__ import annotations

import pytest

from questionbook import i18n
from questionbook.cli.main import build_parser, run
from questionbook.typography import offences
from tests.cli.conftest import CLI


def _commands() -> list[str]:
    previous = i18n.current_language()
    try:
        parser = build_parser()
    finally:
        i18n.set_language(previous)
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[arg-type]


def test_help_of_every_command_reads_as_chinese(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    previous = i18n.current_language()
    wrong = []
    try:
        for command in ["", *_commands()]:
            with pytest.raises(SystemExit):
                run(["--lang", "zh_CN", *([command] if command else []), "--help"])
            out = capsys.readouterr().out
            assert out.startswith("用法：questionbook"), (command, out[:40])
            wrong += [f"{command or 'questionbook'}: {o}" for o in offences(out)]
    finally:
        i18n.set_language(previous)
    assert not wrong, "\n".join(wrong)


def test_outputs_read_as_chinese(qb: CLI) -> None:
    qb("--lang", "zh_CN", "add", "为什么天空是蓝色的？ #物理", "--kind", "question")
    qb("--lang", "zh_CN", "add", "整理旧书 #整理", "--kind", "plan")
    outputs = {
        "waterline set": qb("--lang", "zh_CN", "waterline", "3").stdout,
        "waterline": qb("--lang", "zh_CN", "waterline").stdout,
        "due": qb("--lang", "zh_CN", "due").stdout,
        "doctor": qb("--lang", "zh_CN", "doctor").stdout,
        "review": qb("--lang", "zh_CN", "review").stdout,
        "demo review": qb("--lang", "zh_CN", "--demo", "review").stdout,
        "demo due": qb("--lang", "zh_CN", "--demo", "due").stdout,
        "demo waterline": qb("--lang", "zh_CN", "--demo", "waterline").stdout,
    }
    assert "年第" in outputs["review"] and "周" in outputs["review"]
    wrong = [f"{name}: {o}" for name, out in outputs.items() for o in offences(out)]
    assert not wrong, "\n".join(wrong)
