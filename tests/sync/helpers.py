"""Journals that sync, for the sync tests: real SQLite files in a temporary folder."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from questionbook.core.journal import Journal
from questionbook.core.review import ReviewService
from questionbook.storage.database import Database
from questionbook.storage.migrate import open_database
from questionbook.sync.engine import SyncEngine, SyncReport


@dataclass
class FakeTime:
    """One settable clock for every device of a test (milliseconds), so runs repeat exactly."""

    def __init__(self, ms: int = 1_800_000_000_000) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms

    def advance(self, ms: int = 1000) -> None:
        self.ms += ms

    def datetime(self) -> datetime:
        """The journals' clock: this millisecond, plus a microsecond per call, so that two
        actions never share a timestamp (a real clock's microseconds never repeat either; a
        history row's natural key holds its time)."""
        self._calls = getattr(self, "_calls", 0) + 1
        return datetime.fromtimestamp(self.ms / 1000, UTC) + timedelta(
            microseconds=self._calls % 1000
        )


@dataclass
class Device:
    """One computer: its journal file, its services and its copy of the sync folder."""

    name: str
    path: Path
    folder: Path
    time: FakeTime | None = None
    number: int = 0
    #: Changes per file and per applying transaction (small: many files, many transactions).
    file_changes: int = 20_000
    db: Database = field(init=False)
    journal: Journal = field(init=False)
    review: ReviewService = field(init=False)
    engine: SyncEngine = field(init=False)

    def __post_init__(self) -> None:
        self._ids = (f"{self.number:08x}{k:08x}" for k in itertools.count(1))
        self.open()

    def open(self) -> None:
        self.db = open_database(self.path)
        if self.time is None:
            self.journal = Journal(self.db)
            self.review = ReviewService(self.db, self.journal)
            self.engine = SyncEngine(self.db, name=self.name, file_changes=self.file_changes)
            return
        clock: Callable[[], datetime] = self.time.datetime
        self.journal = Journal(self.db, clock=clock)
        self.review = ReviewService(self.db, self.journal, clock=clock)
        self.engine = SyncEngine(
            self.db,
            name=self.name,
            now=self.time,
            device_ids=lambda: next(self._ids),
            file_changes=self.file_changes,
        )

    def close(self) -> None:
        self.db.close()

    def enable(self) -> None:
        self.engine.enable(self.folder)

    def sync(self) -> SyncReport:
        return self.engine.sync()

    @property
    def device_id(self) -> str:
        cfg = self.engine.config()
        assert cfg is not None
        return cfg.device

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.db.read() as conn:
            return conn.execute(sql, params).fetchall()


def content(device: Device) -> dict[str, Any]:
    """Everything a user can see of the journal, in a comparable form."""
    conn = sqlite3.connect(device.path)
    try:
        # History rows that agree on every column are one row (a union by natural key).
        q = lambda sql: sorted(set(conn.execute(sql).fetchall()), key=repr)  # noqa: E731
        return {
            "entries": q(
                "SELECT id, kind, title, body, status, hardness, starred, outcome, parent_id, "
                "tags_text, created_at, updated_at, deleted_at, last_reviewed_at, snoozed_until, "
                "reach FROM entry"
            ),
            "tags": q(
                "SELECT entry_id, tag.name, inline FROM entry_tag JOIN tag ON tag.id = tag_id"
            ),
            "hardness": q("SELECT entry_id, level, source, rated_at FROM hardness_rating"),
            "status": q("SELECT entry_id, status, outcome, changed_at FROM status_change"),
            "waterline": q("SELECT level, note, set_at FROM waterline_mark"),
            "reviews": q(
                "SELECT period, started_at, finished_at, waterline, reflection, step, position "
                "FROM review"
            ),
            "actions": q(
                "SELECT review.period, entry_id, action, detail, acted_at FROM review_action "
                "JOIN review ON review.id = review_id"
            ),
            "copies": q(
                "SELECT id, entry_id, table_name, row_key, field_name, value, lost_at, "
                "lost_device, resolved_at FROM conflict_copy"
            ),
            "settings": q("SELECT key, value FROM journal_setting"),
        }
    finally:
        conn.close()


def doctor_ok(device: Device) -> bool:
    """The doctor finds nothing wrong (no orphaned tags or rows, index in order)."""
    from questionbook.storage.doctor import check_journal

    return check_journal(device.path).ok


def copy_folder(src: Path, dst: Path) -> None:
    """Replicate every file of *src* into *dst* (what a sync engine does, all at once)."""
    for path in src.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_bytes() != path.read_bytes():
                shutil.copyfile(path, target)
