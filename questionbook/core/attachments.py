"""Files kept inside the journal: names, references in the text, types, image headers, and
moving the bytes in and out of SQLite in pieces.

An attachment's bytes live once per content in ``attachment_blob``, keyed by their SHA-256;
an entry holds it under a file name in ``entry_attachment``. The text refers to it as
``![name](attachment:<sha256>/<name>)`` (images) or ``[name](attachment:<sha256>/<name>)``:
the hash is what counts, the name is for people reading the Markdown and for exports (it is
percent-encoded, so spaces and brackets never break the link).

Memory: adding a file reads it twice in 1 MiB pieces (once to hash it, once to copy it into
a ``zeroblob`` through SQLite's incremental blob I/O) and exporting copies it out the same
way, so a 50 MB file never sits in memory as one object. The second read is hashed too: a
file that changes while being read is refused instead of stored under the wrong hash.

Standard library only (the command line uses it without heavy imports; the UI round plugs
:func:`resolve_reference` into the preview's resource loader).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import sqlite3
import struct
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from questionbook.core import rows
from questionbook.core.errors import QuestionBookError
from questionbook.core.schema import ATTACHMENT_BLOB
from questionbook.i18n import _

#: Default limit per file (the ``attachment_max_mb`` setting).
DEFAULT_MAX_MB = 50
PIECE = 1 << 20
#: Bytes read for sniffing a type and an image's declared size (JPEG's size comes after its
#: EXIF block, which may hold a 64 KB thumbnail).
HEAD_BYTES = 256 * 1024
#: An image larger than this when decoded is refused before decoding (a "decompression bomb":
#: a few KB of PNG can declare 100,000 × 100,000 pixels, i.e. 40 GB of memory).
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 20_000
MAX_NAME_BYTES = 200
SCHEME = "attachment"
_SHA = r"[0-9a-f]{64}"
#: ``attachment:<sha>/<name>`` wherever it stands in the text (a Markdown link target).
REFERENCE_RE = re.compile(rf"{SCHEME}:({_SHA})(?:/([^\s)>\"']*))?")
#: A whole Markdown reference (``![label](attachment:...)`` or ``[label](...)``).
MARKUP_RE = re.compile(rf"!?\[(?:[^\]\\\n]|\\.)*\]\(<?{SCHEME}:({_SHA})(?:/[^\s)>]*)?>?\)")
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")
_MIMES = mimetypes.MimeTypes()  # the built-in table only: the same answer on every system


class AttachmentError(QuestionBookError):
    """A file cannot be attached (too large, unreadable, changed while read) or found."""


@dataclass(frozen=True, slots=True)
class BlobInfo:
    """What is stored of a blob besides its bytes."""

    sha256: str
    size: int
    mime: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file attached to an entry, as ``show --json`` prints it."""

    name: str
    sha256: str
    size: int
    mime: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size": self.size, "mime": self.mime}


