"""Lossless JSON: everything a journal holds, in a versioned document we can read back.

``{"format": "questionbook", "version": 1, "exported_at", "entries": [...], "waterline": [...],
"reviews": [...]}``. Each entry has every field (Trash and review times included) with its tags
and its hardness and status histories, and, when it has any, its AI trials (``"trials"``: a
list of ``{id, asked_at, model, prompt, answer, verdict, note}``, newest first); times are UTC
ISO 8601 with microseconds, so a round trip is exact. The file is streamed one entry per line, so 100k entries never sit
in memory as one JSON tree while exporting; and read back as a stream
(:mod:`questionbook.exchange.reading`), one entry at a time, while importing.

Attachments (issue 18) travel *beside* the file, not inside it: ``NAME.attachments/`` holds
each one once, named by its SHA-256; the document lists them under ``"attachments": {"folder",
"files": [{"sha256", "size", "mime"}]}`` and each entry that holds files has ``"attachments":
[{"name", "sha256", "inline"}]``. Base64 inside the JSON would make the file a third larger
and the import hold every picture in memory at once; beside it, both directions copy one file
at a time in pieces, and the import checks every file against its hash.

The writing templates and the user's own prompts (issue 19) follow as ``"templates"`` and
``"prompts"`` (:mod:`questionbook.exchange.writing_json`).

This module reads the document back; :mod:`questionbook.exchange.json_export` writes it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from questionbook.core.attachments import safe_file_name
from questionbook.core.columns import Column
from questionbook.core.entities import HardnessChange, StatusEvent, Trial, WaterlineEvent
from questionbook.core.errors import ImportFormatError
from questionbook.core.schema import ENTRY
from questionbook.core.vocabulary import VERDICTS
from questionbook.exchange.common import (
    parse_day,
    parse_time,
)
from questionbook.exchange.filenames import inside
from questionbook.exchange.incoming import (
    ImportBatch,
    Incoming,
    IncomingBlob,
    IncomingReview,
    canonical_id,
    normalise,
    read_once,
)
from questionbook.exchange.writing_json import parse_rows
from questionbook.i18n import _, ngettext

FORMAT = "questionbook"
VERSION = 1


def _trials(obj: dict[str, Any], entry_id: str, where: str) -> list[Trial]:
    out = []
    for n, t in enumerate(_get(obj, "trials", list, where, []), 1):
        tw = f"{where}, {_('trial')} {n}"
        if not isinstance(t, dict):
            raise ImportFormatError(_("{where}: not an object").format(where=tw))
        verdict = _get(t, "verdict", str, tw, "pending")
        if verdict not in VERDICTS:
            raise ImportFormatError(
                _("{where}: unknown verdict {value!r}").format(where=tw, value=verdict)
            )
        out.append(
            Trial(
                id=canonical_id(_get(t, "id", str, tw), tw),
                entry_id=entry_id,
                asked_at=_when(t, "asked_at", tw, True),
                model=_get(t, "model", str, tw, ""),
                prompt=_get(t, "prompt", str, tw, ""),
                answer=_get(t, "answer", str, tw, ""),
                verdict=verdict,
                note=_get(t, "note", str, tw, ""),
            )
        )
    return out


# -- import -------------------------------------------------------------------------------------
def load_json(text: str, name: str) -> Any:
    """Parse JSON text; a syntax error names the file, line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            _("{file}: line {line}, column {col}: not valid JSON ({msg})").format(
                file=name, line=exc.lineno, col=exc.colno, msg=exc.msg
            )
        ) from None
    except RecursionError:
        raise ImportFormatError(_("{file}: JSON nested too deeply").format(file=name)) from None


def _get(obj: dict[str, Any], key: str, types: Any, where: str, default: Any = ...) -> Any:
    if key not in obj or obj[key] is None:
        if default is ...:
            raise ImportFormatError(_("{where}: missing {key!r}").format(where=where, key=key))
        return default
    value = obj[key]
    if not isinstance(value, types) or (
        isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,))
    ):
        raise ImportFormatError(
            _("{where}: {key!r} has the wrong type").format(where=where, key=key)
        )
    return value


def _when(obj: dict[str, Any], key: str, where: str, required: bool = False) -> Any:
    value = parse_time(obj.get(key), f"{where}: {key}")
    if value is None and required:
        raise ImportFormatError(_("{where}: missing {key!r}").format(where=where, key=key))
    return value


def parse_document(data: Any, name: str) -> ImportBatch:
    """Validate a parsed QuestionBook JSON document into an :class:`ImportBatch`."""
    if not isinstance(data, dict):
        raise ImportFormatError(_("{file}: not a QuestionBook JSON export").format(file=name))
    return parse_members(data.items(), name)


def _check_header(data: dict[str, Any], name: str) -> None:
    if data.get("format") != FORMAT:
        raise ImportFormatError(_("{file}: not a QuestionBook JSON export").format(file=name))
    version = data.get("version")
    if type(version) is not int or version > VERSION or version < 1:  # True is not 1
        raise ImportFormatError(
            _(
                "{file}: JSON export version {v!r} is not supported "
                "(this QuestionBook reads version {ours})"
            ).format(file=name, v=version, ours=VERSION)
        )


