"""Links between entries: ``[[<id>|<title>]]`` in the text, an index of them, backlinks.

**The stored syntax** is ``[[2f1c9a4e-…-36-character-id|Why does grokking happen?]]``: the
target's id (so renaming the target never breaks the link) and, after the bar, its title as
it was when the link was written (so the Markdown source stays readable anywhere). The app
shows the target's *current* title (:func:`display_text`); ``[[<id>]]`` alone is a link too.
The ``[[`` completion (:func:`complete_titles`) writes this form. Links inside code are text.

``entry_link`` holds one row per (source, target), re-derived from the source's text on every
save (:func:`sync_links`, like inline tags), so backlinks come from an index on ``target_id``
and never from scanning bodies. The target is not a foreign key: a link to an entry that was
deleted for good stays in the text and the index and is reported as *missing*; one to an
entry in the Trash as *trashed*.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from questionbook.core import rows
from questionbook.core.entities import EntrySummary
from questionbook.core.schema import ENTRY, ENTRY_LINK
from questionbook.core.store import Store
from questionbook.core.tags import strip_code
from questionbook.core.text import fts_term

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
#: ``[[id]]`` or ``[[id|label]]``; the label runs to the first ``]]`` on the line.
LINK_RE = re.compile(rf"\[\[({UUID})(?:\|([^\n\]]*(?:\][^\n\]]+)*))?\]\]")
#: Any ``[[target]]`` / ``[[target|label]]`` (Obsidian's form: a vault's file names).
WIKI_RE = re.compile(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]*))?\]\]")
OK, TRASHED, MISSING = "ok", "trashed", "missing"
_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n+")
#: Candidates a completion looks at per query (newest first): keeps keystrokes fast.
COMPLETION_POOL = 400


def clean_label(title: str) -> str:
    """A title as a link label: one line, no ``[``, ``]`` or ``|`` (they would end the link)."""
    return " ".join(title.replace("|", "/").replace("[", "(").replace("]", ")").split())


def link_markup(entry_id: str, title: str = "") -> str:
    """``[[id|title]]``, what the completion inserts."""
    label = clean_label(title)
    return f"[[{entry_id}|{label}]]" if label else f"[[{entry_id}]]"


def parse_links(text: str) -> list[str]:
    """The ids the text links to, once each, in order (not those inside code)."""
    if "[[" not in text:
        return []
    return list(dict.fromkeys(m.group(1) for m in LINK_RE.finditer(strip_code(text))))


def replace_links(text: str, fn: Callable[[str, str | None], str | None]) -> str:
    """*text* with each ``[[id|label]]`` replaced by ``fn(id, label)`` (``None`` keeps it)."""
    if "[[" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        new = fn(m.group(1), m.group(2))
        return m.group(0) if new is None else new

    return LINK_RE.sub(sub, text)


def sync_links(
    conn: sqlite3.Connection, entry_id: str, text: str, *, fresh: bool = False
) -> list[str]:
    """Make the entry's rows in ``entry_link`` those its *text* holds; returns the targets.

    *fresh*: the entry was just inserted, so it has no rows to delete.
    """
    targets = [t for t in parse_links(text) if t != entry_id]
    if not fresh:
        conn.execute("DELETE FROM entry_link WHERE source_id = ?", (entry_id,))
    rows.insert_many(conn, ENTRY_LINK, ({"source_id": entry_id, "target_id": t} for t in targets))
    return targets


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """Where a link points: the entry's current title, or why it cannot be followed."""

    id: str
    title: str
    state: str  # ok, trashed or missing


@dataclass(frozen=True, slots=True)
class Backlink:
    """An entry that links here, with the sentence around each of its links (Linked from)."""

    source: EntrySummary
    sentences: tuple[str, ...]


def targets(conn: sqlite3.Connection, ids: list[str]) -> dict[str, LinkTarget]:
    """Every id in *ids* with its current title and state (missing ones included)."""
    out: dict[str, LinkTarget] = {}
    for chunk in rows.chunks(list(dict.fromkeys(ids))):
        marks, params = rows.placeholders("id", chunk)
        for entry_id, title, deleted in conn.execute(
            f"SELECT id, title, deleted_at FROM entry WHERE id IN ({marks})", params
        ):
            out[entry_id] = LinkTarget(entry_id, title, OK if deleted is None else TRASHED)
    return {i: out.get(i, LinkTarget(i, "", MISSING)) for i in ids}


