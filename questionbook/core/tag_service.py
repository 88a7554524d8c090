"""Tags as a whole (issue 19): the nested tag tree with counts, and renaming or merging a tag.

Tags are stored by their full path (``ml/grokking``); the tree is derived from the paths, so a
parent nobody wrote on its own (``ml``) is still a node. A node counts the entries of its whole
subtree, each once, leaving out the Trash.

Renaming is one transaction: the tag rows of the subtree get their new paths (merging into a
tag that already has the new name, case-insensitively as everywhere), and every entry that has
one of them gets its inline ``#tags`` rewritten in the title and body — only real tags, found by
the tag parser's own rules (:func:`questionbook.core.tags.find_tags`), never text in code, a
URL or a heading — and its tags and search index re-derived through
:func:`~questionbook.core.entry_writes.change_entry`, the one way entries change. An entry whose
text would not read back with exactly the renamed tags stops the whole rename with a clear
message, and nothing is changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from questionbook.core import entry_sql, rows
from questionbook.core.entities import Entry
from questionbook.core.entry_writes import change_entry
from questionbook.core.errors import InvalidValue, QuestionBookError
from questionbook.core.store import Store
from questionbook.core.tags import (
    SEPARATOR,
    clean_tag,
    is_under,
    parent_keys,
    parse_tags,
    rename_in_text,
    subtree_range,
    tag_key,
)
from questionbook.core.timeutil import utcnow
from questionbook.i18n import _


class TagNotFound(QuestionBookError):
    """No tag (and no tag under it) has that name."""


@dataclass(frozen=True, slots=True)
class TagNode:
    """One node of the tag tree.

    ``name`` is the full path as spelled in the journal, ``label`` its last segment; ``count``
    the entries of the whole subtree (each once), ``own`` those with exactly this tag. A node
    with ``exists`` False is only the parent of others (nobody wrote ``#ml`` alone).
    """

    key: str
    name: str
    label: str
    count: int
    own: int
    exists: bool
    children: tuple[TagNode, ...] = ()

    def walk(self) -> list[TagNode]:
        """This node and everything under it, depth first."""
        out = [self]
        for child in self.children:
            out += child.walk()
        return out


@dataclass(frozen=True, slots=True)
class TagRename:
    """What a rename did: the tag rows renamed or merged, and the entries changed."""

    old: str
    new: str
    tags: int
    merged: int
    entries: int
    renamed_keys: dict[str, str] = field(default_factory=dict)


def _subtree_count(conn: sqlite3.Connection, key: str) -> int:
    """Live entries with *key* or any tag under it, each once (an index range over the keys)."""
    lo, hi = subtree_range(key)
    row = conn.execute(
        "SELECT count(DISTINCT entry_tag.entry_id) FROM entry_tag WHERE entry_tag.tag_id IN "
        "(SELECT id FROM tag WHERE key = :k OR (key >= :lo AND key < :hi)) "
        f"AND entry_tag.entry_id NOT IN (SELECT id FROM entry WHERE {entry_sql.IN_TRASH})",
        {"k": key, "lo": lo, "hi": hi},
    ).fetchone()
    return int(row[0])


def tag_tree(conn: sqlite3.Connection) -> list[TagNode]:
    """The tag tree: roots and children sorted by name (case-insensitively), counts as the
    sidebar shows them. Leaves are counted with the per-tag counts; only a node with tags
    under it needs a query of its own (an entry may carry both ``#ml`` and ``#ml/grokking``)."""
    counts = entry_sql.live_tag_counts(conn)
    tags = {
        key: (int(tag_id), name)
        for tag_id, name, key in conn.execute("SELECT id, name, key FROM tag")
    }
    spelled: dict[str, str] = {key: name for key, (_id, name) in tags.items()}
    for key, (_id, name) in tags.items():  # parents nobody wrote alone: spelled as the child
        segments = name.split(SEPARATOR)
        for depth, parent in enumerate(parent_keys(key), 1):
            spelled.setdefault(parent, SEPARATOR.join(segments[:depth]))
    children: dict[str, list[str]] = {}
    for key in spelled:
        parents = parent_keys(key)
        children.setdefault(parents[-1] if parents else "", []).append(key)

    def build(key: str) -> TagNode | None:
        kids = [n for n in (build(k) for k in sorted(children.get(key, []))) if n is not None]
        own = counts.get(tags[key][0], 0) if key in tags else 0
        if not children.get(key):
            total = own
        elif key not in tags and len(kids) <= 1:
            total = kids[0].count if kids else 0  # a bare parent of one: the same entries
        else:
            total = _subtree_count(conn, key)
        if total <= 0:
            return None
        label = spelled[key].split(SEPARATOR)[-1]
        return TagNode(key, spelled[key], label, total, own, key in tags, tuple(kids))

    roots = [build(k) for k in sorted(children.get("", []))]
    return [r for r in roots if r is not None]


class TagService:
    """The tag tree and tag renames over one journal (the sidebar and ``questionbook tags``)."""

    def __init__(self, db: Store, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def tree(self) -> list[TagNode]:
        """The nested tags with subtree counts (one read transaction)."""
        with self.db.read() as conn:
            return tag_tree(conn)

    def rename(
        self, old: str, new: str, *, progress: Callable[[int, int], object] | None = None
    ) -> TagRename:
        """Rename the tag *old* (and everything under it) to *new*, merging into *new* where it
        exists; rewrite the inline ``#tags`` of every entry that has one. One transaction.

        Each entry is saved like an edit (its search index too): about 0.6 ms an entry on a
        2-core machine, so a tag on 26,000 entries takes some 16 s. *progress* is called with
        (entries done, entries in all) after every 500; the app runs this off its UI thread.
        """
        old_name, new_name = clean_tag(old), clean_tag(new)
        if not old_name or not new_name:
            raise InvalidValue(_("a tag name is missing"))
        old_key, new_key = tag_key(old_name), tag_key(new_name)
        if new_key != old_key and is_under(new_key, old_key):
            raise InvalidValue(
                _("#{old} cannot be moved under itself (#{new})").format(old=old_name, new=new_name)
            )
        now = self.clock()
        with self.db.write() as conn:
            lo, hi = subtree_range(old_key)
            moving = conn.execute(
                "SELECT id, name, key FROM tag WHERE key = :k OR (key >= :lo AND key < :hi) "
                "ORDER BY key",
                {"k": old_key, "lo": lo, "hi": hi},
            ).fetchall()
            if not moving:
                raise TagNotFound(_("no tag #{name}").format(name=old_name))
            ids = [int(r[0]) for r in moving]
            affected = _entries_with(conn, ids)
            renamed, merged = _move_tags(conn, moving, old_key, new_key, new_name)
            done = 0
            for chunk in rows.chunks(affected):
                for entry in entry_sql.load_entries(conn, chunk):
                    _rewrite_entry(conn, entry, old_key, new_name, renamed, now)
                done += len(chunk)
                if progress is not None:
                    progress(done, len(affected))
        return TagRename(old_name, new_name, len(moving), merged, len(affected), renamed)


def _entries_with(conn: sqlite3.Connection, tag_ids: list[int]) -> list[str]:
    found: set[str] = set()
    for chunk in rows.chunks(tag_ids):
        marks, params = rows.placeholders("t", chunk)
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT entry_id FROM entry_tag WHERE tag_id IN ({marks})", params
            )
        )
    return sorted(found)


def _move_tags(
    conn: sqlite3.Connection,
    moving: list[tuple[int, str, str]],
    old_key: str,
    new_key: str,
    new_name: str,
) -> tuple[dict[str, str], int]:
    """Give the tag rows of the subtree their new paths; a path that exists already takes the
    moving tag's entries (kept as hand-added if either link was). Returns old key → new key,
    and how many tags were merged away."""
    depth = old_key.count(SEPARATOR) + 1
    # First out of the way (a key cannot hold U+001F: it is whitespace to clean_tag), so a
    # subtree moved up into itself ("ml/deep" → "ml") never collides with its own rows.
    for tag_id, _name, _key in moving:
        conn.execute("UPDATE tag SET key = ? WHERE id = ?", (f"\x1f{tag_id}", tag_id))
    renamed: dict[str, str] = {}
    merged = 0
    for tag_id, name, key in moving:
        target_key = new_key + key[len(old_key) :]
        target_name = SEPARATOR.join([new_name, *name.split(SEPARATOR)[depth:]])
        renamed[key] = target_key
        row = conn.execute("SELECT id FROM tag WHERE key = ?", (target_key,)).fetchone()
        if row is None:
            conn.execute(
                "UPDATE tag SET key = ?, name = ? WHERE id = ?", (target_key, target_name, tag_id)
            )
            continue
        target = int(row[0])
        conn.execute(
            "INSERT OR IGNORE INTO entry_tag (entry_id, tag_id, inline) "
            "SELECT entry_id, ?, inline FROM entry_tag WHERE tag_id = ?",
            (target, tag_id),
        )
        conn.execute(
            "UPDATE entry_tag SET inline = 0 WHERE tag_id = ? AND entry_id IN "
            "(SELECT entry_id FROM entry_tag WHERE tag_id = ? AND inline = 0)",
            (target, tag_id),
        )
        conn.execute("DELETE FROM tag WHERE id = ?", (tag_id,))  # its links cascade
        merged += 1
    return renamed, merged


def _rewrite_entry(
    conn: sqlite3.Connection,
    entry: Entry,
    old_key: str,
    new_name: str,
    renamed: dict[str, str],
    now: datetime,
) -> None:
    """Rewrite *entry*'s inline tags and re-derive its tags; refuse if the text would not read
    back with exactly the renamed tags."""
    text = f"{entry.title}\n{entry.body}"
    new_text = rename_in_text(text, old_key, new_name)
    expected = {renamed.get(k, k) for k in map(tag_key, parse_tags(text))}
    if {tag_key(t) for t in parse_tags(new_text)} != expected:
        raise InvalidValue(
            _(
                "the inline tags of “{title}” cannot be rewritten as #{name} (an inline tag has "
                "no spaces or punctuation); nothing was renamed"
            ).format(name=new_name, title=entry.title)
        )
    title, _sep, body = new_text.partition("\n")  # a tag name holds no line break
    changes = {k: v for k, v in (("title", title), ("body", body)) if getattr(entry, k) != v}
    manual = entry_sql.manual_tags(conn, entry.id)
    change_entry(conn, entry, changes, now=now, manual=manual)
