"""Round trips: export to JSON or a vault, import into an empty journal, every field equal."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from questionbook.core import rows
from questionbook.core.entry_writes import mark_reviewed
from questionbook.core.errors import InvalidValue
from questionbook.core.journal import Journal
from questionbook.core.schema import REVIEW, REVIEW_ACTION, ReviewRow
from questionbook.exchange.api import export_journal, import_path
from questionbook.exchange.common import Cancelled

from .conftest import snapshot

SPECIAL = [
    "电梯",
    "问题",
    "🙂",
    "👩‍💻",
    "שלום",
    "مرحبا",
    "\u200f",
    "#",
    "# ",
    "##",
    "```",
    "---",
    "\n",
    "\r\n",
    "\t",
    " ",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    ":",
    '"',
    "'",
    "\\",
    "/",
    "..",
    "CON",
    "?",
    "？",
    "＃标签",
    "#tag",
    "@x",
    "<b>",
    "&amp;",
    "|",
    "~~~",
    "> ",
    "1. ",
    "\u2028",
    "\x85",
    "é",
    "e\u0301",
    "ﬁ",
    "\ufeff",
    "%",
    "{",
    "}",
    "---\n",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.characters(codec="utf-8", exclude_categories=("Cs",))),
    max_size=30,
).map("".join)
WHEN = st.datetimes(
    min_value=datetime(1971, 1, 2), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
)
ENTRY = st.fixed_dictionaries(
    {
        "title": TEXT,
        "body": TEXT,
        "kind": st.sampled_from(["question", "plan", "note"]),
        "hardness": st.none() | st.integers(0, 4),
        "starred": st.booleans(),
        "tags": st.lists(st.sampled_from(["AI", "ai", "电梯", "x-y", "Ünï"]), max_size=3),
        "outcome": TEXT,
        "created": WHEN,
        "trash": st.booleans(),
        "follow": st.booleans(),
    }
)


def fill(journal: Journal, specs: list[dict]) -> list[str]:
    ids: list[str] = []
    for spec in specs:
        try:
            e = journal.add(
                spec["title"],
                spec["body"],
                kind=spec["kind"],
                hardness=spec["hardness"],
                starred=spec["starred"],
                tags=spec["tags"],
                created_at=spec["created"],
                parent_id=ids[-1] if spec["follow"] and ids else None,
            )
        except InvalidValue:
            continue
        if spec["outcome"].strip() and spec["kind"] != "note":
            journal.update(e.id, outcome=spec["outcome"])
        if spec["trash"]:
            journal.delete(e.id)
        ids.append(e.id)
    return ids


def everything(journal: Journal, ids: list[str]) -> list[tuple]:
    return [(journal.get(i), journal.hardness_history(i), journal.status_history(i)) for i in ids]


@settings(
    max_examples=20,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(ENTRY, min_size=1, max_size=5))
def test_json_round_trip_keeps_every_field(new_journal, tmp_path: Path, specs) -> None:
    source = new_journal(tz=None)
    ids = fill(source, specs)
    source.set_waterline(2, "rising 水位")
    out = tmp_path / "export.json"
    export_journal(source, "json", out)
    target = new_journal(tz=None)
    report = import_path(target, out)
    assert report.added == len(ids)
    assert everything(target, ids) == everything(source, ids)
    assert target.waterline_history() == source.waterline_history()
    again = import_path(target, out)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(ids))


@settings(
    max_examples=20,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(ENTRY, min_size=1, max_size=5))
def test_vault_round_trip_keeps_every_field(new_journal, tmp_path: Path, specs) -> None:
    source = new_journal(tz=None)
    for spec in specs:
        spec["trash"] = False  # a vault holds the live entries
    ids = fill(source, specs)
    folder = tmp_path / "vault"
    shutil.rmtree(folder, ignore_errors=True)
    export_journal(source, "vault", folder)
    target = new_journal(tz=None)
    report = import_path(target, folder)
    assert report.added == len(ids), report
    assert [target.get(i) for i in ids] == [source.get(i) for i in ids]
    again = import_path(target, folder)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(ids))


def test_json_keeps_trash_review_times_histories_and_reviews(new_journal, tmp_path) -> None:
    source = new_journal()
    a = source.add("Why does grokking happen suddenly?", "notes #ml", hardness=3)
    b = source.follow_up(a.id, "What makes it sudden?")
    source.rate(a.id, 4, source="review")
    source.set_status(a.id, "answered", "phase change")
    source.delete(b.id)
    when = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
    with source.db.write() as conn:
        mark_reviewed(conn, a.id, when, snoozed_until=when + timedelta(days=7))
        rid = rows.insert(
            conn,
            REVIEW,
            ReviewRow(
                period="2026-W47",
                started_at=when,
                finished_at=when,
                waterline=2,
                reflection="水涨了",
                step="done",
                position=3,
            ),
        )
        rows.insert(
            conn,
            REVIEW_ACTION,
            {
                "review_id": rid,
                "entry_id": a.id,
                "action": "rerate",
                "detail": "3→4",
                "acted_at": when,
            },
        )
    out = tmp_path / "all.json"
    export_journal(source, "json", out)
    target = new_journal()
    report = import_path(target, out)
    assert (report.added, report.reviews_added) == (2, 1)
    assert everything(target, [a.id, b.id]) == everything(source, [a.id, b.id])
    assert target.get(b.id).in_trash and target.get(b.id).parent_id == a.id
    assert target.get(a.id).last_reviewed_at == when
    mine, theirs = snapshot(source), snapshot(target)
    assert [r[1:] for r in theirs["review"]] == [r[1:] for r in mine["review"]]
    assert [r[2:] for r in theirs["review_action"]] == [r[2:] for r in mine["review_action"]]


def test_reimport_updates_changed_entries(new_journal, tmp_path) -> None:
    source = new_journal()
    a = source.add("First?", "")
    source.add("Second", "", kind="note")
    out = tmp_path / "x.json"
    export_journal(source, "json", out)
    target = new_journal()
    import_path(target, out)
    source.update(a.id, body="more", hardness=2)
    export_journal(source, "json", out)
    report = import_path(target, out)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert target.get(a.id) == source.get(a.id)
    assert target.hardness_history(a.id) == source.hardness_history(a.id)


def test_dry_run_writes_nothing_but_reports(new_journal, tmp_path) -> None:
    source = new_journal()
    source.add("One?")
    source.add("Two?")
    out = tmp_path / "x.json"
    export_journal(source, "json", out)
    target = new_journal()
    before = snapshot(target)
    report = import_path(target, out, dry_run=True)
    assert report.dry_run and report.added == 2
    assert snapshot(target) == before


def test_cancelled_import_leaves_the_journal_unchanged(new_journal, tmp_path) -> None:
    source = new_journal()
    for i in range(1200):
        source.add(
            f"Question {i}?", created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i)
        )
    out = tmp_path / "x.json"
    export_journal(source, "json", out)
    target = new_journal()
    target.add("Already here")
    before = snapshot(target)
    calls: list[tuple[int, int]] = []

    def stop_midway(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 600

    with pytest.raises(Cancelled):
        import_path(target, out, progress=stop_midway)
    assert calls[-1][0] >= 600 and calls[-1][1] == 1200
    assert snapshot(target) == before


def test_cancelled_export_leaves_no_file(new_journal, tmp_path) -> None:
    source = new_journal()
    for i in range(600):
        source.add(f"Q{i}?")
    out = tmp_path / "out" / "x.json"
    out.parent.mkdir()
    out.write_text("old content")
    with pytest.raises(Cancelled):
        export_journal(source, "json", out, progress=lambda done, total: done == 0)
    assert out.read_text() == "old content"
    assert [p.name for p in out.parent.iterdir()] == ["x.json"]


def test_exported_files_are_private(new_journal, tmp_path) -> None:
    source = new_journal()
    source.add("Private?")
    export_journal(source, "json", tmp_path / "x.json")
    export_journal(source, "markdown", tmp_path / "x.md")
    assert (tmp_path / "x.json").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "x.md").stat().st_mode & 0o777 == 0o600


def test_an_old_export_never_undoes_newer_work(new_journal, tmp_path) -> None:
    journal = new_journal()
    a = journal.add("Will it rise?")
    b = journal.add("Trash me later")
    export_journal(journal, "json", tmp_path / "old.json")
    export_journal(journal, "vault", tmp_path / "vault")
    journal.clock.now += timedelta(days=1)
    journal.update(a.id, body="newer thoughts", hardness=3)
    journal.delete(b.id)
    for source in (tmp_path / "old.json", tmp_path / "vault"):
        report = import_path(journal, source)
        assert report.updated == 0 and report.added == 0
        assert journal.get(a.id).body == "newer thoughts" and journal.get(a.id).hardness == 3
        assert journal.get(b.id).in_trash
    assert sum(report.skipped.values()) == 1  # the vault: a is newer here, b kept in the Trash


def test_vault_edits_made_in_obsidian_come_back(new_journal, tmp_path) -> None:
    journal = new_journal()
    a = journal.add("Edit me in Obsidian?", "before")
    root = tmp_path / "vault"
    export_journal(journal, "vault", root)
    path = next(root.rglob(f"*{a.id[:8]}.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("before", "after, with #obsidian"), encoding="utf-8")
    report = import_path(journal, root)
    assert report.updated == 1
    assert journal.get(a.id).body == "after, with #obsidian"
    assert "obsidian" in journal.get(a.id).tags


def test_import_indexes_new_entries_in_one_pass_and_keeps_the_index_exact(
    new_journal, tmp_path
) -> None:
    """New entries are indexed after the insert (storage.fts.indexed_in_one_pass); updated
    ones through the triggers. The doctor compares the index with a fresh rebuild."""
    from questionbook.storage.doctor import check_journal

    source = new_journal()
    kept = source.add("水位上涨的一年 #潮汐", "elevator notes")
    for i in range(30):
        source.add(f"问题 {i} about grokking", tags=["bulk"])
    out = tmp_path / "all.json"
    export_journal(source, "json", out)
    target = new_journal()
    target.add("Already here, about 电梯")
    report = import_path(target, out)
    assert report.added == 31
    assert len(target.find("grokking", limit=None)) == 30
    assert [s.id for s in target.find("水位")] == [kept.id]
    assert len(target.find("#潮汐")) == 1 and len(target.find("电梯")) == 1
    source.update(kept.id, body="stairs only")  # a newer edit, imported as an update
    export_journal(source, "json", out)
    assert import_path(target, out).updated == 1
    assert [s.id for s in target.find("stairs")] == [kept.id]
    assert not target.find("elevator")
    target.add("written after the import: 潮汐表")  # the insert trigger is back
    assert len(target.find("潮汐表")) == 1
    doctor = check_journal(target.db.path)
    assert doctor.ok, doctor.problems


def test_cancelled_import_keeps_the_insert_trigger(new_journal, tmp_path) -> None:
    source = new_journal()
    for i in range(600):
        source.add(f"Question {i}?")
    out = tmp_path / "x.json"
    export_journal(source, "json", out)
    target = new_journal()
    with pytest.raises(Cancelled):
        import_path(target, out, progress=lambda done, total: done < 500)
    target.add("searchable after a cancelled import: 月光")
    assert len(target.find("月光")) == 1
    assert check_journal_ok(target)


def check_journal_ok(journal) -> bool:
    from questionbook.storage.doctor import check_journal

    return check_journal(journal.db.path).ok


def test_json_carries_every_declared_entry_field(new_journal, tmp_path) -> None:
    """JSON export and import walk the entry declaration: a field added to entries (here
    ``reach``) round-trips with no change to the exchange code."""
    source = new_journal()
    entry = source.add("Build an elevator for the whole team", kind="plan")
    source.update(entry.id, reach=3)
    out = tmp_path / "all.json"
    export_journal(source, "json", out)
    assert '"reach":3' in out.read_text("utf-8")
    target = new_journal()
    import_path(target, out)
    assert target.get(entry.id).reach == 3
    source.update(entry.id, reach=None)  # an edit in the file wins over the journal's value
    export_journal(source, "json", out)
    import_path(target, out)
    assert target.get(entry.id).reach is None
