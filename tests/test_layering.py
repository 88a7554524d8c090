"""ARCHITECTURE.md rule 1: the core, storage, exchange and sync never import Qt; and the layers
import one way only (core ← storage ← exchange, core ← storage ← sync), so there are no import
cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

BLOCK_QT = """
import importlib, pkgutil, sys
class Block:
    def find_module(self, name, path=None):
        return None
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("Qt is not allowed here: " + name)
        return None
sys.meta_path.insert(0, Block())
import questionbook
for pkg in ("questionbook.core", "questionbook.storage", "questionbook.exchange", "questionbook.sync",
            "questionbook.cli"):
    try:
        mod = importlib.import_module(pkg)
    except ModuleNotFoundError:
        continue
    for info in pkgutil.walk_packages(mod.__path__, pkg + "."):
        if ".migrations" in info.name:
            continue
        importlib.import_module(info.name)
print("ok")
"""


def test_core_storage_exchange_cli_import_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


#: Which packages each layer may import (ARCHITECTURE.md; issue 13.9: no import cycles).
ALLOWED = {
    "core": {"core", "i18n", "settings", "paths"},
    "storage": {"core", "storage", "i18n", "paths", "settings"},
    "exchange": {"core", "storage", "exchange", "i18n", "paths", "settings"},
    "sync": {"core", "storage", "sync", "i18n", "paths", "settings"},
}


def _imports(path: Path) -> set[str]:
    """The ``questionbook.X`` packages a module imports, at any depth of the file."""
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "questionbook" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_layers_import_only_downwards() -> None:
    root = Path(__file__).resolve().parent.parent / "questionbook"
    wrong = []
    for layer, allowed in ALLOWED.items():
        for path in (root / layer).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            extra = _imports(path) - allowed
            if extra:
                wrong.append(f"{path.relative_to(root)} imports {sorted(extra)}")
    assert not wrong, "\n".join(wrong)
