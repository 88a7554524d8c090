"""What each journal derives for itself after remote changes arrive, instead of receiving it.

An entry's inline tags and ``tags_text`` come from its text and its manual tag links (only
those travel); tags nobody uses any more are dropped. A derivation names the tables whose
changes call for it; links between entries and the attachments the text refers to come from
the text too (:class:`EntryRefs`). References to rows this journal does not have (a follow-up
of an entry purged here) are cleared the way the declaration says (``SET NULL``, ``CASCADE``), so the transaction commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from questionbook.core import rows
from questionbook.core.entry_refs import sync_refs
from questionbook.core.entry_sql import TagBook, drop_unused_tags, retag_many, wanted_tags
from questionbook.core.schema import ATTACHMENT_BLOB, ENTRY, ENTRY_ATTACHMENT, ENTRY_TAG, TAG
from questionbook.core.tags import parse_tags
from questionbook.core.timeutil import utcnow
from questionbook.sync import bookkeeping as bk
from questionbook.sync.plan import PLANS, canon

Touched = dict[str, set[str]]


class Derivation(Protocol):
    tables: frozenset[str]

    def run(self, conn: sqlite3.Connection, touched: Touched, book: TagBook) -> None:
        """Re-derive what changes to rows of *touched* (table → row keys) call for."""
        ...

    def prefill(self, table: str, row: dict[str, Any], book: TagBook) -> dict[str, Any]:
        """Derived column values for a row about to be inserted (so that deriving later
        changes nothing, and the search index is written once)."""
        ...


def _first(keys: Iterable[str]) -> set[str]:
    out = set()
    for key in keys:
        try:
            out.add(str(json.loads(key)[0]))
        except (ValueError, IndexError, TypeError):
            continue
    return out


class EntryTags:
    """Inline tags and ``tags_text`` from the text and the manual links; unused tags dropped."""

    tables = frozenset({ENTRY.name, ENTRY_TAG.name, TAG.name})

    def __init__(self) -> None:
        #: entry id → (text, its inline tags), from prefill to run in one transaction
        self.parsed: dict[str, tuple[str, list[str]]] = {}

    def prefill(self, table: str, row: dict[str, Any], book: TagBook) -> dict[str, Any]:
        if table != ENTRY.name:
            return {}
        text = f"{row.get('title', '')}\n{row.get('body', '')}"
        names = parse_tags(text)
        self.parsed[str(row.get("id"))] = (text, names)
        resolved, _inline = wanted_tags(text, (), book, names)
        return {"tags_text": book.tags_text(resolved)}

    def run(self, conn: sqlite3.Connection, touched: Touched, book: TagBook) -> None:
        ids = _first(touched.get(ENTRY.name, ())) | _first(touched.get(ENTRY_TAG.name, ()))
        renamed = sorted(_first(touched.get(TAG.name, ())))
        for chunk in rows.chunks(renamed):
            marks, params = rows.placeholders("k", chunk)
            ids.update(
                r[0]
                for r in conn.execute(
                    "SELECT entry_tag.entry_id FROM entry_tag JOIN tag ON tag.id = entry_tag.tag_id "
                    f"WHERE tag.key IN ({marks})",
                    params,
                )
            )
        if ids:
            retag_many(conn, sorted(ids), book, self.parsed)
        self.parsed.clear()
        drop_unused_tags(conn)


class EntryRefs:
    """An entry's links and the attachments its text refers to (issue 18), from its text: the
    ``entry_link`` rows never travel, and ``entry_attachment`` rows only when added by hand.
    Re-derived for entries whose text arrived, and for entries whose attachment bytes arrived
    after their text (a reference counts only once the journal holds the bytes)."""

    tables = frozenset({ENTRY.name, ENTRY_ATTACHMENT.name, ATTACHMENT_BLOB.name})

    def prefill(self, table: str, row: dict[str, Any], book: TagBook) -> dict[str, Any]:
        return {}

    def run(self, conn: sqlite3.Connection, touched: Touched, book: TagBook) -> None:
        ids = _first(touched.get(ENTRY.name, ())) | _first(touched.get(ENTRY_ATTACHMENT.name, ()))
        shas = sorted(_first(touched.get(ATTACHMENT_BLOB.name, ())))
        for sha in shas:  # text that refers to bytes that just arrived
            ids.update(
                r[0]
                for r in conn.execute(
                    "SELECT id FROM entry WHERE instr(body, ?) > 0", (f"attachment:{sha}",)
                )
            )
        now = utcnow()
        for chunk in rows.chunks(sorted(ids)):
            marks, params = rows.placeholders("id", chunk)
            for entry_id, title, body in conn.execute(
                f"SELECT id, title, body FROM entry WHERE id IN ({marks})", params
            ):
                sync_refs(conn, entry_id, f"{title}\n{body}", now=now)


def tag_book(conn: sqlite3.Connection, *, preload: bool = False) -> TagBook:
    """A tag book that spells a tag new to this journal as the shared journal last did."""
    return TagBook(conn, preload=preload, spell=lambda key, name: _spelling(conn, key, name))


def _spelling(conn: sqlite3.Connection, key: str, name: str) -> str:
    """The spelling the shared journal last agreed on for a tag this journal had dropped."""
    found = bk.get_register(conn, TAG.name, canon([key]))
    values = found[1] if found else None
    spelled = (values or {}).get("name")
    return spelled if isinstance(spelled, str) and spelled else name


#: The derivations each applying transaction runs (classes: each transaction makes its own).
DERIVATIONS: tuple[Callable[[], Derivation], ...] = (EntryRefs, EntryTags)


class Deriver:
    """The derivations for one applying transaction, sharing one tag book."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.derivations: tuple[Derivation, ...] = tuple(d() for d in DERIVATIONS)
        self._book: TagBook | None = None

    @property
    def book(self) -> TagBook:
        if self._book is None:
            self._book = tag_book(self.conn, preload=True)
        return self._book

    def prefill(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for derivation in self.derivations:
            if table in derivation.tables:
                out.update(derivation.prefill(table, row, self.book))
        return out

    def run(self, touched: Touched) -> None:
        self._book = None  # applying may have renamed tags the book has cached
        for derivation in self.derivations:
            if derivation.tables & touched.keys():
                derivation.run(self.conn, touched, self.book)


def fix_references(conn: sqlite3.Connection, touched: Iterable[str]) -> int:
    """Clear references (from rows of the *touched* tables) to rows missing in this journal,
    as the declaration's ``ON DELETE`` says: the foreign keys are checked at commit. Returns
    how many rows were deleted."""
    deleted = 0
    for name in touched:
        plan = PLANS.get(name)
        if plan is None:
            continue
        for col in plan.table.columns:
            if not col.references or col.name in plan.refs:
                continue
            parent, _dot, parent_col = col.references.partition(".")
            orphan = (
                f"{col.name} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {parent} AS _p WHERE _p.{parent_col} = {name}.{col.name})"
            )
            if (col.on_delete or "").upper() == "SET NULL":
                conn.execute(f"UPDATE {name} SET {col.name} = NULL WHERE {orphan}")
            else:
                deleted += conn.execute(f"DELETE FROM {name} WHERE {orphan}").rowcount
    return deleted
