"""Styles the Markdown source as it is typed: headings, emphasis, code, links, tags, lists.

The body stays plain text (what is stored is exactly what is typed); this only colours it, so a
writer sees the structure without switching to the preview. Code (inline and fenced) is always
set in the fixed-pitch font, even when the body uses a proportional one, so that code and
tables line up. Colours come from the palette (light and dark themes) and are worked out again
when the theme changes.

Why line by line: ``QSyntaxHighlighter`` calls :meth:`highlightBlock` for each paragraph that
changed, so typing costs one line's regular expressions; the only state carried from line to
line is "inside a fenced code block". Very long bodies are not highlighted at all (see
:data:`HIGHLIGHT_LIMIT`).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
)

#: Longer bodies are shown plain: colouring a million characters would hold up opening them.
HIGHLIGHT_LIMIT = 100_000
_IN_FENCE = 1

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")
_QUOTE_RE = re.compile(r"^ {0,3}>")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s)?")
_CODE_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![*\w])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![*\w])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_LINK_RE = re.compile(r"!?\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[\[[^\]\n]+\]\]")
_URL_RE = re.compile(r"(?<![(\w])(?:https?://|mailto:)[^\s<>()]+")
_TAG_RE = re.compile(r"(?<!\S)[#＃][^\s#＃.,;:!?，。；：！？、]+#?")


def fixed_family() -> str:
    """The real family of the system's fixed-pitch font (aliases such as "monospace" resolved)."""
    base = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    base.setStyleHint(QFont.StyleHint.TypeWriter)
    return QFontInfo(base).family()


class MarkdownHighlighter(QSyntaxHighlighter):
    """Colours Markdown source in a ``QTextDocument`` (see the module docstring)."""

    def __init__(self, parent: QObject, palette: QPalette) -> None:
        """*parent* owns it (a text edit: then it colours that edit's document)."""
        super().__init__(parent)
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_palette(palette)

    def set_palette(self, palette: QPalette) -> None:
        """Work the colours out from *palette* and colour the text again (a theme change)."""
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        link = palette.color(QPalette.ColorRole.Link)
        tint = QColor(text)
        tint.setAlpha(22)
        code = _format(families=[fixed_family()], background=tint)
        self._formats = {
            "heading": _format(color=accent, bold=True),
            "strong": _format(bold=True),
            "emphasis": _format(italic=True),
            "strike": _format(strike=True, color=muted),
            "code": code,
            "fence": code,
            "link": _format(color=link, underline=True),
            "tag": _format(color=accent),
            "marker": _format(color=muted),
        }
        self.rehighlight()

    def format_of(self, name: str) -> QTextCharFormat:
        """The format used for *name* ("heading", "code", "tag" ...); for tests and docs."""
        return self._formats[name]

    def highlightBlock(self, text: str) -> None:
        fence = _FENCE_RE.match(text)
        if self.previousBlockState() == _IN_FENCE:
            self.setFormat(0, len(text), self._formats["fence"])
            self.setCurrentBlockState(-1 if fence else _IN_FENCE)
            return
        if fence:
            self.setFormat(0, len(text), self._formats["fence"])
            self.setCurrentBlockState(_IN_FENCE)
            return
        self.setCurrentBlockState(-1)
        if _HEADING_RE.match(text):
            self.setFormat(0, len(text), self._formats["heading"])
            self._spans(text, _TAG_RE, "tag")
            return
        for pattern in (_QUOTE_RE, _LIST_RE):
            match = pattern.match(text)
            if match:
                self.setFormat(0, match.end(), self._formats["marker"])
        self._spans(text, _STRONG_RE, "strong")
        self._spans(text, _EMPHASIS_RE, "emphasis")
        self._spans(text, _STRIKE_RE, "strike")
        self._spans(text, _LINK_RE, "link")
        self._spans(text, _URL_RE, "link")
        self._spans(text, _TAG_RE, "tag")
        self._spans(text, _CODE_RE, "code")  # last: nothing inside code is styled

    def _spans(self, text: str, pattern: re.Pattern[str], name: str) -> None:
        fmt = self._formats[name]
        for match in pattern.finditer(text):
            if name == "code":  # code wins over what was set inside it
                self.setFormat(match.start(), match.end() - match.start(), fmt)
                continue
            for i in range(match.start(), match.end()):
                merged = QTextCharFormat(self.format(i))
                merged.merge(fmt)
                self.setFormat(i, 1, merged)


def _format(
    *,
    color: QColor | None = None,
    background: QColor | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    strike: bool = False,
    families: list[str] | None = None,
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if color is not None:
        fmt.setForeground(color)
    if background is not None:
        fmt.setBackground(background)
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    if italic:
        fmt.setFontItalic(True)
    if underline:
        fmt.setFontUnderline(True)
    if strike:
        fmt.setFontStrikeOut(True)
    if families:
        fmt.setFontFamilies(families)
        fmt.setFontFixedPitch(True)
    return fmt
