"""The two entry points the CLI and the app use: :func:`export_journal`, :func:`import_path`.

Both take a ``progress(done, total) -> bool`` callback; answering False cancels. A cancelled
export leaves no file behind (it was being written to a temp file); a cancelled import rolls
its one transaction back, so the journal is exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

from questionbook.core.errors import ImportFormatError
from questionbook.core.journal import Journal
from questionbook.exchange.common import ExportFilter, ExportReport, ImportReport, Progress
from questionbook.exchange.importer import apply_batch
from questionbook.exchange.incoming import ImportBatch
from questionbook.i18n import _

EXPORT_FORMATS = ("markdown", "vault", "json")
IMPORT_FORMATS = ("auto", "json", "markdown", "vault", "jrnl", "dayone")


def export_journal(
    journal: Journal,
    fmt: str,
    path: Path,
    flt: ExportFilter | None = None,
    *,
    progress: Progress | None = None,
) -> ExportReport:
    """Export the entries *flt* selects to *path* in *fmt* (markdown, vault or json)."""
    path = Path(path).expanduser()
    if fmt == "markdown":
        from questionbook.exchange.markdown_export import export_markdown

        return export_markdown(journal, path, flt, progress=progress)
    if fmt == "vault":
        from questionbook.exchange.vault import export_vault

        return export_vault(journal, path, flt, progress=progress)
    if fmt == "json":
        from questionbook.exchange.json_format import export_json

        return export_json(journal, path, flt, progress=progress)
    raise ValueError(f"unknown export format {fmt!r}")


def read_batch(
    journal: Journal, path: Path, fmt: str = "auto", progress: Progress | None = None
) -> ImportBatch:
    """Parse *path* as *fmt* (``auto`` detects it) without touching the journal."""
    path = Path(path).expanduser()
    text = data = None
    if fmt == "auto":
        from questionbook.exchange.detect import detect

        fmt, text, data = detect(path)
    if fmt == "vault":
        from questionbook.exchange.vault import read_vault

        return read_vault(path, progress)
    if path.is_dir():
        raise ImportFormatError(
            _("{path} is a folder; only a vault is imported from a folder").format(path=path)
        )
    if fmt == "json":
        from questionbook.exchange.json_format import parse_document, read_json

        return parse_document(data, str(path)) if data is not None else read_json(path, text)
    if fmt == "jrnl":
        from questionbook.exchange.jrnl import parse_jrnl_json, read_jrnl

        if data is not None:
            return parse_jrnl_json(data, str(path), journal.tz)
        return read_jrnl(path, text, journal.tz)
    if fmt == "markdown":
        from questionbook.exchange.markdown_import import read_markdown_journal

        return read_markdown_journal(path, text, journal.tz)
    if fmt == "dayone":
        from questionbook.exchange.dayone import parse_dayone, read_dayone

        return parse_dayone(data, str(path)) if data is not None else read_dayone(path, text)
    raise ValueError(f"unknown import format {fmt!r}")


def import_path(
    journal: Journal,
    path: Path,
    fmt: str = "auto",
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import *path* into *journal* in one transaction; a dry run only reports."""
    batch = read_batch(journal, path, fmt, progress)
    report = ImportReport(source=Path(path), format=batch.format, dry_run=dry_run)
    report = apply_batch(journal, batch, report, dry_run=dry_run, progress=progress)
    if not dry_run and report.added:
        journal.db.refresh_statistics()  # the query planner needs to know the journal grew
    return report
