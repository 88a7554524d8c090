"""Merging: what survives when two or three journals change the same things."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable

from questionbook.core.schema import ENTRY
from questionbook.sync.service import SyncService
from tests.sync.helpers import Device, FakeTime, content, copy_folder, doctor_ok

Make = Callable[..., Device]


def _both(a: Device, b: Device) -> None:
    """Sync until both have everything (each reads what the other just wrote)."""
    for _ in range(3):
        a.sync()
        b.sync()


def test_a_new_journal_gets_entries_tags_history_waterline_and_reviews(make_device: Make) -> None:
    a = make_device("a")
    e = a.journal.add("Why does #grokking happen?", "see #ai", hardness=3, tags=["Research"])
    a.journal.set_status(e.id, "exploring")
    a.journal.set_waterline(2, note="after the new model")
    review = a.review.start()
    a.review.rerate(review.id, e.id, 4)
    a.review.set_reflection(review.id, "a good week")
    b = make_device("b")
    _both(a, b)
    assert content(a) == content(b)
    got = b.journal.get(e.id)
    assert got.tags == ("ai", "grokking", "Research")
    assert [h.level for h in b.journal.hardness_history(e.id)] == [3, 4]
    assert [s.status for s in b.journal.status_history(e.id)] == ["open", "exploring"]
    assert b.journal.waterline() == 2
    assert b.review.get(review.period).reflection == "a good week"


def test_different_fields_of_one_entry_both_survive(make_device: Make, fake_time: FakeTime) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("A question", "first body")
    _both(a, b)
    a.journal.update(e.id, title="Sharper question")
    fake_time.advance()
    b.journal.update(e.id, body="a better body", hardness=2)
    _both(a, b)
    for d in (a, b):
        got = d.journal.get(e.id)
        assert (got.title, got.body, got.hardness) == ("Sharper question", "a better body", 2)
        assert SyncService(d.db).conflicts() == []
    assert content(a) == content(b)


def test_the_same_text_changed_on_both_keeps_the_other_as_a_conflict_copy(
    make_device: Make, fake_time: FakeTime
) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("A question", "original")
    _both(a, b)
    a.journal.update(e.id, body="written on a")
    fake_time.advance()
    b.journal.update(e.id, body="written on b, later")
    _both(a, b)
    assert content(a) == content(b)
    for d in (a, b):
        assert d.journal.get(e.id).body == "written on b, later"
        copies = SyncService(d.db).conflicts(e.id)
        assert [(c.field, c.value, c.current) for c in copies] == [
            ("body", "written on a", "written on b, later")
        ]
    # Dismissing it on one computer dismisses it on the other.
    a_service = SyncService(a.db)
    assert a_service.resolve([c.id for c in a_service.conflicts()]) == 1
    _both(a, b)
    assert SyncService(b.db).conflicts() == []
    assert len(SyncService(b.db).conflicts(include_resolved=True)) == 1


def test_a_later_edit_wins_even_when_it_is_synced_first(
    make_device: Make, fake_time: FakeTime
) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("A question")
    _both(a, b)
    a.journal.update(e.id, outcome="older outcome")  # edited first ...
    fake_time.advance(60_000)
    b.journal.update(e.id, outcome="newer outcome")
    b.sync()  # ... but synced last
    fake_time.advance(60_000)
    a.sync()
    b.sync()
    assert a.journal.get(e.id).outcome == b.journal.get(e.id).outcome == "newer outcome"


def test_applying_the_same_files_again_changes_nothing(make_device: Make, tmp_path) -> None:
    a, b = make_device("a"), make_device("b")
    a.journal.add("One", "body #x")
    a.journal.set_waterline(3)
    _both(a, b)
    before = content(b)
    # The sync engine's conflict copies of every file of a: the same changes, other names.
    for path in list((tmp_path / "folder" / "devices" / a.device_id).glob("*.qbchanges")):
        shutil.copyfile(path, path.with_name(path.stem + ".sync-conflict-20260101-1-X.qbchanges"))
        shutil.copyfile(path, path.with_name(path.stem + " (conflicted copy).qbchanges"))
    report = b.sync()
    assert (report.received, report.conflicts) == (0, 0)
    assert content(b) == before


def test_trash_on_one_side_and_an_edit_on_the_other_keeps_the_entry_in_the_trash_edited(
    make_device: Make,
) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("A question", "body")
    _both(a, b)
    a.journal.delete(e.id)
    b.journal.update(e.id, body="edited meanwhile")
    _both(a, b)
    for d in (a, b):
        got = d.journal.get(e.id)
        assert got.in_trash and got.body == "edited meanwhile"
    assert content(a) == content(b)


def test_a_purge_against_an_edit_it_had_not_seen_keeps_the_entry(make_device: Make) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("A question #tagged", "body", hardness=2, tags=["manual"])
    _both(a, b)
    a.journal.delete(e.id)
    a.journal.purge(e.id)
    b.journal.update(e.id, body="an edit a had not seen")
    _both(a, b)
    for d in (a, b):
        got = d.journal.get(e.id)
        assert got.body == "an edit a had not seen"
        assert set(got.tags) == {"manual", "tagged"}
        assert [h.level for h in d.journal.hardness_history(e.id)] == [2]
    assert content(a) == content(b)


def test_a_purge_after_seeing_everything_removes_the_entry_everywhere(make_device: Make) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("Doomed #gone", hardness=1, tags=["manual"])
    keep = a.journal.add("Kept")
    _both(a, b)
    b.journal.purge(e.id)
    _both(a, b)
    for d in (a, b):
        assert [x.id for x in d.journal.find(limit=None)] == [keep.id]
        assert d.query("SELECT count(*) FROM hardness_rating")[0][0] == 0
        assert d.query("SELECT count(*) FROM tag")[0][0] == 0
    assert content(a) == content(b)


def test_manual_tags_are_a_set_and_inline_tags_are_derived(make_device: Make, tmp_path) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("Tags", "text with #fromtext", tags=["hand", "other"])
    _both(a, b)
    a.journal.update(e.id, remove_tags=["hand"])
    b.journal.update(e.id, add_tags=["third"])
    _both(a, b)
    for d in (a, b):
        assert set(d.journal.get(e.id).tags) == {"fromtext", "other", "third"}
    assert content(a) == content(b)
    # Only the links added by hand travel; the one written in the text is derived.
    links = [c.key[1] for c in _sent(tmp_path) if c.table == "entry_tag"]
    assert "fromtext" not in links and {"hand", "other", "third"} <= set(links)


def _sent(tmp_path) -> list:
    import zlib

    from questionbook.sync.fileformat import parse_file
    from questionbook.sync.records import load_lines

    out = []
    for path in (tmp_path / "folder" / "devices").rglob("*.qbchanges"):
        _h, payload, _d = parse_file(path.read_bytes())
        out += list(load_lines(zlib.decompress(payload)))
    return out


def test_tag_spelling_converges(make_device: Make, fake_time: FakeTime) -> None:
    a, b = make_device("a"), make_device("b")
    x = a.journal.add("One", tags=["AI"])
    fake_time.advance()
    y = b.journal.add("Two", tags=["ai"])
    _both(a, b)
    assert a.journal.get(x.id).tags == b.journal.get(x.id).tags
    assert a.journal.get(y.id).tags == b.journal.get(y.id).tags
    assert content(a) == content(b)
    a.journal.purge(x.id)
    a.journal.purge(y.id)  # the tag is dropped as unused; its spelling is remembered
    z = b.journal.add("Three", tags=["Ai"])
    _both(a, b)
    assert a.journal.get(z.id).tags == b.journal.get(z.id).tags
    assert content(a) == content(b) and doctor_ok(a) and doctor_ok(b)


def test_reviews_of_the_same_week_merge(make_device: Make, fake_time: FakeTime) -> None:
    a, b = make_device("a"), make_device("b")
    e1, e2 = a.journal.add("One"), a.journal.add("Two")
    _both(a, b)
    ra, rb = a.review.start(), b.review.start()
    a.review.keep(ra.id, e1.id)
    b.review.rerate(rb.id, e2.id, 3)
    a.review.set_reflection(ra.id, "reflection on a")
    fake_time.advance()
    b.review.set_reflection(rb.id, "reflection on b")
    _both(a, b)
    assert content(a) == content(b)
    actions = {(x.entry_id, x.action) for x in a.review.actions(a.review.get(ra.period).id)}
    assert {(e1.id, "keep"), (e2.id, "rerate")} <= actions
    assert a.review.get(ra.period).reflection == "reflection on b"
    copies = SyncService(a.db).conflicts()
    assert [(c.table, c.field, c.value, c.entry_id) for c in copies] == [
        ("review", "reflection", "reflection on a", None)
    ]


def test_journal_settings_travel(make_device: Make) -> None:
    a, b = make_device("a"), make_device("b")
    SyncService(a.db).set_journal_settings(review_weekday=5, review_time="08:30")
    _both(a, b)
    from questionbook.settings import Settings

    got = SyncService(b.db).journal_settings(Settings())
    assert (got.review_weekday, got.review_time, got.week_start) == (5, "08:30", 1)


def test_files_are_applied_in_causal_order_so_no_false_conflicts(
    make_device: Make, tmp_path, fake_time: FakeTime
) -> None:
    """c gets b's edit (made after seeing a's) before a's own file: it waits for a's."""
    fa, fb, fc = (tmp_path / n for n in ("fa", "fb", "fc"))
    a = make_device("a", folder=fa)
    b = make_device("b", folder=fb)
    c = make_device("c", folder=fc)
    e = a.journal.add("Question", "v0")
    a.sync()
    copy_folder(fa, fb)
    copy_folder(fa, fc)
    b.sync()
    c.sync()
    a.journal.update(e.id, body="v1 by a")
    a.sync()
    copy_folder(fa, fb)
    b.sync()
    fake_time.advance()
    b.journal.update(e.id, body="v2 by b, who saw v1")
    b.sync()
    # c receives b's files only.
    shutil.copytree(fb / "devices" / b.device_id, fc / "devices" / b.device_id, dirs_exist_ok=True)
    report = c.sync()
    assert report.waiting and c.journal.get(e.id).body == "v0"
    copy_folder(fa, fc)
    c.sync()
    assert c.journal.get(e.id).body == "v2 by b, who saw v1"
    assert SyncService(c.db).conflicts(include_resolved=True) == []


def test_capture_triggers_exist_only_while_sync_is_on(make_device: Make, tmp_path) -> None:
    a = make_device("a", enable=False)

    def triggers() -> int:
        return a.query("SELECT count(*) FROM sqlite_master WHERE name LIKE 'qbsync%'")[0][0]

    a.journal.add("Before")
    assert triggers() == 0 and a.query("SELECT count(*) FROM sync_outbox")[0][0] == 0
    a.enable()
    assert triggers() > 0
    a.journal.add("After")
    assert a.query("SELECT count(*) FROM sync_outbox")[0][0] > 0
    a.engine.disable()
    assert triggers() == 0
    assert a.query("SELECT count(*) FROM sync_state")[0][0] == 0


def test_a_restored_backup_becomes_a_new_device_and_loses_nothing(
    make_device: Make, tmp_path, fake_time: FakeTime
) -> None:
    a, b = make_device("a"), make_device("b")
    e = a.journal.add("Question", "v1")
    _both(a, b)
    backup = tmp_path / "backup.sqlite3"
    src, dst = sqlite3.connect(a.path), sqlite3.connect(backup)
    src.backup(dst)
    src.close()
    dst.close()
    old_id = a.device_id
    a.journal.update(e.id, title="edited after the backup")
    later = a.journal.add("Written after the backup")
    a.sync()
    a.close()
    shutil.copyfile(backup, a.path)  # restore
    a.open()
    fake_time.advance()
    a.journal.update(e.id, body="edited after the restore")
    report = a.sync()
    assert report.new_device and a.device_id != old_id
    _both(a, b)
    for d in (a, b):
        got = d.journal.get(e.id)
        assert (got.title, got.body) == ("edited after the backup", "edited after the restore")
        assert d.journal.get(later.id).title == "Written after the backup"
    assert content(a) == content(b)


def test_a_copied_journal_file_is_told_apart(
    make_device: Make, tmp_path, fake_time: FakeTime
) -> None:
    a = make_device("a")
    e = a.journal.add("Question")
    a.sync()
    a.close()
    shutil.copyfile(a.path, tmp_path / "c.sqlite3")  # someone copies the journal to a laptop
    a.open()
    c = Device("c", tmp_path / "c.sqlite3", tmp_path / "folder", fake_time, 9)
    try:
        a.journal.update(e.id, body="on a")
        fake_time.advance()
        c.journal.update(e.id, outcome="on c")
        x = c.journal.add("Only on c")
        a.sync()
        c.sync()
        a.sync()
        c.sync()
        assert a.device_id != c.device_id
        for d in (a, c):
            got = d.journal.get(e.id)
            assert (got.body, got.outcome) == ("on a", "on c")
            assert d.journal.get(x.id)
        assert content(a) == content(c)
    finally:
        c.close()


def test_a_new_table_syncs_by_declaring_its_policy(make_device: Make) -> None:
    """A table added later (trials, say) needs a declaration, not sync code."""
    from dataclasses import dataclass, field

    from questionbook.core.columns import Sync, column, table
    from questionbook.sync.plan import PLANS, build_plans

    @dataclass(frozen=True, slots=True, kw_only=True)
    class TrialRow:
        id: str = field(metadata=column(length=36, primary=True))
        entry_id: str = field(
            metadata=column(length=36, references="entry.id", on_delete="CASCADE", index=True)
        )
        verdict: str = field(metadata=column(length=16))
        note: str = ""

    trial = table("fake_trial", TrialRow, natural_key=("id",), sync=Sync("fields"))
    plans = build_plans(
        {**{p.name: p.table for p in PLANS.values()}, ENTRY.name: ENTRY, "fake_trial": trial}
    )
    PLANS["fake_trial"] = plans["fake_trial"]
    PLANS["fake_trial"].registry = PLANS
    try:
        a, b = make_device("a", enable=False), make_device("b", enable=False)
        for d in (a, b):
            with d.db.write() as conn:
                conn.execute(
                    "CREATE TABLE fake_trial (id TEXT PRIMARY KEY, entry_id TEXT NOT NULL "
                    "REFERENCES entry(id) ON DELETE CASCADE, verdict TEXT NOT NULL, "
                    "note TEXT NOT NULL)"
                )
            d.enable()
        e = a.journal.add("Ask an AI")
        with a.db.write() as conn:
            conn.execute("INSERT INTO fake_trial VALUES ('t1', ?, 'failed', 'no luck')", (e.id,))
        _both(a, b)
        assert b.query("SELECT id, entry_id, verdict, note FROM fake_trial") == [
            ("t1", e.id, "failed", "no luck")
        ]
        with b.db.write() as conn:
            conn.execute("UPDATE fake_trial SET note = 'changed on b'")
        b.journal.purge(e.id)
        _both(a, b)
        assert a.query("SELECT count(*) FROM fake_trial")[0][0] == 0
    finally:
        del PLANS["fake_trial"]


def test_a_first_sync_spread_over_many_files_merges_every_row(
    make_device: Make, fake_time: FakeTime
) -> None:
    """A joining journal's rows fill many files; each must still count as news."""
    a = make_device("a")
    ra = a.review.start()
    a.review.set_reflection(ra.id, "written on a")
    a.sync()
    b = make_device("b", enable=False, file_changes=2)
    for i in range(4):
        b.journal.add(f"b's entry {i}")
    fake_time.advance(60_000)
    rb = b.review.start()
    b.review.set_reflection(rb.id, "written on b, later")
    b.enable()
    _both(a, b)
    assert content(a) == content(b)
    assert a.review.get(ra.period).reflection == "written on b, later"
    assert [c.value for c in SyncService(a.db).conflicts()] == ["written on a"]
