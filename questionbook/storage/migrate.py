"""Opening a journal: check the file, migrate it to the current schema, hand back a Database.

The checks run with the standard library before SQLAlchemy or Alembic touch the file, so that
a file that is not ours is refused and left byte-for-byte unchanged, and a file written by a
newer QuestionBook is refused rather than damaged. Alembic is imported only when the stored
revision is not the head (it costs a quarter of a second).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from questionbook.core.errors import JournalCorrupt
from questionbook.i18n import _
from questionbook.storage.database import Database, create_journal_engine
from questionbook.storage.health import prepare_journal_file
from questionbook.storage.probe import probe

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def upgrade(db: Database) -> None:
    """Run the Alembic migrations to head in one transaction, foreign keys off around them."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(stdout=io.StringIO())  # Alembic's messages are not for the user's terminal
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection  # pragmas must run outside a transaction
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        # issue 14: BEGIN IMMEDIATE waits for another process creating or migrating the same
        # journal; Alembic then reads the revision inside the lock and finds nothing to do.
        conn.info["qb_begin"] = "IMMEDIATE"
        cfg.attributes["connection"] = conn
        try:
            command.upgrade(cfg, "head")
            conn.commit()
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
        problems = raw.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise JournalCorrupt(
                _("the journal has {n} broken references after upgrading").format(n=len(problems))
            )


def open_database(
    path: Path, *, before_migrate: Callable[[Path], object] | None = None
) -> Database:
    """Open (creating if needed) and migrate the journal at *path*.

    *before_migrate* is called with the path before an existing journal is migrated: the
    backup service uses it to copy the file first.
    """
    path = Path(path).expanduser()
    state = probe(path)
    prepare_journal_file(path, state)  # issue 14 (storage/health.py): creation, read-only
    db = Database(path, create_journal_engine(path))
    if state.needs_migration:
        if state.revision is not None and before_migrate is not None:
            before_migrate(path)
        try:
            upgrade(db)
        except BaseException:
            db.close()
            raise
    return db