def outgoing(conn: sqlite3.Connection, entry_id: str) -> list[LinkTarget]:
    """The entries *entry_id* links to, in the order of its text."""
    ids = [
        r[0]
        for r in conn.execute("SELECT target_id FROM entry_link WHERE source_id = ?", (entry_id,))
    ]
    body = conn.execute("SELECT title || char(10) || body FROM entry WHERE id = ?", (entry_id,))
    row = body.fetchone()
    order = {t: i for i, t in enumerate(parse_links(row[0] if row else ""))}
    ids.sort(key=lambda t: order.get(t, len(order)))
    return list(targets(conn, ids).values())


def backlink_ids(conn: sqlite3.Connection, entry_id: str, *, trash: bool = False) -> list[str]:
    """Ids of the entries linking to *entry_id* (live ones unless *trash*), newest first:
    one probe of the ``target_id`` index."""
    # Unary "+" keeps SQLite off the entry indexes, so it starts from the few links to this
    # entry (0.01 ms at 100k) instead of walking every live entry newest first (150 ms).
    live = "" if trash else "AND +entry.deleted_at IS NULL"
    return [
        r[0]
        for r in conn.execute(
            "SELECT entry.id FROM entry WHERE entry.id IN "
            f"(SELECT source_id FROM entry_link WHERE target_id = ?) {live} "
            "ORDER BY +entry.created_at DESC",
            (entry_id,),
        )
    ]


def backlinks(
    conn: sqlite3.Connection, entry_id: str, *, limit: int | None = 200
) -> list[Backlink]:
    """The live entries linking to *entry_id* (the newest *limit*), each with the sentences
    around its links; :func:`backlink_ids` counts them all."""
    ids = backlink_ids(conn, entry_id)[:limit]
    if not ids:
        return []
    marks, params = rows.placeholders("id", ids[: rows.CHUNK])
    summaries = {
        s.id: s
        for s in rows.fetch(
            conn,
            EntrySummary,
            ENTRY,
            f"SELECT {{columns}} FROM entry WHERE entry.id IN ({marks})",
            params,
        )
    }
    bodies = dict(
        conn.execute(
            f"SELECT id, title || char(10) || body FROM entry WHERE id IN ({marks})", params
        )
    )
    texts = [bodies.get(i, "") for i in ids if i in summaries]
    titles = _titles_in(conn, texts)
    return [
        Backlink(summaries[i], tuple(sentences_around(bodies.get(i, ""), entry_id, titles)))
        for i in ids
        if i in summaries
    ]


def _titles_in(conn: sqlite3.Connection, texts: list[str]) -> dict[str, LinkTarget]:
    ids = [t for text in texts for t in parse_links(text)]
    return targets(conn, ids) if ids else {}


def display_text(text: str, titles: Mapping[str, LinkTarget]) -> str:
    """*text* with each link shown as its target's current title (the label written in the
    text for a missing target)."""

    def show(target: str, label: str | None) -> str:
        found = titles.get(target)
        if found is not None and found.state != MISSING:
            return found.title
        return label or target[:8]

    return replace_links(text, show)


#: The URL scheme of a link to an entry in the preview's Markdown (``entry:<id>``).
ENTRY_SCHEME = "entry"


def preview_markdown(
    text: str, titles: Mapping[str, LinkTarget], marks: Mapping[str, str] | None = None
) -> str:
    """*text* with each link as a Markdown link the preview can follow, ``[current
    title](entry:<id>)``; a link to an entry in the Trash or a missing one is struck through
    and followed by *marks*[state] (the UI passes translated words)."""

    def show(target: str, label: str | None) -> str:
        found = titles.get(target)
        title = found.title if found is not None and found.state != MISSING else label or target[:8]
        title = title.replace("[", "(").replace("]", ")")
        if found is not None and found.state == OK:
            return f"[{title}]({ENTRY_SCHEME}:{target})"
        state = found.state if found is not None else MISSING
        mark = (marks or {}).get(state, "")
        return f"~~[{title}]({ENTRY_SCHEME}:{target})~~" + (f" {mark}" if mark else "")

    return replace_links(text, show)


