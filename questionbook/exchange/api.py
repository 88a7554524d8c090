"""The two entry points the CLI and the app use: :func:`export_journal`, :func:`import_path`.

Both take a ``progress(done, total) -> bool`` callback; answering False cancels. A cancelled
export leaves no file behind (it was being written to a temp file); a cancelled import rolls
its one transaction back, so the journal is exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
from datetime import tzinfo
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
    """Export the entries *flt* selects to *path* in *fmt* (markdown, vault or json).

    Refused when *path* is the journal or one of QuestionBook's own files (see
    :func:`check_export_target`). Temporary files an interrupted export to the same *path*
    left behind are removed first, and the report's notes say so.
    """
    path = Path(path).expanduser()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    check_export_target(Path(journal.db.path), path)
    notes = _remove_export_leftovers(path) if fmt != "vault" else []
    if fmt == "markdown":
        from questionbook.exchange.markdown_export import export_markdown

        report = export_markdown(journal, path, flt, progress=progress)
    elif fmt == "vault":
        from questionbook.exchange.vault import export_vault

        report = export_vault(journal, path, flt, progress=progress)
    else:
        from questionbook.exchange.json_export import export_json

        report = export_json(journal, path, flt, progress=progress)
    report.notes[:0] = notes
    return report


def protected_paths(db_path: Path) -> tuple[list[Path], list[Path]]:
    """(files, folders) an export must never write: the journal, its SQLite and lock files,
    its backups folder, and QuestionBook's data and settings folders."""
    from questionbook.paths import AppPaths
    from questionbook.storage.backup import SIDE_FILES, backups_dir_for

    db = Path(db_path).expanduser()
    files = [db, *(Path(f"{db}{s}") for s in (*SIDE_FILES, ".lock", ".writers"))]
    folders = [backups_dir_for(db)]
    paths = AppPaths.default()
    folders += [paths.data_dir, paths.config_dir]
    return [f.resolve() for f in files], [d.resolve() for d in folders]


def check_export_target(db_path: Path, target: Path) -> None:
    """Raise :class:`ExportError` if *target* is the journal, one of its side files, a
    backup, or anything inside QuestionBook's data or settings folder: an export there would
    replace the journal (or a backup) with a text file."""
    from questionbook.core.errors import ExportError

    files, folders = protected_paths(db_path)
    resolved = Path(target).expanduser().resolve()
    hit = resolved in files or any(resolved == d or d in resolved.parents for d in folders)
    if not hit and resolved.exists():
        for f in files:
            with contextlib.suppress(OSError):
                hit = hit or (f.exists() and os.path.samefile(resolved, f))
    if hit:
        raise ExportError(
            _(
                "{path} is the journal or one of QuestionBook's own files or folders; "
                "choose a place outside them for the export"
            ).format(path=target)
        )


def _remove_export_leftovers(path: Path) -> list[str]:
    from questionbook.storage.leftovers import export_leftovers, remove

    return [
        _("Removed {file} ({size:,} bytes), left by an interrupted export.").format(
            file=item.path, size=item.size
        )
        for item in remove(export_leftovers(path))
    ]


def read_batch(
    journal: Journal,
    path: Path,
    fmt: str = "auto",
    progress: Progress | None = None,
    password: str | None = None,
) -> ImportBatch:
    """Parse *path* as *fmt* (``auto`` detects it) without touching the journal. *password*
    opens an encrypted jrnl journal.

    A large JSON or jrnl file is only looked at here: its entries are parsed as
    :func:`~questionbook.exchange.importer.apply_batch` applies them, in its transaction
    (:func:`~questionbook.exchange.incoming.read_once`)."""
    return read_file(path, fmt, progress, password, tz=journal.tz)


def read_file(
    path: Path,
    fmt: str = "auto",
    progress: Progress | None = None,
    password: str | None = None,
    *,
    tz: tzinfo | None,
) -> ImportBatch:
    """:func:`read_batch` before the journal is open: *tz* is the journal's time zone (the
    one a jrnl file's times are in; ``None``: local time)."""
    path = Path(path).expanduser()
    if fmt == "auto":
        from questionbook.exchange.detect import detect

        fmt = detect(path)
    if fmt == "vault":
        from questionbook.exchange.vault import read_vault

        return read_vault(path, progress)
    if path.is_dir():
        raise ImportFormatError(
            _("{path} is a folder; only a vault is imported from a folder").format(path=path)
        )
    if fmt == "json":
        from questionbook.exchange.json_format import read_json

        return read_json(path)
    if fmt == "jrnl":
        from questionbook.exchange.jrnl import parse_jrnl_text, read_jrnl
        from questionbook.exchange.jrnl_crypt import decrypt_jrnl, is_encrypted_jrnl
        from questionbook.exchange.reading import open_input

        with open_input(path) as fh:
            head = fh.read(64)
        if is_encrypted_jrnl(head):
            return parse_jrnl_text(decrypt_jrnl(path, password), str(path), tz)
        return read_jrnl(path, tz)
    if fmt == "markdown":
        from questionbook.exchange.markdown_import import read_markdown_journal

        return read_markdown_journal(path, tz)
    if fmt == "dayone":
        from questionbook.exchange.dayone import read_dayone

        return read_dayone(path)
    raise ValueError(f"unknown import format {fmt!r}")


def import_path(
    journal: Journal,
    path: Path,
    fmt: str = "auto",
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    password: str | None = None,
    alone: bool = False,
    batch: ImportBatch | None = None,
) -> ImportReport:
    """Import *path* into *journal* in one transaction; a dry run only reports. *password*
    opens an encrypted jrnl journal or an encrypted archive (``export --encrypt-to``).
    *alone*: nothing else in this process uses the journal meanwhile (see
    :func:`~questionbook.exchange.importer.apply_batch`). *batch*: *path* already read
    (:func:`read_file`, not an encrypted archive), its reading perhaps started."""
    from questionbook.exchange.age_archive import is_age_file, opened_archive

    if batch is None and Path(path).is_file() and is_age_file(Path(path)):
        with opened_archive(Path(path), password) as inner:
            report = import_path(
                journal, inner, fmt, dry_run=dry_run, progress=progress, alone=alone
            )
        report.source = Path(path)
        return report
    batch = batch or read_batch(journal, path, fmt, progress, password)
    report = ImportReport(source=Path(path), format=batch.format, dry_run=dry_run)
    report = apply_batch(journal, batch, report, dry_run=dry_run, progress=progress, alone=alone)
    if not dry_run and report.added:
        journal.db.refresh_statistics()  # the query planner needs to know the journal grew
    return report
