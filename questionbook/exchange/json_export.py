"""Writing the lossless JSON export (:mod:`questionbook.exchange.json_format` describes the
document and reads it back).

Apart from the reading side so that each module stays one job: the export streams the journal
a page of entries at a time into the file (with the attachments copied beside it), the reading
side validates a file and is what the import's reading process loads.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from questionbook import __version__
from questionbook.core import rows
from questionbook.core.entities import Entry, Trial
from questionbook.core.journal import Journal
from questionbook.core.schema import ENTRY, REVIEW, REVIEW_ACTION, ReviewActionRow, ReviewRow
from questionbook.exchange.attachment_files import held_by_page, write_blobs
from questionbook.exchange.common import (
    ExportFilter,
    ExportReport,
    Progress,
    atomic_writer,
    check_progress,
    time_text,
)
from questionbook.exchange.selection import histories, iter_pages, select_ids, trials_for
from questionbook.exchange.writing_json import rows_json


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
    folder = attachments_folder(Path(path))
    blobs: dict[str, tuple[int, str]] = {}
    with atomic_writer(path) as fh:
        fh.write('{"format":"questionbook","version":1,')
        fh.write(f'"app_version":{_dump(__version__)},')
        fh.write(f'"exported_at":{_dump(time_text(now or journal.clock()))},\n"entries":[')
        done = 0
        for page in iter_pages(journal, ids):
            hist = histories(journal, [e.id for e in page])
            page_trials = trials_for(journal, [e.id for e in page])
            held = held_by_page(journal, [e.id for e in page])
            new = {h.sha256: h for files in held.values() for h in files if h.sha256 not in blobs}
            report.attachments += write_blobs(
                journal, folder, ((h.sha256, h.sha256, h.size) for h in new.values())
            )
            blobs.update((h.sha256, (h.size, h.mime)) for h in new.values())
            for entry in page:
                item = entry_fields_json(entry) | {
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
                if entry.id in page_trials:
                    item["trials"] = [trial_json(t) for t in page_trials[entry.id]]
                if entry.id in held:
                    item["attachments"] = [
                        {"name": h.name, "sha256": h.sha256, "inline": h.inline}
                        for h in held[entry.id]
                    ]
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
        if flt.is_everything:  # templates and the user's prompts (issue 19)
            for key, items in rows_json(journal).items():
                fh.write(f",\n{_dump(key)}:" + _dump(items))
        if blobs:
            files = [{"sha256": k, "size": s, "mime": m} for k, (s, m) in blobs.items()]
            fh.write(',\n"attachments":' + _dump({"folder": folder.name, "files": files}))
        fh.write("}\n")
    return report


def trial_json(trial: Trial) -> dict[str, Any]:
    """A trial as exported: its entry is the one it is listed under; the time exact UTC."""
    return {
        "id": trial.id,
        "asked_at": time_text(trial.asked_at),
        "model": trial.model,
        "prompt": trial.prompt,
        "answer": trial.answer,
        "verdict": trial.verdict,
        "note": trial.note,
    }


def attachments_folder(path: Path) -> Path:
    """``journal.json`` → ``journal.attachments/`` beside it."""
    return path.with_name(f"{path.stem}.attachments")


def entry_fields_json(entry: Entry) -> dict[str, Any]:
    """Every stored field of *entry*, by its declaration (a new field is exported with no
    change here): times as exact UTC text, tags as a list."""
    out: dict[str, Any] = {}
    for col in ENTRY.columns:
        if col.field in ENTRY.by_field and col.field != "num":
            value = getattr(entry, col.field)
            if col.codec == "time":
                value = time_text(value)
            elif col.codec == "date":
                value = None if value is None else value.isoformat()
            elif col.codec == "tags":
                value = list(value)
            out[col.field] = value
    return out


def _reviews(journal: Journal) -> list[dict[str, Any]]:
    with journal.reading() as conn:
        reviews = rows.fetch(
            conn, ReviewRow, REVIEW, "SELECT {columns} FROM review ORDER BY period"
        )
        actions: dict[int, list[dict[str, Any]]] = {}
        for a in rows.fetch(
            conn,
            ReviewActionRow,
            REVIEW_ACTION,
            "SELECT {columns} FROM review_action ORDER BY acted_at, id",
        ):
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
        for r in reviews
    ]
