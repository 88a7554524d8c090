"""``bench/sync_bench.py`` runs end to end on a small corpus and reports what the docs quote."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "sync_bench.py"


def test_sync_bench_runs_on_a_small_corpus(tmp_path: Path) -> None:
    out = tmp_path / "sync.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--size", "200", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["b_entries"] == result["c_entries"] == 200
    assert result["ten_received"] == 10
    assert 0 < result["size_vs_json"] < 2
