"""A hostile or broken folder: nothing in the journal is lost, nothing crashes, sync resumes."""

from __future__ import annotations

import errno
import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from questionbook.core.errors import SyncError
from questionbook.sync import engine as engine_mod
from questionbook.sync import folder
from questionbook.sync.fileformat import CHANGES, Header, encode_file
from questionbook.sync.merge import Applier
from tests.sync.helpers import Device, content

Make = Callable[..., Device]


def _files(d: Device) -> list[Path]:
    return sorted(folder.own_dir(d.folder, d.device_id).glob("*.qbchanges"))


def _pair(make_device: Make) -> tuple[Device, Device]:
    a, b = make_device("a"), make_device("b")
    a.journal.add("First", "from a")
    a.sync()
    return a, b


def test_garbage_and_files_claiming_another_device_are_passed_over(
    make_device: Make, tmp_path: Path
) -> None:
    a, b = _pair(make_device)
    devices = tmp_path / "folder" / "devices"
    (devices / "ffffffffffffffff").mkdir()
    (devices / "ffffffffffffffff" / "000000000001.qbchanges").write_bytes(os.urandom(5000))
    (devices / "eeeeeeeeeeeeeeee").mkdir()
    shutil.copyfile(_files(a)[0], devices / "eeeeeeeeeeeeeeee" / "000000000001.qbchanges")
    (devices / "not-a-device").mkdir()
    report = b.sync()
    assert any("not a QuestionBook change file" in p for p in report.problems)
    assert any("another device" in p for p in report.problems)
    assert [e.title for e in b.journal.find()] == ["First"]


def test_symlinks_and_nested_folders_are_ignored(make_device: Make, tmp_path: Path) -> None:
    a, b = _pair(make_device)
    devices = tmp_path / "folder" / "devices"
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copyfile(_files(a)[0], outside / "000000000001.qbchanges")
    (devices / "dddddddddddddddd").symlink_to(outside, target_is_directory=True)
    own = folder.own_dir(a.folder, a.device_id)
    (own / "000000000009.qbchanges").symlink_to(outside / "000000000001.qbchanges")
    (own / "nested").mkdir()
    shutil.copyfile(_files(a)[0], own / "nested" / "000000000002.qbchanges")
    report = b.sync()
    assert sum("symbolic link" in p or "not a device folder" in p for p in report.problems) == 2
    assert len(b.journal.find()) == 1
    assert b.query("SELECT count(*) FROM sync_peer")[0][0] == 1


def test_a_file_still_arriving_waits_and_is_read_once_complete(make_device: Make) -> None:
    a, b = _pair(make_device)
    path = _files(a)[0]
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # an engine that writes in place, half done
    report = b.sync()
    assert report.waiting and b.journal.find() == []
    path.write_bytes(whole)
    b.sync()
    assert [e.title for e in b.journal.find()] == ["First"]


def test_a_file_that_vanishes_while_read_is_read_next_time(
    make_device: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = _pair(make_device)
    path = _files(a)[0]
    saved = path.read_bytes()
    real = folder.read_bytes

    def vanishing(p: Path, limit: int | None = None) -> bytes:
        if p == path and p.exists():
            p.unlink()
        return real(p, limit)

    monkeypatch.setattr(folder, "read_bytes", vanishing)
    b.sync()
    assert b.journal.find() == []
    monkeypatch.undo()
    path.write_bytes(saved)
    b.sync()
    assert len(b.journal.find()) == 1


def test_a_huge_file_is_passed_over(make_device: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    _a, b = _pair(make_device)
    monkeypatch.setattr(folder, "MAX_FILE_BYTES", 100)
    report = b.sync()
    assert any("too large" in p for p in report.problems)
    assert b.journal.find() == []


def test_a_zip_bomb_and_bad_lines_are_passed_over_without_blocking_what_follows(
    make_device: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _a, b = _pair(make_device)
    bogus = "cccccccccccccccc"
    where = tmp_path / "folder" / "devices" / bogus
    where.mkdir()

    def write(seq: int, lines: bytes) -> None:
        payload = zlib.compress(lines, 9)
        header = Header(CHANGES, bogus, seq, 1, {}, "zlib", "0005", 1, len(payload))
        (where / folder.change_name(seq)).write_bytes(encode_file(header, payload))

    write(1, b" " * 50_000_000)  # unpacks to 50 MB
    write(2, b'{"t": "entry", "k": 5}\n')
    write(3, b'{"t":"waterline_mark","k":["2026-01-01T00:00:00.000000+00:00",4,""],"v":{},"f":1}\n')
    monkeypatch.setattr(engine_mod, "MAX_UNPACKED", 1_000_000)
    report = b.sync()
    assert sum("cannot be read" in p for p in report.problems) == 2
    assert b.journal.waterline() == 4  # the third file still applied


def test_a_full_disk_keeps_changes_in_the_journal_until_the_folder_takes_them(
    make_device: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = make_device("a")
    b = make_device("b")
    real = folder.write_own

    def full(*args: object, **kwargs: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folder, "write_own", full)
    a.journal.add("Written while the disk was full")
    report = a.sync()
    assert report.unsent_files >= 1 and any("No space" in p for p in report.problems)
    assert a.query("SELECT count(*) FROM sync_unsent")[0][0] >= 1
    monkeypatch.setattr(folder, "write_own", real)
    assert a.sync().unsent_files == 0
    b.sync()
    assert [e.title for e in b.journal.find()] == ["Written while the disk was full"]


def test_killed_while_writing_a_file(make_device: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = make_device("a"), make_device("b")

    def killed(where: Path, device: str, name: str, data: bytes) -> Path:
        target = folder.own_dir(where, device)
        target.mkdir(parents=True, exist_ok=True)
        (target / f".{name}.999.tmp").write_bytes(data[:10])
        raise KeyboardInterrupt  # the process dies here

    monkeypatch.setattr(folder, "write_own", killed)
    a.journal.add("Nearly lost")
    with pytest.raises(KeyboardInterrupt):
        a.sync()
    monkeypatch.undo()
    b.sync()
    assert b.journal.find() == []  # the half-written temporary file is not read
    a.sync()
    assert not list(folder.own_dir(a.folder, a.device_id).glob(".*.tmp"))
    b.sync()
    assert [e.title for e in b.journal.find()] == ["Nearly lost"]


def test_killed_while_applying_changes_nothing_and_resumes(
    make_device: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = make_device("a")
    for i in range(20):
        a.journal.add(f"Entry {i}", hardness=i % 5)
    a.sync()
    b = make_device("b")
    b.journal.add("b's own")
    before = content(b)
    calls = {"n": 0}
    real = Applier.one

    def dies(self: Applier, *args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 15:
            raise KeyboardInterrupt
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Applier, "one", dies)
    with pytest.raises(KeyboardInterrupt):
        b.sync()
    monkeypatch.undo()
    after = content(b)
    assert after["entries"] == before["entries"]  # all or nothing
    b.sync()
    a.sync()
    b.sync()
    assert content(a) == content(b)


def test_a_missing_folder_is_a_clear_error_and_changes_wait(make_device: Make) -> None:
    a = make_device("a")
    a.journal.add("Waiting")
    shutil.rmtree(a.folder)
    with pytest.raises(SyncError, match="missing"):
        a.sync()
    assert a.query("SELECT count(*) FROM sync_outbox")[0][0] > 0
