"""The peer: jrnl 4.6, installed from PyPI into its own venv and pointed at our text journal.

Why a separate venv: jrnl pins its own dependencies and must never leak into QuestionBook's
environment. It is configured through a temporary ``XDG_CONFIG_HOME`` so the benchmark never
reads or writes the user's own jrnl setup; ``TZ=UTC`` makes its local times equal the corpus's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

JRNL_VERSION = "4.6"
BENCH_DIR = Path(__file__).resolve().parent
VENV = BENCH_DIR / ".venv-jrnl"

CONFIG = """\
version: v{version}
journals:
  default:
    journal: {journal}
editor: ''
encrypt: false
template: false
default_hour: 9
default_minute: 0
timeformat: '%Y-%m-%d %H:%M'
tagsymbols: '#@'
highlight: false
linewrap: 79
indent_character: '|'
colors: {{body: none, date: none, tags: none, title: none}}
"""


def ensure_jrnl(venv: Path = VENV) -> Path:
    """The jrnl executable, creating the venv and installing jrnl on first use."""
    exe = venv / "bin" / "jrnl"
    if exe.exists():
        return exe
    print(f"installing jrnl {JRNL_VERSION} into {venv} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", f"jrnl=={JRNL_VERSION}"],
        check=True,
    )
    return exe


def prepare(work: Path, journal_txt: Path) -> dict[str, str]:
    """Copy the journal into *work*, write a config for it, and return jrnl's environment."""
    (work / "xdg-config" / "jrnl").mkdir(parents=True, exist_ok=True)
    (work / "xdg-data").mkdir(exist_ok=True)
    journal = work / "journal.txt"
    shutil.copyfile(journal_txt, journal)
    (work / "xdg-config" / "jrnl" / "jrnl.yaml").write_text(
        CONFIG.format(version=JRNL_VERSION, journal=journal), encoding="utf-8"
    )
    env = dict(os.environ)
    env.update(
        XDG_CONFIG_HOME=str(work / "xdg-config"),
        XDG_DATA_HOME=str(work / "xdg-data"),
        TZ="UTC",
        PYTHONIOENCODING="utf-8",
        NO_COLOR="1",
    )
    return env


def first_entries(journal_txt: Path, n: int, out: Path) -> Path:
    """The first *n* entries of a jrnl text journal (each starts with ``[YYYY-``)."""
    count = 0
    with open(journal_txt, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            if line.startswith("[") and line[1:5].isdigit() and line[5:6] == "-":
                count += 1
                if count > n:
                    break
            dst.write(line)
    return out


def commands(exe: Path) -> dict[str, list[str]]:
    """The operations timed against jrnl, keyed like QuestionBook's benchmarks they mirror."""
    j = str(exe)
    return {
        "cli_list": [j, "-n", "20"],
        "cli_search_zh2": [j, "-contains", "电梯"],
        "cli_search_tag": [j, "#里程碑"],
        "cli_add": [j, "Why does grokking happen suddenly? 为什么顿悟会突然发生。"],
        "export_json": [j, "--export", "json"],
    }
