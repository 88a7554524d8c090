"""Trials, reach, seals and "still mine" through JSON (exact), a vault (as far as Markdown
files allow: here, exactly too) and the Markdown journal (for reading) (issue 17)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from questionbook.core.errors import ImportFormatError
from questionbook.core.journal import Journal
from questionbook.core.trials import TrialService
from questionbook.exchange.api import export_journal, import_path

from .conftest import snapshot
from .test_roundtrip import TEXT, WHEN

TRIAL = st.fixed_dictionaries(
    {
        "verdict": st.sampled_from(["solved", "partly", "failed", "pending"]),
        "model": TEXT,
        "prompt": st.one_of(TEXT, st.just("```text\n~~~\n````"), st.just("")),
        "answer": st.one_of(TEXT, st.just("# Heading\n\n<!-- questionbook:trials -->\n## Trials")),
        "note": TEXT,
        "asked": WHEN,
    }
)
ENTRY = st.fixed_dictionaries(
    {
        "title": TEXT.filter(lambda t: t.strip() != ""),
        "body": st.one_of(TEXT, st.just("a\n\n<!-- questionbook:trials -->\n## Trials\n\nb")),
        "hardness": st.none() | st.integers(2, 4),
        "reach": st.none() | st.integers(0, 4),
        "seal": st.none() | st.integers(2, 4),
        "still_mine": TEXT,
        "trials": st.lists(TRIAL, max_size=3),
        # issue 19: a revisit day travels the same way (JSON by the declaration, vault by key)
        "revisit": st.none() | st.dates(date(2026, 11, 27), date(2200, 12, 31)),
    }
)


def fill(journal: Journal, specs: list[dict]) -> list[str]:
    trials = TrialService(journal.db, clock=journal.clock, tz=journal.tz)
    ids = []
    for spec in specs:
        try:
            e = journal.add(
                spec["title"], spec["body"], hardness=spec["hardness"], reach=spec["reach"]
            )
        except Exception:  # text that cleans to nothing
            continue
        journal.update(
            e.id,
            seal_until=spec["seal"],
            still_mine=spec["still_mine"],
            revisit=spec["revisit"],
        )
        for t in spec["trials"]:
            trials.add(
                e.id,
                verdict=t["verdict"],
                model=t["model"],
                prompt=t["prompt"],
                answer=t["answer"],
                note=t["note"],
                asked_at=t["asked"],
            )
        ids.append(e.id)
    return ids


def everything(journal: Journal, ids: list[str]) -> list[tuple]:
    trials = TrialService(journal.db)
    return [(journal.get(i), trials.for_entry(i)) for i in ids]


SETTINGS = settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(specs=st.lists(ENTRY, min_size=1, max_size=4))
def test_json_and_vault_round_trips_keep_trials_and_evidence(new_journal, tmp_path, specs) -> None:
    source = new_journal(tz=None)
    ids = fill(source, specs)
    for fmt, out in (("json", tmp_path / "all.json"), ("vault", tmp_path / "vault")):
        shutil.rmtree(out, ignore_errors=True)
        export_journal(source, fmt, out)
        target = new_journal(tz=None)
        report = import_path(target, out)
        assert report.added == len(ids), (fmt, report)
        assert report.trials_added == sum(len(TrialService(source.db).for_entry(i)) for i in ids)
        assert everything(target, ids) == everything(source, ids), fmt
        again = import_path(target, out)
        assert (again.added, again.updated, again.trials_added) == (0, 0, 0), fmt
        assert again.unchanged == len(ids) and not again.skipped


def test_json_lists_trials_per_entry_with_exact_keys(new_journal, tmp_path) -> None:
    source = new_journal()
    a = source.add("Tried?")
    source.add("Never tried")
    t = TrialService(source.db, clock=source.clock).add(a.id, verdict="failed", model="qwen3:8b")
    out = tmp_path / "all.json"
    export_journal(source, "json", out)
    entries = json.loads(out.read_text("utf-8"))["entries"]
    tried = next(e for e in entries if e["id"] == a.id)
    assert tried["trials"] == [
        {
            "id": t.id,
            "asked_at": "2026-11-25T12:00:00.000000+00:00",
            "model": "qwen3:8b",
            "prompt": "Tried?",
            "answer": "",
            "verdict": "failed",
            "note": "",
        }
    ]
    assert all("trials" not in e for e in entries if e["id"] != a.id)


def test_a_verdict_from_the_file_replaces_pending_but_never_a_judgement(
    new_journal, tmp_path
) -> None:
    here = new_journal()
    e = here.add("Asked on two devices")
    trials = TrialService(here.db, clock=here.clock)
    pending = trials.add(e.id, verdict="pending")
    judged = trials.add(e.id, verdict="solved")
    out = tmp_path / "other-device.json"
    export_journal(here, "json", out)
    data = json.loads(out.read_text("utf-8"))
    for t in data["entries"][0]["trials"]:
        t["verdict"], t["note"] = "failed", "judged over there"
    out.write_text(json.dumps(data), "utf-8")
    report = import_path(here, out)
    assert (report.trials_added, report.trials_updated) == (0, 1)
    assert trials.get(pending.id).verdict == "failed"  # pending here, judged there
    assert trials.get(judged.id).verdict == "solved"  # judged here: kept
    assert sum(report.skipped.values()) == 1


@pytest.mark.parametrize(
    ("trial", "message"),
    [
        ({"id": "nope", "asked_at": "2026-01-01T00:00:00+00:00"}, "not an entry id"),
        ({"id": "11111111-1111-4111-8111-111111111111"}, "missing 'asked_at'"),
        (
            {
                "id": "11111111-1111-4111-8111-111111111111",
                "asked_at": "2026-01-01T00:00:00+00:00",
                "verdict": "great",
            },
            "unknown verdict 'great'",
        ),
        ("not an object", "not an object"),
    ],
)
def test_a_malformed_trial_is_refused_and_nothing_changes(
    new_journal, tmp_path, trial, message
) -> None:
    journal = new_journal()
    journal.add("Already here")
    before = snapshot(journal)
    doc = {
        "format": "questionbook",
        "version": 1,
        "entries": [
            {
                "id": "22222222-2222-4222-8222-222222222222",
                "title": "New?",
                "created_at": "2026-01-01T00:00:00+00:00",
                "trials": [trial],
            }
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(ImportFormatError, match=message):
        import_path(journal, path)
    assert snapshot(journal) == before


def test_vault_file_shows_trials_after_the_body_and_evidence_in_front_matter(
    new_journal, tmp_path
) -> None:
    journal = new_journal()
    e = journal.add("Can an AI plan my garden?", "Clay soil, north slope.", hardness=2, reach=1)
    journal.update(e.id, seal_until=3, still_mine="my soil")
    trials = TrialService(journal.db, clock=journal.clock, tz=UTC)
    trials.add(e.id, verdict="failed", model="qwen3:8b", answer="Plant ``` tomatoes", note="wrong")
    export_journal(journal, "vault", tmp_path / "v")
    text = next((tmp_path / "v").rglob(f"*{e.id[:8]}.md")).read_text("utf-8")
    assert 'reach: 1\nseal_until: 3\nsealed_at_waterline: 1\nstill_mine: "my soil"\n' in text
    assert (
        "\n# Can an AI plan my garden?\n\nClay soil, north slope.\n\n<!-- questionbook:trials -->\n## Trials\n\n### Failed · qwen3:8b · 2026-11-25 12:00\n"
        in text
    )
    assert "\n````markdown\nPlant ``` tomatoes\n````\n" in text
    journal2 = new_journal()
    import_path(journal2, tmp_path / "v")
    assert [t.answer for t in TrialService(journal2.db).for_entry(e.id)] == ["Plant ``` tomatoes"]
    assert journal2.get(e.id).body == "Clay soil, north slope."


def test_markdown_journal_shows_trials_for_reading(new_journal, tmp_path) -> None:
    journal = new_journal()
    e = journal.add("Why is the sky blue?", "For a child.")
    trials = TrialService(journal.db, clock=journal.clock, tz=UTC)
    trials.add(e.id, verdict="solved", model="GPT-5", answer="Rayleigh scattering.\n\n# Short")
    journal.clock.now += timedelta(hours=1)
    trials.add(e.id, verdict="pending")
    export_journal(journal, "markdown", tmp_path / "j.md")
    text = (tmp_path / "j.md").read_text("utf-8")
    assert (
        "For a child.\n\n<!-- questionbook trials -->\n#### Trials\n\n- Pending · ? · 2026-11-25 13:00\n"
        "- Solved · GPT-5 · 2026-11-25 12:00\n\n  > Rayleigh scattering.\n  >\n  > # Short\n"
    ) in text


def test_trials_of_entries_outside_an_export_filter_stay_out(new_journal, tmp_path) -> None:
    journal = new_journal()
    a = journal.add("Keep #in")
    b = journal.add("Leave #out")
    trials = TrialService(journal.db, clock=journal.clock)
    trials.add(a.id, verdict="failed")
    trials.add(b.id, verdict="solved")
    from questionbook.exchange.common import ExportFilter

    export_journal(journal, "json", tmp_path / "x.json", ExportFilter(tags=["in"]))
    entries = json.loads((tmp_path / "x.json").read_text("utf-8"))["entries"]
    assert [(e["id"], [t["verdict"] for t in e["trials"]]) for e in entries] == [(a.id, ["failed"])]
