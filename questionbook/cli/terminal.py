"""Standard output and error that show control characters instead of obeying them.

Kept apart from :mod:`questionbook.cli.output` (tables need ``wcwidth``), so that wrapping the
streams costs a command like ``add`` nothing it would not import anyway.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

from questionbook.core.text import visible_controls


class VisibleControls:
    """A text stream that passes everything through :func:`visible_controls` (keeping
    newlines and tabs); ``raw_stream`` is the stream underneath, for exact output."""

    def __init__(self, stream: IO[str]) -> None:
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(visible_controls(text))
        return len(text)

    def writelines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding, fileno, buffer ...
        return getattr(self.raw_stream, name)


def raw(stream: Any) -> Any:
    """The stream under a :class:`VisibleControls` (or *stream* itself)."""
    return getattr(stream, "raw_stream", stream)


@contextlib.contextmanager
def visible_controls_on_terminal() -> Iterator[None]:
    """Make standard output and error show control characters while the block runs."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, VisibleControls):
        sys.stdout = VisibleControls(sys.stdout)  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, VisibleControls):
        sys.stderr = VisibleControls(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
