"""Two real Syncthing instances on 127.0.0.1, two journals each on its own folder: concurrent
edits converge and nothing is lost.

Skipped only when Debian's ``syncthing`` package is not installed (the CI installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from questionbook.sync.service import SyncService
from tests.sync.helpers import Device, FakeTime, content
from tests.sync.syncthing import Syncthing, syncthing_binary, wait_for

pytestmark = pytest.mark.skipif(
    syncthing_binary() is None,
    reason="the syncthing program is not installed (Debian package 'syncthing')",
)


@pytest.fixture
def engines(tmp_path: Path) -> Iterator[tuple[Syncthing, Syncthing]]:
    one = Syncthing(tmp_path / "st-one", tmp_path / "folder-one")
    two = Syncthing(tmp_path / "st-two", tmp_path / "folder-two")
    try:
        one.start()
        two.start()
        one.introduce(two)
        two.introduce(one)
        one.share([two])
        two.share([one])
        wait_for(
            "the two instances to connect",
            lambda: one.connected(two) and two.connected(one),
            timeout=45,
        )
        yield one, two
    finally:
        one.stop()
        two.stop()


def _files(folder: Path) -> dict[str, bytes]:
    """The QuestionBook files in a folder copy (not Syncthing's own temporary files)."""
    out = {}
    for path in folder.rglob("*"):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out


def _replicated(engines: tuple[Syncthing, Syncthing]) -> None:
    """Wait until both folder copies hold the same change files."""
    for engine in engines:
        engine.scan()

    def same() -> bool:
        a, b = (
            {k: v for k, v in _files(e.folder).items() if not k.endswith("state.json")}
            for e in engines
        )
        return a == b

    wait_for("Syncthing to copy the change files", same, timeout=40)


def test_two_journals_converge_through_real_syncthing(
    tmp_path: Path, engines: tuple[Syncthing, Syncthing]
) -> None:
    one, two = engines
    time = FakeTime()
    a = Device("a", tmp_path / "a.sqlite3", one.folder, time, 1)
    b = Device("b", tmp_path / "b.sqlite3", two.folder, time, 2)
    try:
        shared = a.journal.add("Why does grokking happen? #ai", "first body", hardness=2)
        mine = b.journal.add("A question only b had", tags=["b"])
        a.enable()
        b.enable()
        a.sync()
        b.sync()
        _replicated(engines)
        a.sync()
        b.sync()
        assert b.journal.get(shared.id).title == "Why does grokking happen? #ai"
        # Both edit at once: different fields, the same field, a rating, a trash.
        a.journal.update(shared.id, title="Why does grokking happen suddenly? #ai")
        a.journal.update(shared.id, body="a's body")
        a.journal.set_waterline(2)
        time.advance()
        b.journal.update(shared.id, body="b's body, written later", hardness=3)
        b.journal.delete(mine.id)
        for _round in range(3):
            a.sync()
            b.sync()
            _replicated(engines)
        assert content(a) == content(b)
        got = a.journal.get(shared.id)
        assert (got.title, got.body, got.hardness) == (
            "Why does grokking happen suddenly? #ai",
            "b's body, written later",
            3,
        )
        assert a.journal.get(mine.id).in_trash and a.journal.waterline() == 2
        copies = SyncService(b.db).conflicts(shared.id)
        assert [c.value for c in copies] == ["a's body"]
        # Syncthing never had a conflict to make: each journal writes only its own files.
        assert not list(one.folder.rglob("*sync-conflict*"))
    finally:
        a.close()
        b.close()
