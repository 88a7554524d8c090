#!/usr/bin/env python3
"""Build the one-folder desktop bundle with PyInstaller, report its size, and smoke-test it.

    python packaging/build.py            # build into build/dist/QuestionBook (+ .app on macOS)
    python packaging/build.py --smoke    # build, then run the bundle offscreen
    python packaging/build.py --smoke-only   # test an existing bundle

Why a script around the spec: the steps around PyInstaller (fresh icons, compiled catalogs, the
size budget, the smoke run) should be the same on every machine and in CI. The smoke run
checks what a person would: in a fresh ``QUESTIONBOOK_HOME`` the bundled CLI creates a journal,
adds entries and lists them, finds a Chinese word, speaks Chinese when asked, exports to
Markdown, a vault and JSON and imports the JSON back, prints the weekly summary, makes a
backup and runs the doctor; then the app starts offscreen and keeps running until it is closed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "questionbook.spec"
DIST = ROOT / "build" / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE_NAME = "QuestionBook"
BUDGET_MB = 150


def bundle_dir(dist: Path = DIST) -> Path:
    return dist / BUNDLE_NAME


def executable(name: str, dist: Path = DIST) -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    return bundle_dir(dist) / f"{name}{suffix}"


def tree_size(path: Path) -> int:
    """Bytes of all regular files under *path* (symlinks counted once, as unpacked)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def size_report(path: Path, top: int = 12) -> str:
    files = [(p.stat().st_size, p) for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(size for size, _p in files)
    lines = [
        f"bundle: {path}  {total / 2**20:.1f} MiB in {len(files)} files "
        f"(budget {BUDGET_MB} MB: {'OK' if total <= BUDGET_MB * 10**6 else 'OVER'})",
        "largest files:",
    ]
    for size, p in sorted(files, key=lambda sp: sp[0], reverse=True)[:top]:
        lines.append(f"  {size / 2**20:7.1f} MiB  {p.relative_to(path)}")
    return "\n".join(lines)


def prepare() -> None:
    """Fresh icons and compiled catalogs, so the bundle never ships stale ones."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "render_icons.py")],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([sys.executable, str(ROOT / "scripts" / "translations.py")], check=True)


def build(dist: Path = DIST) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit(
            "PyInstaller is not installed: python -m pip install pyinstaller"
        ) from None
    prepare()
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--clean",
        "--distpath",
        str(dist),
        "--workpath",
        str(WORK),
        "--log-level",
        "WARN",
    ]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    return bundle_dir(dist)


def _run(cmd: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=timeout, encoding="utf-8"
    )


def smoke(dist: Path = DIST, gui_seconds: float = 6.0) -> list[str]:
    """Run the built bundle as a user would; returns the problems found (empty = passed)."""
    problems: list[str] = []
    cli = executable("questionbook", dist)
    if not cli.exists():
        return [f"{cli} does not exist: build first"]
    with tempfile.TemporaryDirectory(prefix="qb-smoke-") as home:  # a fresh QUESTIONBOOK_HOME
        env = {
            **os.environ,
            "QUESTIONBOOK_HOME": home,
            "QT_QPA_PLATFORM": "offscreen",
            "LANGUAGE": "en",
            "PYTHONUNBUFFERED": "1",
        }
        title = "Why does grokking happen suddenly?"
        steps = [
            ([str(cli), "--version"], lambda out: "questionbook" in out),
            ([str(cli), "add", title, "--tag", "learning", "-H", "3"], lambda out: True),
            ([str(cli), "add", "电梯为什么总在别的楼层？", "-k", "question"], lambda out: True),
            ([str(cli), "list", "--json"], lambda out: title in out and "电梯" in out),
            ([str(cli), "search", "电梯"], lambda out: "电梯" in out),
            ([str(cli), "--lang", "zh_CN", "--help"], lambda out: "用法" in out),
            # Heavier paths: Markdown rendering, JSON round trip, backups, integrity check.
            ([str(cli), "export", "-f", "markdown", "-o", f"{home}/out.md"], lambda out: True),
            ([str(cli), "export", "-f", "vault", "-o", f"{home}/vault"], lambda out: True),
            ([str(cli), "export", "-f", "json", "-o", f"{home}/out.json"], lambda out: True),
            ([str(cli), "import", f"{home}/out.json"], lambda out: True),
            ([str(cli), "review"], lambda out: "#" in out),
            ([str(cli), "backup"], lambda out: True),
            ([str(cli), "doctor"], lambda out: True),
        ]
        for cmd, ok in steps:
            result = _run(cmd, env)
            if result.returncode != 0 or not ok(result.stdout):
                problems.append(
                    f"{' '.join(cmd[1:])}: exit {result.returncode}\n"
                    f"{result.stdout[-800:]}{result.stderr[-1500:]}"
                )
        listed = _run([str(cli), "list", "--json"], env)
        try:
            json.loads(listed.stdout)
        except ValueError:
            problems.append("list --json did not print JSON")
        if not (Path(home) / "journal.sqlite3").exists():
            problems.append("no journal.sqlite3 was created in QUESTIONBOOK_HOME")
        problems += _smoke_gui(cli, env, gui_seconds)
    return problems


def _smoke_gui(cli: Path, env: dict[str, str], seconds: float) -> list[str]:
    """Start the app offscreen; it must still be running after *seconds*, then close on TERM."""
    print(f"$ {cli} gui   (offscreen, {seconds:.0f} s)", flush=True)
    proc = subprocess.Popen(
        [str(cli), "gui"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    if proc.poll() is not None:
        _out, err = proc.communicate()
        return [f"the app exited early with status {proc.returncode}:\n{err[-2000:]}"]
    proc.send_signal(signal.SIGTERM if sys.platform != "win32" else signal.CTRL_BREAK_EVENT)
    try:
        _out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
        return ["the app did not stop within 15 s of SIGTERM"]
    if "Traceback" in err:
        return [f"the app printed a traceback:\n{err[-2000:]}"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="run the bundle after building")
    parser.add_argument("--smoke-only", action="store_true", help="only test an existing bundle")
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (build/dist)")
    parser.add_argument("--clean", action="store_true", help="delete earlier build output first")
    args = parser.parse_args(argv)
    if args.clean:
        shutil.rmtree(args.dist, ignore_errors=True)
        shutil.rmtree(WORK, ignore_errors=True)
    if not args.smoke_only:
        started = time.monotonic()
        build(args.dist)
        print(f"built in {time.monotonic() - started:.0f} s")
    if not bundle_dir(args.dist).is_dir():
        print(f"no bundle at {bundle_dir(args.dist)}")
        return 1
    print(size_report(bundle_dir(args.dist)))
    if args.smoke or args.smoke_only:
        problems = smoke(args.dist)
        for problem in problems:
            print("SMOKE FAILED:", problem)
        print("smoke test: " + ("passed" if not problems else f"{len(problems)} problem(s)"))
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
