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
