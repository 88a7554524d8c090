"""``questionbook sync``: share the journal with other computers through a synced folder.

``sync --folder DIR`` sets the folder up and syncs, ``sync`` syncs now, ``sync --status`` says
what is there, ``sync --conflicts`` lists texts kept from edits made on two computers at once.
``docs/sync.md`` explains how to set it up with Syncthing, Nextcloud or Dropbox.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook.i18n import _, ngettext

if TYPE_CHECKING:
    from questionbook.cli.main import Context
    from questionbook.sync.engine import SyncReport
    from questionbook.sync.service import SyncService, SyncStatus


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sync",
        help=_("sync with other computers through a shared folder"),
        description=_(
            "Share this journal with other computers through a folder that Syncthing, "
            "Nextcloud, Dropbox or similar keeps in step. Each computer writes its own "
            "change files there and reads the others'. Never put the journal file itself "
            "in that folder."
        ),
    )
    p.add_argument("--folder", metavar="DIR", help=_("sync through DIR from now on, then sync"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true", help=_("show devices, pending changes"))
    what.add_argument(
        "--conflicts", action="store_true", help=_("list texts kept from simultaneous edits")
    )
    what.add_argument(
        "--resolve",
        metavar="ID",
        action="append",
        help=_("mark a conflict copy as looked at ('all' for every one)"),
    )
    what.add_argument(
        "--compact",
        action="store_true",
        help=_("write a snapshot and delete this computer's change files all others have read"),
    )
    what.add_argument("--disable", action="store_true", help=_("stop syncing this journal"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_sync)


def _service(ctx: Context) -> SyncService:
    from questionbook.sync.service import SyncService

    return SyncService(ctx.services.db)


def cmd_sync(ctx: Context) -> int:
    from questionbook.cli.output import print_json

    args = ctx.args
    service = _service(ctx)
    if args.disable:
        service.disable()
        print(_("Sync is off for this journal. The folder was left as it is."))
        return 0
    if args.status:
        status = service.status()
        if args.json:
            print_json(status.to_json())
        else:
            _print_status(status)
        return 0
    if args.conflicts:
        return _conflicts(service, as_json=args.json)
    if args.resolve:
        ids = [c.id for c in service.conflicts()] if "all" in args.resolve else args.resolve
        n = service.resolve(_full_ids(service, ids))
        print(
            ngettext(
                "{n} conflict copy marked as seen.", "{n} conflict copies marked as seen.", n
            ).format(n=n)
        )
        return 0
    if args.compact:
        n = service.compact()
        print(
            ngettext(
                "Snapshot written; {n} old file deleted.",
                "Snapshot written; {n} old files deleted.",
                n,
            ).format(n=n)
        )
        return 0
    if args.folder:
        from questionbook.settings import load_settings

        report = service.enable(Path(args.folder), load_settings(ctx.paths.settings_file))
    else:
        report = service.sync()
    if args.json:
        print_json(report.to_json())
    else:
        _print_report(report)
    for line in report.problems:
        sys.stderr.write(_("note: {text}").format(text=line) + "\n")
    return 0


def _full_ids(service: SyncService, given: list[str]) -> list[str]:
    """Conflict copy ids from what was typed (a unique prefix of 4 or more characters)."""
    known = [c.id for c in service.conflicts(include_resolved=True)]
    out = []
    for prefix in given:
        found = [i for i in known if i.startswith(prefix.lower())] if len(prefix) >= 4 else []
        if len(found) != 1:
            from questionbook.core.errors import InvalidValue

            raise InvalidValue(_("no single conflict copy with id {id!r}").format(id=prefix))
        out.extend(found)
    return out


def _print_report(report: SyncReport) -> None:
    print(
        _("Synced: {sent} sent, {received} received.").format(
            sent=report.sent, received=report.received
        )
    )
    if report.conflicts:
        print(
            ngettext(
                "{n} text was edited on two computers at once; both versions are kept "
                "('questionbook sync --conflicts').",
                "{n} texts were edited on two computers at once; both versions are kept "
                "('questionbook sync --conflicts').",
                report.conflicts,
            ).format(n=report.conflicts)
        )
    if report.unsent_files:
        print(
            ngettext(
                "{n} change file could not be written to the folder yet; it waits here.",
                "{n} change files could not be written to the folder yet; they wait here.",
                report.unsent_files,
            ).format(n=report.unsent_files)
        )
    for line in report.waiting:
        print(_("waiting: {text}").format(text=line))


def _print_status(status: SyncStatus) -> None:
    from questionbook.cli.output import local_time, table

    if not status.enabled:
        print(_("Sync is not set up. Run 'questionbook sync --folder DIR'."))
        return
    print(_("Folder: {path}").format(path=status.folder))
    if not status.folder_found:
        print(_("The folder is missing (not mounted?); changes wait here."))
    print(_("This computer: {name} ({id})").format(name=status.name, id=status.device))
    last = local_time(status.last_sync) if status.last_sync else _("never")
    print(_("Last sync: {when}").format(when=last))
    print(_("Changes not yet sent: {n}").format(n=status.pending_changes + status.unsent_files))
    print(_("Conflict copies to look at: {n}").format(n=status.conflicts))
    rows = []
    for d in status.devices:
        seen = local_time(d.last_seen) if d.last_seen else "-"
        label = d.name + (_(" (this computer)") if d.this_device else "")
        rows.append([d.id, label, seen, f"{d.files_read}/{d.files_seen}"])
    if rows:
        print()
        print(table([[_("Device"), _("Name"), _("Last seen"), _("Files read")], *rows], flexible=1))
    for line in status.waiting:
        print(_("waiting: {text}").format(text=line))
    for line in status.problems:
        print(_("note: {text}").format(text=line))


def _conflicts(service: SyncService, *, as_json: bool) -> int:
    from questionbook.cli.output import local_time, print_json

    found = service.conflicts()
    if as_json:
        print_json([c.to_json() for c in found])
        return 0
    if not found:
        print(_("No conflict copies."))
        return 0
    for c in found:
        where = c.entry_id[:8] if c.entry_id else c.table
        print(
            _("{id}  {where} {field}, edited on {device} at {when}:").format(
                id=c.id[:8],
                where=where,
                field=c.field,
                device=c.lost_device,
                when=local_time(c.lost_at),
            )
        )
        for line in c.value.splitlines() or [""]:
            print(f"    {line}")
    return 0
