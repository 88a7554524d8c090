"""ARCHITECTURE.md rule 1: the core, storage and exchange never import Qt."""

from __future__ import annotations

import subprocess
import sys

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
for pkg in ("questionbook.core", "questionbook.storage", "questionbook.exchange", "questionbook.cli"):
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
