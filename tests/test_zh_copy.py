"""The Chinese catalog against the glossary and the typography rules (docs/translating.md).

The glossary table in docs/translating.md is the source: a term's translation must use one of
its words and none of its forbidden ones. Every translation is also scanned for Western
punctuation and spacing inside Chinese (questionbook/typography.py), for 它们 in plural
messages (Chinese has one form for any n) and for Chinese in italics (Qt draws a fake slant).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from questionbook.i18n import is_wide
from questionbook.typography import _CODE, offences
from tests.test_translations import LANG, tr

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "translating.md"


def glossary() -> list[tuple[re.Pattern[str], list[str], list[str]]]:
    text = GLOSSARY.read_text(encoding="utf-8")
    table = text.split("<!-- glossary -->")[1].split("<!-- /glossary -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        term, words, never = cells[0].strip("`"), cells[1], cells[2]
        split = [w.strip() for w in words.split(",") if w.strip()]
        rows.append((re.compile(term, re.I), split, [w.strip() for w in never.split(",") if w]))
    return rows


def messages() -> list[tuple[str, tuple[str, ...], bool]]:
    """(English, translations, is argparse's own) for every message."""
    out = []
    for m in tr.load_po(LANG):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        out.append((ids[0], tuple(strs), "argparse" in (m.auto_comments or [])))
    return out


def test_the_glossary_is_read() -> None:
    rows = glossary()
    assert len(rows) >= 15
    assert any(p.search("a submerged entry") and "没入水下" in w for p, w, _n in rows)


def test_catalog_uses_the_glossary_terms() -> None:
    rows = glossary()
    wrong = []
    for english, translations, argparse_own in messages():
        if argparse_own:
            continue
        prose = _CODE.sub(" ", english.replace("&", ""))
        for pattern, words, never in rows:
            for zh in translations:
                for word in never:
                    if word in zh:
                        wrong.append(f"{english!r}: {zh!r} uses {word!r}")
                if pattern.search(prose) and not any(w in zh for w in words):
                    kept = pattern.search(prose)
                    if kept is None or kept.group(0).lower() not in zh.lower():
                        wrong.append(f"{english!r}: {zh!r} lacks {' / '.join(words)}")
    assert not wrong, "\n".join(wrong)


def test_catalog_has_no_western_punctuation_or_spaces_in_chinese() -> None:
    wrong = [
        f"{english!r}: {o}"
        for english, translations, _a in messages()
        for zh in translations
        for o in offences(zh)
    ]
    assert not wrong, "\n".join(wrong)


def test_plural_messages_need_no_plural_pronoun() -> None:
    wrong = []
    for m in tr.load_po(LANG):
        if isinstance(m.id, tuple) and any("它们" in s for s in m.string):
            wrong.append(m.id[0])
    assert not wrong, wrong


_ITALIC = re.compile(r"<(i|em)\b[^>]*>(.*?)</\1>|(?<![*\w])\*(?!\*)([^*\n]+)\*(?!\*)", re.S)


def test_no_chinese_in_italics() -> None:
    wrong = []
    for english, translations, _a in messages():
        for zh in translations:
            for found in _ITALIC.finditer(zh):
                inner = found.group(2) or found.group(3) or ""
                if any(is_wide(c) for c in inner):
                    wrong.append(f"{english!r}: {found.group(0)!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("新记录：5 (问题：3, 计划：1)", True),
        ("**已解答:**", True),
        ("#物理 (1)", False),  # a tag ends at the space; "(1)" beside a digit...
        ("从 浅滩 升到了 岸线。 水位", True),
        ("4 山巅 — AI 想不到", True),
        ("难度与水位线 （8 条未评级）", True),
        ("水位线 2 岸线，AI 想不到；用 kind:plan 搜索", False),
        ("文件(&F)", False),
    ],
)
def test_the_scanner_knows_what_is_wrong(text: str, bad: bool) -> None:
    assert bool(offences(text)) is bad, offences(text)
