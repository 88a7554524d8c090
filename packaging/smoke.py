"""Run an installed QuestionBook as a user would: the steps shared by the bundle and the wheel.

``build.py --smoke`` runs them against the PyInstaller bundle, ``wheel_check.py`` against a
wheel installed in a fresh virtual environment. Both run from a temporary folder with a fresh
``QUESTIONBOOK_HOME`` and ``QT_QPA_PLATFORM=offscreen``, so nothing can come from the checkout
or the user's journal: the journal is created and migrated, entries are added (one in Chinese)
and listed as JSON, a two-character Chinese word is found, the help speaks Chinese, the
journal is exported to Markdown, a vault and JSON and imported back, the weekly summary is
printed, a backup is made and the doctor runs; then the app starts offscreen and must keep
running until it is asked to stop.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

Check = Callable[[str], bool]


def offscreen_env(home: Path) -> dict[str, str]:
    """The environment for a smoke run: a fresh journal folder, no display, English."""
    env = {**os.environ, "QUESTIONBOOK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.update(LANGUAGE="en", PYTHONUNBUFFERED="1")
    env.pop("PYTHONPATH", None)  # nothing from the checkout
    return env


def _json_list(out: str, *needles: str) -> bool:
    try:
        rows = json.loads(out)
    except ValueError:
        return False
    return isinstance(rows, list) and all(any(n in r["title"] for r in rows) for n in needles)


def exports_dir(home: Path) -> Path:
    """Where the smoke run's exports go: beside the journal folder, never inside it (an export
    into QuestionBook's own folder is refused)."""
    return home.with_name(home.name + "-exports")


#: Entries of the smoke's large jrnl file (~9.5 MB: over the size read by a second process).
LARGE_ENTRIES = 14_000


def large_jrnl(folder: Path) -> Path:
    """A jrnl text file larger than ``exchange.incoming.OWN_PROCESS_BYTES``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "large.txt"
    filler = "The water rises past another skill; 水位又上涨了。 " * 12
    with path.open("w", encoding="utf-8") as fh:
        for i in range(LARGE_ENTRIES):
            fh.write(f"[2025-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d}] Smoke {i} @smoke\n")
            fh.write(f"{filler}{i}\n\n")
    return path


def cli_steps(cli: list[str], home: Path, version: str) -> list[tuple[list[str], Check]]:
    """The command-line steps: each command with a check of what it printed."""
    out = exports_dir(home)
    title = "Why does grokking happen suddenly?"
    return [
        ([*cli, "--version"], lambda out: out.strip() == f"questionbook {version}"),
        ([*cli, "--help"], lambda out: "usage: questionbook" in out),
        ([*cli, "add", title, "--tag", "learning", "-H", "3"], lambda out: bool(out.strip())),
        ([*cli, "add", "电梯为什么总在别的楼层？", "-k", "question"], lambda out: True),
        ([*cli, "list", "--json"], lambda out: _json_list(out, title, "电梯")),
        ([*cli, "search", "电梯"], lambda out: "电梯" in out and "grokking" not in out),
        ([*cli, "--lang", "zh_CN", "--help"], lambda out: out.startswith("用法：questionbook")),
        ([*cli, "export", "-f", "markdown", "-o", str(out / "out.md")], lambda out: True),
        ([*cli, "export", "-f", "vault", "-o", str(out / "vault")], lambda out: True),
        ([*cli, "export", "-f", "json", "-o", str(out / "out.json")], lambda out: True),
        ([*cli, "import", str(out / "out.json")], lambda out: True),
        # Over 8 MiB: read by a second process (spawn, freeze_support in a bundle).
        (
            [*cli, "import", str(large_jrnl(out)), "--from", "jrnl"],
            lambda out: f"added: {LARGE_ENTRIES:,}" in out or f"added: {LARGE_ENTRIES}" in out,
        ),
        ([*cli, "review"], lambda out: "#" in out),
        ([*cli, "backup"], lambda out: True),
        ([*cli, "doctor"], lambda out: True),
    ]


def run_steps(steps: list[tuple[list[str], Check]], env: dict[str, str], cwd: Path) -> list[str]:
    """Run each step; returns a problem per step that failed (empty = all passed)."""
    problems = []
    for cmd, ok in steps:
        print("$", " ".join(cmd), flush=True)
        result = subprocess.run(
            cmd, env=env, cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120
        )
        if result.returncode != 0 or not ok(result.stdout):
            problems.append(
                f"{' '.join(cmd[1:])}: exit {result.returncode}\n"
                f"{result.stdout[-800:]}{result.stderr[-1500:]}"
            )
    return problems


def check_files(home: Path) -> list[str]:
    """What the steps must have written into the fresh journal folder."""
    expected = [home / "journal.sqlite3"] + [
        exports_dir(home) / name for name in ("out.md", "out.json", "vault/index.md")
    ]
    return [f"{path} was not written" for path in expected if not path.exists()]


def run_app(cmd: list[str], env: dict[str, str], cwd: Path, seconds: float = 6.0) -> list[str]:
    """Start the app; it must still run after *seconds*, then stop on SIGTERM without a trace."""
    print(f"$ {' '.join(cmd[-3:])}   (offscreen, {seconds:.0f} s)", flush=True)
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    if proc.poll() is not None:
        _out, err = proc.communicate()
        return [f"{' '.join(cmd)} exited early with status {proc.returncode}:\n{err[-2000:]}"]
    if sys.platform == "win32":
        proc.terminate()
    else:
        proc.send_signal(signal.SIGTERM)
    try:
        _out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return [f"{' '.join(cmd)} did not stop within 15 s of SIGTERM"]
    if "Traceback" in err:
        return [f"{' '.join(cmd)} printed a traceback:\n{err[-2000:]}"]
    return []
