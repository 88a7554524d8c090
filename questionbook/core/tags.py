"""Inline tags: ``#tag``, full-width ``＃tag`` and the Weibo form ``#多个词#``.

A tag ends at whitespace or punctuation (CJK punctuation too). Markdown headings (``# Title``),
URL fragments, code spans and fenced or indented code are never tags. Tags that are all digits
(``#1``) are issue numbers, not tags. Latin tags compare case-insensitively: :func:`tag_key`.
"""

from __future__ import annotations

import re
import unicodedata

from questionbook.core.text import clean_text, has_cjk

_HASH = "#＃"
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?\2[`~]*[ \t]*$|\Z)", re.S | re.M)
_INDENTED_RE = re.compile(r"(?:(?<=\n\n)|\A)(?:(?: {4}|\t)[^\n]*(?:\n|\Z))+")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_URL_RE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:)[^\s<>()\[\]\"'，。]*")
_LINK_TARGET_RE = re.compile(r"\]\([^)\s]*\)")
_WEIBO_RE = re.compile(r"(?<![\w#＃])[#＃]([^#＃\s][^#＃\n]{0,48}?)[#＃](?![\w#＃])")
_TAG_RE = re.compile(r"(?<![\w#＃/&])[#＃]((?:[^\W]|[-/])+)")


def tag_key(name: str) -> str:
    """The comparison key of a tag: NFKC and case-folded (``AI`` and ``ai`` are one tag)."""
    return unicodedata.normalize("NFKC", name).casefold()


def clean_tag(name: str) -> str | None:
    """Normalise a tag typed in a tag editor or a CLI flag; ``None`` if nothing is left."""
    name = clean_text(name).strip().lstrip(_HASH).rstrip(_HASH).strip()  # also drops NUL
    name = " ".join(name.split())
    while (trimmed := name.strip("-/ ")) != name:  # "a/ -" → "a"
        name = trimmed
    return name[:64].rstrip() or None


def strip_code(text: str) -> str:
    """*text* without fenced or indented code and code spans (no tag or ``[[link]]`` is in
    code). Each pass runs only when its marker is present: most entries have no code."""
    if "```" in text or "~~~" in text:
        text = _FENCE_RE.sub("\n", text)
    if "    " in text or "\t" in text:
        text = _INDENTED_RE.sub("\n", text)
    if "`" in text:
        text = _CODE_SPAN_RE.sub(" ", text)
    return text


def _strip_code_and_urls(text: str) -> str:
    text = strip_code(text)
    if "](" in text:
        text = _LINK_TARGET_RE.sub("] ", text)
    if ":" in text or "www." in text:
        text = _URL_RE.sub(" ", text)
    return text


def parse_tags(text: str) -> list[str]:
    """The inline tags in *text*, in order of first appearance, without duplicates."""
    if not text or ("#" not in text and "＃" not in text):
        return []
    plain = _strip_code_and_urls(text)
    found: list[str] = []

    def weibo(match: re.Match[str]) -> str:
        inner = match.group(1)
        if has_cjk(inner) and inner == inner.strip():
            found.append(inner)
            return " "
        return match.group(0)

    plain = _WEIBO_RE.sub(weibo, plain)
    for match in _TAG_RE.finditer(plain):
        name = match.group(1).strip("-/")
        if name and not name.isdigit() and not name.replace("_", "").isdigit():
            found.append(name)
    seen: set[str] = set()
    result = []
    for name in found:
        cleaned = clean_tag(name)
        if cleaned and tag_key(cleaned) not in seen:
            seen.add(tag_key(cleaned))
            result.append(cleaned)
    return result
