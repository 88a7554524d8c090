"""``questionbook review`` and ``questionbook due`` run as a user would, in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from tests.cli.conftest import CLI
from tests.cli.test_quick import BLOCK_SQLALCHEMY


def _fill(qb: CLI) -> dict[str, str]:
    ids = {}
    ids["q"] = qb(
        "add", "Why does grokking happen suddenly? #ai", "-H", "3", "--date", "2026-03-02 10:00"
    ).stdout.strip()
    ids["zh"] = qb(
        "add", "电梯为什么这么慢", "-k", "note", "--date", "2026-03-03 10:00"
    ).stdout.strip()
    ids["plan"] = qb(
        "add", "Write the book", "-k", "plan", "--status", "active", "--date", "2026-01-05 10:00"
    ).stdout.strip()
    ids["closed"] = qb(
        "add", "Old answered one", "--status", "answered", "--date", "2025-01-05 10:00"
    ).stdout.strip()
    qb("edit", ids["plan"], "--status", "done", "--outcome", "Sent to the printer")
    return ids


def test_review_prints_markdown_summary_of_a_week(qb: CLI) -> None:
    _fill(qb)
    out = qb("review", "--week", "2026-W10").stdout
    assert out.startswith("# Weekly summary · 2026-W10\n\n*2026-03-02 – 2026-03-08*\n")
    assert "- New entries: 2 (Questions: 1, Notes: 1)" in out
    assert "- Why does grokking happen suddenly? #ai · 3 Highlands" in out
    assert "- 电梯为什么这么慢" in out
    assert "- Words written: 14" in out  # 5 words + #ai, and 8 Chinese characters
    assert "```text" in out and "waterline 1 Shallows" in out
    data = json.loads(qb("review", "--week", "2026-W10", "--format", "json").stdout)
    assert data["period"] == "2026-W10"
    assert data["new"] == {"question": 1, "plan": 0, "note": 1}
    assert [e["title"] for e in data["new_entries"]["note"]] == ["电梯为什么这么慢"]
    assert data["words"] == 14
    bad = qb("review", "--week", "2026-W77", check=False)
    assert bad.returncode == 1
    assert "not a week" in bad.stderr


def test_due_lists_what_the_next_review_brings(qb: CLI) -> None:
    ids = _fill(qb)
    data = json.loads(qb("due", "--json").stdout)
    by_id = {e["id"]: e for e in data["entries"]}
    assert "resurface" in by_id[ids["q"]]["reasons"]
    assert ids["closed"] not in by_id  # answered: never resurfaces
    assert ids["plan"] not in by_id  # done
    text = qb("due").stdout
    assert "Resurfacing" in text
    assert ids["q"][:8] in text
    assert "Why does grokking" in text


def test_due_on_an_empty_journal(qb: CLI) -> None:
    out = qb("due").stdout
    assert "Nothing is due." in out
    assert json.loads(qb("due", "--json").stdout)["entries"] == []


def test_due_quick_path_gives_the_full_answer_without_sqlalchemy(tmp_path: Path, qb: CLI) -> None:
    """``due`` runs the review's own SQL on the quick path (no SQLAlchemy import, a third of a
    second saved) and prints exactly what the full services print."""
    db = tmp_path / "journal.sqlite3"
    ids = _fill(lambda *args, **kw: qb("--db", str(db), *args, **kw))
    shutil.rmtree(tmp_path / "backups")  # so the next run takes the full path (and backs up)

    def quick(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-c", BLOCK_SQLALCHEMY, "--db", str(db), *args],
            capture_output=True,
            text=True,
            env={**qb.env},  # type: ignore[attr-defined]
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    full = json.loads(qb("--db", str(db), "due", "--json").stdout)
    fast = json.loads(quick("due", "--json"))
    # A review due now is "due at now": the two runs may fall on either side of a minute.
    times = [datetime.fromisoformat(d.pop("review_at")) for d in (fast, full)]
    assert abs((times[0] - times[1]).total_seconds()) <= 60
    assert fast == full
    assert ids["q"] in [e["id"] for e in full["entries"]]
    assert full["due_total"] == len(full["entries"])
    assert quick("due") == qb("--db", str(db), "due").stdout
