"""``questionbook review`` and ``questionbook due`` run as a user would, in a subprocess."""

from __future__ import annotations

import json

from tests.cli.conftest import CLI


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
