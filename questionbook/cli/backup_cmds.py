"""Commands that keep the journal safe: backup, backups, restore-backup, doctor.

``restore-backup`` is not called ``restore`` because ``questionbook restore ID`` already brings an
entry back from the Trash (issue 2); :data:`RESTORE_COMMAND` is the one place that names it.
None of these commands opens the journal through the services: a damaged file must still be
backed up, checked and replaced, and these commands must never migrate or change it first.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook.i18n import _, ngettext

if TYPE_CHECKING:
    from questionbook.cli.main import Context

RESTORE_COMMAND = "restore-backup"
LOCK_SUFFIX = ".lock"  # questionbook.ui.single_instance locks "<journal>.lock"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup",
        help=_("back up the journal now"),
        description=_("Copy the journal into the backups folder (or to PATH) and check the copy."),
    )
    p.add_argument("path", nargs="?", metavar="PATH", help=_("write the copy here instead"))
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("backups", help=_("list the backups with dates and sizes"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backups)

    p = sub.add_parser(
        RESTORE_COMMAND,
        help=_("replace the journal with a backup"),
        description=_(
            "Restore BACKUP (a file, or a name from 'questionbook "
            "backups'; default: the newest good backup). The current "
            "journal is backed up first, or moved aside if it is "
            "damaged; nothing is deleted."
        ),
    )
    p.add_argument("backup", nargs="?", metavar="BACKUP")
    p.set_defaults(func=cmd_restore_backup)

    p = sub.add_parser(
        "doctor",
        help=_("check the journal file for problems"),
        description=_(
            "Check the file's integrity, the search index, orphaned "
            "rows and the schema. Exits 1 if something is wrong."
        ),
    )
    p.add_argument(
        "--repair",
        action="store_true",
        help=_("rebuild the search index and remove orphaned rows (after a backup)"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_doctor)


def human_size(n: int) -> str:
    """A byte count the way people read it: 812 B, 1.4 MB."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def _local(dt: Any) -> str:
    from questionbook.cli.output import local_time

    return local_time(dt)


def restore_hint(ctx_db: Path, default_db: Path | None = None) -> str:
    """The command that restores *ctx_db*: ``questionbook [--db PATH] restore-backup``."""
    db = "" if default_db is not None and Path(ctx_db) == Path(default_db) else f" --db {ctx_db}"
    return f"questionbook{db} {RESTORE_COMMAND}"


def damaged_journal_message(
    error: object, db_path: Path, default_db: Path | None = None, key: Any = None
) -> str:
    """One line for a journal that cannot be opened: what is wrong, the newest good backup and
    the command that restores it (backups encrypted with *key* count as good too)."""
    from questionbook.storage.backup import backups_dir_for, newest_good_backup

    what = " ".join(str(error).split()).rstrip(".")
    newest = newest_good_backup(db_path, key=key)
    if newest is None:
        return _(
            "{what}. There is no good backup in {folder}; 'questionbook doctor' tells "
            "more. The file has not been changed."
        ).format(what=what, folder=backups_dir_for(db_path))
    return _(
        "{what}. The newest good backup is {backup} ({when}); restore it with: {command}"
    ).format(
        what=what,
        backup=newest.path,
        when=_local(newest.created),
        command=restore_hint(db_path, default_db),
    )


def _keep(ctx: Context) -> tuple[int, int, int]:
    from questionbook.settings import load_settings

    s = load_settings(ctx.paths.settings_file)
    return (s.backup_daily, s.backup_weekly, s.backup_monthly)


def cmd_backup(ctx: Context) -> int:
    from questionbook.storage.backup import BackupError, backup_to, make_backup

    db = ctx.db_path
    if not db.is_file():
        raise BackupError(_("there is no journal at {path}").format(path=db))
    if ctx.args.path:
        target = Path(ctx.args.path).expanduser()
        if target.is_dir():
            from datetime import UTC, datetime

            target = target / f"{db.stem}-{datetime.now(UTC):%Y-%m-%dT%H%M%SZ}.sqlite3"
        info = backup_to(db, target, key=ctx.key)
    else:
        info = make_backup(db, keep=_keep(ctx), key=ctx.key)
    print(
        _("Backed up {db} to {path} ({size}), checked.").format(
            db=db, path=info.path, size=human_size(info.size)
        )
    )
    if ctx.key is not None:
        from questionbook.storage.keyfile import key_file_path

        print(
            _(
                "The copy is encrypted; its key file {key} must stay beside it (it opens with "
                "the same passphrase or recovery key)."
            ).format(key=key_file_path(info.path))
        )
    return 0


