"""``questionbook capture`` must open its window in well under a second (issue 19): on the way to
the first Qt import the command line may load nothing heavy — no database code, no Markdown, no
SQLAlchemy — and the desktop file offers the command as an action."""

from __future__ import annotations

import json
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

from questionbook import APP_ID

ROOT = Path(__file__).resolve().parents[2]

#: Runs ``questionbook-gui capture``; at the first import of our UI package (the capture window's
#: module, which imports Qt) it prints the modules loaded so far and stops the process.
PROBE = """
import json, os, sys
class Probe:
    def find_spec(self, name, path=None, target=None):
        if name == "questionbook.ui" or name.startswith("questionbook.ui."):
            print(json.dumps({"first": name, "loaded": sorted(sys.modules)}))
            sys.stdout.flush()
            os._exit(0)
        return None
sys.meta_path.insert(0, Probe())
from questionbook.__main__ import main, gui_main
sys.argv = ["questionbook-gui", *sys.argv[1:]]
sys.exit(gui_main() if sys.argv[1:2] == ["capture"] else main())
"""
HEAVY = (
    "sqlite3",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "pydantic",
    "markdown",
    "nh3",
    "yaml",
    "questionbook.services",
    "questionbook.storage",
    "questionbook.core.journal",
    "questionbook.exchange",
)


def _loaded_before_qt(tmp_path: Path, *args: str) -> tuple[str, list[str]]:
    env = {
        "PATH": "/usr/bin:/bin",
        "QUESTIONBOOK_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return data["first"], data["loaded"]


def test_nothing_heavy_is_imported_before_qt(tmp_path: Path) -> None:
    for args in (("capture",), ("--lang", "zh_CN", "capture")):
        first, loaded = _loaded_before_qt(tmp_path, *args)
        heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
        assert heavy == [], (first, heavy)
        assert "questionbook.cli.writing_cmds" in loaded  # it did take the capture path
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("*.sqlite3"))


def test_the_desktop_file_offers_capture_as_an_action() -> None:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "packaging" / "linux" / f"{APP_ID}.desktop", encoding="utf-8")
    assert "capture" in parser["Desktop Entry"]["Actions"].split(";")
    action = parser["Desktop Action capture"]
    assert action["Exec"] == "questionbook-gui capture"
    assert action["Name"] and action["Name[zh_CN]"]