def parse_members(
    members: Iterable[tuple[str, Any]], name: str, batch: ImportBatch | None = None
) -> ImportBatch:
    """Validate the members of a QuestionBook JSON document (``entries`` as a list or as an
    iterator of its items, see :meth:`JsonStream.members`) into an :class:`ImportBatch`."""
    data: dict[str, Any] = {}
    batch = batch if batch is not None else ImportBatch(format="json", authoritative=True)
    have_entries = False
    for key, value in members:
        if key != "entries":
            data[key] = value
            if key in ("format", "version"):
                _check_header({"format": FORMAT, "version": VERSION, **data}, name)
            continue
        if not isinstance(value, (list, Iterator)):
            raise ImportFormatError(_("{file}: 'entries' must be a list").format(file=name))
        have_entries = True
        _parse_entries(value, name, batch)
    _check_header(data, name)
    if not have_entries:
        raise ImportFormatError(_("{file}: 'entries' must be a list").format(file=name))
    for n, obj in enumerate(_list(data, "waterline", name), 1):
        where = _("{file}: waterline mark {n}").format(file=name, n=n)
        level = _get(obj, "level", int, where)
        if not 0 <= level <= 4:
            raise ImportFormatError(_("{where}: level must be 0-4").format(where=where))
        batch.waterline.append(
            WaterlineEvent(
                level, _get(obj, "note", str, where, ""), _when(obj, "set_at", where, True)
            )
        )
    for n, obj in enumerate(_list(data, "reviews", name), 1):
        where = _("{file}: review {n}").format(file=name, n=n)
        review = IncomingReview(
            period=_get(obj, "period", str, where),
            started_at=_when(obj, "started_at", where, True),
            finished_at=_when(obj, "finished_at", where),
            waterline=_get(obj, "waterline", int, where, None),
            reflection=_get(obj, "reflection", str, where, ""),
            step=_get(obj, "step", str, where, "new"),
            position=_get(obj, "position", int, where, 0),
        )
        for m, act in enumerate(_get(obj, "actions", list, where, []), 1):
            aw = f"{where}, action {m}"
            if not isinstance(act, dict):
                raise ImportFormatError(_("{where}: not an object").format(where=aw))
            review.actions.append(
                (
                    canonical_id(_get(act, "entry_id", str, aw), aw),
                    _get(act, "action", str, aw),
                    _get(act, "detail", str, aw, ""),
                    _when(act, "acted_at", aw, True),
                )
            )
        batch.reviews.append(review)
    _attachments(data, name, batch)
    batch.writing = parse_rows(data, name)
    return batch


def _parse_entries(items: Iterable[Any], name: str, batch: ImportBatch) -> None:
    for n, obj in enumerate(items, 1):
        where = _("{file}: entry {n}").format(file=name, n=n)
        if not isinstance(obj, dict):
            raise ImportFormatError(_("{where}: not an object").format(where=where))
        inc = _entry(obj, where)
        if normalise(inc, with_tags=False) is None:
            batch.skip(_("no text"))
        else:
            batch.add(inc)


_SHA_RE = re.compile(r"[0-9a-f]{64}\Z")


