"""One translation function for core, CLI and GUI.

QuestionBook uses GNU gettext catalogs (``questionbook/locale/<lang>/LC_MESSAGES/questionbook.po``,
compiled to ``.mo``) for every user-facing string, whichever face shows it. The GUI routes its
strings through the same ``_`` so there is exactly one catalog to translate. Strings defined at
import time (hardness names, kind names) are marked with :func:`N_` and translated when shown.
"""

from __future__ import annotations

import contextlib
import gettext
import locale
import os
from collections.abc import Iterable
from pathlib import Path

DOMAIN = "questionbook"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SUPPORTED = ("en", "zh_CN")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def _(message: str) -> str:
    """Translate *message* into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a plural form chosen by *n*."""
    return _translation.ngettext(singular, plural, n)


def system_language() -> str:
    """The language the environment asks for, reduced to one we support."""
    candidates = [os.environ.get(v, "") for v in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    for raw in candidates:
        for part in raw.split(":"):
            lang = part.split(".")[0].replace("-", "_")
            if lang.lower().startswith("zh"):
                return "zh_CN"
            if lang and lang not in ("C", "POSIX"):
                return "en"
    return "en"


def set_language(language: str | None) -> str:
    """Switch the process to *language* (``None`` or ``"system"`` follows the environment)."""
    global _translation, _language
    lang = system_language() if language in (None, "", "system") else str(language)
    if lang.lower().startswith("zh"):
        lang = "zh_CN"
    elif lang not in SUPPORTED:
        lang = "en"
    _language = lang
    if lang == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    return lang


def current_language() -> str:
    """The language strings are currently translated into."""
    return _language


# -- punctuation the code adds between translated pieces -------------------------------------
# Strings are translated whole where possible; where the code joins pieces (a list of names, a
# label and its value, a parenthetical, two sentences), the joining punctuation follows the
# language too: Chinese uses 、 ： （） —— and no spaces around them or after 。
# (docs/translating.md, "Punctuation the code adds").
_PUNCTUATION = {
    "en": {"list": ", ", "colon": ":", "gap": " ", "open": " (", "close": ")", "dash": " — "},
    "zh_CN": {"list": "、", "colon": "：", "gap": "", "open": "（", "close": "）", "dash": "——"},
}
#: Sentence-ending punctuation after which a label takes no colon of its own.
_ENDS_SENTENCE = tuple("?!.。？！…")


def _punct(name: str) -> str:
    return _PUNCTUATION.get(_language, _PUNCTUATION["en"])[name]


def is_wide(ch: str) -> bool:
    """Whether *ch* is a Chinese character or full-width punctuation (CJK typography puts no
    space next to these, unlike beside Latin letters and digits)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK punctuation, kana, ideographs
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFF60  # full-width forms
        or 0x20000 <= o <= 0x3FFFF
        or ch in "“”‘’…—"
    )


def join_list(items: Iterable[str]) -> str:
    """``a, b, c`` — or ``a、b、c`` in Chinese."""
    return _punct("list").join(items)


def with_colon(label: str) -> str:
    """``Label:`` — or ``标签：`` (in Chinese nothing is added after ？ or 。: "？：" reads as
    a typo)."""
    if _language != "en" and label.endswith(_ENDS_SENTENCE):
        return label
    return f"{label}{_punct('colon')}"


def label_value(label: str, value: object) -> str:
    """``Label: value`` — or ``标签：值``."""
    return f"{with_colon(label)}{_punct('gap')}{value}"


def strong_label_value(label: str, value: object, mark: str = "**") -> str:
    """``**Label:** value`` in Markdown — or ``**标签**：值``: a closing ``**`` between "："
    and a letter is not a closing delimiter to CommonMark, so Chinese keeps the colon outside."""
    if _punct("gap"):
        return f"{mark}{with_colon(label)}{mark}{_punct('gap')}{value}"
    return f"{mark}{label}{mark}{with_colon(label)[len(label) :]}{value}"


def parenthetical(text: str, note: object) -> str:
    """``text (note)`` — or ``text（note）``."""
    return f"{text}{_punct('open')}{note}{_punct('close')}"


def dashed(first: str, second: str) -> str:
    """``first — second`` — or ``first——second``."""
    return f"{first}{_punct('dash')}{second}"


def join_words(*parts: str) -> str:
    """Join pieces with a space, except where CJK typography wants none: between two Chinese
    characters and next to full-width punctuation (``从浅滩升到了岸线。水位…``). Chinese
    beside Latin letters or digits keeps its space (``水位线 2``)."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (is_wide(out[-1]) and is_wide(part[0])):
            out += " "
        out += part
    return out


#: How a week is named to people; ISO ``2026-W48`` stays in file names, JSON and ``--week``.
_WEEK = {"en": "{year}-W{week:02d}", "zh_CN": "{year} 年第 {week} 周"}


def week_label(iso: str) -> str:
    """``2026-W48`` as the current language names it (``2026 年第 48 周``); any other
    period label (a date range) is returned as it is."""
    import re

    found = re.fullmatch(r"(\d{4})-W(\d{2})", iso)
    if not found:
        return iso
    fmt = _WEEK.get(_language, _WEEK["en"])
    return fmt.format(year=int(found.group(1)), week=int(found.group(2)))
