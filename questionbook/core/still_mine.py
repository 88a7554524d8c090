"""Still mine: the user's one-line answers to "what part of this is still yours?", collected.

When the water reaches an entry, the review asks what part of it stays the user's own (taste,
context, a decision). The lines are kept on their entries (``entry.still_mine``, with the time
they were written); this module reads them back as the "Still mine" view, grouped by tag — the
user's map of where they stay above the water — and for the weekly summary.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from questionbook.core import rows
from questionbook.core.entities import StillMineGroup, StillMineItem
from questionbook.core.schema import ENTRY
from questionbook.core.tags import tag_key


def still_mine_items(
    conn: sqlite3.Connection, start: datetime | None = None, end: datetime | None = None
) -> list[StillMineItem]:
    """Live entries with a "still mine" line (written in [*start*, *end*) if given), newest
    line first."""
    where = ["entry.deleted_at IS NULL", "entry.still_mine != ''"]
    params: list[str] = []
    if start is not None:
        where.append("entry.still_mine_at >= ?")
        params.append(rows.encode("time", start))
    if end is not None:
        where.append("entry.still_mine_at < ?")
        params.append(rows.encode("time", end))
    return rows.fetch(
        conn,
        StillMineItem,
        ENTRY,
        f"SELECT {{columns}} FROM entry WHERE {' AND '.join(where)}"
        " ORDER BY entry.still_mine_at DESC, entry.num DESC",
        params,
    )


def group_by_tag(items: list[StillMineItem]) -> list[StillMineGroup]:
    """One group per tag, the biggest first (then by name); an entry with several tags is in
    each of their groups; entries without tags come last."""
    groups: dict[str, StillMineGroup] = {}
    untagged = StillMineGroup(None)
    for item in items:
        if not item.tags:
            untagged.items.append(item)
        for tag in item.tags:
            groups.setdefault(tag_key(tag), StillMineGroup(tag)).items.append(item)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.items), tag_key(g.tag or "")))
    return [*ordered, untagged] if untagged.items else ordered
