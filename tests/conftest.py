"""Shared fixtures: real journals on real SQLite files in tmp_path."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services


class FakeClock:
    """A settable clock so tests control "now" (the services take the clock as a dependency)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def app_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPaths:
    home = tmp_path / "home"
    monkeypatch.setenv("QUESTIONBOOK_HOME", str(home))
    return AppPaths(data_dir=home, config_dir=home / "config")


@pytest.fixture
def services(app_paths: AppPaths) -> Services:
    svc = open_services(app_paths)
    yield svc
    svc.close()


@pytest.fixture
def journal(services: Services) -> Journal:
    return services.journal


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clocked_journal(services: Services, clock: FakeClock) -> Journal:
    """A journal whose "now" is the test's :class:`FakeClock`."""
    return Journal(services.db, clock=clock)
