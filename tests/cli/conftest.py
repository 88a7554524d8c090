"""Run the real command line in a subprocess against a temporary QUESTIONBOOK_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CLI = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def qb(tmp_path: Path) -> CLI:
    home = tmp_path / "qbhome"
    env = {
        **os.environ,
        "QUESTIONBOOK_HOME": str(home),
        "LANG": "C.UTF-8",
        "LANGUAGE": "",
        "COLUMNS": "120",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("LC_ALL", None)

    def run(
        *args: str,
        stdin: str | None = None,
        check: bool = True,
        extra_env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "questionbook", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**env, **(extra_env or {})},
            timeout=60,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
        return proc

    run.home = home  # type: ignore[attr-defined]
    run.env = env  # type: ignore[attr-defined]
    return run
