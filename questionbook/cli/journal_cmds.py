"""Commands on entries: add, list, search, show, edit, rm, restore, tags, waterline."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from questionbook.cli.evidence_cmds import (
    add_evidence_edit_options,
    evidence_edit_changes,
    print_entry_evidence,
)
from questionbook.i18n import _, ngettext

if TYPE_CHECKING:
    from questionbook.cli.main import Context
    from questionbook.core.entities import Entry, EntrySummary

KIND_CHOICES = ("question", "plan", "note")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "add",
        help=_("add an entry (first line = title)"),
        description=_(
            "Add an entry. The first line of TEXT is the title, the "
            "rest the body; without TEXT (or with -) it reads "
            "standard input."
        ),
    )
    p.add_argument("text", nargs="*", metavar="TEXT")
    p.add_argument(
        "-k", "--kind", help=_("question, plan or note (default: the template's, or question)")
    )
    p.add_argument(
        "-T",
        "--template",
        metavar="TEMPLATE",
        help=_("start the body from a template (see 'questionbook templates')"),
    )
    p.add_argument("-H", "--hardness", help=_("0-4 or a level name"))
    p.add_argument("-t", "--tag", action="append", default=[], metavar="TAG")
    p.add_argument("--status", metavar="S")
    p.add_argument("--date", metavar="DATETIME", help=_("creation time (for backdating)"))
    p.add_argument("--star", action="store_true")
    p.add_argument("--reach", metavar="N", help=_("how hard it is for you: 0-4 or a reach name"))
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("list", help=_("list entries, newest first"))
    p.add_argument("--kind", choices=KIND_CHOICES)
    p.add_argument("--status", metavar="S")
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--hardness-min", type=int, metavar="N")
    p.add_argument("--hardness-max", type=int, metavar="N")
    p.add_argument("--since", metavar="DATE")
    p.add_argument("--until", metavar="DATE")
    p.add_argument("--starred", action="store_true")
    p.add_argument("--submerged", action="store_true")
    p.add_argument("--trash", action="store_true", help=_("list the Trash"))
    _limit_and_json(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "search",
        help=_("search titles, bodies, tags and outcomes"),
        description=_(
            'Query language: words, "exact phrase", -exclude, #tag, '
            "kind:plan, status:open, hardness>=3, is:starred, "
            "is:submerged, before:YYYY-MM-DD, after:YYYY-MM-DD, "
            "reach>=3, is:edge, is:moonshot, is:delegate, is:sealed, has:trial, verdict:failed, "
            "links:ID (entries linking to ID), linked-from:ID (entries ID links to)."
        ),
    )
    p.add_argument("query", nargs="+", metavar="QUERY")
    _limit_and_json(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help=_("show one entry"))
    p.add_argument("id", metavar="ID", help=_("an id or a unique prefix of one"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("edit", help=_("change an entry's fields"))
    p.add_argument("id", metavar="ID")
    p.add_argument("--title", metavar="T")
    p.add_argument("--body", metavar="B", help=_("new body; - reads standard input"))
    p.add_argument("--kind", choices=KIND_CHOICES)
    p.add_argument("--status", metavar="S")
    p.add_argument("--outcome", metavar="O")
    p.add_argument("--hardness", "-H", metavar="H", help=_("0-4, a level name, or none"))
    p.add_argument(
        "--tag",
        "-t",
        action="append",
        default=[],
        metavar="+X|-X",
        help=_("+x (or x) adds a tag, -x removes it"),
    )
    star = p.add_mutually_exclusive_group()
    star.add_argument("--star", dest="starred", action="store_const", const=True)
    star.add_argument("--unstar", dest="starred", action="store_const", const=False)
    p.add_argument("--date", metavar="DATETIME")
    p.add_argument(
        "--revisit",
        metavar="DATE",
        help=_("see it again in the review on DATE (YYYY-MM-DD, +30d, +2w, +3m); none clears it"),
    )
    p.add_argument("--json", action="store_true")
    add_evidence_edit_options(p)
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("rm", help=_("move an entry to the Trash"))
    p.add_argument("id", metavar="ID")
    p.add_argument("--purge", action="store_true", help=_("delete for good (no Trash)"))
    p.set_defaults(func=cmd_rm)

    p = sub.add_parser(
        "restore",
        help=_("bring an entry back from the Trash, or restore a backup"),
        description=_(
            "With an entry ID, bring that entry back from the Trash. With a backup (a file or "
            "a name from 'questionbook backups'), or with nothing, restore the journal from "
            "that backup or the newest good one (same as 'questionbook restore-backup')."
        ),
    )
    p.add_argument("target", nargs="?", metavar="ID|BACKUP")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "tags",
        help=_("list tags with counts; rename or merge a tag"),
        description=_(
            "List tags (full paths such as ml/grokking) with their counts, or as a tree whose "
            "parents count the entries of their whole subtree. --rename OLD NEW renames a tag "
            "and everything under it, merging into NEW if it exists, and rewrites the #tags "
            "written in the entries."
        ),
    )
    p.add_argument("--tree", action="store_true", help=_("show nested tags as a tree"))
    p.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help=_("rename (or merge) a tag"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tags)

    p = sub.add_parser("waterline", help=_("show or set where AI stands now (0-4)"))
    p.add_argument("level", nargs="?", metavar="LEVEL")
    p.add_argument("--note", "-n", default="", metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_waterline)


#: Larger limits mean "all" (SQLite's integers stop at 2**63; nobody has that many entries).
MAX_LIMIT = 1_000_000_000


def limit_value(text: str) -> int:
    """``--limit N``: a whole number, 0 or more; 0 and anything above :data:`MAX_LIMIT` mean
    all entries."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {text!r}").format(text=text)
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be 0 (all) or more"))
    return 0 if value > MAX_LIMIT else value


