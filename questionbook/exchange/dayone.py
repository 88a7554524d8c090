"""Day One: its JSON export, bare or inside the export ``.zip``.

``{"metadata": {...}, "entries": [{"uuid", "creationDate", "modifiedDate", "timeZone", "text",
"tags", "starred", "isPinned", "photos", ...}]}``. Day One writes Markdown with punctuation
backslash-escaped (``\\.`` ``\\-`` ``\\(``); we undo that outside code. Media are stored as
``![](dayone-moment://ID)`` references to files we do not import: each becomes a visible note
in the text, and the number of attachments left behind is reported. Day One's uuid is kept (as
a standard UUID), so importing the same export twice adds nothing.

A zip is read without trusting it: its directory may list at most :data:`MAX_ZIP_MEMBERS`
files, the journal files in it may expand to :data:`~questionbook.exchange.reading.MAX_IMPORT_BYTES`
in all and to at most :data:`MAX_RATIO` times their compressed size (a "zip bomb" of 1 MB that
expands to gigabytes is refused), and each is parsed as a stream.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from questionbook.core.errors import ImportFormatError
from questionbook.exchange.common import parse_time
from questionbook.exchange.incoming import (
    ImportBatch,
    Incoming,
    canonical_id,
    normalise,
    read_in_two_passes,
)
from questionbook.i18n import _, ngettext

_ESCAPED = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~\\])")
_CODE = re.compile(r"(^```.*?^```[ \t]*$|`[^`\n]+`)", re.S | re.M)
_MOMENT = re.compile(r"!\[([^\]]*)\]\(dayone-moment:/*([^)\s]*)\)")
_MEDIA_KEYS = ("photos", "videos", "audios", "pdfAttachments")
#: At most this many files in a zip's directory (Day One exports hold a few journals and media).
MAX_ZIP_MEMBERS = 200_000
#: A journal file in a zip may expand to at most this many times its compressed size (JSON
#: text compresses 5-20x; far more is a zip bomb).
MAX_RATIO = 200


def unescape(text: str) -> str:
    """Undo Day One's backslash escapes, leaving code spans and fenced code alone."""
    parts = _CODE.split(text)
    return "".join(p if i % 2 else _ESCAPED.sub(r"\1", p) for i, p in enumerate(parts))


def _media_note(m: re.Match[str]) -> str:
    ref = m.group(2)
    kind = ref.split("/")[0] if "/" in ref else "photo"
    return "*[" + _("Day One {kind} not imported: {ref}").format(kind=kind, ref=ref) + "]*"


def _kind(text: str) -> str:
    return "question" if text.rstrip().endswith(("?", "？")) else "note"


def parse_dayone(data: Any, name: str, batch: ImportBatch | None = None) -> ImportBatch:
    """A Day One JSON document → entries (added to *batch* when given: one zip, many journals)."""
    if not isinstance(data, dict):
        raise ImportFormatError(_("{file}: not a Day One JSON export").format(file=name))
    return parse_dayone_members(data.items(), name, batch)


def parse_dayone_members(
    members: Iterable[tuple[str, Any]], name: str, batch: ImportBatch | None = None
) -> ImportBatch:
    """The members of a Day One JSON document (``entries`` a list or an iterator of items)."""
    batch = batch or ImportBatch(format="dayone", authoritative=False)
    found = False
    for key, value in members:
        if key != "entries":
            continue
        if not isinstance(value, (list, Iterator)):
            break
        found = True
        _dayone_entries(value, name, batch)
    if not found:
        raise ImportFormatError(_("{file}: not a Day One JSON export").format(file=name))
    return batch


