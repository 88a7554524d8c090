"""The change and snapshot files: a header line, a packed payload, a checksum trailer.

::

    QBSYNC1\\n
    {"kind": "changes", "device": ..., "seq": 12, "hlc": ..., "deps": {...}, ...}\\n
    <payload: JSON lines packed by the codec named in the header>
    \\nQBSUM <sha256 of everything above>\\n

A file is trusted only whole: one shorter than its header announces is *incomplete* (the sync
engine is still copying it: it is read again next time), one whose checksum does not match is
*damaged*. Either way nothing in it is applied. The header holds no entry text, so it stays
readable when an encrypting codec packs the payload.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from questionbook.i18n import _

MAGIC = b"QBSYNC1\n"
TRAILER = b"\nQBSUM "
TRAILER_SIZE = len(TRAILER) + 64 + 1
MAX_HEADER = 1 << 20
CHANGES, SNAPSHOT = "changes", "snapshot"
DEVICE_ID = re.compile(r"^[0-9a-f]{16}$")


class FileProblem(ValueError):
    """A file that cannot be applied (yet)."""


class Incomplete(FileProblem):
    """Shorter than announced: still being copied, or cut off."""


class Damaged(FileProblem):
    """Not a change file, or its checksum does not match."""


@dataclass(frozen=True)
class Header:
    kind: str
    device: str
    seq: int
    #: The writer's clock when it wrote the file.
    hlc: int
    #: What the writer had applied: device → (last change file, clock). A change file is
    #: applied only after all of these; a snapshot covers exactly these.
    deps: dict[str, tuple[int, int]]
    codec: str
    schema: str
    records: int
    length: int
    created: str = ""
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "device": self.device,
            "seq": self.seq,
            "hlc": self.hlc,
            "deps": {d: [s, h] for d, (s, h) in sorted(self.deps.items())},
            "codec": self.codec,
            "schema": self.schema,
            "records": self.records,
            "length": self.length,
            "created": self.created,
            "name": self.name,
        }

    @classmethod
    def from_json(cls, data: Any) -> Header:
        try:
            deps = {
                str(d): (int(v[0]), int(v[1]))
                for d, v in dict(data.get("deps") or {}).items()
                if DEVICE_ID.match(str(d))
            }
            header = cls(
                kind=str(data["kind"]),
                device=str(data["device"]),
                seq=int(data["seq"]),
                hlc=int(data["hlc"]),
                deps=deps,
                codec=str(data["codec"]),
                schema=str(data.get("schema", "")),
                records=int(data.get("records", 0)),
                length=int(data["length"]),
                created=str(data.get("created", "")),
                name=str(data.get("name", ""))[:200],
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise Damaged(_("bad header: {reason}").format(reason=exc)) from exc
        if header.kind not in (CHANGES, SNAPSHOT) or not DEVICE_ID.match(header.device):
            raise Damaged(_("bad header: {reason}").format(reason="kind, device"))
        if header.seq < 0 or header.length < 0:
            raise Damaged(_("bad header: {reason}").format(reason="seq, length"))
        return header


def encode_file(header: Header, payload: bytes) -> bytes:
    """The bytes of a file (``header.length`` must be ``len(payload)``)."""
    assert header.length == len(payload)
    head = json.dumps(header.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
    body = MAGIC + head + b"\n" + payload
    return body + TRAILER + hashlib.sha256(body).hexdigest().encode() + b"\n"


def read_header(data: bytes) -> Header:
    """The header of a file's bytes (Damaged, or Incomplete when it is cut off early)."""
    if len(data) < len(MAGIC):
        if MAGIC.startswith(data):
            raise Incomplete(_("the file is empty or cut off"))
        raise Damaged(_("not a QuestionBook change file"))
    if not data.startswith(MAGIC):
        raise Damaged(_("not a QuestionBook change file"))
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
    if end < 0:
        if len(data) < len(MAGIC) + MAX_HEADER:
            raise Incomplete(_("the file is empty or cut off"))
        raise Damaged(_("bad header: {reason}").format(reason="length"))
    try:
        decoded = json.loads(data[len(MAGIC) : end])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Damaged(_("bad header: {reason}").format(reason=exc)) from exc
    if not isinstance(decoded, dict):
        raise Damaged(_("bad header: {reason}").format(reason="not an object"))
    return Header.from_json(decoded)


def parse_file(data: bytes) -> tuple[Header, bytes, str]:
    """(header, packed payload, digest) of a complete, intact file."""
    header = read_header(data)
    start = data.index(b"\n", len(MAGIC)) + 1
    end = start + header.length
    total = end + TRAILER_SIZE
    if len(data) < total:
        raise Incomplete(_("{n:,} of {total:,} bytes so far").format(n=len(data), total=total))
    if len(data) > total:
        raise Damaged(_("the checksum does not match"))
    if data[end : end + len(TRAILER)] != TRAILER or data[-1:] != b"\n":
        raise Damaged(_("the checksum does not match"))
    digest = hashlib.sha256(data[:end]).hexdigest()
    if data[end + len(TRAILER) : -1] != digest.encode():
        raise Damaged(_("the checksum does not match"))
    return header, data[start:end], digest
