#!/usr/bin/env python3
"""Build the wheel, install it in a fresh virtual environment and use it from outside the checkout.

    python packaging/wheel_check.py [--keep DIR]

The editable install the developers use hides what a pip user gets. This check catches it: a
package or data folder missing from ``pyproject.toml``, a resource, catalog or migration looked
up in the checkout, a dependency missing from the metadata, warnings from the build. It

1. copies the project's files (tracked, plus new ones not ignored) to a temporary folder and
   builds the wheel there, so nothing in the checkout is written or can leak into the wheel;
   the build must print no warnings;
2. checks the wheel holds every file of ``questionbook/`` and ``resources/`` (as
   ``questionbook/resources``) and the LICENSE, and nothing else;
3. installs it with its dependencies into a new virtual environment;
4. runs it from a temporary folder: the command-line steps of :mod:`smoke`, the app with
   ``--demo`` offscreen for a few seconds, and the screenshots tool in Chinese; and checks
   that the code, catalogs and migrations it used are the installed ones.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import smoke

ROOT = Path(__file__).resolve().parent.parent
#: pip's complaints about the machine's own configuration (find-links folders that do not
#: exist); they are not about this project.
MACHINE_NOISE = ("WARNING: Location ",)


def project_files(root: Path = ROOT) -> list[str]:
    """The files a clone has: tracked ones plus new files git does not ignore."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: take the folders
        paths = [p for d in ("questionbook", "resources") for p in (root / d).rglob("*")]
        return sorted(
            [p.relative_to(root).as_posix() for p in paths if p.is_file()]
            + ["pyproject.toml", "README.md", "LICENSE"]
        )
    return sorted(f for f in listed.split("\0") if f and (root / f).is_file())


def expected_in_wheel(files: list[str]) -> set[str]:
    """Where each shipped file must be inside the wheel."""
    out = set()
    for name in files:
        if "__pycache__" in name:
            continue
        if name.startswith("questionbook/"):
            out.add(name)
        elif name.startswith("resources/"):
            out.add("questionbook/" + name)
    return out


def build_wheel(out: Path) -> tuple[Path, list[str]]:
    """Build the wheel from a copy of the project; returns it and any warnings printed."""
    source = out / "source"
    for name in project_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    printed = (result.stdout + result.stderr).splitlines()
    if result.returncode != 0:
        raise SystemExit("the wheel did not build:\n" + "\n".join(printed[-40:]))
    warnings = [
        line for line in printed if "warning" in line.lower() and not line.startswith(MACHINE_NOISE)
    ]
    (wheel,) = out.glob("questionbook-*.whl")
    return wheel, warnings


def wheel_problems(wheel: Path) -> list[str]:
    """Files missing from the wheel, and files in it that should not be."""
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    expected = expected_in_wheel(project_files())
    problems = [f"missing from the wheel: {name}" for name in sorted(expected - names)]
    extra = sorted(n for n in names - expected if not n.split("/")[0].endswith(".dist-info"))
    problems += [f"in the wheel but not in the project: {name}" for name in extra]
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        problems.append("the wheel carries no LICENSE")
    return problems


def install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with the wheel and its dependencies; returns its python."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit("the wheel did not install:\n" + result.stdout + result.stderr)
    return python


_WHERE = (
    "import questionbook, questionbook.i18n as i, questionbook.storage.migrations as m;"
    "from questionbook.ui.resources import resource_dir;"
    "print(questionbook.__file__); print(i.LOCALE_DIR); print(m.__file__); print(resource_dir())"
)


def run_installed(python: Path, work: Path) -> list[str]:
    """Use the installed wheel from *work*, outside the checkout; returns the problems."""
    from questionbook import __version__  # the checkout's version: the wheel must report it

    venv = python.parent.parent
    home = work / "home"
    env = smoke.offscreen_env(home)
    problems = smoke.run_steps(
        smoke.cli_steps([str(venv / "bin" / "questionbook")], home, __version__), env, work
    )
    problems += smoke.check_files(home)
    where = subprocess.run(
        [str(python), "-c", _WHERE], env=env, cwd=work, capture_output=True, text=True
    )
    for line in where.stdout.splitlines() or [where.stderr]:
        if not Path(line).resolve().is_relative_to(venv.resolve()):
            problems.append(f"not from the installed wheel: {line}")
    problems += smoke.run_app([str(venv / "bin" / "questionbook"), "--demo"], env, work, 4.0)
    shots = work / "shots"
    problems += smoke.run_steps(
        [
            (
                [str(python), "-m", "questionbook.ui.screenshots", str(shots), "--lang", "zh_CN"],
                lambda out: True,
            )
        ],
        env,
        work,
    )
    if not list(shots.glob("*.png")):
        problems.append("the screenshots tool wrote no PNG")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1].strip())
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="qb-wheel-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        wheel, warnings = build_wheel(work / "dist")
        print(f"built {wheel.name} ({wheel.stat().st_size / 1024:.0f} KiB)")
        problems = [f"the build printed: {line}" for line in warnings]
        problems += wheel_problems(wheel)
        python = install(wheel, work / "venv")
        print(f"installed into a fresh environment: {work / 'venv'}")
        problems += run_installed(python, work)
    for problem in problems:
        print("WHEEL CHECK FAILED:", problem)
    print("wheel check: " + ("passed" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
