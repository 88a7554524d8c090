"""Issue 12 #9: the app's own single-file Markdown export imports back, detected automatically."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from questionbook.core.errors import ImportFormatError
from questionbook.exchange.api import export_journal, import_path, read_batch
from questionbook.exchange.detect import UnknownFormat, detect
from questionbook.i18n import set_language

BODY = """Some thoughts.

# A heading in the body

```python
### not an entry heading, inside code
print("#notatag")
```

- [ ] a task #ml"""


def _fill(journal) -> list[str]:
    a = journal.add(
        "Why does grokking happen suddenly?",
        BODY,
        kind="question",
        hardness=3,
        tags=["research"],
        starred=True,
        created_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
    )
    journal.set_status(a.id, "answered", "Weight decay, mostly.\nSecond line of the answer.")
    b = journal.add(
        "造一台电梯 #梦想",
        "给整个团队的计划",
        kind="plan",
        status="active",
        hardness=4,
        created_at=datetime(2026, 3, 2, 22, 5, tzinfo=UTC),
    )
    c = journal.add("- a note that starts like a list", "", kind="note")
    return [a.id, b.id, c.id]


FIELDS = ("kind", "title", "body", "status", "hardness", "starred", "outcome", "tags", "created_at")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_markdown_export_imports_back_exactly(new_journal, tmp_path, language) -> None:
    source = new_journal()
    ids = _fill(source)
    out = tmp_path / "journal.md"
    set_language(language)
    try:
        export_journal(source, "markdown", out)
    finally:
        set_language("en")
    assert detect(out) == "markdown"
    target = new_journal()
    report = import_path(target, out)  # "auto"
    assert report.added == 3
    for entry_id in ids:
        mine, theirs = source.get(entry_id), target.get(entry_id)
        for name in FIELDS:
            assert getattr(theirs, name) == getattr(mine, name), name
    again = import_path(target, out)
    assert (again.added, again.unchanged) == (0, 3)  # matched by id, not duplicated


def test_an_edited_markdown_journal_updates_the_entry(new_journal, tmp_path) -> None:
    journal = new_journal()
    ids = _fill(journal)
    out = tmp_path / "journal.md"
    export_journal(journal, "markdown", out)
    text = out.read_text("utf-8").replace("给整个团队的计划", "给整个团队的新计划")
    out.write_text(text, "utf-8")
    journal.clock.now = datetime(2027, 1, 1, tzinfo=UTC)
    report = import_path(journal, out)
    assert report.updated == 1
    assert journal.get(ids[1]).body == "给整个团队的新计划"


def test_a_hand_written_journal_without_markers_imports(new_journal, tmp_path) -> None:
    text = """# QuestionBook journal

Exported by hand.

## 2026-04-05 Sunday

### Could an elevator think?

*Question · Exploring · Highlands · #ai #elevator · 21:15*

Body line.

**Outcome:** not yet
"""
    path = tmp_path / "hand.md"
    path.write_text(text, "utf-8")
    journal = new_journal()
    journal.tz = ZoneInfo("Europe/Berlin")
    report = import_path(journal, path)
    assert report.added == 1
    entry = journal.get(journal.find("elevator")[0].id)
    assert (entry.kind, entry.status, entry.hardness) == ("question", "exploring", 3)
    assert set(entry.tags) == {"ai", "elevator"}
    assert entry.body == "Body line." and entry.outcome == "not yet"
    assert entry.created_at == datetime(2026, 4, 5, 19, 15, tzinfo=UTC)  # 21:15 in Berlin


def test_unknown_text_names_every_format_and_no_command_line_flag(tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some text\nnothing to see", "utf-8")
    with pytest.raises(UnknownFormat) as info:
        detect(path)
    message = str(info.value)
    assert "--from" not in message and "Markdown" in message and "jrnl" in message


def test_a_markdown_journal_with_no_entries_is_an_error(new_journal, tmp_path) -> None:
    path = tmp_path / "empty.md"
    path.write_text("# QuestionBook journal\n\n## 2026-04-05 Sunday\n", "utf-8")
    with pytest.raises(ImportFormatError):
        read_batch(new_journal(), path)


def test_an_old_markdown_export_never_undoes_newer_work(new_journal, tmp_path) -> None:
    journal = new_journal()
    ids = _fill(journal)
    out = tmp_path / "journal.md"
    export_journal(journal, "markdown", out)
    journal.clock.now = datetime(2027, 1, 1, tzinfo=UTC)
    journal.update(ids[1], body="written after the export")
    report = import_path(journal, out)
    assert report.updated == 0
    assert journal.get(ids[1]).body == "written after the export"


def test_trials_shown_in_the_markdown_journal_stay_out_of_the_body(new_journal, tmp_path) -> None:
    from questionbook.core.trials import TrialService

    journal = new_journal()
    entry = journal.add("Why is the sky blue?", "For a child.\n\n# Trials\n\nmy own heading")
    TrialService(journal.db, clock=journal.clock).add(entry.id, verdict="solved", answer="Light.")
    out = tmp_path / "journal.md"
    export_journal(journal, "markdown", out)
    target = new_journal()
    import_path(target, out)
    assert target.get(entry.id).body == journal.get(entry.id).body