def _limit_and_json(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--limit",
        "-n",
        type=limit_value,
        default=100,
        metavar="N",
        help=_("at most N entries (0 = all)"),
    )
    p.add_argument("--json", action="store_true", help=_("print a JSON array"))


def _read_stdin() -> str:
    if sys.stdin is None or sys.stdin.closed:
        return ""
    if sys.stdin.isatty():
        sys.stderr.write(_("Type the entry; finish with Ctrl-D.") + "\n")
    return sys.stdin.read()


def cmd_add(ctx: Context) -> int:
    from questionbook.core.entry_sql import new_entry
    from questionbook.core.timeutil import parse_datetime, utcnow

    a = ctx.args
    text = "\n".join(a.text) if a.text and a.text != ["-"] else _read_stdin()
    kind = a.kind
    if a.template:
        from questionbook.cli.writing_cmds import template_body

        template_kind, body = template_body(ctx, a.template)
        kind = kind or template_kind
        text = f"{text.rstrip()}\n\n{body}" if body.strip() else text
    new = new_entry(
        "",
        text,
        kind=kind or "question",
        status=a.status,
        hardness=a.hardness,
        tags=a.tag,
        starred=a.star,
        created_at=parse_datetime(a.date) if a.date else None,
        now=utcnow(),
        reach=a.reach,
    )
    entry = ctx.journal.insert(new)
    print(entry.id)
    return 0


def _query_from_list_args(a: argparse.Namespace) -> Any:
    from datetime import timedelta

    from questionbook.core.query import Query
    from questionbook.core.tags import clean_tag
    from questionbook.core.timeutil import parse_date
    from questionbook.core.vocabulary import parse_hardness

    q = Query(
        kinds=[a.kind] if a.kind else [],
        statuses=[a.status.lower()] if a.status else [],
        tags=[t for t in map(clean_tag, a.tag) if t],
        hardness_min=parse_hardness(a.hardness_min),
        hardness_max=parse_hardness(a.hardness_max),
        starred=a.starred or None,
        submerged=a.submerged or None,
    )
    if a.since:
        q.after = parse_date(a.since) - timedelta(days=1)
    if a.until:
        q.before = parse_date(a.until) + timedelta(days=1)
    return q


def cmd_list(ctx: Context) -> int:
    a = ctx.args
    query = _query_from_list_args(a)
    rows = ctx.journal.find(query, trash=a.trash, limit=a.limit or None)
    _print_summaries(ctx, rows, as_json=a.json, empty=_("No entries."))
    return 0


def parsed_query(text: str) -> Any:
    """The query in *text*; a bad operator value is a usage error (exit 2) naming it."""
    from questionbook.core.errors import UsageError
    from questionbook.core.query import parse_query

    query = parse_query(text)
    if query.problems:
        raise UsageError("; ".join(p.message for p in query.problems))
    return query


def cmd_search(ctx: Context) -> int:
    a = ctx.args
    rows = ctx.journal.find(parsed_query(" ".join(a.query)), limit=a.limit or None)
    _print_summaries(ctx, rows, as_json=a.json, empty=_("Nothing found."))
    return 0


def _print_summaries(ctx: Context, rows: list[EntrySummary], *, as_json: bool, empty: str) -> None:
    from questionbook.cli.output import print_json

    if as_json:
        entries = ctx.journal.entries([r.id for r in rows])
        print_json([e.to_json() for e in entries])
        return
    if not rows:
        print(empty)
        return
    print(summary_table(rows, ctx.journal.waterline()))