def cmd_backups(ctx: Context) -> int:
    from questionbook.cli.output import print_json, table
    from questionbook.storage.backup import backups_dir_for, list_backups

    found = list_backups(ctx.db_path)
    if ctx.args.json:
        print_json(
            [
                {
                    "path": str(b.path),
                    "created": b.created.isoformat(),
                    "size": b.size,
                    "label": b.label,
                }
                for b in found
            ]
        )
        return 0
    if not found:
        print(_("No backups yet in {folder}.").format(folder=backups_dir_for(ctx.db_path)))
        return 0
    rows = [[_("DATE"), _("SIZE"), _("NOTE"), _("FILE")]]
    labels = {
        "pre-restore": _("before a restore"),
        "pre-migrate": _("before an upgrade"),
        "pre-repair": _("before a repair"),
    }
    rows += [
        [_local(b.created), human_size(b.size), labels.get(b.label, b.label), b.name] for b in found
    ]
    print(table(rows, flexible=3))
    print(
        ngettext("{n} backup in {folder}", "{n} backups in {folder}", len(found)).format(
            n=len(found), folder=backups_dir_for(ctx.db_path)
        )
    )
    return 0


def app_holding(db_path: Path) -> int | None:
    """The process id of a running QuestionBook window that has *db_path* open, if any.

    Reads the QLockFile the app holds (first line: the pid) without importing Qt.
    """
    lock = Path(f"{db_path}{LOCK_SUFFIX}")
    try:
        pid = int(lock.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    if pid <= 0 or pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except (PermissionError, OSError):
        return pid
    return pid


def _resolve_backup(ctx: Context, name: str) -> Path:
    from questionbook.storage.backup import BackupError, backups_dir_for

    given = Path(name).expanduser()
    if given.is_file():
        return given
    candidate = backups_dir_for(ctx.db_path) / name
    if candidate.is_file():
        return candidate
    raise BackupError(
        _("no backup named {name}; 'questionbook backups' lists them").format(name=name)
    )


def cmd_restore_backup(ctx: Context) -> int:
    from questionbook.storage.backup import BackupError, restore_backup

    db = ctx.db_path
    pid = app_holding(db)
    if pid is not None:
        raise BackupError(
            _(
                "QuestionBook (process {pid}) has this journal open; use File → "
                "Restore from backup… there, or close it first"
            ).format(pid=pid)
        )
    backup = _resolve_backup(ctx, ctx.args.backup) if ctx.args.backup else None
    key = ctx.key
    backup_key = key
    if backup is not None:
        backup_key = _backup_key(ctx, backup, key)
    result = restore_backup(db, backup, key=key, backup_key=backup_key)
    if result.safety_backup is not None:
        print(_("Saved the current journal as {path}.").format(path=result.safety_backup))
    if result.moved_aside is not None:
        print(
            _("Moved the damaged journal aside to {path} (it was not changed).").format(
                path=result.moved_aside
            )
        )
    print(_("Restored {backup} into {db}.").format(backup=result.restored_from, db=db))
    if key is not None and not result.encrypted:
        print(
            _(
                "The backup was not encrypted, so the journal is not encrypted now; "
                "'questionbook encrypt' encrypts it again."
            )
        )
    return 0


def _backup_key(ctx: Context, backup: Path, key: Any) -> Any:
    """The key that opens *backup*: the journal's, none (a plain backup), or asked for (a
    backup encrypted with another key, e.g. from before a ``decrypt``)."""
    from questionbook.storage.keyfile import KeyFileError, key_file_path, read_key_file
    from questionbook.storage.probe import is_encrypted

    if not is_encrypted(backup):
        return None
    try:
        key_id = read_key_file(key_file_path(backup)).key_id
    except KeyFileError:
        return key  # verify_backup names the problem
    if key is not None and key.key_id == key_id:
        return key
    return ctx.unlock(backup, backup.name)


def cmd_doctor(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.i18n import label_value
    from questionbook.storage.doctor import PROBLEM, check_journal

    report = check_journal(ctx.db_path, repair=ctx.args.repair, key=ctx.key)
    if ctx.args.json:
        print_json(
            {
                "path": str(report.path),
                "ok": report.ok,
                "backup": str(report.backup) if report.backup else None,
                "findings": [
                    {"severity": f.severity, "code": f.code, "message": f.message}
                    for f in report.findings
                ],
            }
        )
        return 0 if report.ok else 1
    words = {"ok": _("ok"), "note": _("note"), "problem": _("PROBLEM"), "fixed": _("fixed")}
    print(_("Checking {path}").format(path=report.path))
    for f in report.findings:
        print("  " + label_value(words.get(f.severity, f.severity), f.message))
    if report.backup is not None:
        print(_("A copy was saved first as {path}.").format(path=report.backup))
    if report.ok:
        print(_("No problems found.") if not ctx.args.repair else _("The journal is in order."))
        return 0
    if any(f.code in ("integrity", "file") for f in report.problems):
        sys.stdout.write(
            damaged_journal_message(
                report.problems[0].message, ctx.db_path, ctx.paths.database, key=ctx.known_key
            )
            + "\n"
        )
    elif not ctx.args.repair and all(
        f.severity != PROBLEM or f.code not in ("schema", "access") for f in report.findings
    ):
        print(_("Run 'questionbook doctor --repair' to fix this."))
    return 1
