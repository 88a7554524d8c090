"""What an entry's text refers to, re-derived on every save: its links and its attachments.

Called by :func:`~questionbook.core.entry_sql.insert_entry`,
:func:`~questionbook.core.entry_writes.change_entry` and the importer, inside their write
transaction, the way inline tags are. A link row exists while the text holds the link. An
attachment row marked ``inline`` exists while the text refers to it; one attached without a
reference (``attach --no-insert``) stays until it is detached. A reference to bytes this
journal does not hold (pasted from another journal) is left in the text and ignored.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from questionbook.core import rows
from questionbook.core.attachments import parse_references, safe_file_name, unique_name
from questionbook.core.links import sync_links
from questionbook.core.schema import ENTRY_ATTACHMENT


def sync_attachments(
    conn: sqlite3.Connection, entry_id: str, text: str, *, now: datetime, fresh: bool = False
) -> None:
    """Make the entry's inline attachment rows match the references in *text*."""
    sync_attachment_refs(conn, entry_id, parse_references(text), now=now, fresh=fresh)


def sync_attachment_refs(
    conn: sqlite3.Connection,
    entry_id: str,
    refs: list[tuple[str, str]],
    *,
    now: datetime,
    fresh: bool = False,
) -> None:
    """Make the entry's inline attachment rows match *refs* (``(sha256, name)`` as
    :func:`~questionbook.core.attachments.parse_references` finds them in its text). An import
    calls this once the file's bytes are stored, after the text was written."""
    if fresh and not refs:
        return
    existing = {
        sha: (name, bool(inline))
        for sha, name, inline in conn.execute(
            "SELECT sha256, name, inline FROM entry_attachment WHERE entry_id = ?", (entry_id,)
        )
    }
    wanted = {sha for sha, _name in refs}
    gone = [sha for sha, (_n, inline) in existing.items() if inline and sha not in wanted]
    for sha in gone:
        conn.execute(
            "DELETE FROM entry_attachment WHERE entry_id = ? AND sha256 = ?", (entry_id, sha)
        )
    new = [(sha, name) for sha, name in refs if sha not in existing]
    if not new:
        return
    marks, params = rows.placeholders("s", [sha for sha, _n in new])
    stored = {
        r[0]
        for r in conn.execute(
            f"SELECT sha256 FROM attachment_blob WHERE sha256 IN ({marks})", params
        )
    }
    taken = {name for sha, (name, _i) in existing.items() if sha not in gone}
    added = []
    for sha, name in new:
        if sha not in stored:
            continue
        name = unique_name(safe_file_name(name or sha[:12]), taken)
        taken.add(name)
        added.append(
            {"entry_id": entry_id, "sha256": sha, "name": name, "inline": True, "added_at": now}
        )
    rows.insert_many(conn, ENTRY_ATTACHMENT, added)


def sync_refs(
    conn: sqlite3.Connection, entry_id: str, text: str, *, now: datetime, fresh: bool = False
) -> None:
    """Re-derive the entry's links and inline attachments from its title and body (*text*)."""
    if fresh and "[[" not in text and "attachment:" not in text:
        return  # most new entries: no query at all
    sync_links(conn, entry_id, text, fresh=fresh)
    sync_attachments(conn, entry_id, text, now=now, fresh=fresh)
