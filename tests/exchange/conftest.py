"""Fixtures for export/import tests: fresh journals on real SQLite files, cheaply."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services

_counter = itertools.count()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty journal file to copy (migrating for every example would be slow)."""
    home = tmp_path_factory.mktemp("template")
    svc = open_services(
        AppPaths(home, home / "config"), home / "journal.sqlite3", daily_backup=False
    )
    svc.close()
    return home / "journal.sqlite3"


@pytest.fixture
def new_journal(tmp_path: Path, template_db: Path) -> Iterator[Callable[..., Journal]]:
    """``new_journal(tz=None, clock=None)`` → a Journal over a fresh, empty file."""
    opened: list[Services] = []

    def make(tz: object = UTC, clock: Callable[[], datetime] | None = None) -> Journal:
        n = next(_counter)
        home = tmp_path / f"j{n}"
        home.mkdir()
        shutil.copy(template_db, home / "journal.sqlite3")
        svc = open_services(
            AppPaths(home, home / "config"), home / "journal.sqlite3", daily_backup=False
        )
        opened.append(svc)
        return Journal(svc.db, clock=clock or Clock(), tz=tz)  # type: ignore[arg-type]

    yield make
    for svc in opened:
        svc.close()


def snapshot(journal: Journal) -> dict[str, object]:
    """Everything an import may change, to prove a failed one changed nothing."""
    with journal.db.read() as conn:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in (
                "entry",
                "tag",
                "entry_tag",
                "hardness_rating",
                "status_change",
                "waterline_mark",
                "review",
                "review_action",
                "trial",
            )
        }
