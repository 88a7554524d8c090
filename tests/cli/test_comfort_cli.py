"""Issue 19 from the command line, run as a user would: revisit dates, nested tags and renames,
the calendar, templates and the prompt of the day."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.cli.conftest import CLI


def test_revisit_a_date_from_edit_to_due(qb: CLI) -> None:
    entry = qb(
        "add", "Ask me again on 1 March", "--status", "answered", "--date", "2026-01-05 10:00"
    ).stdout.strip()  # written before the review's week: not one of its new entries
    today = date.today()
    qb("edit", entry[:8], "--revisit", today.isoformat())
    shown = qb("show", entry[:8]).stdout
    assert f"Revisit on: {today.isoformat()}" in shown
    assert json.loads(qb("show", entry[:8], "--json").stdout)["revisit_on"] == today.isoformat()
    due = json.loads(qb("due", "--json").stdout)
    (item,) = [e for e in due["entries"] if e["id"] == entry]
    assert item["reasons"] == ["revisit"] and item["revisit_on"] == today.isoformat()
    assert "Revisit" in qb("due").stdout
    qb("edit", entry[:8], "--revisit", "none")
    assert json.loads(qb("show", entry[:8], "--json").stdout)["revisit_on"] is None
    bad = qb("edit", entry[:8], "--revisit", (today - timedelta(days=2)).isoformat(), check=False)
    assert bad.returncode == 1 and "has passed" in bad.stderr and bad.stderr.count("\n") == 1
    zh = qb("--lang", "zh_CN", "edit", entry[:8], "--revisit", "+1w")
    assert zh.returncode == 0
    later = (today + timedelta(days=7)).isoformat()
    assert later in qb("--lang", "zh_CN", "show", entry[:8]).stdout


def test_nested_tags_tree_search_and_rename(qb: CLI) -> None:
    a = qb("add", "Why grokking? #ml/grokking").stdout.strip()
    b = qb("add", "What is attention? #ml #ML/transformers").stdout.strip()
    qb("add", "光是什么 #学习/物理")
    flat = json.loads(qb("tags", "--json").stdout)
    assert {t["tag"] for t in flat} == {"ml/grokking", "ml", "ML/transformers", "学习/物理"}
    tree = json.loads(qb("tags", "--tree", "--json").stdout)
    ml = next(n for n in tree if n["tag"] == "ml")
    assert ml["count"] == 2 and ml["own"] == 1
    assert [c["name"] for c in ml["children"]] == ["grokking", "transformers"]
    text = qb("tags", "--tree").stdout
    assert "#ml " in text and "\n  grokking" in text and "#学习" in text and "  物理" in text
    found = json.loads(qb("search", "#ml", "--json").stdout)
    assert {e["id"] for e in found} == {a, b}
    out = qb("tags", "--rename", "ml", "machine-learning").stdout
    assert "#machine-learning" in out and "2 entries" in out
    assert json.loads(qb("show", a[:8], "--json").stdout)["title"] == (
        "Why grokking? #machine-learning/grokking"
    )
    merged = json.loads(qb("tags", "--rename", "machine-learning/grokking", "ml", "--json").stdout)
    assert merged["entries"] == 1 and merged["merged"] == 0
    refused = qb("tags", "--rename", "ml", "ml/deeper", check=False)
    assert refused.returncode == 1 and "under itself" in refused.stderr
    missing = qb("tags", "--rename", "nothing", "x", check=False)
    assert missing.returncode == 1 and "no tag #nothing" in missing.stderr


def test_calendar_prints_a_month_aligned_in_both_languages(qb: CLI) -> None:
    for when in ("2026-02-03 09:00", "2026-02-03 21:00", "2026-02-27 10:00"):
        qb("add", f"entry at {when}", "--date", when)
    out = qb("calendar", "--month", "2026-02").stdout
    lines = out.splitlines()
    assert "February 2026" in lines[0]
    assert lines[2].split() == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    assert "3 entries on 2 days" in out
    zh = qb("--lang", "zh_CN", "calendar", "--month", "2026-02").stdout.splitlines()
    assert "2026年2月" in zh[0]
    from wcwidth import wcswidth

    # every day column lines up under its weekday, Chinese headers taking two columns each
    header, first_week, second_week, counts = zh[2], zh[3], zh[5], zh[6]
    assert header.split() == ["一", "二", "三", "四", "五", "六", "日"]
    assert first_week.split() == ["1"]  # 1 February 2026 is a Sunday
    assert wcswidth(header) == wcswidth(first_week) == len(first_week) == len(second_week)
    assert second_week.split()[:3] == ["2", "3", "4"]
    assert counts.split()[:3] == ["·", "2", "·"]  # two entries on the 3rd
    data = json.loads(qb("calendar", "--month", "2026-02", "--json").stdout)
    assert data["total"] == 3 and len(data["days"]) == 28
    assert data["days"][2] == {"date": "2026-02-03", "count": 2}
    day = qb("calendar", "--day", "2026-02-03").stdout
    assert day.count("entry at 2026-02-03") == 2
    assert qb("calendar", "--month", "Feb", check=False).returncode == 1


def test_templates_and_add_from_a_template(qb: CLI) -> None:
    listed = json.loads(qb("templates", "--json").stdout)
    assert {t["kind"] for t in listed} == {"question", "plan", "note"}
    new_id = qb(
        "templates", "add", "Reading notes", "--kind", "note", "--body", "-",
        stdin="**Source:**\n\n**What stayed with me:**\n",
    ).stdout.strip()  # fmt: skip
    qb("templates", "default", new_id[:6])
    assert "Reading notes (default)" in qb("templates", "--kind", "note").stdout
    entry = qb("add", "Thinking, Fast and Slow", "-T", "reading notes").stdout.strip()
    shown = json.loads(qb("show", entry[:8], "--json").stdout)
    assert shown["kind"] == "note" and shown["body"].startswith("**Source:**")
    qb("templates", "edit", "builtin:plan", "--name", "My plan")
    qb("templates", "rm", "moonshot")
    assert [t["name"] for t in json.loads(qb("templates", "--kind", "plan", "--json").stdout)] == [
        "My plan"
    ]
    qb("templates", "reset")
    plans = json.loads(qb("templates", "--kind", "plan", "--json").stdout)
    assert [t["name"] for t in plans] == ["A plan", "Moonshot"]
    assert qb("templates", "show", "nothing", check=False).returncode == 1


def test_prompt_of_the_day_and_its_switch(qb: CLI) -> None:
    qb("add", "first")
    first = qb("prompt").stdout.strip()
    assert first and first == qb("prompt").stdout.strip()  # the same all day
    data = json.loads(qb("prompt", "--json").stdout)
    assert data["text"] == first and data["date"] == date.today().isoformat()
    zh = qb("--lang", "zh_CN", "prompt").stdout.strip()
    assert zh != first  # the same prompt, in Chinese
    mine = qb("prompt", "add", "What did the water cover this week?").stdout.strip()
    assert mine in qb("prompt", "list").stdout or mine[:8] in qb("prompt", "list").stdout
    assert len(json.loads(qb("prompt", "list", "--all", "--json").stdout)) >= 61
    qb("prompt", "off")
    assert "off" in qb("prompt").stdout
    assert json.loads(qb("prompt", "--json").stdout) is None
    qb("prompt", "on")
    qb("prompt", "rm", mine[:6])
    assert qb("prompt", "list").stdout.startswith("You have no prompts")
