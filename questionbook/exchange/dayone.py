"""Day One: its JSON export, bare or inside the export ``.zip``.

``{"metadata": {...}, "entries": [{"uuid", "creationDate", "modifiedDate", "timeZone", "text",
"tags", "starred", "isPinned", "photos", ...}]}``. Day One writes Markdown with punctuation
backslash-escaped (``\\.`` ``\\-`` ``\\(``); we undo that outside code. Media are
``![](dayone-moment://ID)`` (photos) or ``dayone-moment:/video/ID`` (``audio``,
``pdfAttachment``) references; the entry's ``photos``/``videos``/``audios``/``pdfAttachments``
give each ID's file, ``<md5>.<type>`` in the zip's ``photos/``, ``videos/``, ``audios/`` or
``pdfs/`` folder. From a zip those files become attachments in their places in the text (only
the zip's own media folders are looked at: a member named ``../x`` is never a match, and
nothing is extracted to disk); a reference whose file is missing, and every reference in a
bare JSON file, becomes a visible note, and the number left behind is reported. Day One's uuid
is kept (as a standard UUID), so importing the same export twice adds nothing.

A zip is read without trusting it: its directory may list at most :data:`MAX_ZIP_MEMBERS`
files, the journal files in it may expand to :data:`~questionbook.exchange.reading.MAX_IMPORT_BYTES`
in all and to at most :data:`MAX_RATIO` times their compressed size (a "zip bomb" of 1 MB that
expands to gigabytes is refused), and each is parsed as a stream.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from questionbook.core.attachments import PIECE, guess_mime, markup, safe_file_name, unique_name
from questionbook.core.errors import ImportFormatError
from questionbook.exchange.common import parse_time
from questionbook.exchange.import_refs import MAX_IMPORTED_BYTES
from questionbook.exchange.incoming import (
    ImportBatch,
    Incoming,
    IncomingBlob,
    canonical_id,
    normalise,
    read_in_two_passes,
)
from questionbook.i18n import _, ngettext

_ESCAPED = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~\\])")
_CODE = re.compile(r"(^```.*?^```[ \t]*$|`[^`\n]+`)", re.S | re.M)
_MOMENT = re.compile(r"!\[([^\]]*)\]\(dayone-moment:/*([^)\s]*)\)")
_MEDIA_KEYS = ("photos", "videos", "audios", "pdfAttachments")
#: Media key → (the zip's folder, the name an attachment gets when Day One gives none).
_MEDIA = {
    "photos": ("photos", "photo"),
    "videos": ("videos", "video"),
    "audios": ("audios", "audio"),
    "pdfAttachments": ("pdfs", "document"),
}
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


def parse_dayone(
    data: Any, name: str, batch: ImportBatch | None = None, media: ZipMedia | None = None
) -> ImportBatch:
    """A Day One JSON document → entries (added to *batch* when given: one zip, many journals);
    *media* finds the zip's files for the entries' photos, videos, audio and PDFs."""
    if not isinstance(data, dict):
        raise ImportFormatError(_("{file}: not a Day One JSON export").format(file=name))
    return parse_dayone_members(data.items(), name, batch, media)


def parse_dayone_members(
    members: Iterable[tuple[str, Any]],
    name: str,
    batch: ImportBatch | None = None,
    media: ZipMedia | None = None,
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
        _dayone_entries(value, name, batch, media)
    if not found:
        raise ImportFormatError(_("{file}: not a Day One JSON export").format(file=name))
    return batch


def _dayone_entries(
    items: Iterable[Any], name: str, batch: ImportBatch, zipped: ZipMedia | None
) -> None:
    missed = 0
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
        moments = _moments(obj)
        text = unescape(text.replace("\r\n", "\n"))
        imported: set[str] = set()
        if zipped is not None and moments:
            text = zipped.place(text, moments, batch, imported)
        missed += sum(1 for ident in moments if ident not in imported)
        text = _MOMENT.sub(_media_note, text)
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
    if missed:
        batch.notes.append(
            ngettext(
                "{n} attachment (photo, video, audio or PDF) was not imported; "
                "its place in the text is marked",
                "{n} attachments (photos, videos, audio or PDFs) were not "
                "imported; their places in the text are marked",
                missed,
            ).format(n=missed)
        )
        batch.attachments += missed


def _moments(obj: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Media identifier → (media key, its description) for one entry."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for key in _MEDIA_KEYS:
        items = obj.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("identifier"), str):
                out[str(item["identifier"])] = (key, item)
            else:
                out[f"#{key}{len(out)}"] = (key, {})  # counted as left behind
    return out


class ZipMedia:
    """The media files of a Day One zip, found by their MD5 name in the media folders."""

    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self.path = path
        self.zf = zf
        self.members: dict[tuple[str, str], zipfile.ZipInfo] = {}
        folders = {folder for folder, _n in _MEDIA.values()}
        for info in zf.infolist():
            parts = info.filename.split("/")
            if len(parts) == 2 and parts[0] in folders and not info.is_dir() and parts[1]:
                stem = parts[1].rsplit(".", 1)[0].lower()
                self.members[(parts[0], stem)] = info
        self.hashes: dict[str, str] = {}

    def place(
        self,
        text: str,
        moments: dict[str, tuple[str, dict[str, Any]]],
        batch: ImportBatch,
        imported: set[str],
    ) -> str:
        """*text* with each moment whose file is in the zip replaced by an attachment."""
        taken: set[str] = set()

        def sub(m: re.Match[str]) -> str:
            ident = m.group(2).rsplit("/", 1)[-1]
            key, item = moments.get(ident, ("", {}))
            folder, default = _MEDIA.get(key, ("", ""))
            md5 = str(item.get("md5") or "").lower()
            info = self.members.get((folder, md5))
            if info is None or info.file_size > MAX_IMPORTED_BYTES:
                return m.group(0)
            sha = self._sha(info)
            if sha is None:
                return m.group(0)
            ext = info.filename.rsplit(".", 1)[-1] if "." in info.filename else ""
            given = item.get("filename")
            wanted = str(given) if isinstance(given, str) and given else f"{default}.{ext}"
            name = unique_name(safe_file_name(wanted), taken)
            taken.add(name)
            mime = guess_mime(name)
            batch.blobs.setdefault(
                sha,
                IncomingBlob(
                    sha,
                    f"{self.path.name}:{info.filename}",
                    _zip_opener(self.path, info.filename),
                    mime,
                ),
            )
            imported.add(ident)
            return markup(sha, name, mime if key != "photos" else "image/")

        return _MOMENT.sub(sub, text)

    def _sha(self, info: zipfile.ZipInfo) -> str | None:
        if info.filename not in self.hashes:
            digest = hashlib.sha256()
            try:
                with self.zf.open(info) as fh:
                    while piece := fh.read(PIECE):
                        digest.update(piece)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                return None
            self.hashes[info.filename] = digest.hexdigest()
        return self.hashes[info.filename]


class _ZipMember(io.RawIOBase):
    """One member of a zip, opened afresh (the importer reads it after parsing ended)."""

    def __init__(self, path: Path, member: str) -> None:
        self.zf = zipfile.ZipFile(path)
        self.fh = self.zf.open(member)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self.fh.read(size)

    def close(self) -> None:
        if not self.closed:
            self.fh.close()
            self.zf.close()
        super().close()


def _zip_opener(path: Path, member: str) -> Callable[[], IO[bytes]]:
    return lambda: cast(IO[bytes], _ZipMember(path, member))


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
                media = ZipMedia(path, zf)
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
                                stream.members(frozenset({"entries"})), name, batch, media
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
