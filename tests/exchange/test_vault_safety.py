"""A vault export writes only its own files, resumes after a kill, and keeps them private
(issue 14, items 3 and 10)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from questionbook.exchange.api import export_journal, import_path
from questionbook.exchange.vault import MANIFEST, PROGRESS


def md_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md") if p.name != "index.md")


def test_the_users_own_index_is_kept_and_reported(new_journal, tmp_path: Path) -> None:
    journal = new_journal()
    journal.add("a question")
    vault = tmp_path / "notes"
    vault.mkdir()
    (vault / "index.md").write_text("# My own index\n\nhand-written\n")
    report = export_journal(journal, "vault", vault)
    assert (vault / "index.md").read_text() == "# My own index\n\nhand-written\n"
    assert vault / "index.md" in report.files_kept
    assert any("index.md" in note for note in report.notes)
    manifest = json.loads((vault / MANIFEST).read_text())
    assert manifest["index"] is False
    export_journal(journal, "vault", vault)  # and again: still theirs
    assert "hand-written" in (vault / "index.md").read_text()


def test_an_index_we_wrote_is_refreshed(new_journal, tmp_path: Path) -> None:
    journal = new_journal()
    journal.add("first")
    vault = tmp_path / "vault"
    export_journal(journal, "vault", vault)
    journal.add("second")
    report = export_journal(journal, "vault", vault)
    assert "second" in (vault / "index.md").read_text()
    assert report.files_kept == []


def test_a_re_run_after_losing_the_manifest_adopts_its_own_files(
    new_journal, tmp_path: Path
) -> None:
    """Files written after the last progress note (a kill between the two) are recognised by
    the entry id in their front matter: no second copy."""
    journal = new_journal()
    for i in range(30):
        journal.add(f"question {i}")
    vault = tmp_path / "vault"
    export_journal(journal, "vault", vault)
    (vault / MANIFEST).unlink()
    (vault / "index.md").unlink()
    report = export_journal(journal, "vault", vault)
    assert len(md_files(vault)) == 30
    assert report.files_unchanged == 30 and report.files_written == 0


KILLABLE = textwrap.dedent("""
    import sys
    from pathlib import Path
    from questionbook.cli.main import run
    import questionbook.exchange.vault as vault
    original = vault.render_file
    count = 0
    def slow(entry, *args):  # slow enough to be killed in the middle, like a big export
        global count
        count += 1
        if count > 1200:
            import time
            time.sleep(0.05)
        return original(entry, *args)
    vault.render_file = slow
    sys.exit(run(["export", "--format", "vault", "-o", sys.argv[1]]))
""")


@pytest.mark.skipif(os.name != "posix", reason="kill -9")
def test_an_export_killed_half_way_resumes_without_duplicates(app_paths, tmp_path: Path) -> None:
    import uuid

    from questionbook.services import open_services

    svc = open_services(app_paths)
    rows = [
        {
            "id": str(uuid.UUID(int=i + 1)),
            "title": f"question {i} about elevators",
            "kind": "question",
            "created_at": f"2026-0{1 + i % 9}-1{i % 10}T10:00:00Z",
        }
        for i in range(1500)
    ]
    data = tmp_path / "rows.json"
    data.write_text(json.dumps({"format": "questionbook", "version": 1, "entries": rows}))
    assert import_path(svc.journal, data).added == 1500
    vault = tmp_path / "vault"
    env = {**os.environ, "QUESTIONBOOK_HOME": str(app_paths.data_dir), "LANGUAGE": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLABLE, str(vault)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    progress = vault / PROGRESS
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if progress.exists() and progress.read_text().count("\n") >= 1000:
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()[1]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (vault / MANIFEST).exists()
    written_before = len(md_files(vault))
    assert 1000 <= written_before < 1500
    report = export_journal(svc.journal, "vault", vault)
    svc.close()
    assert len(md_files(vault)) == 1500  # not 1500 + the ones written before the kill
    assert report.files_unchanged >= 1000
    assert not progress.exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_folders_an_export_creates_are_private_whatever_the_umask(
    new_journal, tmp_path: Path
) -> None:
    journal = new_journal()
    journal.add("a private thought, its title a file name")
    old = os.umask(0)
    try:
        export_journal(journal, "vault", tmp_path / "new" / "vault")
        export_journal(journal, "json", tmp_path / "deep" / "er" / "out.json")
    finally:
        os.umask(old)
    for folder in (
        tmp_path / "new",
        tmp_path / "new" / "vault",
        *[p for p in (tmp_path / "new" / "vault").rglob("*") if p.is_dir()],
        tmp_path / "deep",
        tmp_path / "deep" / "er",
    ):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for file in (tmp_path / "new" / "vault").rglob("*"):
        if file.is_file():
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
