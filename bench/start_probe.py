"""Start-up against a bare PySide6 window, side by side (issue 21): ``start_probe.py DB``.

Each round starts a fresh ``python`` for a bare window (a QMainWindow with a QLabel) and one for
QuestionBook over *DB* (``start_child.py``), alternating, under one X server: Xvfb with a real
xcb window (the probe re-runs itself under ``xvfb-run`` when there is no display). The app opens
a copy of *DB* in a private home whose settings show the "All entries" view, so the first paint
must show 100,000 real rows; each round also starts it in a second home showing *Today*, the
view a new user starts on (today's entries and "on this day" in earlier years). It prints one
JSON line: each round's times, the medians, the ratios to the bare window and the budgets
(painted ≤ 2.5×, interactive ≤ 3×); the Today figures are under ``today_``.

Ratios are taken between medians of the same run, so they hold on any machine; on a shared
machine read them with the load average, which the result records.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
CHILD = BENCH / "start_child.py"
SCREEN = "-screen 0 1400x900x24"
PAINT_BUDGET = 2.5
INTERACTIVE_BUDGET = 3.0
TIMEOUT_S = 120


def _under_xvfb(argv: list[str]) -> int:
    """Run this probe again inside ``xvfb-run`` (one X server for every round)."""
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        print(json.dumps({"skipped": "xvfb-run not available"}))
        return 0
    env = dict(os.environ, QB_START_PROBE_XVFB="1")
    cmd = [xvfb, "-a", "-s", SCREEN, sys.executable, __file__, *argv]
    return subprocess.run(cmd, env=env, check=False).returncode


def prepare_home(
    db: Path, work: Path, views: tuple[str, ...] = ("all",)
) -> tuple[list[Path], Path]:
    """A private home per view in *views*, with the settings of a user who last looked at it,
    and a copy of the journal they share (the app may write its lock and settings)."""
    sys.path.insert(0, str(BENCH.parent))
    from dataclasses import replace

    from questionbook.settings import load_settings, save_settings

    homes = []
    for view in views:
        home = work / f"home-{view}"
        settings_file = home / "config" / "settings.ini"
        settings_file.parent.mkdir(parents=True, exist_ok=True)
        save_settings(replace(load_settings(settings_file), last_view=view), settings_file)
        homes.append(home)
    copy = work / "journal.sqlite3"
    shutil.copyfile(db, copy)
    os.chmod(copy, 0o600)
    return homes, copy


def run_child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """One fresh process; its stamps are seconds since just before it was spawned."""
    zero = time.time()
    proc = subprocess.run(
        [sys.executable, str(CHILD), *args],
        env=dict(env, QUESTIONBOOK_TRACE_START=repr(zero)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        return {"error": f"exit {proc.returncode}: {tail}"}
    return dict(json.loads(lines[-1]))


def measure(db: Path, rounds: int, work: Path, pycache: Path) -> dict[str, Any]:
    (home, today_home), copy = prepare_home(db, work, ("all", "today"))
    env = dict(os.environ, QUESTIONBOOK_HOME=str(home), QT_QPA_PLATFORM="xcb")
    # An installed app has .pyc files; a session with PYTHONDONTWRITEBYTECODE=1 would compile
    # every module on every start (as the suite does for its other child processes).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    today_env = dict(env, QUESTIONBOOK_HOME=str(today_home))
    run_child(["app", str(copy)], env)  # warm-up: page cache, .pyc files, fonts
    run_child(["bare"], env)
    bare: list[dict[str, Any]] = []
    app: list[dict[str, Any]] = []
    today: list[dict[str, Any]] = []
    load_start = os.getloadavg()[0]
    for _ in range(rounds):
        bare.append(run_child(["bare"], env))
        app.append(run_child(["app", str(copy)], env))
        today.append(run_child(["app", str(copy)], today_env))
    app_errors = [r["error"] for r in bare + app + today if "error" in r]
    if app_errors:
        return {"error": app_errors[0], "rounds": rounds}

    def med(rows: list[dict[str, Any]], key: str) -> float:
        return statistics.median(float(r[key]) for r in rows)

    bare_paint, bare_inter = med(bare, "painted"), med(bare, "interactive")
    app_paint, app_inter = med(app, "painted"), med(app, "interactive")
    milestones: dict[str, float] = {}
    for name in app[0]["milestones"]:
        values = [r["milestones"][name] for r in app if name in r["milestones"]]
        milestones[name] = round(statistics.median(values), 4)
    paint_ratio = app_paint / bare_paint
    inter_ratio = app_inter / bare_paint
    # Each round's own ratio too: neighbours in time share the machine's load.
    round_paint = statistics.median(
        float(a["painted"]) / float(b["painted"]) for a, b in zip(app, bare, strict=True)
    )
    round_inter = statistics.median(
        float(a["interactive"]) / float(b["painted"]) for a, b in zip(app, bare, strict=True)
    )
    return {
        "rounds": rounds,
        "bare_painted_s": round(bare_paint, 4),
        "bare_interactive_s": round(bare_inter, 4),
        "app_painted_s": round(app_paint, 4),
        "app_interactive_s": round(app_inter, 4),
        "painted_ratio": round(paint_ratio, 2),
        "interactive_ratio": round(inter_ratio, 2),
        "painted_ratio_per_round": round(round_paint, 2),
        "interactive_ratio_per_round": round(round_inter, 2),
        "painted_budget": PAINT_BUDGET,
        "interactive_budget": INTERACTIVE_BUDGET,
        "painted_met": paint_ratio <= PAINT_BUDGET,
        "interactive_met": inter_ratio <= INTERACTIVE_BUDGET,
        "app_view": app[0].get("view"),
        "app_rows_at_paint": app[0].get("rows_at_paint"),
        "app_milestones_s": milestones,
        "app_after_key": app[0].get("milestones_after_key", []),
        "bare_each_s": [round(float(r["painted"]), 4) for r in bare],
        "app_painted_each_s": [round(float(r["painted"]), 4) for r in app],
        "app_interactive_each_s": [round(float(r["interactive"]), 4) for r in app],
        "today_view": today[0].get("view"),
        "today_rows_at_paint": today[0].get("rows_at_paint"),
        "today_painted_s": round(med(today, "painted"), 4),
        "today_interactive_s": round(med(today, "interactive"), 4),
        "today_painted_ratio": round(med(today, "painted") / bare_paint, 2),
        "today_interactive_ratio": round(med(today, "interactive") / bare_paint, 2),
        "today_painted_met": med(today, "painted") / bare_paint <= PAINT_BUDGET,
        "today_milestones_s": {
            name: round(statistics.median(r["milestones"][name] for r in today), 4)
            for name in today[0]["milestones"]
            if all(name in r["milestones"] for r in today)
        },
        "loadavg": [round(load_start, 2), round(os.getloadavg()[0], 2)],
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("db", type=Path)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temp one)")
    p.add_argument(
        "--pycache", type=Path, default=BENCH / ".cache" / "pycache", help=".pyc files of the runs"
    )
    args = p.parse_args(argv)
    if not os.environ.get("QB_START_PROBE_XVFB") and os.environ.get("QT_QPA_PLATFORM") != "xcb":
        return _under_xvfb(argv)
    work = Path(tempfile.mkdtemp(prefix="start-", dir=args.work))
    try:
        result = measure(args.db, args.rounds, work, args.pycache)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
