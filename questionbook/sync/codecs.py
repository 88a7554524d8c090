"""Payload codecs: how the changes inside a file are packed.

The default compresses JSON lines with zlib. A codec is anything with a ``name`` and the two
functions below; the name is written in each file's header, so a journal reads files packed
with any codec it has been given. Issue 15 (an encrypted journal) adds one that encrypts with
the journal's key; then the folder holds no entry text in the clear (the headers carry only
device ids, counters and clock values).
"""

from __future__ import annotations

import zlib
from typing import Protocol


class PayloadTooLarge(ValueError):
    """Unpacking would exceed the size limit (a damaged or hostile file)."""


class PayloadUnreadable(ValueError):
    """The payload does not unpack (damaged, or packed with a key this journal lacks)."""


class PayloadCodec(Protocol):
    name: str

    def encode(self, data: bytes) -> bytes:
        """Pack JSON lines for a file."""
        ...

    def decode(self, data: bytes, limit: int) -> bytes:
        """Unpack; PayloadTooLarge beyond *limit* bytes, PayloadUnreadable if it cannot."""
        ...


class ZlibCodec:
    name = "zlib"

    def __init__(self, level: int = 6) -> None:
        self.level = level

    def encode(self, data: bytes) -> bytes:
        return zlib.compress(data, self.level)

    def decode(self, data: bytes, limit: int) -> bytes:
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data, limit + 1)
        except zlib.error as exc:
            raise PayloadUnreadable(str(exc)) from exc
        if len(out) > limit or inflater.unconsumed_tail:
            raise PayloadTooLarge(f"unpacks to more than {limit} bytes")
        if not inflater.eof:
            raise PayloadUnreadable("the compressed data ends early")
        return out


DEFAULT_CODEC = ZlibCodec()


def codec_table(*extra: PayloadCodec) -> dict[str, PayloadCodec]:
    """Codecs by name: zlib plus *extra*."""
    table: dict[str, PayloadCodec] = {DEFAULT_CODEC.name: DEFAULT_CODEC}
    table.update((c.name, c) for c in extra)
    return table
