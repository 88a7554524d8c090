"""One readable Markdown journal: entries grouped by local day, oldest first.

Each entry is a level-3 heading under its day's level-2 heading, so headings written inside a
body are demoted by three levels (capped at 6) to keep that structure; lines inside fenced code
blocks are never touched (jrnl demotes ``# comments`` in code, which breaks the code).

Attachments are written to a folder next to the file (``journal.md`` → ``journal.attachments/``)
and linked relatively, so the journal and its pictures open together anywhere; ``[[links]]``
between entries are written as the target's current title in double brackets.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import datetime, tzinfo
from pathlib import Path

from questionbook.core.entities import Entry, Trial
from questionbook.core.journal import Journal
from questionbook.core.links import parse_links, replace_links, targets
from questionbook.core.timeutil import to_local
from questionbook.core.vocabulary import HARDNESS, KIND_LABELS, STATUS_LABELS, Kind
from questionbook.exchange.attachment_files import (
    Namer,
    held_by_page,
    quote_path,
    rewrite_references,
    write_blobs,
)
from questionbook.exchange.common import (
    ExportFilter,
    ExportReport,
    Progress,
    atomic_writer,
    check_progress,
)
from questionbook.exchange.evidence_md import render_journal_section
from questionbook.exchange.selection import iter_pages, select_ids, trials_for
from questionbook.i18n import N_, _, join_list, label_value, ngettext

_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
ENTRY_LEVEL = 3
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def demote_headings(body: str, by: int = ENTRY_LEVEL) -> str:
    """Push every Markdown heading in *body* down *by* levels, except inside fenced code."""
    lines = body.split("\n")
    out: list[str] = []
    fence: str | None = None
    prev_para = False
    for line in lines:
        if fence is not None:
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
            continue
        m = _FENCE_OPEN.match(line)
        if m:
            fence = m.group(1)
            out.append(line)
            prev_para = False
            continue
        setext = _SETEXT.match(line)
        if setext and prev_para and out:
            level = 1 if setext.group(1)[0] == "=" else 2
            out[-1] = "#" * min(6, level + by) + " " + out[-1].strip()
            prev_para = False
            continue
        m = _ATX.match(line)
        if m:
            level = min(6, len(m.group(2)) + by)
            line = m.group(1) + "#" * level + line[m.end() :]
            prev_para = False
        else:
            prev_para = bool(line.strip()) and not line.startswith(("    ", "\t"))
        out.append(line)
    return "\n".join(out)


def meta_line(entry: Entry, tz: tzinfo | None = None) -> str:
    """Kind · status · hardness · #tags · local time, in the user's language."""
    parts = [_(KIND_LABELS[Kind(entry.kind)])]
    if entry.status:
        parts.append(_(STATUS_LABELS.get(entry.status, entry.status)))
    parts.append(_("unrated") if entry.hardness is None else HARDNESS[entry.hardness].label)
    if entry.tags:
        parts.append(" ".join(f"#{t}" for t in entry.tags))
    parts.append(to_local(entry.created_at, tz).strftime("%H:%M"))
    if entry.starred:
        parts.insert(0, "★")
    return " · ".join(parts)


def _escape_inline(text: str) -> str:
    """Keep a title on its heading line and stop it from starting a list or another heading."""
    text = " ".join(text.split())
    return re.sub(r"^([#>+\-*]|\d+[.)])", r"\\\1", text)


def render_entry(entry: Entry, tz: tzinfo | None = None, trials: Sequence[Trial] = ()) -> str:
    from questionbook.exchange.markdown_import import entry_marker  # the reader owns the format

    out = [
        f"{'#' * ENTRY_LEVEL} {_escape_inline(entry.title)}",
        entry_marker(entry),  # invisible when rendered; lets an import match the entry again
        "",
        f"*{meta_line(entry, tz)}*",
    ]
    if entry.body.strip():
        out += ["", demote_headings(entry.body.strip("\n"))]
    if entry.outcome.strip():
        out += ["", f"**{_('Outcome')}:** {demote_headings(entry.outcome.strip())}"]
    out += render_journal_section(trials, tz)
    return "\n".join(out).rstrip("\n") + "\n"


def export_markdown(
    journal: Journal,
    path: Path,
    flt: ExportFilter | None = None,
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ExportReport:
    """Write the selected entries as one Markdown file grouped by day."""
    flt = flt or ExportFilter()
    ids = select_ids(journal, flt)
    tz = journal.tz
    report = ExportReport(path=Path(path), entries=len(ids), files_written=1)
    check_progress(progress, 0, len(ids))
    stamp = to_local(now or journal.clock(), tz).strftime("%Y-%m-%d %H:%M")
    folder = Path(path).with_name(f"{Path(path).stem}.attachments")
    namer = Namer(blocked=lambda name: (folder / name).is_symlink())
    sizes: dict[str, int] = {}
    with atomic_writer(path) as fh:
        fh.write(f"# {_('QuestionBook journal')}\n\n")
        fh.write(
            _("Exported {when}: {count}.").format(
                when=stamp, count=ngettext("{n} entry", "{n} entries", len(ids)).format(n=len(ids))
            )
        )
        fh.write("\n")
        day = None
        done = 0
        for page in iter_pages(journal, ids):
            page_trials = trials_for(journal, [e.id for e in page])
            held = held_by_page(journal, [e.id for e in page])
            titles = _link_titles(journal, page)
            for entry in page:
                names = {h.sha256: h.name for h in held.get(entry.id, [])}
                sizes.update((h.sha256, h.size) for h in held.get(entry.id, []))

                def relative(sha: str, name: str, names: dict[str, str] = names) -> str | None:
                    if sha not in names:
                        return None
                    return quote_path(f"{folder.name}/{namer.name(sha, names.get(sha, name))}")

                def title_of(
                    target: str, label: str | None, titles: dict[str, str] = titles
                ) -> str:
                    return f"[[{titles.get(target) or label or target[:8]}]]"

                body = replace_links(rewrite_references(entry.body, relative), title_of)
                loose = [
                    f"[{h.name}]({quote_path(f'{folder.name}/{namer.name(h.sha256, h.name)}')})"
                    for h in held.get(entry.id, [])
                    if not h.inline
                ]
                if loose:  # files attached without a reference in the text
                    attached = label_value(_("Attached"), join_list(loose))
                    body = body.rstrip("\n") + "\n\n" + attached
                if body != entry.body:
                    entry = dataclasses.replace(entry, body=body)
                local = to_local(entry.created_at, tz)
                if local.date() != day:
                    day = local.date()
                    fh.write(f"\n## {day.isoformat()} {_(WEEKDAYS[day.weekday()])}\n")
                fh.write("\n" + render_entry(entry, tz, page_trials.get(entry.id, ())))
                done += 1
            check_progress(progress, done, len(ids))
        report.attachments = write_blobs(
            journal, folder, ((sha, name, sizes[sha]) for sha, name in namer.by_sha.items())
        )
    return report


def _link_titles(journal: Journal, page: list[Entry]) -> dict[str, str]:
    wanted = sorted({t for e in page for t in parse_links(e.body)})
    if not wanted:
        return {}
    with journal.reading() as conn:
        return {t.id: t.title for t in targets(conn, wanted).values() if t.title}