def summary_table(rows: list[EntrySummary], waterline: int) -> str:
    """The compact list shown by ``list``, ``search`` and ``waterline``."""
    from questionbook.cli.output import local_time, table
    from questionbook.core.vocabulary import HARDNESS, STATUS_LABELS, is_submerged

    kind_marks = {"question": "?", "plan": "!", "note": "·"}
    out = []
    for r in rows:
        level = "-" if r.hardness is None else f"{r.hardness} {HARDNESS[r.hardness].label}"
        if is_submerged(r.hardness, waterline):
            level += " ≈"
        title = ("★ " if r.starred else "") + r.title
        tags = " ".join(f"#{t}" for t in r.tags if f"#{t}" not in r.title)
        out.append(
            [
                r.id[:8],
                kind_marks.get(r.kind, r.kind),
                _(STATUS_LABELS.get(r.status or "", "")) if r.status else "",
                level,
                local_time(r.created_at, fmt="%Y-%m-%d"),
                f"{title}  {tags}".rstrip(),
            ]
        )
    return table(out, flexible=-1)


def print_entry(entry: Entry, waterline: int) -> None:
    from questionbook.cli.output import local_time
    from questionbook.core.vocabulary import (
        HARDNESS,
        KIND_LABELS,
        STATUS_LABELS,
        Kind,
        is_submerged,
    )
    from questionbook.i18n import label_value

    print(("★ " if entry.starred else "") + entry.title)
    meta = [_(KIND_LABELS[Kind(entry.kind)])]
    if entry.status:
        meta.append(_(STATUS_LABELS[entry.status]))
    if entry.hardness is None:
        meta.append(_("unrated"))
    else:
        h = HARDNESS[entry.hardness]
        meta.append(f"{h.level} {h.label}")
        if is_submerged(entry.hardness, waterline):
            meta.append(_("submerged"))
    meta.append(local_time(entry.created_at))
    print("  ".join(meta))
    print(_("id: {id}").format(id=entry.id))
    if entry.tags:
        print(" ".join(f"#{t}" for t in entry.tags))
    if entry.parent_id:
        print(_("follows up: {id}").format(id=entry.parent_id[:8]))
    if entry.revisit_on is not None:
        print(label_value(_("Revisit on"), entry.revisit_on.isoformat()))
    if entry.in_trash:
        print(_("(in the Trash)"))
    if entry.body:
        print()
        print(entry.body)
    if entry.outcome:
        print()
        print(_("Outcome: {text}").format(text=entry.outcome))


def cmd_show(ctx: Context) -> int:
    from questionbook.cli.attach_cmds import print_extras, show_json
    from questionbook.cli.output import print_json

    entry = ctx.journal.get(ctx.args.id)
    if ctx.args.json:
        print_json(entry.to_json() | show_json(ctx.journal, entry))
    else:
        print_entry(entry, ctx.journal.waterline())
        print_entry_evidence(ctx, entry)
        print_extras(ctx.journal, entry)
    return 0


