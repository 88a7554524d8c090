"""Reading files to import without trusting them: regular files only, bounded, streamed.

An import file may be anything: ``/dev/zero``, a FIFO, 5 GB of one JSON string, a zip whose
1 MB expand to gigabytes, 100,000 nested brackets. So:

- only regular files are read (:func:`open_input`), up to :data:`MAX_IMPORT_BYTES`;
- text is decoded strictly (UTF-8, no NUL) a chunk at a time, and an error names the line;
- JSON is parsed as a stream (:class:`JsonStream`): the items of the big ``entries`` array are
  handed over one by one and never sit in memory all together as one parsed tree, so memory
  stays near the size of what is kept from the file, not several times the file;
- nesting deeper than Python's recursion limit is refused as "nested too deeply".

Zip members are bounded in :mod:`questionbook.exchange.dayone`.
"""

from __future__ import annotations

import codecs
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from questionbook.core.errors import ImportFormatError
from questionbook.i18n import _

#: The largest file (or decompressed zip member total) an import reads: 1 GiB.
MAX_IMPORT_BYTES = 1 << 30
CHUNK = 1 << 18


def _too_large(name: str, limit: int) -> ImportFormatError:
    return ImportFormatError(
        _("{file}: larger than {limit:,} bytes, the most QuestionBook reads from it").format(
            file=name, limit=limit
        )
    )


