"""The payload codec of an encrypted journal: its change files carry no text in the clear.

The JSON lines are compressed (zlib, as the default codec does), then sealed with AES-256-GCM
under a key derived from the journal's master key for this one purpose
(:mod:`questionbook.storage.sealed`). The codec's name carries the key id, so a journal that
lacks the key says which key a file needs and waits for it, instead of failing; the header of
each file (device ids, counters, clocks) stays readable, as the engine needs.

Computers that sync an encrypted journal share its key: set the others up from a copy of the
encrypted journal and its key file (or a backup of it), then turn sync on there.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

from questionbook.storage.sealed import SYNC, SealError, seal, unseal
from questionbook.sync.codecs import PayloadCodec, PayloadUnreadable, ZlibCodec

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

PREFIX = "aesgcm1-"


class SealedCodec:
    """zlib, then AES-256-GCM under the journal's sync key."""

    def __init__(self, key: JournalKey) -> None:
        self._key = key
        self.name = f"{PREFIX}{key.key_id}"
        self._zlib = ZlibCodec()

    def encode(self, data: bytes) -> bytes:
        return seal(self._key, zlib.compress(data, self._zlib.level), SYNC)

    def decode(self, data: bytes, limit: int) -> bytes:
        try:
            packed = unseal(self._key, data, SYNC)
        except SealError as exc:
            raise PayloadUnreadable(str(exc)) from exc
        return self._zlib.decode(packed, limit)


def codec_for(db: Any) -> PayloadCodec | None:
    """The sealing codec for an encrypted journal's Database (``None`` for a plain one)."""
    key = getattr(db, "key", None)
    return SealedCodec(key) if key is not None else None
