"""A new journal made from the schema the migrations build, without running them.

Creating a journal ran every Alembic migration, which imports Alembic and SQLAlchemy first: a
third of a second of every first start and of every import into a new journal (issue 21). A
new, empty file gets instead the statements of ``new_journal.sql``: what the migrations left
in ``sqlite_master`` (tables, indexes, triggers, the full-text index; in the order they were
made), the header's ``application_id`` and ``user_version`` and the Alembic revision row, in
one transaction. An existing journal is still migrated by Alembic (:mod:`.migrate`).

The script is written by this module (``python -m questionbook.storage.new_schema``) from a
journal the migrations just built; a test builds both ways and compares the schema, the
header and every row, so a new migration without a new script fails the tests.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.storage.connection import connect

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

SCRIPT = Path(__file__).resolve().with_name("new_journal.sql")
#: Statements are separated by this line (a trigger's body holds semicolons).
SEPARATOR = "\n-- next statement\n"


def dump_schema(conn: sqlite3.Connection) -> list[str]:
    """The statements that make *conn*'s schema again, in the order its objects were made:
    indexes SQLite makes itself (``UNIQUE``, primary keys) and the full-text index's shadow
    tables (its ``CREATE VIRTUAL TABLE`` makes them) are left out; the header's fields and
    the rows of ``alembic_version`` are added."""
    shadows = [
        str(name)
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'"
        )
    ]
    statements = []
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid"):
        shadow = kind == "table" and any(str(name).startswith(f"{v}_") for v in shadows)
        if sql is None or shadow:
            continue
        statements.append(str(sql))
    for pragma in ("application_id", "user_version"):
        value = int(conn.execute(f"PRAGMA {pragma}").fetchone()[0])
        statements.append(f"PRAGMA {pragma} = {value}")
    for (revision,) in conn.execute("SELECT version_num FROM alembic_version"):
        statements.append(f"INSERT INTO alembic_version (version_num) VALUES ('{revision}')")
    return statements


def create(path: Path, key: JournalKey | None = None) -> bool:
    """Give the new, empty journal at *path* the current schema, in one transaction. False
    when it is not empty once the write lock is held: another process made it first (two
    first starts at once), and the migrations decide what is left to do."""
    statements = SCRIPT.read_text(encoding="utf-8").split(SEPARATOR)
    conn = connect(path, key)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                conn.rollback()
                return False
            for statement in statements:
                conn.execute(statement)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return True
    finally:
        conn.close()


def migrated_schema() -> list[str]:
    """:func:`dump_schema` of a journal the migrations build now (imports Alembic)."""
    from questionbook.storage.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.sqlite3"
        upgrade(path)
        conn = connect(path)
        try:
            return dump_schema(conn)
        finally:
            conn.close()


def script_text(statements: list[str]) -> str:
    return SEPARATOR.join(statements) + "\n"


if __name__ == "__main__":  # pragma: no cover - run by hand after adding a migration
    SCRIPT.write_text(script_text(migrated_schema()), encoding="utf-8")
    print(f"wrote {SCRIPT}")
