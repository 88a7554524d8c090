"""``questionbook export`` / ``import`` end to end in a subprocess with a temporary home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import CLI


def _add_some(qb: CLI) -> list[str]:
    return [
        qb(
            "add",
            "Why does grokking happen suddenly?",
            "-t",
            "ml",
            "-H",
            "3",
            "--date",
            "2026-10-01 09:00",
        ).stdout.strip(),
        qb("add", "Build an elevator", "-k", "plan", "--date", "2026-11-23 10:00").stdout.strip(),
        qb("add", "今天的笔记 #日记", "-k", "note", "--date", "2026-11-10 08:00").stdout.strip(),
    ]


def test_export_all_formats_and_import_round_trip(qb: CLI, tmp_path: Path) -> None:
    ids = _add_some(qb)
    md, vault, js = tmp_path / "j.md", tmp_path / "vault", tmp_path / "j.json"
    out = qb("export", "--format", "markdown", "-o", str(md)).stdout
    assert "3" in out and md.read_text(encoding="utf-8").count("\n### ") == 3
    qb("export", "--format", "vault", "-o", str(vault))
    assert len([p for p in vault.rglob("*.md") if p.name != "index.md"]) == 3
    qb("export", "--format", "json", "-o", str(js))
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["format"] == "questionbook" and data["version"] == 1
    assert sorted(e["id"] for e in data["entries"]) == sorted(ids)

    again = qb("import", str(js)).stdout
    assert "added: 0" in again and "unchanged: 3" in again

    other = tmp_path / "other.sqlite3"
    dry = qb("--db", str(other), "import", str(vault), "--dry-run").stdout
    assert "Dry run" in dry and "added: 3" in dry
    listed = json.loads(qb("--db", str(other), "list", "--json").stdout)
    assert listed == []
    real = qb("--db", str(other), "import", str(vault), "--from", "vault").stdout
    assert "added: 3" in real
    listed = json.loads(qb("--db", str(other), "list", "--json").stdout)
    assert sorted(e["id"] for e in listed) == sorted(ids)


def test_export_filters(qb: CLI, tmp_path: Path) -> None:
    _add_some(qb)
    out = tmp_path / "w.json"
    qb("export", "-f", "json", "--week", "2026-W46", "-o", str(out))
    titles = [e["title"] for e in json.loads(out.read_text(encoding="utf-8"))["entries"]]
    assert titles == ["今天的笔记 #日记"]
    qb(
        "export",
        "-f",
        "json",
        "--kind",
        "plan",
        "--kind",
        "note",
        "--since",
        "2026-11-11",
        "--until",
        "2026-11-23",
        "-o",
        str(out),
    )
    titles = [e["title"] for e in json.loads(out.read_text(encoding="utf-8"))["entries"]]
    assert titles == ["Build an elevator"]
    qb("export", "-f", "json", "--query", "grokking", "-o", str(out))
    assert len(json.loads(out.read_text(encoding="utf-8"))["entries"]) == 1


def test_import_jrnl_and_report_reasons(qb: CLI, tmp_path: Path) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(
        "[2024-06-17 06:05:00 PM] Why do cats purr?\n\n"
        "[2024-06-17 06:05:00 PM] Why do cats purr?\n\n"
        "[2024-06-18 09:00] A note @life\n",
        encoding="utf-8",
    )
    out = qb("import", str(path)).stdout
    assert "(jrnl)" in out and "added: 2" in out and "skipped: 1" in out
    assert "twice" in out
    entries = json.loads(qb("list", "--json").stdout)
    assert {e["kind"] for e in entries} == {"question", "note"}


def test_malformed_import_is_one_line_error_and_changes_nothing(qb: CLI, tmp_path: Path) -> None:
    _add_some(qb)
    before = qb("list", "--json").stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "questionbook", "version": 1, "entries": [{"id": ', "utf-8")
    proc = qb("import", str(bad), check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("questionbook: error:") and str(bad) in proc.stderr
    assert "line 1" in proc.stderr and proc.stderr.count("\n") == 1
    assert qb("list", "--json").stdout == before


def test_progress_bar_only_on_a_terminal(qb: CLI, tmp_path: Path) -> None:
    _add_some(qb)
    proc = qb("export", "-f", "json", "-o", str(tmp_path / "x.json"))
    assert "[" not in proc.stderr  # stderr is a pipe here: no bar
    if sys.platform.startswith("linux"):
        import pty

        master, slave = pty.openpty()
        env = {**os.environ, "QUESTIONBOOK_HOME": str(qb.home)}  # type: ignore[attr-defined]
        subprocess.run(
            [
                sys.executable,
                "-m",
                "questionbook",
                "export",
                "-f",
                "json",
                "-o",
                str(tmp_path / "y.json"),
            ],
            stderr=slave,
            stdout=subprocess.DEVNULL,
            env=env,
            timeout=60,
            check=True,
        )
        os.close(slave)
        seen = os.read(master, 4096).decode()
        os.close(master)
        assert "Exporting [" in seen and "3/3" in seen


def test_import_of_an_unknown_file_tells_how_to_name_the_format(qb, tmp_path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just text", "utf-8")
    result = qb("import", str(path), check=False)
    assert result.returncode == 1
    assert "--from" in result.stderr and "markdown" in result.stderr


def test_markdown_export_imports_back_on_the_command_line(qb, tmp_path) -> None:
    qb("add", "Why does grokking happen suddenly?", "-H", "highlands", "-t", "ml")
    out = tmp_path / "journal.md"
    qb("export", "--format", "markdown", "-o", str(out))
    other = {"QUESTIONBOOK_HOME": str(tmp_path / "other")}
    qb("import", str(out), extra_env=other)
    shown = qb("search", "grokking", "--json", extra_env=other).stdout
    assert '"hardness": 3' in shown and '"ml"' in shown


def test_an_import_returns_the_journal_to_write_ahead_mode(qb: CLI, tmp_path: Path) -> None:
    """The command imports outside the write-ahead log when it is alone with the journal
    (Database.bulk_write), in it when the app has the journal open; both leave it in WAL."""
    import sqlite3

    _add_some(qb)
    db = qb.home / "journal.sqlite3"  # type: ignore[attr-defined]
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("[2024-06-17 06:05] Why do cats purr?\n", encoding="utf-8")
    second.write_text("[2024-06-18 09:00] 水位上涨的时候\n", encoding="utf-8")
    app = sqlite3.connect(db)  # the app, with the journal open
    try:
        assert app.execute("SELECT count(*) FROM entry").fetchone()[0] == 3
        assert "added: 1" in qb("import", str(first)).stdout
        assert app.execute("SELECT count(*) FROM entry").fetchone()[0] == 4
    finally:
        app.close()
    assert "added: 1" in qb("import", str(second)).stdout  # alone with it
    check = sqlite3.connect(db)
    try:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert check.execute("SELECT count(*) FROM entry").fetchone()[0] == 5
    finally:
        check.close()
    assert not Path(f"{db}-journal").exists()
