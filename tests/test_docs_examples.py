"""Every console example in the README and docs/cli.md runs, in order, against a fresh journal.

The examples are what a newcomer copies first; they must not drift from the program. Each line
of a ```` ```console ```` block that starts with ``$ `` runs in bash (pipes, ``&&`` and
comments as written) with ``questionbook`` on ``PATH``, ``HOME`` and ``QUESTIONBOOK_HOME`` in
a temporary folder, and must exit 0 without printing an error. What an example assumes, the
test provides instead of the docs losing it: the placeholder id ``3f2a`` becomes the id of the
entry the first example added, and ``~/journal.txt`` is a small jrnl journal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "cli.md"]
PLACEHOLDER_ID = "3f2a"
JRNL = "[2026-03-01 09:15] Why do cats purr?\nNobody is quite sure. @biology\n"


def console_examples(path: Path) -> list[str]:
    """The ``$ `` lines of the ```console blocks in *path*, in order."""
    blocks = re.findall(r"```console\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def _run(line: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail; {line}"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "journal.txt").write_text(JRNL, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUESTIONBOOK")}
    env.update(
        HOME=str(home),
        QUESTIONBOOK_HOME=str(tmp_path / "journal"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        LANGUAGE="en",
    )
    return env


def test_the_docs_have_console_examples() -> None:
    readme = console_examples(ROOT / "README.md")
    assert len(readme) >= 10, "the README's quick tour went missing"
    assert not any(line.lstrip().startswith("echo ") for line in readme), (
        "bash's echo does not turn \\n into a new line: use printf"
    )


def test_every_console_example_runs(shell_env: dict[str, str], tmp_path: Path) -> None:
    examples = [line for doc in DOCS for line in console_examples(doc)]
    entry_id = None
    for line in examples:
        if PLACEHOLDER_ID in line:
            assert entry_id, f"{line!r} needs an entry id, but no example added one before it"
            line = line.replace(PLACEHOLDER_ID, entry_id[:8])
        result = _run(line, shell_env, tmp_path)
        assert result.returncode == 0, f"$ {line}\n{result.stdout}{result.stderr}"
        assert "error" not in result.stderr.lower(), f"$ {line}\n{result.stderr}"
        if entry_id is None and line.startswith("questionbook add"):
            entry_id = result.stdout.strip()
    assert entry_id, "no example adds an entry"


def test_the_multi_line_add_example_stores_title_and_body(shell_env, tmp_path) -> None:
    (line,) = [x for x in console_examples(ROOT / "README.md") if "| questionbook add" in x]
    assert _run(line, shell_env, tmp_path).returncode == 0
    listed = _run("questionbook list --json", shell_env, tmp_path)
    (entry,) = json.loads(listed.stdout)
    assert entry["title"] == "Build an elevator"
    assert entry["body"] == "for the whole team #plan"
    assert entry["kind"] == "plan" and entry["tags"] == ["plan"]
