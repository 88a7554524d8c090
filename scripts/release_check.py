#!/usr/bin/env python3
"""Every check a change must pass, in one run: what CI runs, and what a release needs.

    bash .ci/run                           # CI: everything below except the release notes
    python3 scripts/release_check.py --release   # (make release-check) + dated release notes

Each step runs even when an earlier one failed, so one run reports every failure; each is
timed, and a summary table ends the run. The exit status is 1 if any step failed. Standard
library only: it starts before the virtual environment exists.

1. **system packages** — ``scripts/system-packages.txt``; the missing ones are installed with
   apt-get when running as root (CI runs as root on Debian), otherwise named.
2. **setup** — ``make setup`` (the virtual environment ``make run``/``make test`` use).
3. **pytest** — the whole suite, offscreen. When this run could install the system packages,
   a skipped test is a failure: every tool a test needs is there, so a skip means a check
   silently did not run.
4. **ruff check**, **ruff format**, **mypy** — as ``make lint``.
5. **translations** — ``scripts/translations.py --check``: fails when extraction would change
   a catalog, a message is untranslated or a ``.mo`` is stale.
6. **wheel** — ``packaging/wheel_check.py``: build, install into a fresh environment, use it
   from outside the checkout.
7. **bundle** — ``make bundle``: PyInstaller build, size budget, smoke test (``--no-bundle``
   leaves it out).
8. **release notes** (``--release``) — the CHANGELOG's newest section is this version, dated.
9. **checkout unchanged** — ``git status`` is what it was before: no step writes tracked files.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES_FILE = ROOT / "scripts" / "system-packages.txt"
VENV_BIN = ROOT / ".venv" / "bin"
#: ``## 0.1.0 — 2026-12-20``, ``## 0.2.0 — Unreleased`` or ``## Unreleased``.
HEADING = re.compile(r"## (?:(\d+\.\d+\.\d+)\s+[—-]\s+)?(\d{4}-\d{2}-\d{2}|Unreleased)\s*")


@dataclass
class Result:
    ok: bool | None  # None: not applicable here
    note: str = ""


@dataclass
class Run:
    """What the steps learn about the machine as they go."""

    packages_ensured: bool = False


def system_packages(run: Run) -> Result:
    wanted = [
        line.strip()
        for line in PACKAGES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query"):
        return Result(None, f"not Debian/Ubuntu: install what {PACKAGES_FILE.name} lists")
    present = installed_packages()
    missing = [p for p in wanted if p not in present]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        ):
            print("$", " ".join(cmd), flush=True)
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
                return Result(False, f"apt-get failed: {' '.join(cmd[:2])}")
        run.packages_ensured = True
        return Result(True, "installed " + " ".join(missing))
    if missing:
        return Result(False, "missing; install: sudo apt-get install " + " ".join(missing))
    run.packages_ensured = True
    return Result(True, f"all {len(wanted)} present")


def installed_packages() -> set[str]:
    """Installed package names and the names they provide (``libglib2.0-0`` is provided by
    ``libglib2.0-0t64`` on newer releases)."""
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}|${Package}|${Provides}\n"],
        capture_output=True,
        text=True,
    )
    names = set()
    for line in done.stdout.splitlines():
        status, package, provides = [*line.split("|"), "", ""][:3]
        if status.startswith("ii"):
            names.add(package.split(":")[0])
            names.update(p.split("(")[0].strip() for p in provides.split(",") if p.strip())
    return names


def command(*cmd: str | Path, env: dict[str, str] | None = None) -> Callable[[Run], Result]:
    """A step that runs *cmd* in the checkout and passes when it exits 0."""

    def step(_run: Run) -> Result:
        print("$", " ".join(str(c) for c in cmd), flush=True)
        code = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env).returncode
        return Result(code == 0, "" if code == 0 else f"exit status {code}")

    return step


def pytest(run: Run) -> Result:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        cmd = [str(VENV_BIN / "python"), "-m", "pytest", f"--junitxml={report}"]
        print("$", " ".join(cmd[:3]), flush=True)
        code = subprocess.run(cmd, cwd=ROOT, env=env).returncode
        if code == 5:
            return Result(False, "pytest collected no tests")
        skipped = _skipped(report) if report.exists() else []
    if code != 0:
        return Result(False, f"exit status {code}")
    if skipped and run.packages_ensured:
        return Result(False, f"{len(skipped)} skipped, with every tool installed: {skipped[:3]}")
    return Result(True, f"{len(skipped)} skipped" if skipped else "no skips")


def _skipped(report: Path) -> list[str]:
    cases = ET.parse(report).getroot().iter("testcase")
    return [
        f"{case.get('name')}: {skip.get('message', '')}"
        for case in cases
        for skip in case.findall("skipped")
    ]


def changelog_versions(text: str) -> list[tuple[str | None, str]]:
    """The CHANGELOG's ``##`` sections, newest first: (version or None, date or Unreleased)."""
    out = []
    for line in text.splitlines():
        if line.startswith("## "):
            match = HEADING.fullmatch(line)
            if match is None:
                raise ValueError(f"CHANGELOG heading not understood: {line!r}")
            out.append((match.group(1), match.group(2)))
    return out