def open_input(path: Path, limit: int | None = None) -> IO[bytes]:
    """Open *path* for reading if it is a regular file no larger than *limit*.

    Checked on the open file itself (``fstat``), so a name switched to a device or a pipe
    after a check is still refused. ``/dev/zero``, FIFOs, sockets and folders are refused with
    a clear message instead of being read forever.
    """
    name = str(path)
    limit = MAX_IMPORT_BYTES if limit is None else limit
    # Non-blocking, so that opening a FIFO does not wait for a writer before we can refuse it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise ImportFormatError(
            _("{file} is a folder; only a vault is imported from a folder").format(file=name)
        ) from None
    except OSError as exc:
        raise ImportFormatError(
            _("{file}: cannot read: {reason}").format(file=name, reason=exc.strerror or exc)
        ) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ImportFormatError(
                _("{file} is a folder; only a vault is imported from a folder").format(file=name)
            )
        if not stat.S_ISREG(st.st_mode):
            raise ImportFormatError(
                _(
                    "{file}: not a regular file (a device, pipe or folder cannot be imported)"
                ).format(file=name)
            )
        if st.st_size > limit:
            raise _too_large(name, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class TextChunks:
    """Strict UTF-8 text from a binary stream, a chunk at a time, with line numbers for errors.

    A UTF-8 byte-order mark at the start is skipped; invalid UTF-8 and NUL characters raise
    :class:`ImportFormatError` naming the line; more than *limit* bytes raise too.
    """

    def __init__(self, fh: IO[bytes], name: str, limit: int | None = None) -> None:
        self.fh, self.name = fh, name
        self.limit = MAX_IMPORT_BYTES if limit is None else limit
        self.read_bytes = 0
        self.size = _file_size(fh)  # for progress: how far through the file we are
        self._lines = 0  # newlines in the bytes decoded so far
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._first = True

    def __iter__(self) -> Iterator[str]:
        while True:
            data = self.fh.read(CHUNK)
            final = not data
            self.read_bytes += len(data)
            if self.read_bytes > self.limit:
                raise _too_large(self.name, self.limit)
            if self._first and data:
                self._first = False
                if data.startswith(b"\xef\xbb\xbf"):
                    data = data[3:]
            try:
                text = self._decoder.decode(data, final)
            except UnicodeDecodeError as exc:
                line = self._lines + data[: max(exc.start, 0)].count(b"\n") + 1
                raise ImportFormatError(
                    _("{file}: line {line}: not valid UTF-8 text").format(file=self.name, line=line)
                ) from None
            nul = text.find("\x00")
            if nul >= 0:
                line = self._lines + text.count("\n", 0, nul) + 1
                raise ImportFormatError(
                    _(
                        "{file}: line {line}: contains a NUL character "
                        "(the file is damaged or not text)"
                    ).format(file=self.name, line=line)
                )
            self._lines += data.count(b"\n")
            if text:
                yield text
            if final:
                return


def _file_size(fh: IO[bytes]) -> int:
    """The size of the file under *fh*, or 0 when it has none (a zip member)."""
    try:
        return os.fstat(fh.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        return 0


def iter_line_blocks(chunks: Iterator[str]) -> Iterator[list[str]]:
    """Lines (without their line break) from text chunks, a chunk's worth at a time, like
    ``str.splitlines`` on the whole text but holding one chunk at a time. A parser that
    looks at most lines only in passing (a journal's body lines) slices these lists instead
    of taking a million lines one by one."""
    rest = ""
    for chunk in chunks:
        lines = (rest + chunk).splitlines(keepends=True)
        rest = ""
        if lines and (not lines[-1].endswith(("\n", "\r")) or lines[-1].endswith("\r")):
            rest = lines.pop()  # goes on in the next chunk (a \r may be the first half of \r\n)
        if lines:
            yield [line.rstrip("\r\n") for line in lines]
    if rest:
        yield [rest.rstrip("\r\n")]


def iter_lines(chunks: Iterator[str]) -> Iterator[str]:
    """Lines (without their line break) from text chunks, like ``str.splitlines`` on the
    whole text but holding one chunk at a time."""
    for block in iter_line_blocks(chunks):
        yield from block


class _Stop(Exception):
    pass


class JsonStream:
    """One JSON document read from text chunks, with the items of chosen top-level arrays
    handed over one at a time (:meth:`members`)."""

    _decoder = json.JSONDecoder()

    def __init__(self, chunks: Iterator[str], name: str) -> None:
        self._chunks = iter(chunks)
        self.name = name
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line_base = 0  # newlines before buf[0]
        self._col_base = 0  # characters between the last of those newlines and buf[0]

    # -- buffer ---------------------------------------------------------------------------
    def _fill(self, at_least: int = 1) -> bool:
        """Append at least *at_least* more characters (dropping what was consumed); False at
        the end of the text."""
        if self.eof:
            return False
        if self.pos:
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self._line_base += newlines
                self._col_base = len(dropped) - dropped.rfind("\n") - 1
            else:
                self._col_base += len(dropped)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        parts = [self.buf]
        got = 0
        while got < at_least:
            chunk = next(self._chunks, None)
            if chunk is None:
                self.eof = True
                break
            parts.append(chunk)
            got += len(chunk)
        self.buf = "".join(parts)
        return got > 0

    def _peek(self) -> str:
        while self.pos >= len(self.buf):
            if not self._fill():
                return ""
        return self.buf[self.pos]

    def _skip_ws(self) -> None:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\n\r":
                self.pos += 1
            if self.pos < len(self.buf) or not self._fill():
                return

    def error(self, message: str, index: int | None = None) -> ImportFormatError:
        i = self.pos if index is None else index
        lines = self.buf.count("\n", 0, i)
        line = self._line_base + lines + 1
        col = i - self.buf.rfind("\n", 0, i) if lines else self._col_base + i + 1
        return ImportFormatError(
            _("{file}: line {line}, column {col}: not valid JSON ({msg})").format(
                file=self.name, line=line, col=col, msg=message
            )
        )

    def _expect(self, ch: str) -> None:
        self._skip_ws()
        if self._peek() != ch:
            raise self.error(f"Expecting {ch!r}")
        self.pos += 1

    # -- values ---------------------------------------------------------------------------
    def value(self) -> Any:
        """The next complete JSON value (read further until it is complete)."""
        self._skip_ws()
        grow = 1
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Cut off by the end of the buffer (then read on), or wrong where it is? An
                # unterminated string reports where it starts; other cuts, the very end.
                cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - 16
                if self.eof or not cut:
                    raise self.error(exc.msg, exc.pos) from None
                self._fill(CHUNK * grow)
                grow = min(grow * 2, 256)
                continue
            except RecursionError:
                raise ImportFormatError(
                    _("{file}: JSON nested too deeply").format(file=self.name)
                ) from None
            if end >= len(self.buf) and not self.eof:  # a number may go on in the next chunk
                self._fill(CHUNK * grow)
                grow = min(grow * 2, 256)
                continue
            self.pos = end
            return value

    def items(self) -> Iterator[Any]:
        """The elements of the array that starts here, one at a time."""
        self._expect("[")
        self._skip_ws()
        if self._peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            self._skip_ws()
            ch = self._peek()
            self.pos += 1
            if ch == "]":
                return
            if ch != ",":
                self.pos -= 1
                raise self.error("Expecting ',' delimiter")

    def members(self, streamed: frozenset[str] = frozenset()) -> Iterator[tuple[str, Any]]:
        """``(key, value)`` for each member of the top-level object; the value of a key in
        *streamed* that holds an array is an iterator over its items (consume it before the
        next member)."""
        self._expect("{")
        self._skip_ws()
        if self._peek() == "}":
            self.pos += 1
        else:
            while True:
                self._skip_ws()
                if self._peek() != '"':
                    raise self.error("Expecting property name enclosed in double quotes")
                key = self.value()
                self._expect(":")
                self._skip_ws()
                if key in streamed and self._peek() == "[":
                    items = self.items()
                    yield key, items
                    for _item in items:  # whatever the caller left unread
                        pass
                else:
                    yield key, self.value()
                self._skip_ws()
                ch = self._peek()
                self.pos += 1
                if ch == "}":
                    break
                if ch != ",":
                    self.pos -= 1
                    raise self.error("Expecting ',' delimiter")
        self._skip_ws()
        if self._peek():
            raise self.error("Extra data")


def json_members(
    path: Path,
    streamed: frozenset[str] = frozenset({"entries"}),
    watch: Callable[[TextChunks], object] | None = None,
) -> Iterator[tuple[str, Any]]:
    """:meth:`JsonStream.members` of the JSON file at *path* (see :func:`open_input`);
    *watch* is given the reading, to follow its progress."""
    with open_input(path) as fh:
        chunks = TextChunks(fh, str(path))
        if watch is not None:
            watch(chunks)
        stream = JsonStream(iter(chunks), str(path))
        yield from stream.members(streamed)


def first_text(path: Path, size: int = 1 << 16) -> str:
    """The first *size* bytes of *path* as text (checked like :class:`TextChunks`)."""
    with open_input(path) as fh:
        data = fh.read(size)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", "ignore")  # a character cut at the end is no error here
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ImportFormatError(
            _(
                "{file}: line {line}: contains a NUL character (the file is damaged or not text)"
            ).format(file=path, line=line)
        )
    return text


def starts_like_json(path: Path) -> bool:
    """True if the first thing in the text file at *path* is ``{``."""
    return first_text(path, 4096).lstrip().startswith("{")