def _sha(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _SHA_RE.match(value):
        raise ImportFormatError(
            _("{where}: not an attachment's SHA-256: {value!r}").format(where=where, value=value)
        )
    return value


def _attachments(data: dict[str, Any], name: str, batch: ImportBatch) -> None:
    """The files listed under ``"attachments"``, from the folder beside the file."""
    listed = data.get("attachments")
    if listed is None:
        return
    where = _("{file}: attachments").format(file=name)
    if not isinstance(listed, dict):
        raise ImportFormatError(_("{where}: not an object").format(where=where))
    folder_name = _get(listed, "folder", str, where)
    files = _get(listed, "files", list, where)
    base = Path(name).parent
    folder = (
        inside(base, folder_name) if "/" not in folder_name and "\\" not in folder_name else None
    )
    if folder is None:
        raise ImportFormatError(
            _("{where}: the folder {folder!r} is not beside the file").format(
                where=where, folder=folder_name
            )
        )
    missing = 0
    for n, obj in enumerate(files, 1):
        if not isinstance(obj, dict):
            raise ImportFormatError(_("{where}: not an object").format(where=f"{where} {n}"))
        sha = _sha(obj.get("sha256"), f"{where} {n}")
        path = folder / sha
        if not path.is_file() or path.is_symlink():
            missing += 1
            continue
        mime = obj.get("mime") if isinstance(obj.get("mime"), str) else None
        batch.blobs[sha] = IncomingBlob(sha, f"{folder_name}/{sha}", _file_opener(path), mime)
    if missing:
        batch.notes.append(
            ngettext(
                "{n} attachment is missing from {folder} (its reference is kept)",
                "{n} attachments are missing from {folder} (their references are kept)",
                missing,
            ).format(n=missing, folder=folder)
        )


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    """Opens the file (picklable: the reading may run in a process of its own)."""
    return functools.partial(_open_binary, path)


def _open_binary(path: Path) -> IO[bytes]:
    return open(path, "rb")


def _list(data: dict[str, Any], key: str, name: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ImportFormatError(
            _("{file}: {key!r} must be a list of objects").format(file=name, key=key)
        )
    return value


def _entry(obj: dict[str, Any], where: str) -> Incoming:
    entry_id = canonical_id(_get(obj, "id", str, where), where)
    where = f"{where} ({entry_id[:8]})"
    created = _when(obj, "created_at", where, True)
    tags = _get(obj, "tags", list, where, [])
    if not all(isinstance(t, str) for t in tags):
        raise ImportFormatError(_("{where}: tags must be strings").format(where=where))
    parent = _get(obj, "parent_id", str, where, None)
    inc = Incoming(
        id=entry_id,
        title=_get(obj, "title", str, where, ""),
        body=_get(obj, "body", str, where, ""),
        created_at=created,
        updated_at=_when(obj, "updated_at", where) or created,
        kind=_get(obj, "kind", str, where, "note"),
        status=_get(obj, "status", str, where, None),
        hardness=_get(obj, "hardness", int, where, None),
        starred=_get(obj, "starred", bool, where, False),
        outcome=_get(obj, "outcome", str, where, ""),
        parent_id=canonical_id(parent, where) if parent else None,
        tags=tuple(tags),
        deleted_at=_when(obj, "deleted_at", where),
        last_reviewed_at=_when(obj, "last_reviewed_at", where),
        snoozed_until=_when(obj, "snoozed_until", where),
        where=where,
    )
    _more_fields(inc, obj, where)
    if "trials" in obj:
        inc.trials = _trials(obj, entry_id, where)
    if "attachments" in obj:
        inc.attachments = []
        for a in _get(obj, "attachments", list, where):
            if not isinstance(a, dict):
                raise ImportFormatError(_("{where}: bad attachment").format(where=where))
            inc.attachments.append(
                (
                    safe_file_name(_get(a, "name", str, where)),
                    _sha(a.get("sha256"), where),
                    _get(a, "inline", bool, where, True),
                )
            )
    if "hardness_history" in obj or "status_history" in obj:
        inc.hardness_history = []
        for h in _get(obj, "hardness_history", list, where, []):
            if not isinstance(h, dict):
                raise ImportFormatError(_("{where}: bad hardness history").format(where=where))
            inc.hardness_history.append(
                HardnessChange(
                    _get(h, "level", int, where, None),
                    _get(h, "source", str, where, "import"),
                    _when(h, "rated_at", where, True),
                )
            )
        inc.status_history = []
        for h in _get(obj, "status_history", list, where, []):
            if not isinstance(h, dict):
                raise ImportFormatError(_("{where}: bad status history").format(where=where))
            inc.status_history.append(
                StatusEvent(
                    _get(h, "status", str, where, None),
                    _get(h, "outcome", str, where, ""),
                    _when(h, "changed_at", where, True),
                )
            )
    return inc


_TYPES = {"int": int, "bool": bool, "text": str}


@functools.cache
def _more_columns() -> tuple[Column, ...]:
    """The entry columns beyond those every format knows (looked up once, not per entry)."""
    return tuple(
        col
        for col in ENTRY.columns
        if col.field not in Incoming.__dataclass_fields__ and col.field in ENTRY.by_field
    )


def _more_fields(inc: Incoming, obj: dict[str, Any], where: str) -> None:
    """Stored entry fields beyond the ones every format knows (:attr:`Incoming.more`), read by
    their declaration: a field added to entries round-trips through JSON with no change here.
    A field the file does not have keeps the journal's value."""
    for col in _more_columns():
        name = col.field
        if name not in obj:
            continue
        if col.codec == "time":
            inc.more[name] = _when(obj, name, where, required=not col.nullable)
        elif col.codec == "date":
            inc.more[name] = parse_day(obj.get(name), f"{where}: {name}")
        elif col.codec in _TYPES:
            default = None if col.nullable else ...
            inc.more[name] = _get(obj, name, _TYPES[col.codec], where, default)


def read_json(path: Path) -> ImportBatch:
    """Parse a QuestionBook JSON export file, streaming its entries."""
    fill = functools.partial(_fill, path)
    return read_once(fill, ImportBatch(format="json", authoritative=True), path)


def _fill(path: Path, batch: ImportBatch) -> None:
    """Parse the file at *path* into *batch* (a module-level function with its argument
    bound, so a process of its own can run it: :mod:`~questionbook.exchange.reader_process`)."""
    from questionbook.exchange.reading import json_members

    members = json_members(path, watch=lambda chunks: setattr(batch, "reading", chunks))
    parse_members(members, str(path), batch)
