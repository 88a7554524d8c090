"""A large file is read once, as it is applied (issue 21): the same journal as reading it whole.

Files over :data:`~questionbook.exchange.incoming.READ_FIRST_BYTES` (8 MiB) are parsed inside
the import's one transaction, a page at a time. These tests lower that threshold so that small
real files take the streamed path, then compare with the same file read whole first: the
entries, follow-ups pointing forwards, tags, attachments, the report, and that an error or a
cancel late in the file leaves the journal as it was. Each test runs twice: the file read in
the importing process, and read by a process of its own (as a file over
:data:`~questionbook.exchange.incoming.OWN_PROCESS_BYTES` is).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from questionbook.core.errors import ImportFormatError
from questionbook.exchange import incoming
from questionbook.exchange.api import export_journal, import_path
from questionbook.exchange.common import Cancelled

from .conftest import snapshot
from .test_attachments_exchange import _fill, _state


@pytest.fixture(params=["this process", "a process of its own"])
def streamed(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest):
    """Call to make every later import stream its file (as an 8 MiB one would), read in this
    process or, like a larger one, by a process of its own (exchange.reader_process)."""

    def stream() -> None:
        monkeypatch.setattr(incoming, "READ_FIRST_BYTES", 0)
        if request.param == "a process of its own":
            monkeypatch.setattr(incoming, "OWN_PROCESS_BYTES", 0)

    return stream


def _entry(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": str(uuid.UUID(int=i + 1)),
        "title": f"entry {i}",
        "kind": "note",
        "created_at": "2026-01-02T03:04:05Z",
        **extra,
    }


def _document(entries: list[dict[str, object]]) -> str:
    return json.dumps({"format": "questionbook", "version": 1, "entries": entries})


def _jrnl(n: int, bad_at: int | None = None) -> str:
    lines = []
    for i in range(n):
        day = "2024-02-30" if i == bad_at else f"2024-01-{1 + i % 28:02d}"
        lines += [f"[{day} {i % 24:02d}:{i % 60:02d}] Entry {i} @tag{i % 5}", f"body {i}", ""]
    return "\n".join(lines)


def test_a_streamed_json_file_imports_exactly_as_one_read_whole(
    new_journal, tmp_path: Path, streamed
) -> None:
    rows = [_entry(i, body=f"#tag{i % 7} body {i}") for i in range(700)]
    rows[10]["parent_id"] = rows[650]["id"]  # a follow-up of an entry pages further down
    rows[660]["parent_id"] = rows[5]["id"]
    rows[670]["parent_id"] = str(uuid.UUID(int=99999))  # of an entry nowhere
    rows.append(dict(rows[3]))  # the same entry twice
    path = tmp_path / "entries.json"
    path.write_text(_document(rows))
    whole = import_path(new_journal(), path)
    streamed()
    journal = new_journal()
    report = import_path(journal, path)
    assert (report.added, report.skipped, report.notes) == (
        whole.added,
        whole.skipped,
        whole.notes,
    )
    assert report.added == 700
    assert journal.get(rows[10]["id"]).parent_id == rows[650]["id"]
    assert journal.get(rows[660]["id"]).parent_id == rows[5]["id"]
    assert journal.get(rows[670]["id"]).parent_id is None
    assert {t.name: t.count for t in journal.tag_counts()}["tag0"] == 100
    again = import_path(journal, path)
    assert (again.added, again.updated) == (0, 0)


def test_a_streamed_jrnl_file_gives_the_same_entries(new_journal, tmp_path: Path, streamed) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(600), encoding="utf-8")
    whole = new_journal()
    import_path(whole, path, "jrnl")
    streamed()
    journal = new_journal()
    report = import_path(journal, path, "jrnl")
    assert report.added == 600
    assert snapshot(journal) == snapshot(whole)


@pytest.mark.parametrize("fmt", ["json", "jrnl"])
def test_an_error_late_in_a_streamed_file_changes_nothing(
    new_journal, tmp_path: Path, streamed, fmt: str
) -> None:
    """The entries before the error were already written in the transaction: all rolled back."""
    streamed()
    journal = new_journal()
    journal.add("already here")
    if fmt == "json":
        rows = [_entry(i) for i in range(600)]
        rows[590]["created_at"] = "not a time"
        path = tmp_path / "bad.json"
        path.write_text(_document(rows))
    else:
        path = tmp_path / "bad.txt"
        path.write_text(_jrnl(600, bad_at=590), encoding="utf-8")
    before = snapshot(journal)
    with pytest.raises(ImportFormatError):
        import_path(journal, path, fmt)
    assert snapshot(journal) == before


def test_a_streamed_import_reports_progress_in_bytes_and_can_be_cancelled(
    new_journal, tmp_path: Path, streamed
) -> None:
    streamed()
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(600), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    import_path(new_journal(), path, "jrnl", progress=lambda d, t: seen.append((d, t)) or True)
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    journal = new_journal()
    before = snapshot(journal)
    with pytest.raises(Cancelled):
        import_path(journal, path, "jrnl", progress=lambda d, t: d == 0)
    assert snapshot(journal) == before


def test_a_streamed_dry_run_counts_like_the_real_import_and_writes_nothing(
    new_journal, tmp_path: Path, streamed
) -> None:
    streamed()
    path = tmp_path / "journal.txt"
    path.write_text(_jrnl(600), encoding="utf-8")
    journal = new_journal()
    before = snapshot(journal)
    dry = import_path(journal, path, "jrnl", dry_run=True)
    assert snapshot(journal) == before
    assert dry.added == import_path(journal, path, "jrnl").added == 600


def test_attachments_listed_after_the_entries_reach_a_streamed_import(
    new_journal, tmp_path: Path, streamed
) -> None:
    """A JSON file holds its files after its entries: their rows are written once the bytes
    are in, with the names and links the journal had."""
    source = new_journal()
    ids = _fill(source, tmp_path)
    out = tmp_path / "export.json"
    export_journal(source, "json", out)
    streamed()
    target = new_journal()
    report = import_path(target, out)
    assert report.added == 3 and report.attachments_added == 3, report
    assert _state(target, ids) == _state(source, ids)