def cmd_edit(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.core.journal import UNSET
    from questionbook.core.timeutil import parse_datetime

    a = ctx.args
    add = [t.lstrip("+") for t in a.tag if not t.startswith("-")]
    remove = [t[1:] for t in a.tag if t.startswith("-")]
    body = _read_stdin() if a.body == "-" else a.body
    entry = ctx.services.journal.update(
        a.id,
        title=a.title,
        body=body,
        kind=a.kind,
        status=a.status,
        outcome=a.outcome,
        hardness=UNSET if a.hardness is None else a.hardness,
        starred=a.starred,
        created_at=parse_datetime(a.date) if a.date else None,
        add_tags=add,
        remove_tags=remove,
        revisit=UNSET if a.revisit is None else a.revisit,
        **evidence_edit_changes(a),
    )
    if a.json:
        print_json(entry.to_json())
    else:
        print(_("Saved {id}: {title}").format(id=entry.id[:8], title=entry.title))
    return 0


def cmd_rm(ctx: Context) -> int:
    journal = ctx.services.journal
    if ctx.args.purge:
        entry = journal.get(ctx.args.id)
        journal.purge(entry.id)
        print(_("Deleted for good: {title}").format(title=entry.title))
        return 0
    entry = journal.delete(ctx.args.id)
    print(
        _("Moved to the Trash: {title} (undo: questionbook restore {id})").format(
            title=entry.title, id=entry.id[:8]
        )
    )
    return 0


def _names_a_backup(ctx: Context, target: str) -> bool:
    from pathlib import Path

    from questionbook.storage.backup import backups_dir_for

    return Path(target).expanduser().is_file() or (backups_dir_for(ctx.db_path) / target).is_file()


def cmd_restore(ctx: Context) -> int:
    target = ctx.args.target
    if target is None or _names_a_backup(ctx, target):
        from questionbook.cli.backup_cmds import cmd_restore_backup

        ctx.args.backup = target
        return cmd_restore_backup(ctx)
    entry = ctx.services.journal.restore(target)
    print(_("Restored: {title}").format(title=entry.title))
    return 0


def cmd_tags(ctx: Context) -> int:
    from questionbook.cli.output import print_json, table

    if ctx.args.rename:
        return _rename_tag(ctx, *ctx.args.rename)
    if ctx.args.tree:
        return _tag_tree(ctx)
    counts = ctx.journal.tag_counts()
    if ctx.args.json:
        print_json([{"tag": t.name, "count": t.count} for t in counts])
    elif not counts:
        print(_("No tags yet. Write #tag in an entry, or use --tag."))
    else:
        print(table([[f"#{t.name}", str(t.count)] for t in counts], flexible=0))
    return 0


def _rename_tag(ctx: Context, old: str, new: str) -> int:
    from questionbook.cli.output import print_json
    from questionbook.i18n import ngettext

    done = ctx.services.tags.rename(old, new)
    if ctx.args.json:
        print_json(
            {
                "old": done.old,
                "new": done.new,
                "tags": done.tags,
                "merged": done.merged,
                "entries": done.entries,
            }
        )
        return 0
    changed = ngettext("{n} entry changed", "{n} entries changed", done.entries).format(
        n=done.entries
    )
    if done.merged:
        print(
            _("Merged #{old} into #{new}; {changed}.").format(
                old=done.old, new=done.new, changed=changed
            )
        )
    else:
        print(
            _("Renamed #{old} to #{new}; {changed}.").format(
                old=done.old, new=done.new, changed=changed
            )
        )
    return 0


def _tag_tree(ctx: Context) -> int:
    from questionbook.cli.output import print_json, width
    from questionbook.core.tag_service import TagNode, TagService

    tree = TagService(ctx.journal.db).tree()  # a read: the quick path will do

    def as_json(node: TagNode) -> dict[str, Any]:
        return {
            "tag": node.name,
            "name": node.label,
            "count": node.count,
            "own": node.own,
            "children": [as_json(c) for c in node.children],
        }

    if ctx.args.json:
        print_json([as_json(n) for n in tree])
        return 0
    if not tree:
        print(_("No tags yet. Write #tag in an entry, or use --tag."))
        return 0
    lines: list[tuple[str, int]] = []

    def walk(node: TagNode, depth: int) -> None:
        lines.append((f"{'  ' * depth}{node.label}" if depth else f"#{node.name}", node.count))
        for child in node.children:
            walk(child, depth + 1)

    for root in tree:
        walk(root, 0)
    wide = max(width(name) for name, _n in lines)
    for name, n in lines:  # by hand: a table would collapse the indentation
        print(f"{name}{' ' * (wide - width(name))}  {n}")
    return 0


def cmd_waterline(ctx: Context) -> int:
    from questionbook.cli.output import local_time, print_json
    from questionbook.core.vocabulary import HARDNESS

    journal = ctx.services.journal
    a = ctx.args
    if a.level is None:
        level = journal.waterline()
        history = journal.waterline_history()
        if a.json:
            print_json(
                {
                    "level": level,
                    "history": [
                        {
                            "level": h.level,
                            "note": h.note,
                            "set_at": h.set_at.astimezone().isoformat(),
                        }
                        for h in history
                    ],
                }
            )
            return 0
        print(_("Waterline: {level} {name}").format(level=level, name=HARDNESS[level].label))
        print(f"  {HARDNESS[level].description}")
        for h in history[-10:]:
            note = f"  {h.note}" if h.note else ""
            print(f"  {local_time(h.set_at)}  {h.level} {HARDNESS[h.level].label}{note}")
        return 0
    result = journal.set_waterline(a.level, a.note)
    if a.json:
        print_json(
            {
                "previous": result.previous,
                "level": result.level,
                "newly_submerged": [s.id for s in result.newly_submerged],
            }
        )
        return 0
    print(
        _("Waterline: {old} → {new} {name}").format(
            old=result.previous, new=result.level, name=HARDNESS[result.level].label
        )
    )
    if result.newly_submerged:
        n = len(result.newly_submerged)
        print(
            ngettext(
                "The water now covers {n} more entry:", "The water now covers {n} more entries:", n
            ).format(n=n)
        )
        print(summary_table(result.newly_submerged, result.level))
    return 0
