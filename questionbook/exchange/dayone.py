"""Day One: its JSON export, bare or inside the export ``.zip``.

``{"metadata": {...}, "entries": [{"uuid", "creationDate", "modifiedDate", "timeZone", "text",
"tags", "starred", "isPinned", "photos", ...}]}``. Day One writes Markdown with punctuation
backslash-escaped (``\\.`` ``\\-`` ``\\(``); we undo that outside code. Media are stored as
``![](dayone-moment://ID)`` references to files we do not import: each becomes a visible note
in the text, and the number of attachments left behind is reported. Day One's uuid is kept (as
a standard UUID), so importing the same export twice adds nothing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from questionbook.core.errors import ImportFormatError
from questionbook.exchange.common import decode_text, parse_time
from questionbook.exchange.incoming import ImportBatch, Incoming, canonical_id, normalise
from questionbook.i18n import _, ngettext

_ESCAPED = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~\\])")
_CODE = re.compile(r"(^```.*?^```[ \t]*$|`[^`\n]+`)", re.S | re.M)
_MOMENT = re.compile(r"!\[([^\]]*)\]\(dayone-moment:/*([^)\s]*)\)")
_MEDIA_KEYS = ("photos", "videos", "audios", "pdfAttachments")
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


def parse_dayone(data: Any, name: str, batch: ImportBatch | None = None) -> ImportBatch:
    """A Day One JSON document → entries (added to *batch* when given: one zip, many journals)."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ImportFormatError(_("{file}: not a Day One JSON export").format(file=name))
    batch = batch or ImportBatch(format="dayone", authoritative=False)
    media = 0
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
        if normalise(inc) is None:
            batch.skip(_("no text"))
        else:
            batch.entries.append(inc)
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
    return batch


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
            for info in sorted(members, key=lambda i: i.filename):
                name = f"{path}:{info.filename}"
                if info.file_size > MAX_JSON_BYTES:
                    raise ImportFormatError(_("{file}: too large").format(file=name))
                data = zf.read(info)
                parse_dayone(load_json(decode_text(data, name), name), name, batch)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFormatError(
            _("{file}: damaged zip file ({reason})").format(file=path, reason=exc)
        ) from None
    return batch