# -- names and references -----------------------------------------------------------------------
def safe_file_name(name: str) -> str:
    """A file name that is safe to store, show and write on Windows, macOS and Linux.

    Only the last path component is kept (``../../etc/passwd`` → ``passwd``); control and
    forbidden characters become ``_``; leading dots (hidden files, ``..``) and trailing dots
    and spaces (Windows drops them) go; Windows' device names get a ``_`` in front; the name
    is cut to 200 bytes of UTF-8 keeping its extension. Never empty: ``file``.
    """
    base = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    base = _FORBIDDEN.sub("_", base).strip().lstrip(".").rstrip(". ")
    if not base:
        return "file"
    if _WINDOWS_RESERVED.match(base):
        base = f"_{base}"
    if len(base.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = base.rpartition(".")
        if not dot or len(ext) > 16:
            stem, ext = base, ""
        keep = MAX_NAME_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
        stem = stem.encode("utf-8")[:keep].decode("utf-8", "ignore").rstrip(". ")
        base = f"{stem}.{ext}" if ext else stem
    return base or "file"


def unique_name(name: str, taken: set[str]) -> str:
    """*name*, or ``name (2).ext``, ``name (3).ext``... if another file of the entry has it
    (compared case-insensitively: two names that differ only in case clash on Windows and
    macOS)."""
    lowered = {t.casefold() for t in taken}
    if name.casefold() not in lowered:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        if candidate.casefold() not in lowered:
            return candidate
        n += 1


def url(sha256: str, name: str) -> str:
    """``attachment:<sha256>/<name>``, the name percent-encoded."""
    return f"{SCHEME}:{sha256}/{urllib.parse.quote(name, safe='')}"


def markup(sha256: str, name: str, mime: str) -> str:
    """The Markdown that shows the attachment: an image for images, else a link."""
    label = re.sub(r"([\[\]\\])", r"\\\1", name)
    bang = "!" if mime.startswith("image/") else ""
    return f"{bang}[{label}]({url(sha256, name)})"


def parse_references(text: str) -> list[tuple[str, str]]:
    """``(sha256, name)`` of every attachment the text refers to, once each, in order."""
    if f"{SCHEME}:" not in text:
        return []
    found: dict[str, str] = {}
    for m in REFERENCE_RE.finditer(text):
        found.setdefault(m.group(1), urllib.parse.unquote(m.group(2) or ""))
    return list(found.items())


def remove_references(text: str, sha256: str) -> str:
    """*text* without the Markdown references to *sha256* (a line left empty goes too)."""
    out = []
    for line in text.split("\n"):
        stripped = MARKUP_RE.sub(lambda m: "" if m.group(1) == sha256 else m.group(0), line)
        if stripped != line and not stripped.strip():
            continue
        out.append(stripped)
    return "\n".join(out)


# -- types and image headers --------------------------------------------------------------------
def sniff_mime(head: bytes) -> str | None:
    """The type the first bytes of a file declare, for the formats a preview shows."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def guess_mime(name: str, head: bytes = b"") -> str:
    """The file's type: its content's signature first, then its name, else octet-stream.

    A ``.png`` that is really a JPEG is a JPEG; an SVG is ``image/svg+xml`` by its name
    (stored as it is: the preview only ever draws it as an image, with no scripts)."""
    return (
        sniff_mime(head) or _MIMES.guess_type(name, strict=False)[0] or "application/octet-stream"
    )


def image_size(head: bytes) -> tuple[int, int] | None:
    """The (width, height) a PNG, JPEG, GIF or WebP header declares, without decoding it;
    ``None`` for anything else or a header too short to tell."""
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if head.startswith((b"GIF87a", b"GIF89a")):
            return struct.unpack("<HH", head[6:10])
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _webp_size(head)
        if head.startswith(b"\xff\xd8"):
            return _jpeg_size(head)
    except struct.error:
        return None
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    chunk = head[12:16]
    if chunk == b"VP8X":
        w = int.from_bytes(head[24:27], "little") + 1
        h = int.from_bytes(head[27:30], "little") + 1
        return w, h
    if chunk == b"VP8L" and head[20:21] == b"\x2f":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    return None


_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 4 <= len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", head[i + 2 : i + 4])
        if marker in _SOF:
            h, w = struct.unpack(">HH", head[i + 5 : i + 9])
            return w, h
        if length < 2:
            return None
        i += 2 + length
    return None


def image_too_large(head: bytes) -> str | None:
    """Why an image must not be decoded (its header declares too many pixels), or ``None``.

    The preview calls this before handing bytes to an image decoder."""
    size = image_size(head)
    if size is None:
        return None
    w, h = size
    if w <= 0 or h <= 0:
        return _("the image declares no size ({w} × {h} pixels)").format(w=w, h=h)
    if w > MAX_IMAGE_SIDE or h > MAX_IMAGE_SIDE or w * h > MAX_IMAGE_PIXELS:
        return _("the image is too large to show ({w} × {h} pixels)").format(w=w, h=h)
    return None


# -- bytes in ------------------------------------------------------------------------------------
Opener = Callable[[], IO[bytes]]


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def too_large_message(name: str, size: int, limit: int) -> str:
    return _(
        "{name} is {size}; attachments are limited to {limit} each (the setting attachment_max_mb)"
    ).format(name=name, size=human_size(size), limit=human_size(limit))


def _pieces(fh: IO[bytes], limit: int, name: str) -> Iterator[bytes]:
    total = 0
    while piece := fh.read(PIECE):
        total += len(piece)
        if total > limit:
            raise AttachmentError(too_large_message(name, total, limit))
        yield piece


def blob_info(conn: sqlite3.Connection, sha256: str) -> BlobInfo | None:
    got = rows.fetch(
        conn,
        BlobInfo,
        ATTACHMENT_BLOB,
        "SELECT {columns} FROM attachment_blob WHERE sha256 = ?",
        (sha256,),
    )
    return got[0] if got else None


def store_stream(
    conn: sqlite3.Connection,
    opener: Opener,
    name: str,
    *,
    limit: int,
    now: datetime,
    expected_sha256: str | None = None,
    mime: str | None = None,
) -> BlobInfo:
    """Store the bytes *opener* gives (it is called twice) as a blob; returns its info.

    Inside the caller's write transaction. Content already stored is not written again.
    *expected_sha256* (an import's declared hash) must match, so a damaged file is refused;
    *mime* (an import's declared type) is kept when the content does not say otherwise.
    """
    digest = hashlib.sha256()
    head = b""
    size = 0
    with opener() as fh:
        for piece in _pieces(fh, limit, name):
            if len(head) < HEAD_BYTES:
                head += piece[: HEAD_BYTES - len(head)]
            digest.update(piece)
            size += len(piece)
    sha = digest.hexdigest()
    if expected_sha256 is not None and sha != expected_sha256:
        raise AttachmentError(
            _("{name}: its content does not match its SHA-256 ({sha}…)").format(
                name=name, sha=expected_sha256[:12]
            )
        )
    known = blob_info(conn, sha)
    if known is not None:
        return known
    info = BlobInfo(sha, size, sniff_mime(head) or (mime or "")[:128] or guess_mime(name, head))
    values = rows.encode_values(
        ATTACHMENT_BLOB,
        {"sha256": sha, "size": size, "mime": info.mime, "created_at": now},
    )
    cur = conn.execute(
        "INSERT INTO attachment_blob (sha256, size, mime, created_at, data) "
        "VALUES (:sha256, :size, :mime, :created_at, zeroblob(:size))",
        values,
    )
    rowid = int(cur.lastrowid or 0)
    again = hashlib.sha256()
    written = 0
    changed = AttachmentError(
        _("{name} changed while it was being read; nothing was attached, try again").format(
            name=name
        )
    )
    with opener() as fh, conn.blobopen(ATTACHMENT_BLOB.name, "data", rowid) as blob:
        for piece in _pieces(fh, limit, name):
            if written + len(piece) > size:
                raise changed
            blob.write(piece)
            again.update(piece)
            written += len(piece)
    if written != size or again.hexdigest() != sha:
        raise changed
    return info


def store_file(conn: sqlite3.Connection, path: Path, *, limit: int, now: datetime) -> BlobInfo:
    """Store the file at *path* (see :func:`store_stream`); clear errors for what cannot be."""
    path = Path(path)
    name = path.name or str(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise AttachmentError(
            _("cannot read {file}: {reason}").format(file=path, reason=exc.strerror or exc)
        ) from None
    if not path.is_file():
        raise AttachmentError(_("{file} is not a file").format(file=path))
    if st.st_size > limit:
        raise AttachmentError(too_large_message(name, st.st_size, limit))
    try:
        return store_stream(conn, lambda: open(path, "rb"), name, limit=limit, now=now)
    except OSError as exc:
        raise AttachmentError(
            _("cannot read {file}: {reason}").format(file=path, reason=exc.strerror or exc)
        ) from None


# -- bytes out -----------------------------------------------------------------------------------
def _rowid(conn: sqlite3.Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT rowid FROM attachment_blob WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else int(row[0])


def copy_out(conn: sqlite3.Connection, sha256: str, fh: IO[bytes]) -> int:
    """Write the blob's bytes to *fh* in pieces; returns how many. Raises if it is gone."""
    rowid = _rowid(conn, sha256)
    if rowid is None:
        raise AttachmentError(_("attachment {sha}… is not in the journal").format(sha=sha256[:12]))
    total = 0
    with conn.blobopen(ATTACHMENT_BLOB.name, "data", rowid, readonly=True) as blob:
        while piece := blob.read(PIECE):
            fh.write(piece)
            total += len(piece)
    return total


def read_bytes(conn: sqlite3.Connection, sha256: str, limit: int | None = None) -> bytes | None:
    """The blob's bytes (``None`` if it is not stored, or larger than *limit*)."""
    info = blob_info(conn, sha256)
    rowid = _rowid(conn, sha256)
    if info is None or rowid is None or (limit is not None and info.size > limit):
        return None
    with conn.blobopen(ATTACHMENT_BLOB.name, "data", rowid, readonly=True) as blob:
        return blob.read()


def read_head(conn: sqlite3.Connection, sha256: str, n: int = HEAD_BYTES) -> bytes:
    rowid = _rowid(conn, sha256)
    if rowid is None:
        return b""
    with conn.blobopen(ATTACHMENT_BLOB.name, "data", rowid, readonly=True) as blob:
        return blob.read(n)


@dataclass(frozen=True, slots=True)
class Resolved:
    """What the preview needs for an ``attachment:`` URL: the bytes and their type, or why
    it cannot show them (``problem``: missing, too large to decode)."""

    sha256: str
    mime: str
    data: bytes = b""
    problem: str | None = None


def resolve_reference(
    conn: sqlite3.Connection, reference: str, *, max_bytes: int = 64 << 20
) -> Resolved | None:
    """The bytes and type behind an ``attachment:<sha>/<name>`` URL for the preview; ``None``
    when the text is not such a URL. Images whose header declares too many pixels come back
    without bytes and with a ``problem``, so no decoder ever sees them."""
    m = REFERENCE_RE.match(reference.strip().lstrip("<"))
    if m is None:
        return None
    sha = m.group(1)
    info = blob_info(conn, sha)
    if info is None:
        return Resolved(sha, "", problem=_("the attachment is not in the journal"))
    if info.mime.startswith("image/"):
        reason = image_too_large(read_head(conn, sha))
        if reason:
            return Resolved(sha, info.mime, problem=reason)
    if info.size > max_bytes:
        return Resolved(sha, info.mime, problem=too_large_message(sha[:12], info.size, max_bytes))
    return Resolved(sha, info.mime, read_bytes(conn, sha) or b"")


def drop_unused_blobs(conn: sqlite3.Connection, only: str | None = None) -> int:
    """Free the bytes no entry refers to any more (Trash included); returns how many blobs.

    Called when the Trash is emptied, an entry purged or a file detached, and by ``doctor
    --repair``: not on every edit, so deleting a picture's line and undoing it loses nothing.
    """
    unused = "sha256 NOT IN (SELECT sha256 FROM entry_attachment)"
    params: tuple[str, ...]
    if only is not None:
        sql, params = f"DELETE FROM attachment_blob WHERE sha256 = ? AND {unused}", (only,)
    else:
        sql, params = f"DELETE FROM attachment_blob WHERE {unused}", ()
    return int(conn.execute(sql, params).rowcount)
