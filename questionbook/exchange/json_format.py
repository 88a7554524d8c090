"""Lossless JSON: everything a journal holds, in a versioned document we can read back.

``{"format": "questionbook", "version": 1, "exported_at", "entries": [...], "waterline": [...],
"reviews": [...]}``. Each entry has every field (Trash and review times included) with its tags
and its hardness and status histories; times are UTC ISO 8601 with microseconds, so a round
trip is exact. The file is streamed one entry per line, so 100k entries never sit in memory as
one JSON tree while exporting; and read back as a stream (:mod:`questionbook.exchange.reading`),
one entry at a time, while importing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from questionbook import __version__
from questionbook.core.entities import HardnessChange, StatusEvent, WaterlineEvent
from questionbook.core.errors import ImportFormatError
from questionbook.core.journal import Journal
from questionbook.core.models import ReviewAction, ReviewRecord
from questionbook.exchange.common import (
    ExportFilter,
    ExportReport,
    Progress,
    atomic_writer,
    check_progress,
    parse_time,
    time_text,
)
from questionbook.exchange.incoming import (
    ImportBatch,
    Incoming,
    IncomingReview,
    canonical_id,
    normalise,
    read_in_two_passes,
)
from questionbook.exchange.selection import histories, iter_pages, select_ids
from questionbook.i18n import _

FORMAT = "questionbook"
VERSION = 1


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def export_json(
    journal: Journal,
    path: Path,
    flt: ExportFilter | None = None,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ExportReport:
    """Write the entries *flt* selects (all, Trash included, by default) to *path*."""
    flt = flt or ExportFilter()
    ids = select_ids(journal, flt, include_trash=flt.is_everything)
    report = ExportReport(path=Path(path), entries=len(ids), files_written=1)
    check_progress(progress, 0, len(ids))
    with atomic_writer(path) as fh:
        fh.write('{"format":"questionbook","version":1,')
        fh.write(f'"app_version":{_dump(__version__)},')
        fh.write(f'"exported_at":{_dump(time_text(now or journal.clock()))},\n"entries":[')
        done = 0
        for page in iter_pages(journal, ids):
            hist = histories(journal, [e.id for e in page])
            for entry in page:
                item = {
                    "id": entry.id,
                    "kind": entry.kind,
                    "title": entry.title,
                    "body": entry.body,
                    "status": entry.status,
                    "hardness": entry.hardness,
                    "starred": entry.starred,
                    "outcome": entry.outcome,
                    "parent_id": entry.parent_id,
                    "tags": list(entry.tags),
                    "created_at": time_text(entry.created_at),
                    "updated_at": time_text(entry.updated_at),
                    "deleted_at": time_text(entry.deleted_at),
                    "last_reviewed_at": time_text(entry.last_reviewed_at),
                    "snoozed_until": time_text(entry.snoozed_until),
                    "hardness_history": [
                        {"level": h.level, "source": h.source, "rated_at": time_text(h.rated_at)}
                        for h in hist.hardness.get(entry.id, [])
                    ],
                    "status_history": [
                        {
                            "status": h.status,
                            "outcome": h.outcome,
                            "changed_at": time_text(h.changed_at),
                        }
                        for h in hist.status.get(entry.id, [])
                    ],
                }
                fh.write(("\n" if done == 0 else ",\n") + _dump(item))
                done += 1
            check_progress(progress, done, len(ids))
        fh.write("],\n")
        marks = journal.waterline_history() if flt.is_everything else []
        fh.write(
            '"waterline":'
            + _dump(
                [{"level": m.level, "note": m.note, "set_at": time_text(m.set_at)} for m in marks]
            )
        )
        fh.write(',\n"reviews":' + _dump(_reviews(journal) if flt.is_everything else []))
        fh.write("}\n")
    return report


def _reviews(journal: Journal) -> list[dict[str, Any]]:
    with journal.db.read() as s:
        actions: dict[int, list[dict[str, Any]]] = {}
        for a in s.scalars(select(ReviewAction).order_by(text("acted_at"), text("id"))):
            actions.setdefault(a.review_id, []).append(
                {
                    "entry_id": a.entry_id,
                    "action": a.action,
                    "detail": a.detail,
                    "acted_at": time_text(a.acted_at),
                }
            )
        return [
            {
                "period": r.period,
                "started_at": time_text(r.started_at),
                "finished_at": time_text(r.finished_at),
                "waterline": r.waterline,
                "reflection": r.reflection,
                "step": r.step,
                "position": r.position,
                "actions": actions.get(r.id or 0, []),
            }
            for r in s.scalars(select(ReviewRecord).order_by(ReviewRecord.period))
        ]


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


def read_json(path: Path) -> ImportBatch:
    """Parse a QuestionBook JSON export file, streaming its entries."""
    from questionbook.exchange.reading import json_members

    def fill(batch: ImportBatch) -> None:
        parse_members(json_members(path), str(path), batch)

    return read_in_two_passes(fill, ImportBatch(format="json", authoritative=True))