def _dayone_entries(items: Iterable[Any], name: str, batch: ImportBatch) -> None:
    media = 0
    for n, obj in enumerate(items, 1):
        where = _("{file}: entry {n}").format(file=name, n=n)
        if not isinstance(obj, dict) or "uuid" not in obj or "creationDate" not in obj:
            raise ImportFormatError(
                _("{where}: a Day One entry needs a uuid and a creationDate").format(where=where)
            )
        text = obj.get("text") or ""
        tags = obj.get("tags") or []
        if not isinstance(text, str) or not isinstance(tags, list):
            raise ImportFormatError(
                _("{where}: text must be text and tags a list").format(where=where)
            )
        created = parse_time(obj["creationDate"], f"{where}: creationDate")
        assert created is not None
        updated = parse_time(obj.get("modifiedDate"), f"{where}: modifiedDate") or created
        for key in _MEDIA_KEYS:
            if isinstance(obj.get(key), list):
                media += len(obj[key])
        text = _MOMENT.sub(_media_note, unescape(text.replace("\r\n", "\n")))
        lines = text.strip("\n").split("\n")
        title = re.sub(r"^#{1,6}\s+", "", lines[0]).strip() if lines else ""
        inc = Incoming(
            id=canonical_id(obj["uuid"], where),
            title=title,
            body="\n".join(lines[1:]).strip("\n"),
            created_at=created,
            updated_at=updated,
            kind=_kind(text),
            starred=bool(obj.get("starred") or obj.get("isPinned")),
            tags=tuple(str(t) for t in tags),
            where=where,
        )
        if normalise(inc, with_tags=False) is None:
            batch.skip(_("no text"))
        else:
            batch.add(inc)
    if media:
        batch.notes.append(
            ngettext(
                "{n} attachment (photo, video, audio or PDF) was not imported; "
                "its place in the text is marked",
                "{n} attachments (photos, videos, audio or PDFs) were not "
                "imported; their places in the text are marked",
                media,
            ).format(n=media)
        )
        batch.attachments += media


def read_dayone(path: Path) -> ImportBatch:
    """A Day One ``.json`` file or export ``.zip`` (every journal JSON inside it), streamed."""
    from questionbook.exchange.reading import json_members, open_input

    path = Path(path)
    with open_input(path) as fh:
        is_zip = zipfile.is_zipfile(fh)
    if not is_zip and path.suffix.lower() == ".zip":
        raise ImportFormatError(_("{file}: damaged or incomplete zip file").format(file=path))

    def fill(batch: ImportBatch) -> None:
        if is_zip:
            _read_zip(path, batch)
        else:
            parse_dayone_members(json_members(path), str(path), batch)

    return read_in_two_passes(fill, ImportBatch(format="dayone", authoritative=False))


def _directory_size(fh: IO[bytes]) -> tuple[int, int]:
    """(files listed, bytes of directory) from a zip's end record, before :mod:`zipfile`
    reads the directory into memory (it keeps an object per file)."""
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(max(0, size - (1 << 16) - 22))
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return 0, 0
    count, dir_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if (count == 0xFFFF or dir_size == 0xFFFFFFFF) and locator >= 0:
        (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        fh.seek(offset)
        record = fh.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) >= 56:
            count, dir_size = struct.unpack("<QQ", record[32:48])
    return count, dir_size


def _read_zip(path: Path, batch: ImportBatch) -> ImportBatch:
    from questionbook.exchange.reading import (
        MAX_IMPORT_BYTES,
        JsonStream,
        TextChunks,
        open_input,
    )

    budget = MAX_IMPORT_BYTES
    try:
        with open_input(path) as raw:
            count, dir_size = _directory_size(raw)
            if count > MAX_ZIP_MEMBERS or dir_size > 64 * MAX_ZIP_MEMBERS:
                raise ImportFormatError(
                    _("{file}: the zip lists {n} files, more than a Day One export holds").format(
                        file=path, n=count
                    )
                )
            raw.seek(0)
            with zipfile.ZipFile(raw) as zf:
                members = [
                    i
                    for i in zf.infolist()
                    if i.filename.lower().endswith(".json")
                    and not i.is_dir()
                    and "/" not in i.filename.strip("/")
                    and not i.filename.startswith(("__MACOSX", "."))
                ]
                if not members:
                    raise ImportFormatError(
                        _("{file}: no Day One journal (.json) in the zip").format(file=path)
                    )
                for info in sorted(members, key=lambda i: i.filename):
                    name = f"{path}:{info.filename}"
                    limit = min(budget, max(info.compress_size, 1) * MAX_RATIO + (1 << 20))
                    if info.file_size > limit:
                        raise _bomb(name, info.file_size, info.compress_size)
                    with zf.open(info) as member:
                        chunks = TextChunks(member, name, limit)
                        try:
                            stream = JsonStream(iter(chunks), name)
                            parse_dayone_members(
                                stream.members(frozenset({"entries"})), name, batch
                            )
                        except ImportFormatError as exc:
                            if chunks.read_bytes > limit:
                                raise _bomb(name, chunks.read_bytes, info.compress_size) from exc
                            raise
                    budget -= chunks.read_bytes
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFormatError(
            _("{file}: damaged zip file ({reason})").format(file=path, reason=exc)
        ) from None
    return batch


def _bomb(name: str, size: int, packed: int) -> ImportFormatError:
    return ImportFormatError(
        _(
            "{file}: expands from {packed:,} to more than {size:,} bytes, which is not a Day One "
            "export but a zip bomb; nothing was imported"
        ).format(file=name, packed=packed, size=size)
    )
