"""The benchmark suite must not rot: a 1,000-entry run (without jrnl) produces sane results.

Not a performance test: timings on a shared CI machine prove nothing. It checks that every
benchmark runs or says it is skipped, and that search hit counts equal the planted counts and
a substring scan, which is the correctness half of issue 8's budgets.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
BENCHMARKS = (
    "cli_add",
    "cli_list",
    "cli_search_zh2",
    "cli_search_zh4",
    "cli_search_en_prefix",
    "cli_search_tag",
    "service_search",
    "app",
    "export_markdown",
    "export_vault",
    "export_json",
    "import_json",
    "import_jrnl",
    "backup",
    "doctor",
    "jrnl",
    "attachments",
)


@pytest.fixture(scope="module")
def corpus_module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import corpus

        yield corpus
    finally:
        sys.path.remove(str(BENCH))


def test_corpus_is_deterministic_and_tags_match_the_parser(corpus_module) -> None:  # type: ignore[no-untyped-def]
    from questionbook.core.tags import parse_tags, tag_key

    first = list(corpus_module.generate(300))
    again = list(corpus_module.generate(300))
    assert [(e.id, e.title, e.body) for e in first] == [(e.id, e.title, e.body) for e in again]
    for e in first:
        assert [tag_key(t) for t in parse_tags(f"{e.title}\n{e.body}")] == [
            tag_key(t) for t in e.tags
        ]
    assert {e.kind for e in first} == {"question", "plan", "note"}
    assert (
        corpus_module.expected_counts(first)[corpus_module.MARKER_ZH2]
        == corpus_module.substring_counts(first)[corpus_module.MARKER_ZH2]
    )


def test_quick_run_writes_plausible_results(tmp_path: Path) -> None:
    out = tmp_path / "results"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run"),
            "--quick",
            "--no-jrnl",
            "--out",
            str(out),
            "--cache",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    files = list(out.glob("*-quick.json"))
    assert len(files) == 1 and files[0].with_suffix(".md").exists()
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    assert {"date", "machine", "sizes", "quick"} <= doc.keys()
    run = doc["sizes"]["1000"]
    assert {"corpus", "benchmarks", "budgets"} <= run.keys()
    bench = run["benchmarks"]
    assert set(BENCHMARKS) <= bench.keys()
    for name in BENCHMARKS:
        assert "error" not in bench[name], (name, bench[name])
    assert bench["jrnl"] == {"skipped": "not available"}
    for name in ("cli_add", "cli_list", "cli_search_zh2", "cli_search_tag"):
        assert 0 < bench[name]["median_s"] < 30 and bench[name]["peak_mb"] > 5
    expected = run["corpus"]["expected"]
    queries = bench["service_search"]["queries"]
    for name, marker in (
        ("zh2", "电梯"),
        ("zh4", "水位上涨"),
        ("en_prefix", "elev"),
        ("tag", "里程碑"),
    ):
        q = queries[name]
        assert q["count"] == q["substring"] == expected[marker] > 0, (name, q)
        assert q["p95_ms"] > 0
    assert queries["zh2"]["like"] == queries["zh2"]["count"]
    if "skipped" not in bench["import_jrnl"]:
        assert bench["import_jrnl"]["entries_after"] == 1000
    assert any(b["budget"].startswith("service search p95") for b in run["budgets"])
    files = bench["attachments"]
    assert files["attach"]["files"] == 50 and files["export_json"]["attachments"] == 50
    assert files["backlinks_hub"]["count"] > 0 and files["complete_zh"]["p50_ms"] > 0


def test_exchange_table_sets_imports_and_exports_beside_jrnl() -> None:
    """Issue 21: wall and CPU beside jrnl's parse (imports) and its JSON export (exports),
    the ratios, the load average and the targets at 100k."""
    sys.path.insert(0, str(BENCH))
    try:
        import report
    finally:
        sys.path.remove(str(BENCH))
    run = {"median_s": 12.0, "median_cpu_s": 11.0, "min_s": 12.0, "max_s": 12.0, "runs": 1}
    bench = {
        "import_jrnl": {**run, "loadavg": [1.0, 2.0]},
        "import_json": {**run, "median_s": 7.5, "median_cpu_s": 7.0},
        "export_vault": {"error": "boom"},
        "export_json": {**run, "median_s": 6.0, "median_cpu_s": 6.0},
        "export_markdown": {"skipped": "not available"},
        "jrnl": {
            "cli_list": {"median_s": 4.0, "median_cpu_s": 2.75},
            "export_json": {"median_s": 120.0, "median_cpu_s": 100.0, "extrapolated": "linear"},
        },
    }
    rows = {
        line.split(" | ")[0].lstrip("| "): line for line in report.exchange_table(100_000, bench)
    }
    jrnl = rows["import jrnl text"]
    assert "| 12.00 s | 11.00 s | 1.0–2.0 | jrnl -n 20" in jrnl
    assert "| 3.00× | 4.00× | < 10.00 s: **not met** |" in jrnl
    assert rows["import json"].endswith("< 8.00 s: met |")
    assert "(extrapolated)" in rows["export json"] and "| 0.05× | 0.06× |" in rows["export json"]
    assert "error: boom" in rows["export vault"]
    assert "skipped" in rows["export markdown"]
    small = report.exchange_table(1000, {**bench, "jrnl": {"skipped": "not available"}})
    assert any("not run" in line and "at 100,000" in line for line in small)


def test_an_import_is_judged_beside_jrnls_parse_run_just_before_it() -> None:
    """Issue 21's import targets (10 s, 8 s, set when jrnl parsed the file in 2.4 s) as ratios
    to jrnl's parse timed right before each import: met or not whatever the machine's speed."""
    sys.path.insert(0, str(BENCH))
    try:
        import report
    finally:
        sys.path.remove(str(BENCH))
    run = {"median_cpu_s": 11.0, "min_s": 8.2, "max_s": 9.0, "runs": 3}
    bench = {
        # A slow machine: 8.6 s misses the 8 s, but jrnl's parse took 2.8 s beside it.
        "import_json": {
            **run,
            "median_s": 8.6,
            "paired_jrnl_parse_s": [2.9, 2.8, 2.7],
            "paired_ratio": 3.07,
        },
        "import_jrnl": {**run, "median_s": 12.0, "paired_jrnl_parse_s": [2.5], "paired_ratio": 4.8},
        "jrnl": {"cli_list": {"median_s": 2.8, "median_cpu_s": 2.7}},
    }
    lines = report.exchange_table(100_000, bench)
    paired = [line for line in lines if line.startswith("| … each run beside jrnl's parse")]
    assert len(paired) == 2
    jrnl, json_ = paired  # in the table's order: the jrnl text import first
    assert "3.07× (median of pairs)" in json_ and json_.endswith("2.4 s): met |")
    assert "< 3.33×" in json_ and "3 runs | 2.80 s" in json_
    assert "< 4.17×" in jrnl and jrnl.endswith("**not met** |")
    budgets = {b["budget"]: b for b in report.budgets(bench)}
    assert budgets["import json, issue 21"]["met"] is False  # the wall time, as measured
    ratio = budgets["import json ÷ jrnl's parse run just before it, issue 21"]
    assert ratio["value"] == 3.07 and ratio["limit"] == 3.33 and ratio["met"] is True
    assert budgets["import jrnl text ÷ jrnl's parse run just before it, issue 21"]["met"] is False
