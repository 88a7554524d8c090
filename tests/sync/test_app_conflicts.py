"""What the app adds to sync's core: the editor's guard against overwriting a text it has not
seen, settling a conflict copy, the folder check, renaming this computer, "anything to send?"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from questionbook.core.errors import InvalidValue
from questionbook.sync.conflicts import count_unresolved, details, keep_overwritten, settle
from questionbook.sync.folder_check import check_sync_folder
from questionbook.sync.service import SyncService
from tests.sync.helpers import Device, content

Make = Callable[..., Device]


def _both(a: Device, b: Device) -> None:
    for _ in range(3):
        a.sync()
        b.sync()


def test_a_text_changed_under_the_editor_is_kept_as_a_copy_not_overwritten(
    make_device: Make,
) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("Why?", "first words")
    _both(a, b)
    base = {"title": "Why?", "body": "first words", "outcome": ""}  # what b's editor read
    a.journal.update(e.id, body="the laptop's words")
    _both(a, b)
    # b's editor saves its draft, made from the old body, after the sync applied a's change.
    b.journal.update(e.id, body="the desktop's words", guard=keep_overwritten(base))
    assert b.journal.get(e.id).body == "the desktop's words"
    copies = SyncService(b.db).conflicts(e.id)
    assert [(c.field, c.value, c.current) for c in copies] == [
        ("body", "the laptop's words", "the desktop's words")
    ]
    # The copy says where the lost text was written: on a.
    assert copies[0].lost_device == a.device_id
    _both(a, b)
    assert content(a) == content(b)  # the copy travels; every typed text is in both journals


def test_the_guard_keeps_nothing_when_the_text_did_not_change_underneath(
    make_device: Make,
) -> None:
    a = make_device("a")
    e = a.journal.add("Why?", "first words")
    base = {"title": "Why?", "body": "first words", "outcome": ""}
    a.journal.update(e.id, body="more words", title="Why now?", guard=keep_overwritten(base))
    assert count_unresolved(a.db) == 0


def test_settling_takes_the_other_text_or_a_merge_and_the_choice_travels(
    make_device: Make,
) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("Why?", "old")
    _both(a, b)
    a.journal.update(e.id, body="from a")
    b.journal.update(e.id, body="from b")
    _both(a, b)
    (copy,) = SyncService(a.db).conflicts(e.id)
    info = details(a.db, copy.table, copy.row_key, copy.field)
    assert info.place.kind == "entry" and info.place.entry_id == e.id
    assert set(info.names.values()) >= {"a", "b"}
    assert settle(a.db, copy.id, "from a\nfrom b #merged") == e.id
    got = a.journal.get(e.id)
    assert got.body == "from a\nfrom b #merged"
    assert "merged" in got.tags  # written through the entry's own rules (inline tags)
    _both(a, b)
    assert b.journal.get(e.id).body == "from a\nfrom b #merged"
    assert SyncService(b.db).conflicts(e.id) == []
    assert content(a) == content(b)


def test_settling_a_review_reflection_writes_it_back(make_device: Make) -> None:
    a, b = make_device("a"), make_device("b")
    review = a.review.start()
    _both(a, b)
    a.review.set_reflection(review.id, "a calm week")
    b.review.set_reflection(review.id, "a busy week")
    _both(a, b)
    (copy,) = SyncService(a.db).conflicts()
    assert copy.table == "review" and copy.entry_id is None
    settle(a.db, copy.id, copy.value)  # take the other
    assert a.review.get(review.period).reflection == copy.value
    settle(a.db, copy.id, None)  # a second settle of the same copy changes nothing
    assert SyncService(a.db).conflicts() == []


def test_settling_a_copy_that_is_gone_says_so(make_device: Make) -> None:
    a = make_device("a")
    with pytest.raises(InvalidValue):
        settle(a.db, "no-such-copy", "text")


def test_rename_and_pending_changes(make_device: Make) -> None:
    a = make_device("a")
    service = SyncService(a.db, engine=a.engine)
    assert not service.has_local_changes()
    a.journal.add("Why?")
    assert service.has_local_changes()
    assert service.rename("  the   laptop ") == "the laptop"
    with pytest.raises(InvalidValue):
        service.rename("   ")
    service.sync()
    assert not service.has_local_changes()
    assert service.status().name == "the laptop"


def test_the_folder_check_refuses_the_data_folder_and_warns_of_the_journal(
    tmp_path: Path,
) -> None:
    data = tmp_path / "home" / "QuestionBook"
    kw = {"journal": data / "journal.sqlite3", "data_dir": data, "backups": data / "backups"}
    assert check_sync_folder(tmp_path / "Sync" / "qb", **kw).ok
    assert check_sync_folder(data, **kw).refusal
    assert check_sync_folder(data / "backups", **kw).refusal
    above = check_sync_folder(tmp_path / "home", **kw)
    assert not above.refusal and len(above.warnings) == 2  # the journal file and the backups
    afile = tmp_path / "a-file"
    afile.write_text("x")
    assert check_sync_folder(afile, **kw).refusal
