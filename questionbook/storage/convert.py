"""Copying a journal between its plain and encrypted forms, and checking the copy.

SQLCipher's backup API refuses to copy between a plain and an encrypted database, so the
conversion uses ``sqlcipher_export``: a new file (plain, or keyed with the target key) is the
main database, the source is attached read-only with its own key (or none), and the export
writes every table, index, trigger and the search index's storage in one pass. It copies
neither ``application_id`` nor ``user_version``; both are set afterwards.

A copy is *verified* before anything relies on it: SQLite's ``integrity_check``, FTS5's own
check of the search index, and the same number of rows in every table as the source. Only then
may a caller put it in place of the original (``encrypt``, ``decrypt``, converting backups).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.errors import JournalCorrupt
from questionbook.i18n import _
from questionbook.storage.connection import BUSY_TIMEOUT_MS, read_only_uri

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: sqlite3.Connection, schema: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]


def convert(
    source: Path, target: Path, *, source_key: JournalKey | None, target_key: JournalKey | None
) -> None:
    """Write the journal at *source* (opened with *source_key*) into the new file *target*
    (encrypted with *target_key*, or plain if ``None``), then verify the copy.

    *target* must be an empty file or not exist. Raises :class:`JournalCorrupt` if the copy
    does not match its source; driver errors pass through for the caller to translate.
    """
    from questionbook.core.text import search_text
    from questionbook.storage import cipher
    from questionbook.storage.fts import SEARCH_FUNCTION

    def open_both() -> sqlite3.Connection:
        conn = cipher.connect(str(target), uri=True, key=target_key, isolation_level=None)
        try:
            conn.create_function(SEARCH_FUNCTION, 1, search_text, deterministic=True)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            clause = source_key.attach_clause() if source_key is not None else "KEY ''"
            conn.execute(f"ATTACH DATABASE ? AS source {clause}", (read_only_uri(source),))
        except BaseException:
            conn.close()
            raise
        return conn

    conn = open_both()
    try:
        app_id = int(conn.execute("PRAGMA source.application_id").fetchone()[0])
        user_version = int(conn.execute("PRAGMA source.user_version").fetchone()[0])
        conn.execute("SELECT sqlcipher_export('main', 'source')")
        conn.execute(f"PRAGMA main.application_id = {app_id}")
        conn.execute(f"PRAGMA main.user_version = {user_version}")
        conn.execute("PRAGMA main.journal_mode = DELETE")  # one self-contained file
    finally:
        conn.close()
    # A new connection: the export's does not see the schema it wrote under ``main``.
    conn = open_both()
    try:
        _verify(conn)
    finally:
        conn.close()
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())


def _verify(conn: sqlite3.Connection) -> None:
    """Raise :class:`JournalCorrupt` unless ``main`` is a sound copy of ``source``."""
    problems = [r[0] for r in conn.execute("PRAGMA main.integrity_check(5)")]
    if problems != ["ok"]:
        raise JournalCorrupt(
            _("the copy failed its check: {reason}").format(reason="; ".join(map(str, problems)))
        )
    theirs, ours = _tables(conn, "source"), _tables(conn, "main")
    if theirs != ours:
        raise JournalCorrupt(_("the copy failed its check: {reason}").format(reason="tables"))
    for table in ours:
        a = conn.execute(f"SELECT count(*) FROM source.{_quote(table)}").fetchone()[0]
        b = conn.execute(f"SELECT count(*) FROM main.{_quote(table)}").fetchone()[0]
        if a != b:
            raise JournalCorrupt(
                _("the copy failed its check: {reason}").format(reason=f"{table}: {a} ≠ {b}")
            )
    names = {r[0] for r in conn.execute("SELECT name FROM main.sqlite_master")}
    if "entry_fts" in names:
        conn.execute("BEGIN")
        try:
            conn.execute("INSERT INTO main.entry_fts(entry_fts) VALUES ('integrity-check')")
        finally:
            conn.execute("ROLLBACK")


def same_contents(a: Path, a_key: JournalKey | None, b: Path, b_key: JournalKey | None) -> bool:
    """True if every table of the two journals holds the same rows (for tests and checks)."""
    from questionbook.storage import cipher

    conn = cipher.connect(read_only_uri(a), uri=True, key=a_key)
    try:
        clause = b_key.attach_clause() if b_key is not None else "KEY ''"
        conn.execute(f"ATTACH DATABASE ? AS other {clause}", (read_only_uri(b),))
        if _tables(conn, "main") != _tables(conn, "other"):
            return False
        for table in _tables(conn, "main"):
            q = _quote(table)
            diff = conn.execute(
                f"SELECT (SELECT count(*) FROM (SELECT * FROM main.{q} EXCEPT "
                f"SELECT * FROM other.{q})) + (SELECT count(*) FROM (SELECT * FROM other.{q} "
                f"EXCEPT SELECT * FROM main.{q}))"
            ).fetchone()[0]
            if diff:
                return False
        return True
    finally:
        conn.close()
