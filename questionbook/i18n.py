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
# label and its value, a parenthetical), the joining punctuation follows the language too:
# Chinese uses 、 ： （） —— and no spaces around them.
_PUNCTUATION = {
    "en": {"list": ", ", "colon": ": ", "open": " (", "close": ")", "dash": " — "},
    "zh_CN": {"list": "、", "colon": "：", "open": "（", "close": "）", "dash": "——"},
}


def _punct(name: str) -> str:
    return _PUNCTUATION.get(_language, _PUNCTUATION["en"])[name]


def join_list(items: Iterable[str]) -> str:
    """``a, b, c`` — or ``a、b、c`` in Chinese."""
    return _punct("list").join(items)


def label_value(label: str, value: object) -> str:
    """``Label: value`` — or ``标签：值``."""
    return f"{label}{_punct('colon')}{value}"


def parenthetical(text: str, note: object) -> str:
    """``text (note)`` — or ``text（note）``."""
    return f"{text}{_punct('open')}{note}{_punct('close')}"


def dashed(first: str, second: str) -> str:
    """``first — second`` — or ``first——second``."""
    return f"{first}{_punct('dash')}{second}"
