"""Read the app's own single-file Markdown journal back (``export --format markdown``).

The file is written for people, in the exporter's language: day headings, each entry a level-3
heading, a meta line (★ · kind · status · hardness · #tags · time), the body with its headings
demoted by three levels, and an optional ``**Outcome:**`` paragraph. Each entry also carries an
invisible HTML comment with its id and exact creation time (:func:`entry_marker`), so importing the
file again updates entries instead of duplicating them; a file written by hand or edited without
those comments still imports, from the visible parts (new ids, times from the day heading).

Labels are recognised in English and Chinese, whichever language wrote the file.
"""

from __future__ import annotations

import gettext
import re
import uuid
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path

from questionbook.core.entities import Entry
from questionbook.core.errors import ImportFormatError
from questionbook.core.timeutil import to_utc
from questionbook.core.vocabulary import HARDNESS, KIND_LABELS, STATUS_LABELS
from questionbook.exchange.common import parse_time
from questionbook.exchange.evidence_md import TRIALS_MARKER
from questionbook.exchange.incoming import ImportBatch, Incoming, canonical_id, normalise
from questionbook.exchange.markdown_export import ENTRY_LEVEL
from questionbook.i18n import DOMAIN, LOCALE_DIR, _

#: Fields the single-file Markdown journal does not hold: existing entries keep theirs.
NOT_IN_FILE = frozenset({"parent_id", "deleted_at", "last_reviewed_at", "snoozed_until"})
MARKER = "questionbook"
_MARKER_RE = re.compile(
    r"^<!--\s*questionbook\s+id=([0-9a-fA-F-]{32,36})\s+created=(\S+)(?:\s+updated=(\S+))?\s*-->$"
)
_DAY_RE = re.compile(r"^## (\d{4}-\d{2}-\d{2})\b")
_ENTRY_RE = re.compile(r"^### (.*)$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def entry_marker(entry: Entry) -> str:
    """The invisible line that lets an exported entry be matched when the file comes back (and
    an old file never undo newer work: the entry's last change is in it too)."""
    created = entry.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    updated = entry.updated_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"<!-- {MARKER} id={entry.id} created={created} updated={updated} -->"


def _labels() -> tuple[dict[str, str], dict[str, str], dict[str, int], set[str], str]:
    """Kind, status and hardness labels → values, in English and Chinese; the outcome labels."""
    zh = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
    kinds: dict[str, str] = {}
    statuses: dict[str, str] = {}
    levels: dict[str, int] = {}
    for translate in (str, zh.gettext):
        kinds |= {translate(label).lower(): kind.value for kind, label in KIND_LABELS.items()}
        statuses |= {translate(label).lower(): key for key, label in STATUS_LABELS.items()}
        levels |= {translate(h.name).lower(): h.level for h in HARDNESS}
    outcomes = {"outcome", zh.gettext("Outcome").lower()}
    unrated = "|".join(re.escape(u) for u in ("unrated", zh.gettext("unrated")))
    return kinds, statuses, levels, outcomes, unrated


def looks_like_markdown_journal(text: str) -> bool:
    """True for a file this module can read: our markers, or our headings in either language."""
    if f"<!-- {MARKER} id=" in text[:20000]:
        return True
    zh = gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    titles = {"# QuestionBook journal", f"# {zh.gettext('QuestionBook journal')}"}
    return first in titles and any(_DAY_RE.match(line) for line in text.splitlines()[:200])


def _promote(body: str) -> str:
    """Undo the export's heading demotion (outside fenced code)."""
    out, fence = [], None
    for line in body.split("\n"):
        m = _FENCE_RE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
        elif m:
            fence = m.group(1)
        else:
            heading = re.match(r"^( {0,3})(#{4,6})(?=[ \t]|$)", line)
            if heading:
                line = (
                    heading.group(1)
                    + "#" * (len(heading.group(2)) - ENTRY_LEVEL)
                    + line[heading.end() :]
                )
        out.append(line)
    return "\n".join(out)


def _split_entries(text: str) -> list[tuple[date | None, list[str]]]:
    """(day, lines) of each entry: its heading line first. Headings inside code don't count."""
    entries: list[tuple[date | None, list[str]]] = []
    day: date | None = None
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE_RE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
        elif m:
            fence = m.group(1)
        elif (d := _DAY_RE.match(line)) is not None:
            try:
                day = date.fromisoformat(d.group(1))
            except ValueError:
                day = None
            continue
        elif _ENTRY_RE.match(line):
            entries.append((day, [line]))
            continue
        if entries:
            entries[-1][1].append(line)
    return entries


def _unescape_title(text: str) -> str:
    return re.sub(r"^\\([#>+\-*]|\d+[.)])", r"\1", text.strip())


def parse_markdown_journal(text: str, name: str, tz: tzinfo | None = None) -> ImportBatch:
    """Entries of a Markdown journal written by :mod:`questionbook.exchange.markdown_export`."""
    kinds, statuses, levels, outcomes, unrated = _labels()
    outcome_re = re.compile(
        r"^\*\*(?:" + "|".join(map(re.escape, outcomes)) + r")[:：]\*\*\s?(.*)$", re.I
    )
    batch = ImportBatch(format="markdown", authoritative=True, kept_fields=NOT_IN_FILE)
    for n, (day, lines) in enumerate(_split_entries(text), 1):
        where = _("{file}: entry {n}").format(file=name, n=n)
        title = _unescape_title(_ENTRY_RE.match(lines[0]).group(1))  # type: ignore[union-attr]
        rest = lines[1:]
        entry_id: str | None = None
        created = updated = None
        if rest and (m := _MARKER_RE.match(rest[0].strip())):
            entry_id = canonical_id(m.group(1), where)
            created = parse_time(m.group(2), where)
            updated = parse_time(m.group(3), where) if m.group(3) else created
            rest = rest[1:]
        while rest and not rest[0].strip():
            rest = rest[1:]
        meta: list[str] = []
        if rest and rest[0].startswith("*") and rest[0].rstrip().endswith("*"):
            meta = [p.strip() for p in rest[0].strip().strip("*").split(" · ")]
            rest = rest[1:]
        inc = Incoming(
            id=entry_id or str(uuid.uuid4()),
            title=title,
            body="",
            created_at=created or datetime.now(UTC),
            updated_at=updated or created or datetime.now(UTC),
            where=where,
        )
        clock: time | None = None
        for part in meta:
            low = part.lower()
            if part == "★":
                inc.starred = True
            elif low in kinds:
                inc.kind = kinds[low]
            elif low in statuses:
                inc.status = statuses[low]
            elif low in levels:
                inc.hardness = levels[low]
            elif re.fullmatch(unrated, low):
                inc.hardness = None
            elif part.startswith("#"):
                inc.tags = tuple(t.lstrip("#") for t in part.split() if len(t) > 1)
            elif (t := _TIME_RE.match(part)) is not None:
                clock = time(int(t.group(1)) % 24, int(t.group(2)) % 60)
        if created is None and day is not None:
            inc.created_at = inc.updated_at = to_utc(datetime.combine(day, clock or time(12)), tz)
        if TRIALS_MARKER in (line.strip() for line in rest):  # trials are there for reading
            rest = rest[: [line.strip() for line in rest].index(TRIALS_MARKER)]
        body_lines, outcome = rest, ""
        for i in range(len(rest) - 1, -1, -1):
            if (m := outcome_re.match(rest[i])) is not None:
                outcome = "\n".join([m.group(1), *rest[i + 1 :]]).strip()
                body_lines = rest[:i]
                break
        inc.body = _promote("\n".join(body_lines).strip("\n"))
        inc.outcome = outcome
        if normalise(inc) is None:  # also gives a question or plan without status its first one
            batch.skip(_("no text"))
        else:
            batch.entries.append(inc)
    if not batch.entries and not batch.skipped:
        raise ImportFormatError(_("{file}: no entries found").format(file=name))
    return batch


def read_markdown_journal(path: Path, tz: tzinfo | None = None) -> ImportBatch:
    """Read *path* (a regular file, within the import size limit) and parse it."""
    from questionbook.exchange.reading import TextChunks, open_input

    with open_input(path) as fh:
        text = "".join(TextChunks(fh, str(path)))
    return parse_markdown_journal(text, str(path), tz)
