"""Snapshots: joining without replaying every file, compaction, and merging on join."""

from __future__ import annotations

from collections.abc import Callable

from questionbook.sync import folder
from questionbook.sync.service import SyncService
from tests.sync.helpers import Device, content

Make = Callable[..., Device]


def _change_files(d: Device) -> list[str]:
    return sorted(p.name for p in folder.own_dir(d.folder, d.device_id).glob("*.qbchanges"))


def test_a_new_journal_joins_from_the_snapshot_and_compaction_keeps_unread_files(
    make_device: Make,
) -> None:
    a = make_device("a")
    for i in range(5):
        a.journal.add(f"Entry {i}", f"body #{i % 2}", hardness=i % 5)
        a.sync()
    b = make_device("b")
    b.sync()  # b has read files 1-5
    a.journal.add("After b's last sync")
    a.sync()  # file 6: b has not read it
    deleted = SyncService(a.db).compact()
    assert deleted == 5
    assert _change_files(a) == ["000000000006.qbchanges"]
    assert list(folder.own_dir(a.folder, a.device_id).glob("*.qbsnap"))
    c = make_device("c")
    report = c.sync()
    assert report.files_applied >= 1
    b.sync()
    for d in (b, c):
        assert content(d)["entries"] == content(a)["entries"]
    a.sync()
    b.sync()
    c.sync()
    assert content(a) == content(b) == content(c)


def test_joining_merges_both_journals_without_duplicates(make_device: Make) -> None:
    a = make_device("a")
    shared = a.journal.add("Imported on both", entry_id="11111111-1111-4111-8111-111111111111")
    a.journal.add("Only on a")
    a.sync()
    SyncService(a.db).compact()
    b = make_device("b", enable=False)
    b.journal.add("Imported on both", entry_id=shared.id)
    b.journal.add("Only on b")
    b.enable()
    b.sync()
    a.sync()
    b.sync()
    titles = sorted(e.title for e in b.journal.find(limit=None))
    assert titles == ["Imported on both", "Only on a", "Only on b"]
    assert content(a) == content(b)


def test_a_journal_whose_files_were_removed_catches_up_from_a_snapshot(
    make_device: Make,
) -> None:
    a, b = make_device("a"), make_device("b")
    gone = a.journal.add("Purged while b was away")
    a.journal.add("Stays")
    a.sync()
    b.sync()
    a.journal.purge(gone.id)
    a.journal.add("Written while b was away")
    a.sync()
    SyncService(a.db).write_snapshot()
    for name in _change_files(a):  # someone cleaned the folder by hand
        (folder.own_dir(a.folder, a.device_id) / name).unlink()
    a.journal.add("After the cleaning")
    a.sync()
    b.sync()
    titles = sorted(e.title for e in b.journal.find(limit=None))
    assert titles == ["After the cleaning", "Stays", "Written while b was away"]


def test_small_files_and_a_snapshot_applied_in_parts(make_device: Make) -> None:
    """Many files, many transactions: the same journal at the end."""
    a = make_device("a", file_changes=4)
    for i in range(12):
        e = a.journal.add(f"Entry {i} #t{i % 3}", f"body {i}", hardness=i % 5, tags=[f"m{i % 2}"])
        if i % 4 == 0:
            a.journal.purge(e.id)
    a.journal.set_waterline(3)
    a.sync()
    assert len(_change_files(a)) > 5
    b = make_device("b", file_changes=4)
    b.sync()
    assert content(a)["entries"] == content(b)["entries"]
    SyncService(a.db).compact()
    c = make_device("c", file_changes=4)
    c.journal.add("c's own")
    c.sync()
    for d in (a, b, c):
        d.sync()
    assert content(a) == content(b) == content(c)
