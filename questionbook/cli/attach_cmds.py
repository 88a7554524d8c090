"""Commands on files and links (issue 18): attach, detach, links; and what ``show`` adds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook.i18n import _, ngettext

if TYPE_CHECKING:
    from questionbook.cli.main import Context
    from questionbook.core.entities import Entry
    from questionbook.core.journal import Journal


def register(sub: Any) -> None:
    p = sub.add_parser(
        "attach",
        help=_("store files inside the journal and attach them to an entry"),
        description=_(
            "Store each FILE inside the journal (the same content is stored once) and attach "
            "it to the entry; a reference to each is added at the end of the body unless "
            "--no-insert is given. Files over the attachment_max_mb setting (50 MB by "
            "default) are refused; nothing is attached unless every file can be."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "--no-insert",
        dest="insert",
        action="store_false",
        help=_("attach without adding a reference to the text"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser(
        "detach",
        help=_("remove an attached file from an entry"),
        description=_(
            "Remove the file called NAME from the entry and its references from the text. "
            "Its bytes are freed when no other entry (the Trash included) holds them."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_detach)

    p = sub.add_parser(
        "links",
        help=_("show the entries an entry links to and those linking to it"),
        description=_(
            "Links are written [[ID|title]] in an entry's text. This lists where they point "
            "(trashed or missing targets are marked) and, under 'Linked from', the entries "
            "that link here, with the sentence around each link."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_links)


def cmd_attach(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.core.attachments import human_size

    files = [Path(f).expanduser() for f in ctx.args.files]
    entry, added = ctx.services.attachments.attach(ctx.args.id, files, insert=ctx.args.insert)
    if ctx.args.json:
        print_json([a.to_json() for a in added])
        return 0
    for a in added:
        print(
            _("Attached {name} ({size}, {mime}) to {title}").format(
                name=a.name, size=human_size(a.size), mime=a.mime, title=entry.title
            )
        )
    return 0


def cmd_detach(ctx: Context) -> int:
    entry, gone = ctx.services.attachments.detach(ctx.args.id, ctx.args.name)
    print(_("Detached {name} from {title}").format(name=gone.name, title=entry.title))
    return 0


def show_json(journal: Journal, entry: Entry) -> dict[str, Any]:
    """What ``show --json`` adds to an entry: ``attachments`` (``name, sha256, size, mime``),
    ``links`` (ids this entry links to) and ``backlinks`` (ids of live entries linking to it)."""
    from questionbook.core.attachment_service import list_attachments
    from questionbook.core.links import backlink_ids, outgoing

    with journal.reading() as conn:
        return {
            "attachments": [a.to_json() for a in list_attachments(conn, entry.id)],
            "links": [t.id for t in outgoing(conn, entry.id)],
            "backlinks": backlink_ids(conn, entry.id),
        }


def print_extras(journal: Journal, entry: Entry) -> None:
    """The attachments and links under ``show``'s text output."""
    from questionbook.core.attachments import human_size

    extra = show_json(journal, entry)
    if extra["attachments"]:
        print()
        print(_("Attachments:"))
        for a in extra["attachments"]:
            print(f"  {a['name']}  {human_size(a['size'])}  {a['mime']}")
    if extra["links"] or extra["backlinks"]:
        print()
        print(
            ngettext("Links to {n} entry", "Links to {n} entries", len(extra["links"])).format(
                n=len(extra["links"])
            )
            + "; "
            + ngettext(
                "linked from {n} entry", "linked from {n} entries", len(extra["backlinks"])
            ).format(n=len(extra["backlinks"]))
            + f" (questionbook links {entry.id[:8]})"
        )


def cmd_links(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.core.links import MISSING, TRASHED, backlinks, outgoing

    journal = ctx.journal
    with journal.reading() as conn:
        from questionbook.core.entry_sql import resolve_id

        entry_id = resolve_id(conn, ctx.args.id)
        out = outgoing(conn, entry_id)
        back = backlinks(conn, entry_id)
    if ctx.args.json:
        print_json(
            {
                "links": [{"id": t.id, "title": t.title, "state": t.state} for t in out],
                "backlinks": [
                    {"id": b.source.id, "title": b.source.title, "sentences": list(b.sentences)}
                    for b in back
                ],
            }
        )
        return 0
    marks = {TRASHED: _("(in the Trash)"), MISSING: _("(missing: deleted for good)")}
    print(_("Links to:") if out else _("Links to: none"))
    for t in out:
        print(f"  {t.id[:8]}  {t.title}  {marks.get(t.state, '')}".rstrip())
    print(_("Linked from:") if back else _("Linked from: none"))
    for b in back:
        print(f"  {b.source.id[:8]}  {b.source.title}")
        for sentence in b.sentences:
            print(f"      “{sentence}”")
    return 0