def sentences_around(text: str, target_id: str, titles: Mapping[str, LinkTarget]) -> list[str]:
    """The sentence (or line) around each link to *target_id* in *text*, links shown by
    title and Markdown markers dropped: what the editor's "Linked from" panel lists."""
    out: list[str] = []
    for m in LINK_RE.finditer(text):
        if m.group(1) != target_id:
            continue
        start = 0
        for end in _SENTENCE_END.finditer(text, 0, m.start()):
            start = end.end()
        stop = _SENTENCE_END.search(text, m.end())
        sentence = text[start : stop.start() if stop else len(text)]
        sentence = display_text(sentence, titles)
        sentence = re.sub(r"^[#>*\-+\s]+|[*_`]+", "", sentence)
        sentence = " ".join(sentence.split())
        if len(sentence) > 240:
            sentence = sentence[:239] + "…"
        if sentence and sentence not in out:
            out.append(sentence)
    return out


def complete_titles(conn: sqlite3.Connection, typed: str, *, limit: int = 20) -> list[EntrySummary]:
    """Live entries whose title matches what follows ``[[`` (Chinese too), for completion.

    Titles that *start* with it come first, then titles containing it (a Chinese substring,
    or a word starting with a Latin word typed), each newest first; nothing typed lists the
    most recently changed entries. Both lookups use the title column of the full-text index
    and look at the :data:`COMPLETION_POOL` newest hits, so a one-letter query stays fast.
    """
    words = [w for w in (fts_term(t) for t in typed.split()) if w]
    if not words:
        return rows.fetch(
            conn,
            EntrySummary,
            ENTRY,
            # "+": walk the updated_at index newest first, not the deleted_at one (560 ms).
            "SELECT {columns} FROM entry WHERE +entry.deleted_at IS NULL "
            "ORDER BY entry.updated_at DESC LIMIT ?",
            (limit,),
        )
    first, rest = words[0], words[1:]
    starts = "title : (^" + " AND ".join([first, *rest]) + ")"
    contains = "title : (" + " AND ".join(words) + ")"
    found: list[EntrySummary] = []
    seen: set[str] = set()
    for match in (starts, contains):
        # The hits are materialised first and joined by rowid: written as "num IN (...)",
        # SQLite walked every live entry and probed the list (50-80 ms at 100k; this: 1-2 ms).
        sql = (
            "WITH hits(num) AS MATERIALIZED (SELECT rowid FROM entry_fts "
            "WHERE entry_fts MATCH :m ORDER BY rowid DESC LIMIT :pool) "
            "SELECT {columns} FROM hits CROSS JOIN entry ON entry.num = hits.num "
            "WHERE entry.deleted_at IS NULL ORDER BY entry.updated_at DESC LIMIT :limit"
        )
        for s in rows.fetch(
            conn, EntrySummary, ENTRY, sql, {"m": match, "pool": COMPLETION_POOL, "limit": limit}
        ):
            if s.id not in seen and len(found) < limit:
                seen.add(s.id)
                found.append(s)
    return found


def resolve_id(conn: sqlite3.Connection, id_or_prefix: str) -> str:
    from questionbook.core.entry_sql import resolve_id as resolve  # entry_sql imports us

    return resolve(conn, id_or_prefix)


class Links:
    """Links between entries over one journal: what the editor's completion, its "Linked
    from" panel and the preview call (one read transaction each)."""

    def __init__(self, db: Store) -> None:
        self.db = db

    def outgoing(self, id_or_prefix: str) -> list[LinkTarget]:
        with self.db.read() as conn:
            return outgoing(conn, resolve_id(conn, id_or_prefix))

    def backlinks(self, id_or_prefix: str, *, limit: int | None = 200) -> list[Backlink]:
        with self.db.read() as conn:
            return backlinks(conn, resolve_id(conn, id_or_prefix), limit=limit)

    def backlink_ids(self, id_or_prefix: str) -> list[str]:
        with self.db.read() as conn:
            return backlink_ids(conn, resolve_id(conn, id_or_prefix))

    def complete(self, typed: str, *, limit: int = 20) -> list[EntrySummary]:
        with self.db.read() as conn:
            return complete_titles(conn, typed, limit=limit)

    def preview_markdown(self, text: str, marks: Mapping[str, str] | None = None) -> str:
        """*text* with links as ``[title](entry:<id>)`` for the preview (see
        :func:`preview_markdown`)."""
        with self.db.read() as conn:
            return preview_markdown(text, _titles_in(conn, [text]), marks)

    def display_text(self, text: str) -> str:
        """*text* with links shown by their targets' current titles (for the preview)."""
        with self.db.read() as conn:
            return display_text(text, _titles_in(conn, [text]))

    def targets(self, ids: list[str]) -> dict[str, LinkTarget]:
        with self.db.read() as conn:
            return targets(conn, ids)
