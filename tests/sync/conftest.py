"""Fixtures for the sync tests: journals on real SQLite files sharing (copies of) a folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.helpers import Device, FakeTime


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_device(tmp_path: Path, fake_time: FakeTime) -> Iterator[Callable[..., Device]]:
    """``make_device("a")``: a journal syncing through ``tmp_path/folder`` (shared by every
    device unless *folder* is given), with the test's fake clock."""
    made: list[Device] = []

    def make(
        name: str, *, folder: Path | None = None, enable: bool = True, file_changes: int = 20_000
    ) -> Device:
        device = Device(
            name,
            tmp_path / f"{name}.sqlite3",
            folder or tmp_path / "folder",
            fake_time,
            len(made) + 1,
            file_changes,
        )
        made.append(device)
        if enable:
            device.enable()
        return device

    yield make
    for device in made:
        device.close()
