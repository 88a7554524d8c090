"""The evidence commands end to end (issue 17): trials, ask, reach, seals, still mine."""

from __future__ import annotations

import json

from tests.ai_server import ANSWER, AiServer
from tests.cli.conftest import CLI

TRIAL_KEYS = ["id", "entry_id", "asked_at", "model", "prompt", "answer", "verdict", "note"]


def test_trial_add_judge_list(qb: CLI) -> None:
    entry = qb("add", "Can an AI plan my garden?", "-H", "1").stdout.strip()
    first = qb(
        "trial", "add", entry[:8], "--verdict", "failed", "--model", "qwen3:8b", "--note", "wrong"
    ).stdout
    assert len(first.strip()) == 36 and first.count("\n") == 1  # just the id
    second = qb(
        "trial",
        "add",
        entry,
        "--verdict",
        "pending",
        "--date",
        "2026-01-05 10:00",
        "--answer",
        "-",
        stdin="Plant tomatoes.\n",
    ).stdout.strip()
    data = json.loads(qb("trial", "list", entry[:8], "--json").stdout)
    assert [list(t) for t in data] == [TRIAL_KEYS, TRIAL_KEYS]
    assert [t["id"] for t in data] == [first.strip(), second]  # newest first
    assert data[0]["prompt"] == "Can an AI plan my garden?" and data[0]["note"] == "wrong"
    assert data[1]["answer"] == "Plant tomatoes.\n" and data[1]["asked_at"].startswith("2026-01-05")
    out = qb("trial", "judge", second[:8], "failed").stdout
    assert out.strip() == f"Trial {second[:8]}: Failed"
    listing = qb("trial", "list", entry[:8]).stdout
    assert "qwen3:8b" in listing and "AI failed 2 of 2 — at least Shoreline?" in listing
    assert qb("trial", "accept", entry[:8]).stdout.strip() == f"Rated {entry[:8]}: 2 Shoreline"
    bad = qb("trial", "add", entry, "--verdict", "great", check=False)
    assert bad.returncode == 1
    assert bad.stderr.strip().endswith(
        "unknown verdict 'great' (use solved, partly, failed or pending)"
    )
    assert qb("trial", "add", entry, check=False).returncode == 2  # --verdict is required
    assert qb("trial", "judge", "ffffffff", "solved", check=False).returncode == 1
    qb("trial", "rm", second[:8])
    assert len(json.loads(qb("trial", "list", entry, "--json").stdout)) == 1


def test_reach_seal_and_still_mine_on_the_command_line(qb: CLI) -> None:
    entry = qb("add", "What will my job be in five years?", "-H", "3", "--reach", "tiptoe").stdout
    entry = entry.strip()
    data = json.loads(
        qb(
            "edit", entry[:8], "--seal-until", "highlands", "--still-mine", "my clients", "--json"
        ).stdout
    )
    assert (data["reach"], data["seal_level"], data["seal_waterline"]) == (2, 3, 1)
    assert data["still_mine"] == "my clients"
    shown = qb("show", entry[:8]).stdout
    assert "Reach: 2 On tiptoe · Your edge" in shown
    assert "Sealed until the water reaches 3 Highlands (sealed at Shallows)" in shown
    assert "Still mine: my clients" in shown
    assert qb("search", "is:sealed", "--json").stdout.count(entry) == 1
    assert entry[:8] in qb("search", "is:edge reach<=2").stdout
    assert "my clients" in qb("still-mine").stdout
    groups = json.loads(qb("still-mine", "--json").stdout)
    assert groups == [
        {
            "tag": None,
            "entries": [
                {
                    "id": entry,
                    "title": "What will my job be in five years?",
                    "still_mine": "my clients",
                }
            ],
        }
    ]
    low = qb("edit", entry[:8], "--seal-until", "1", check=False)
    assert low.returncode == 1 and "the water is already at 1 Shallows" in low.stderr
    data = json.loads(qb("edit", entry[:8], "--unseal", "--reach", "none", "--json").stdout)
    assert (data["seal_level"], data["reach"]) == (None, None)
    assert qb("edit", entry[:8], "--seal-until", "3", "--unseal", check=False).returncode == 2


def test_due_shows_the_tide_and_review_the_freeboard(qb: CLI) -> None:
    entry = qb("add", "Sealed question", "-H", "4", "--date=-30d").stdout.strip()
    qb("add", "near the water", "-H", "2")
    qb("add", "near the water too", "-H", "2")
    qb("edit", entry[:8], "--seal-until", "2")
    due = json.loads(qb("due", "--json").stdout)
    assert entry not in [e["id"] for e in due["entries"]]
    qb("waterline", "2")
    due = json.loads(qb("due", "--json").stdout)
    reasons = {e["id"]: e["reasons"] for e in due["entries"]}
    assert reasons[entry] == ["resurface", "tide"]
    summary = json.loads(qb("review", "--format", "json").stdout)
    assert (summary["freeboard"], summary["flood"]) == (0.0, True)
    assert "Flood warning" in qb("review").stdout


def test_ask_streams_the_answer_into_a_pending_trial(qb: CLI) -> None:
    entry = qb("add", "Why does grokking happen suddenly?").stdout.strip()
    for flags in ([], ["--no-stream"]):
        with AiServer("json" if flags else "stream") as server:
            out = qb("ask", entry[:8], "--endpoint", server.url, "--model", "qwen3:8b", *flags)
            sent = server.requests[0][2]
        lines = out.stdout.rstrip("\n").split("\n")
        assert "\n".join(lines[:-1]) == ANSWER
        trial = json.loads(qb("trial", "list", entry, "--json").stdout)[0]
        assert trial["id"] == lines[-1]
        assert (trial["verdict"], trial["model"], trial["answer"]) == (
            "pending",
            "qwen3:8b",
            ANSWER,
        )
        assert sent["messages"][0]["content"] == "Why does grokking happen suddenly?"
        assert sent["stream"] is not bool(flags)
        assert "trial judge" in out.stderr


def test_ask_uses_the_settings_and_the_keyring(qb: CLI) -> None:
    entry = qb("add", "What should I ask next?").stdout.strip()
    off = qb("ask", entry[:8], check=False)
    assert off.returncode == 1 and "asking an AI is off" in off.stderr
    with AiServer("stream") as server:
        settings = qb.home / "config" / "settings.ini"  # type: ignore[attr-defined]
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(
            f"[questionbook]\nai_enabled = true\nai_endpoint = {server.url}\nai_model = m1\n"
        )
        qb(
            "ask",
            entry[:8],
            extra_env={
                "PYTHON_KEYRING_BACKEND": "tests.cli.fake_keyring.OneKey",
                "QB_TEST_KEY_FOR": server.url,
            },
        )
        headers = server.requests[0][1]
        assert headers["Authorization"] == "Bearer sk-from-the-keyring"
        assert server.requests[0][2]["model"] == "m1"


def test_ask_failures_are_one_line_and_store_nothing(qb: CLI) -> None:
    entry = qb("add", "Will this fail?").stdout.strip()
    with AiServer("error500") as server:
        failed = qb("ask", entry[:8], "--endpoint", server.url, "--model", "m", check=False)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines()[-1] == (
        "questionbook: error: the endpoint answered HTTP 500 Internal Server Error: model crashed"
    )
    remote = qb(
        "ask", entry[:8], "--endpoint", "https://api.example.com/v1", "--model", "m", check=False
    )
    assert remote.returncode == 1
    assert "api.example.com is not on this computer: confirm with --yes" in remote.stderr
    assert json.loads(qb("trial", "list", entry, "--json").stdout) == []
