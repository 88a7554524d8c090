"""jrnl (JSON export and both text formats) and Day One (JSON, zip) fixtures written from their
documented formats."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from questionbook.exchange.api import import_path
from questionbook.exchange.dayone import unescape

SHANGHAI = timezone(timedelta(hours=8))

JRNL_TEXT = """[2024-06-17 18:05] Why do cats purr? @cats
They do it when content and when hurt.

[2024-06-18 09:30] Finished the garden plan. #garden *
Planted tomatoes.
```
# not a heading, not a tag: #code
```

[2024-06-19 07:00] 为什么电梯要有镜子？
"""

JRNL_TEXT_NEW = """[2024-06-17 06:05:00 PM] Why do cats purr? @cats
They do it when content and when hurt.

[2024-06-18 09:30:00 AM] Finished the garden plan. #garden *
Planted tomatoes.
```
# not a heading, not a tag: #code
```
"""

JRNL_JSON = {
    "tags": {"@cats": 1, "#garden": 1},
    "entries": [
        {
            "title": "Why do cats purr?",
            "body": "@cats\nThey do it when content and when hurt.",
            "date": "2024-06-17",
            "time": "18:05",
            "tags": ["@cats"],
            "starred": False,
        },
        {
            "title": "Finished the garden plan.",
            "body": "#garden",
            "date": "2024-06-18",
            "time": "09:30",
            "tags": ["#garden"],
            "starred": True,
        },
    ],
}


def by_title(journal):
    return {s.title: journal.get(s.id) for s in journal.find("", limit=None)}


def test_jrnl_text_entries_kinds_tags_star_and_local_time(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(JRNL_TEXT, encoding="utf-8")
    journal = new_journal(tz=SHANGHAI)
    report = import_path(journal, path)
    assert (report.format, report.added) == ("jrnl", 3)
    got = by_title(journal)
    cats = got["Why do cats purr? @cats"]
    assert cats.kind == "note"  # the text ends with "hurt.", not a question mark
    assert cats.tags == ("cats",)
    assert cats.created_at == datetime(2024, 6, 17, 10, 5, tzinfo=UTC)  # 18:05 in +08:00
    garden = got["Finished the garden plan. #garden"]
    assert garden.starred and garden.tags == ("garden",)
    assert "# not a heading" in garden.body
    lift = got["为什么电梯要有镜子？"]
    assert lift.kind == "question" and lift.status == "open"


def test_jrnl_text_new_time_format_gives_the_same_entries(new_journal, tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(JRNL_TEXT, encoding="utf-8")
    new.write_text(JRNL_TEXT_NEW, encoding="utf-8")
    journal = new_journal(tz=SHANGHAI)
    import_path(journal, old)
    report = import_path(journal, new, "jrnl")
    assert (report.added, report.unchanged) == (0, 2)


def test_jrnl_json_export(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "jrnl.json"
    path.write_text(json.dumps(JRNL_JSON), encoding="utf-8")
    journal = new_journal(tz=SHANGHAI)
    report = import_path(journal, path)
    assert (report.format, report.added) == ("jrnl", 2)
    got = by_title(journal)
    assert got["Why do cats purr?"].tags == ("cats",)
    assert got["Why do cats purr?"].created_at == datetime(2024, 6, 17, 10, 5, tzinfo=UTC)
    assert got["Finished the garden plan."].starred
    again = import_path(journal, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


def test_jrnl_reimport_keeps_what_the_user_changed(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(JRNL_TEXT, encoding="utf-8")
    journal = new_journal(tz=SHANGHAI)
    import_path(journal, path)
    lift = by_title(journal)["为什么电梯要有镜子？"]
    journal.set_status(lift.id, "answered", "to feel less crowded")
    journal.rate(lift.id, 2)
    report = import_path(journal, path)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)
    assert journal.get(lift.id).status == "answered" and journal.get(lift.id).hardness == 2


DAYONE = {
    "metadata": {"version": "1.0"},
    "entries": [
        {
            "uuid": "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
            "creationDate": "2024-06-17T22:30:00Z",
            "modifiedDate": "2024-06-18T01:00:00Z",
            "timeZone": "Asia/Shanghai",
            "text": "# Trip to Hangzhou\\. Day 1\n\nWe went \\(finally\\)\\! 1\\-2\\-3\n"
            "![](dayone-moment://ABCDEF0123)\n`keep\\.this`",
            "tags": ["travel", "杭州"],
            "starred": True,
            "photos": [{"identifier": "ABCDEF0123", "md5": "00"}],
        },
        {
            "uuid": "1A1B2C3D4E5F60718293A4B5C6D7E8F9",
            "creationDate": "2024-06-19T08:00:00Z",
            "timeZone": "Europe/Berlin",
            "text": "Will the tide reach my work?",
            "isPinned": True,
        },
    ],
}


def test_unescape_leaves_code_alone() -> None:
    assert unescape(r"a\.b \(c\) `x\.y`") == "a.b (c) `x\\.y`"


def test_dayone_json(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "Journal.json"
    path.write_text(json.dumps(DAYONE), encoding="utf-8")
    journal = new_journal()
    report = import_path(journal, path)
    assert (report.format, report.added) == ("dayone", 2)
    trip = journal.get("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
    assert trip.title == "Trip to Hangzhou. Day 1"
    assert "We went (finally)! 1-2-3" in trip.body
    assert "`keep\\.this`" in trip.body
    assert "ABCDEF0123" in trip.body and "not imported" in trip.body
    assert trip.starred and set(trip.tags) == {"travel", "杭州"}
    assert trip.created_at == datetime(2024, 6, 17, 22, 30, tzinfo=UTC)
    assert trip.kind == "note"
    tide = journal.get("1a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
    assert tide.starred and tide.kind == "question"  # pinned → starred
    assert report.skipped_total == 0 and report.attachments_skipped == 1
    assert any("1 attachment" in n for n in report.notes)


def test_dayone_zip_is_idempotent(new_journal, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Journal.json", json.dumps(DAYONE))
        zf.writestr("photos/00.jpeg", b"\xff\xd8")
    journal = new_journal()
    assert import_path(journal, path).added == 2
    again = import_path(journal, path, "dayone")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


def test_dayone_reimport_keeps_local_edits_and_takes_newer_ones(new_journal, tmp_path) -> None:
    path = tmp_path / "Journal.json"
    path.write_text(json.dumps(DAYONE), encoding="utf-8")
    journal = new_journal()
    import_path(journal, path)
    tide_id = "1a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
    journal.clock.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    journal.update(tide_id, body="my own thoughts")
    report = import_path(journal, path)
    assert report.updated == 0 and report.skipped_total == 1  # the entry edited here
    assert journal.get(tide_id).body == "my own thoughts"

    newer = json.loads(json.dumps(DAYONE))
    newer["entries"][0]["text"] = "# Trip to Hangzhou\\. Day 1\n\nRewritten in Day One"
    newer["entries"][0]["modifiedDate"] = "2024-07-01T00:00:00Z"
    path.write_text(json.dumps(newer), encoding="utf-8")
    report = import_path(journal, path)
    assert report.updated == 1
    trip = journal.get("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
    assert trip.body == "Rewritten in Day One"
    assert trip.updated_at == datetime(2024, 7, 1, tzinfo=UTC)