def version() -> str:
    text = (ROOT / "questionbook" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if match is None:
        raise ValueError("questionbook/__init__.py sets no __version__")
    return match.group(1)


def release_notes_problem(changelog: str, version: str) -> str | None:
    """Why *changelog* is not ready for releasing *version*, or None when it is."""
    sections = changelog_versions(changelog)
    top = sections[0] if sections else (None, "")
    if top[0] == version and top[1] != "Unreleased":
        return None
    heading = f"## {top[0]} — {top[1]}" if top[0] else f"## {top[1]}"
    return f"the newest CHANGELOG section must be '## {version} — YYYY-MM-DD', not '{heading}'"


def release_notes(_run: Run) -> Result:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    problem = release_notes_problem(changelog, version())
    return Result(problem is None, problem or f"{version()} is dated")


def git_status() -> str | None:
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout


def steps(args: argparse.Namespace) -> list[tuple[str, Callable[[Run], Result]]]:
    venv = VENV_BIN
    plan: list[tuple[str, Callable[[Run], Result]]] = [
        ("system packages", system_packages),
        ("setup", command("make", "setup")),
        ("pytest", pytest),
        ("ruff check", command(venv / "ruff", "check", ".")),
        ("ruff format", command(venv / "ruff", "format", "--check", ".")),
        ("mypy", command(venv / "mypy")),
        ("translations", command(venv / "python", "scripts/translations.py", "--check")),
        ("wheel", command(venv / "python", "packaging/wheel_check.py")),
    ]
    if not args.no_bundle:
        plan.append(("bundle", command("make", "bundle")))
    if args.release:
        plan.append(("release notes", release_notes))
    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="also check the release notes")
    parser.add_argument("--no-bundle", action="store_true", help="leave out the bundle build")
    args = parser.parse_args(argv)
    run, results = Run(), []
    before = git_status()
    started = time.monotonic()
    for name, step in steps(args):
        print(f"\n==> {name}", flush=True)
        t0 = time.monotonic()
        try:
            result = step(run)
        except Exception as exc:  # a broken step must not hide the others' results
            result = Result(False, f"{type(exc).__name__}: {exc}")
        seconds = time.monotonic() - t0
        results.append((name, result, seconds))
        verdict = {True: "passed", False: "FAILED", None: "not applicable"}[result.ok]
        print(f"--- {name}: {verdict} in {seconds:.1f} s {result.note}".rstrip(), flush=True)
    after = git_status()
    if before is not None:
        changed = sorted(set((after or "").splitlines()) - set(before.splitlines()))
        note = "" if not changed else "changed: " + ", ".join(c[3:] for c in changed)
        results.append(("checkout unchanged", Result(not changed, note), 0.0))
    print(f"\n{'step':<20}{'result':<10}{'seconds':>8}  note")
    for name, result, seconds in results:
        verdict = {True: "ok", False: "FAILED", None: "n/a"}[result.ok]
        print(f"{name:<20}{verdict:<10}{seconds:8.1f}  {result.note}".rstrip())
    print(f"{'total':<30}{time.monotonic() - started:8.1f}")
    failed = [name for name, result, _s in results if result.ok is False]
    print("all checks passed" if not failed else f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
