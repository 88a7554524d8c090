"""argparse help that is laid out right in Chinese too.

argparse measures text in characters and adds ASCII punctuation of its own: a section heading
is ``options:``, the usage lines' continuation indent is ``len("usage: ")`` and help text wraps
at so many characters. A Chinese character takes two terminal columns and Chinese takes a
full-width colon, so in Chinese argparse printed ``选项:``, indented continuation lines too
little for ``用法：`` and wrapped help past the terminal's edge. This formatter measures in
columns and puts the colon through :func:`questionbook.i18n.with_colon`.
"""

from __future__ import annotations

import argparse
import gettext
from typing import Any

from questionbook.i18n import with_colon

#: Characters a line may not start with in Chinese (closing punctuation takes the character
#: before it to the next line).
_NO_LINE_START = set("，。、：；？！）》」』”’…—,.;:!?)")
#: ... and characters it may not end with (opening punctuation stays with what it opens).
_NO_LINE_END = set("（《「『“‘(")


def width(text: str) -> int:
    """Terminal columns of *text* (imported late: only help and usage errors need wcwidth)."""
    from questionbook.cli.output import width as columns

    return columns(text)


def _heading(text: str) -> str:
    """``options:`` in English, ``选项：`` in Chinese."""
    return with_colon(text)


class _Section(argparse.HelpFormatter._Section):  # type: ignore[name-defined]
    def format_help(self) -> str:
        text: str = super().format_help()
        heading = self.heading
        if heading is None or heading is argparse.SUPPRESS:
            return text
        return text.replace(f"{heading}:\n", f"{_heading(heading)}\n", 1)


def wrap(text: str, columns: int) -> list[str]:
    """Wrap *text* at *columns* terminal columns: at spaces, or between two Chinese characters
    (Chinese has no spaces), never before closing punctuation."""
    words: list[str] = []
    for token in text.split():
        piece = ""
        for ch in token:
            after_opening = bool(piece) and piece[-1] in _NO_LINE_END
            if width(ch) == 2 and ch not in _NO_LINE_START and not after_opening:
                if piece:  # a break is allowed before a Chinese character...
                    words.append(piece)
                piece = ch
            elif piece and width(piece[-1]) == 2 and ch not in _NO_LINE_START and not after_opening:
                words.append(piece)  # ... and after it
                piece = ch
            else:
                piece += ch
        if piece:
            words.append(piece)
        words.append(" ")
    lines: list[str] = []
    line = ""
    for word in words:
        if word == " ":
            line += " " if line else ""
            continue
        if line.strip() and width(line + word) > columns:
            lines.append(line.rstrip())
            line = ""
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, measuring in terminal columns and punctuating by language."""

    _Section = _Section  # type: ignore[assignment]  # argparse looks it up on the instance

    def _format_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None) -> str:
        if prefix is None:
            prefix = gettext.gettext("usage: ")  # argparse's own word, from our catalog
        # argparse indents continuation lines by len(prefix): hand it a stand-in as many
        # characters long as the prefix is wide ("用法：" is 3 characters but 6 columns).
        stand_in = "\0" * width(prefix)
        text: str = super()._format_usage(usage, actions, groups, stand_in)
        return text.replace(stand_in, prefix, 1)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        text = self._whitespace_matcher.sub(" ", text).strip()
        return "\n".join(indent + line for line in wrap(text, width))
