"""Opening a journal: check the file, migrate it to the current schema, hand back a Database.

The checks run with the standard library before Alembic touches the file, so that
a file that is not ours is refused and left byte-for-byte unchanged, and a file written by a
newer QuestionBook is refused rather than damaged. Alembic is imported only when the stored
revision is not the head (it costs a quarter of a second); a new journal gets the schema from
a script instead (:mod:`.new_schema`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook.core.errors import JournalCorrupt
from questionbook.i18n import ngettext
from questionbook.storage.connection import connect
from questionbook.storage.database import Database
from questionbook.storage.health import prepare_journal_file
from questionbook.storage.probe import probe

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def migration_engine(path: Path, key: JournalKey | None = None) -> Any:
    """A SQLAlchemy engine for Alembic alone: our connections (pragmas, search function, the
    key of an encrypted journal) in autocommit mode, with ``BEGIN`` issued by the engine so
    that the DDL is transactional. SQLAlchemy's ``sqlite`` dialect drives SQLCipher's
    connections as it drives the standard library's: they speak the same DB-API."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    engine = create_engine(
        f"sqlite:///{path}", creator=lambda: connect(path, key), poolclass=NullPool
    )

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(path: Path, key: JournalKey | None = None) -> None:
    """Run the Alembic migrations to head in one transaction, foreign keys off around them.

    SQLAlchemy and Alembic are imported here and nowhere else in a normal run: they cost a
    third of a second, and only a journal written by an older version needs them.
    """
    from alembic import command
    from alembic.config import Config

    cfg = Config(stdout=io.StringIO())  # Alembic's messages are not for the user's terminal
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = migration_engine(path, key)
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection  # pragmas must run outside a transaction
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")
            cfg.attributes["connection"] = conn
            try:
                command.upgrade(cfg, "head")
                conn.commit()
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise JournalCorrupt(
                    ngettext(
                        "the journal has {n} broken reference after upgrading",
                        "the journal has {n} broken references after upgrading",
                        len(problems),
                    ).format(n=len(problems))
                )
    finally:
        engine.dispose()


def open_database(
    path: Path,
    *,
    before_migrate: Callable[[Path], object] | None = None,
    key: JournalKey | None = None,
) -> Database:
    """Open (creating if needed) and migrate the journal at *path* (encrypted: with *key*).

    *before_migrate* is called with the path before an existing journal is migrated: the
    backup service uses it to copy the file first.
    """
    path = Path(path).expanduser()
    state = probe(path, key)
    key = key if state.encrypted else None  # a stale key file beside a plain journal
    prepare_journal_file(path, state)  # creation (private), and a read-only journal stays so
    db = Database(path, key=key)  # holds the writers' lock while the file is upgraded
    if state.needs_migration:
        try:
            if state.revision is None and path.stat().st_size == 0:
                # A new journal: the schema the migrations would build, without Alembic.
                from questionbook.storage import new_schema

                if new_schema.create(path, key):
                    return db
            if state.revision is not None and before_migrate is not None:
                before_migrate(path)
            upgrade(path, key)
        except BaseException:
            db.close()
            raise
    return db
