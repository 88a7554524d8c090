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
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from questionbook.core.attachments import PIECE, guess_mime, markup, safe_file_name, unique_name
from questionbook.core.errors import ImportFormatError
from questionbook.exchange.common import decode_text, parse_time
from questionbook.exchange.import_refs import MAX_IMPORTED_BYTES
from questionbook.exchange.incoming import (
    ImportBatch,
    Incoming,
    IncomingBlob,
    canonical_id,
    normalise,
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
MAX_JSON_BYTES = 1 << 30


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
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ImportFormatError(_("{file}: not a Day One JSON export").format(file=name))
    batch = batch or ImportBatch(format="dayone", authoritative=False)
    zipped, missed = media, 0
    for n, obj in enumerate(data["entries"], 1):
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
        if normalise(inc) is None:
            batch.skip(_("no text"))
        else:
            batch.entries.append(inc)
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
    return batch


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


def read_dayone(path: Path, text: str | None = None) -> ImportBatch:
    """A Day One ``.json`` file or export ``.zip`` (every journal JSON inside it)."""
    from questionbook.exchange.common import read_text
    from questionbook.exchange.json_format import load_json

    path = Path(path)
    if text is None and zipfile.is_zipfile(path):
        return _read_zip(path)
    if text is None and path.suffix.lower() == ".zip":
        raise ImportFormatError(_("{file}: damaged or incomplete zip file").format(file=path))
    text = read_text(path) if text is None else text
    return parse_dayone(load_json(text, str(path)), str(path))


def _read_zip(path: Path) -> ImportBatch:
    from questionbook.exchange.json_format import load_json

    batch = ImportBatch(format="dayone", authoritative=False)
    try:
        with zipfile.ZipFile(path) as zf:
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
            media = ZipMedia(path, zf)
            for info in sorted(members, key=lambda i: i.filename):
                name = f"{path}:{info.filename}"
                if info.file_size > MAX_JSON_BYTES:
                    raise ImportFormatError(_("{file}: too large").format(file=name))
                data = zf.read(info)
                parse_dayone(load_json(decode_text(data, name), name), name, batch, media)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFormatError(
            _("{file}: damaged zip file ({reason})").format(file=path, reason=exc)
        ) from None
    return batch
