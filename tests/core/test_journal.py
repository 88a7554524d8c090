"""The Journal service on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from questionbook.core.errors import AmbiguousId, EntryNotFound, InvalidValue
from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import open_services


def test_add_and_get_round_trip(journal: Journal) -> None:
    e = journal.add(
        "Why does grokking happen suddenly?",
        "Some **body**\nwith #ml",
        hardness=3,
        tags=["AI"],
        starred=True,
    )
    got = journal.get(e.id[:8])
    assert got.title == "Why does grokking happen suddenly?"
    assert got.body == "Some **body**\nwith #ml"
    assert got.kind == "question" and got.status == "open"
    assert got.hardness == 3 and got.starred
    assert set(got.tags) == {"AI", "ml"}
    assert got.created_at.tzinfo is not None


def test_empty_title_takes_first_line(journal: Journal) -> None:
    e = journal.add("", "\n\nFirst line\nrest of body")
    assert (e.title, e.body) == ("First line", "rest of body")
    with pytest.raises(InvalidValue):
        journal.add("", "   \n ")


def test_hardness_and_status_history(clocked_journal: Journal, clock) -> None:
    j = clocked_journal
    e = j.add("Q", hardness=2)
    clock.now += timedelta(days=1)
    j.rate(e.id, 4, source="rubric")
    clock.now += timedelta(days=1)
    j.rate(e.id, 4)  # unchanged: no new history row
    j.set_status(e.id, "answered", outcome="It was the weight decay")
    hist = j.hardness_history(e.id)
    assert [(h.level, h.source) for h in hist] == [(2, "user"), (4, "rubric")]
    statuses = j.status_history(e.id)
    assert [s.status for s in statuses] == ["open", "answered"]
    assert j.get(e.id).outcome == "It was the weight decay"


def test_kind_change_resets_invalid_status(journal: Journal) -> None:
    e = journal.add("Q")
    assert journal.update(e.id, kind="plan").status == "idea"
    assert journal.update(e.id, kind="note").status is None
    with pytest.raises(InvalidValue):
        journal.update(e.id, status="open")


def test_tags_inline_and_manual(journal: Journal) -> None:
    e = journal.add("Title #inline", tags=["manual"])
    assert set(journal.get(e.id).tags) == {"inline", "manual"}
    journal.update(e.id, title="Title without tag")
    assert journal.get(e.id).tags == ("manual",)
    journal.update(e.id, remove_tags=["MANUAL"], add_tags=["new"])
    assert journal.get(e.id).tags == ("new",)
    assert [(t.name, t.count) for t in journal.tag_counts()] == [("new", 1)]


def test_trash_restore_purge(journal: Journal) -> None:
    e = journal.add("to delete")
    journal.delete(e.id)
    assert journal.count() == 0 and journal.count(trash=True) == 1
    journal.restore(e.id)
    assert journal.count() == 1
    journal.purge(e.id)
    with pytest.raises(EntryNotFound):
        journal.get(e.id)


def test_follow_up_links_and_survives_parent_purge(journal: Journal) -> None:
    parent = journal.add("Broad question", tags=["x"], kind="question")
    child = journal.follow_up(parent.id, "Sharper question")
    assert child.parent_id == parent.id and child.tags == ("x",)
    assert [s.id for s in journal.follow_ups(parent.id)] == [child.id]
    journal.purge(parent.id)
    assert journal.get(child.id).parent_id is None


def test_id_prefix_errors(journal: Journal) -> None:
    with pytest.raises(EntryNotFound):
        journal.get("abc")
    ids = {journal.add(f"e{i}").id for i in range(40)}
    firsts = {i[0] for i in ids}
    prefix = next(c for c in firsts if sum(i.startswith(c) for i in ids) > 1)
    with pytest.raises((AmbiguousId, EntryNotFound)):
        journal.get(prefix)


def test_waterline_history_and_newly_submerged(clocked_journal: Journal, clock) -> None:
    j = clocked_journal
    assert j.waterline() == 1
    low = j.add("low", hardness=2)
    j.add("high", hardness=4)
    j.add("unrated")
    clock.now += timedelta(minutes=1)
    result = j.set_waterline(2, note="new model release")
    assert (result.previous, result.level) == (1, 2)
    assert [s.id for s in result.newly_submerged] == [low.id]
    assert j.waterline() == 2
    assert [(w.level, w.note) for w in j.waterline_history()] == [(2, "new model release")]
    assert j.submerged_count() == 1
    assert j.stats().submerged == 1
    with pytest.raises(InvalidValue):
        j.set_waterline(7)


def test_backdating_and_timezone(journal: Journal) -> None:
    when = datetime(2024, 2, 29, 23, 30, tzinfo=UTC)
    e = journal.add("leap", created_at=when)
    assert journal.get(e.id).created_at == when
    data = journal.get(e.id).to_json()
    assert set(data) == {
        "id",
        "kind",
        "title",
        "body",
        "status",
        "hardness",
        "reach",
        "seal_level",
        "seal_waterline",
        "still_mine",
        "revisit_on",
        "tags",
        "starred",
        "outcome",
        "parent_id",
        "created_at",
        "updated_at",
    }
    assert datetime.fromisoformat(data["created_at"]) == when


def test_paging_and_counts(journal: Journal) -> None:
    for i in range(25):
        journal.add(f"entry {i}", kind="note" if i % 5 == 0 else "question")
    page1 = journal.find("", limit=10)
    page3 = journal.find("", limit=10, offset=20)
    assert len(page1) == 10 and len(page3) == 5
    assert journal.stats().by_kind == {"note": 5, "question": 20}
    assert len(journal.find_ids("kind:note")) == 5


def test_data_version_changes_on_writes_from_another_connection(
    app_paths: AppPaths, journal: Journal
) -> None:
    first = journal.add("first")
    second = journal.add("second")
    journal.delete(first.id)
    journal.delete(second.id)
    other = open_services(app_paths)
    try:
        seen = {journal.data_version()}
        for change in (
            lambda: other.journal.add("from another process"),
            lambda: other.journal.restore(first.id),  # not the newest deletion
            lambda: other.journal.set_waterline(3),
            lambda: other.journal.update(second.id, title="renamed in the Trash"),
        ):
            change()
            version = journal.data_version()
            assert version not in seen
            seen.add(version)
        assert journal.data_version() in seen  # stable while nothing changes
    finally:
        other.close()


def test_text_is_cleaned(journal: Journal) -> None:
    e = journal.add("nul\x00title", "lone \ud800 surrogate")
    got = journal.get(e.id)
    assert "\x00" not in got.title
    assert got.body.encode("utf-8")


def test_stats_counts(journal: Journal) -> None:
    journal.add("q1", hardness=0, starred=True)
    journal.add("q2", hardness=3)
    journal.add("p1", kind="plan", hardness=1, starred=True)
    gone = journal.add("n1", kind="note", hardness=0)
    journal.delete(gone.id)
    stats = journal.stats()
    assert stats.by_kind == {"question": 2, "plan": 1}
    assert (stats.total, stats.starred, stats.submerged, stats.trash) == (3, 2, 2, 1)
    assert stats.waterline == 1


def test_a_tag_keeps_its_first_spelling_everywhere(journal: Journal) -> None:
    journal.add("first #AI")
    second = journal.add("second", tags=["ai"])
    assert journal.get(second.id).tags == ("AI",)
    assert [(t.name, t.count) for t in journal.tag_counts()] == [("AI", 2)]
