"""The command line end to end, as a new user would use it from a terminal."""

from __future__ import annotations

import json

from wcwidth import wcswidth

from tests.cli.conftest import CLI

KEYS = {
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
    "attachments",
    "links",
    "backlinks",
}


def test_add_prints_id_and_show_json(qb: CLI) -> None:
    out = qb("add", "Why does grokking happen suddenly?", "-t", "ml", "-H", "highlands", "--star")
    entry_id = out.stdout.strip()
    assert len(entry_id) == 36
    data = json.loads(qb("show", entry_id[:8], "--json").stdout)
    assert set(data) == KEYS
    assert data["title"] == "Why does grokking happen suddenly?"
    assert data["hardness"] == 3 and data["tags"] == ["ml"] and data["starred"] is True
    assert data["created_at"][-6] in "+-"


def test_add_reads_stdin_first_line_is_title(qb: CLI) -> None:
    entry_id = qb(
        "add", "-k", "plan", stdin="Build an elevator\nfor the team #plan\n"
    ).stdout.strip()
    data = json.loads(qb("show", entry_id, "--json").stdout)
    assert (data["title"], data["body"], data["kind"], data["status"]) == (
        "Build an elevator",
        "for the team #plan",
        "plan",
        "idea",
    )
    assert data["tags"] == ["plan"]


def test_list_search_and_filters(qb: CLI) -> None:
    qb("add", "电梯里的人为什么会看手机？", "-H", "2", "-t", "心理学")
    qb("add", "Elevator pitch for the project", "-k", "plan")
    qb("add", "Knowledge in a bowl", "-k", "note")
    rows = json.loads(qb("search", "电梯", "--json").stdout)
    assert [r["title"] for r in rows] == ["电梯里的人为什么会看手机？"]
    rows = json.loads(qb("search", "elev", "--json").stdout)
    assert [r["title"] for r in rows] == ["Elevator pitch for the project"]
    assert json.loads(qb("search", "owl", "--json").stdout) == []
    assert len(json.loads(qb("list", "--kind", "note", "--json").stdout)) == 1
    assert len(json.loads(qb("list", "--tag", "心理学", "--json").stdout)) == 1
    assert len(json.loads(qb("list", "--hardness-min", "2", "--json").stdout)) == 1


def test_human_table_aligns_chinese(qb: CLI) -> None:
    qb("add", "电梯问题", "-H", "2")
    qb("add", "An English question", "-H", "3")
    lines = qb("list").stdout.splitlines()
    assert len(lines) == 2
    # The date column starts at the same terminal column on every line.
    cols = [
        wcswidth(line[: line.index("2026") if "2026" in line else line.index("20")])
        for line in lines
    ]
    assert len(set(cols)) == 1


def test_edit_tags_status_and_trash(qb: CLI) -> None:
    entry_id = qb("add", "A question", "-t", "old").stdout.strip()
    qb(
        "edit",
        entry_id,
        "--tag",
        "-old",
        "--tag",
        "+new",
        "--status",
        "answered",
        "--outcome",
        "Found it",
        "--hardness",
        "none",
    )
    data = json.loads(qb("show", entry_id, "--json").stdout)
    assert data["tags"] == ["new"] and data["status"] == "answered"
    assert data["outcome"] == "Found it" and data["hardness"] is None
    qb("rm", entry_id)
    assert json.loads(qb("list", "--json").stdout) == []
    assert len(json.loads(qb("list", "--trash", "--json").stdout)) == 1
    qb("restore", entry_id[:6])
    assert len(json.loads(qb("list", "--json").stdout)) == 1


def test_tags_and_waterline(qb: CLI) -> None:
    qb("add", "one #ai", "-H", "2")
    qb("add", "two #ai #水位", "-H", "4")
    tags = json.loads(qb("tags", "--json").stdout)
    assert tags[0] == {"tag": "ai", "count": 2}
    shown = qb("waterline").stdout
    assert "1" in shown
    out = qb("waterline", "2", "--note", "new model").stdout
    assert "one #ai" in out
    assert "The water now covers 1 more entry:" in out  # not "1 more entries" (issue 12 #17)
    data = json.loads(qb("waterline", "--json").stdout)
    assert data["level"] == 2 and data["history"][-1]["note"] == "new model"


def test_errors_are_one_line_with_exit_codes(qb: CLI) -> None:
    bad = qb("show", "nonexistent", check=False)
    assert bad.returncode == 1
    assert bad.stderr.startswith("questionbook: error: ")
    assert len(bad.stderr.strip().splitlines()) == 1
    bad = qb("add", "x", "-H", "9", check=False)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    usage = qb("list", "--kind", "banana", check=False)
    assert usage.returncode == 2
    bad = qb("add", "x", "--date", "someday", check=False)
    assert bad.returncode == 1 and "not a date" in bad.stderr


def test_db_option_and_foreign_file(qb: CLI, tmp_path) -> None:
    other = tmp_path / "other.sqlite3"
    qb("--db", str(other), "add", "in the other journal")
    assert other.exists()
    assert json.loads(qb("list", "--json").stdout) == []
    foreign = tmp_path / "foreign.txt"
    foreign.write_text("hello")
    bad = qb("--db", str(foreign), "list", check=False)
    assert bad.returncode == 1 and "not a QuestionBook journal" in bad.stderr
    assert foreign.read_text() == "hello"


def test_cli_does_not_import_qt(qb: CLI) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from questionbook.cli.main import run; "
        "run(['--db', sys.argv[1], 'add', 'hi']); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(qb.home / "x.sqlite3")],  # type: ignore[attr-defined]
        check=True,
        capture_output=True,
    )


def test_restore_dispatches_between_entries_and_backups(qb: CLI) -> None:
    entry_id = qb("add", "kept").stdout.strip()
    qb("backup")
    qb("add", "added after the backup")
    qb("rm", entry_id)
    assert "kept" in qb("restore", entry_id[:8]).stdout  # an id: the Trash
    out = qb("restore").stdout  # nothing: the newest good backup
    assert "Restored" in out
    titles = [e["title"] for e in json.loads(qb("list", "--json").stdout)]
    assert titles == ["kept"]


def test_a_bad_search_operator_exits_2_naming_it(qb) -> None:
    qb("add", "Why does grokking happen suddenly?", "-H", "summit")
    found = qb("search", "hardness:山巅")
    assert "grokking" in found.stdout
    bad = qb("search", "kind:foo", check=False)
    assert bad.returncode == 2
    assert "kind:foo" in bad.stderr and "question, plan, note" in bad.stderr
    assert bad.stderr.count("\n") == 1  # one line
    export = qb(
        "export", "--format", "json", "-o", "out.json", "--query", "hardness>=9", check=False
    )
    assert export.returncode == 2 and "hardness>=9" in export.stderr
