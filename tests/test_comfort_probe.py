"""``bench/comfort_probe.py`` must not rot: a 600-entry run renames tags and times the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_comfort_probe_runs(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "comfort_probe.py"), "600", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["entries"] == 600 and len(data["renames (entries, s)"]) == 8
    assert data["parent_entries"] > 0
    assert all(isinstance(data[k], float) for k in ("tag_tree_ms", "calendar_month_ms"))
