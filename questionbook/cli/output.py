"""Terminal output: aligned tables that respect East Asian width, JSON, one-line errors.

Everything the command line prints to a terminal goes through
:class:`~questionbook.cli.terminal.VisibleControls`, which shows control characters instead of
letting the terminal obey them (a title imported from a file could otherwise set the clipboard
or rewrite the screen). JSON is written exact, past it.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from wcwidth import wcswidth, wcwidth

from questionbook.cli.terminal import raw
from questionbook.core.text import visible_controls


def width(text: str) -> int:
    """Columns *text* takes in a terminal (Chinese characters take two)."""
    w = wcswidth(text)
    return w if w >= 0 else sum(max(wcwidth(c), 0) for c in text)


def fit(text: str, columns: int) -> str:
    """Cut *text* to at most *columns* terminal columns (with an ellipsis) and pad it."""
    text = visible_controls(" ".join(text.split()), keep="")
    if width(text) <= columns:
        return text + " " * (columns - width(text))
    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (columns - used - 1)


def table(
    rows: Sequence[Sequence[str]], *, flexible: int = -1, max_width: int | None = None
) -> str:
    """Align *rows* in columns; the *flexible* column is cut to make the table fit."""
    if not rows:
        return ""
    total = max_width or shutil.get_terminal_size((100, 24)).columns
    ncols = len(rows[0])
    rows = [[visible_controls(" ".join(cell.split()), keep="") for cell in row] for row in rows]
    widths = [max(width(r[i]) for r in rows) for i in range(ncols)]
    flex = flexible % ncols
    others = sum(w for i, w in enumerate(widths) if i != flex) + 2 * (ncols - 1)
    widths[flex] = max(12, min(widths[flex], total - others))
    lines = []
    for row in rows:
        cells = [fit(cell, widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def print_json(data: Any) -> None:
    """*data* as JSON on standard output, exact (JSON escapes its own control characters)."""
    out = raw(sys.stdout)
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def local_time(value: datetime, tz: tzinfo | None = None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """*value* in local time (or *tz*); a time too near year 1 or 9999 to convert is shown
    in UTC rather than crashing."""
    from questionbook.core.timeutil import to_local

    return to_local(value, tz).strftime(fmt)
