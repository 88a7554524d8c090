#!/usr/bin/env python3
"""Build the one-folder desktop bundle with PyInstaller, report its size, and smoke-test it.

    python packaging/build.py --smoke --check-size   # what `make bundle` runs
    python packaging/build.py                 # build into build/dist/QuestionBook (+ .app on macOS)
    python packaging/build.py --smoke-only    # test an existing bundle

Why a script around the spec: the steps around PyInstaller should be the same on every machine
and in CI. Before building it checks, without writing anything, that the committed translation
catalogs and icons are current (a build never modifies tracked files: ``make translations`` and
``make icons`` do that). After building it cuts ICU's data down to what Qt uses (Linux,
:mod:`icu_data`), prints a size report by part with the largest files, and with
``--check-size`` fails above the budget. The smoke run (:mod:`smoke`) uses the bundle as a
person would, from a temporary folder with a fresh ``QUESTIONBOOK_HOME``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import icu_data
import smoke as smoke_steps

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "questionbook.spec"
DIST = ROOT / "build" / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE_NAME = "QuestionBook"
#: Unpacked size budget of the Linux bundle, in MB (10**6 bytes). 120 before encryption; SQLCipher
#: (its own SQLite, 8.4 MB) and cryptography (12 MB) are what an encrypted journal needs.
BUDGET_MB = 140


def bundle_dir(dist: Path = DIST) -> Path:
    return dist / BUNDLE_NAME


def executable(name: str, dist: Path = DIST) -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    return bundle_dir(dist) / f"{name}{suffix}"


def tree_size(path: Path) -> int:
    """Bytes of all regular files under *path* (symlinks counted once, as unpacked)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def files_of(path: Path) -> list[tuple[int, Path]]:
    return [(p.stat().st_size, p) for p in path.rglob("*") if p.is_file() and not p.is_symlink()]


def part_of(rel: str) -> str:
    """Which part of the bundle a file belongs to, for the size report."""
    if not rel.startswith("_internal/"):
        return "QuestionBook (code, catalogs, migrations, icons, executables)"
    rel = rel[len("_internal/") :]
    top = rel.split("/", 1)[0]
    if rel.startswith("PySide6/Qt/lib/libicu"):
        return "ICU (Unicode and locale data for QtCore)"
    if rel.startswith("PySide6/Qt/lib/"):
        return "Qt libraries"
    if rel.startswith("PySide6/Qt/"):
        return "Qt plugins and translations"
    if top in ("PySide6", "shiboken6"):
        return "PySide6 bindings"
    if top in ("questionbook", "resources"):
        return "QuestionBook (code, catalogs, migrations, icons, executables)"
    if top.startswith(("libpython", "python3")) or top.split(".")[0] in sys.stdlib_module_names:
        return "Python runtime and standard library"
    if top.startswith("lib") and ".so" in top:
        return "system libraries"
    return "Python packages (SQLAlchemy, pydantic, alembic, nh3 ...)"


def size_report(path: Path, top: int = 12) -> str:
    files = files_of(path)
    total = sum(size for size, _p in files)
    within = total <= BUDGET_MB * 10**6
    lines = [
        f"bundle: {path}  {total / 10**6:.1f} MB ({total / 2**20:.1f} MiB) in {len(files)} files "
        f"(budget {BUDGET_MB} MB: {'OK' if within else 'OVER'})",
        "by part:",
    ]
    parts: Counter[str] = Counter()
    for size, p in files:
        parts[part_of(p.relative_to(path).as_posix())] += size
    for part, size in parts.most_common():
        lines.append(f"  {size / 10**6:7.1f} MB  {part}")
    lines.append("largest files:")
    for size, p in sorted(files, key=lambda sp: sp[0], reverse=True)[:top]:
        lines.append(f"  {size / 10**6:7.1f} MB  {p.relative_to(path)}")
    return "\n".join(lines)


def within_budget(path: Path) -> bool:
    return tree_size(path) <= BUDGET_MB * 10**6


def prepare() -> None:
    """Refuse to build from stale catalogs or icons; never rewrite them (tracked files)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    checks = [
        ("scripts/translations.py", "make translations"),
        ("packaging/render_icons.py", "make icons"),
    ]
    for script, fix in checks:
        result = subprocess.run(
            [sys.executable, str(ROOT / script), "--check"],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"{result.stdout}{result.stderr}{script} --check failed: run `{fix}`")


def trim(bundle: Path) -> None:
    """Cut the bundle's ICU data to what Qt uses (Linux wheels ship ICU; others do not)."""
    for library in sorted((bundle / "_internal" / "PySide6" / "Qt" / "lib").glob("libicudata.so*")):
        if not library.is_symlink():
            print(icu_data.trim_library(library))


def build(dist: Path = DIST, log_level: str = "ERROR") -> Path:
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
        log_level,
    ]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    trim(bundle_dir(dist))
    return bundle_dir(dist)


def smoke(dist: Path = DIST, gui_seconds: float = 6.0) -> list[str]:
    """Run the built bundle as a user would; returns the problems found (empty = passed)."""
    cli = executable("questionbook", dist)
    if not cli.exists():
        return [f"{cli} does not exist: build first"]
    sys.path.insert(0, str(ROOT))
    from questionbook import __version__

    with tempfile.TemporaryDirectory(prefix="qb-smoke-") as tmp:
        home = Path(tmp) / "home"
        env = smoke_steps.offscreen_env(home)
        steps = smoke_steps.cli_steps([str(cli)], home, __version__)
        problems = smoke_steps.run_steps(steps, env, cwd=Path(tmp))
        problems += smoke_steps.check_files(home)
        problems += smoke_steps.run_app([str(cli), "gui"], env, Path(tmp), gui_seconds)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    parser.add_argument("--smoke", action="store_true", help="run the bundle after building")
    parser.add_argument("--smoke-only", action="store_true", help="only test an existing bundle")
    parser.add_argument(
        "--check-size", action="store_true", help=f"fail when over {BUDGET_MB} MB unpacked"
    )
    parser.add_argument("--dist", type=Path, default=DIST, help="output folder (build/dist)")
    parser.add_argument("--clean", action="store_true", help="delete earlier build output first")
    parser.add_argument(
        "--log-level",
        default="ERROR",
        help="PyInstaller's (ERROR; WARN lists the optional imports it could not find)",
    )
    args = parser.parse_args(argv)
    if args.clean:
        shutil.rmtree(args.dist, ignore_errors=True)
        shutil.rmtree(WORK, ignore_errors=True)
    if not args.smoke_only:
        started = time.monotonic()
        build(args.dist, args.log_level)
        print(f"built in {time.monotonic() - started:.0f} s")
    bundle = bundle_dir(args.dist)
    if not bundle.is_dir():
        print(f"no bundle at {bundle}")
        return 1
    print(size_report(bundle))
    status = 0
    if args.check_size and not within_budget(bundle):
        print(f"SIZE CHECK FAILED: the bundle is over {BUDGET_MB} MB (see the report above)")
        status = 1
    if args.smoke or args.smoke_only:
        problems = smoke(args.dist)
        for problem in problems:
            print("SMOKE FAILED:", problem)
        print("smoke test: " + ("passed" if not problems else f"{len(problems)} problem(s)"))
        status = status or (1 if problems else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
