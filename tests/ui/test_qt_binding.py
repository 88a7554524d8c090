"""The Qt binding must not corrupt reference counts (PySide6 6.12.0 on Python 3.11 did).

Every call of a Qt method that returns nothing dropped a reference to ``None``; after a few
thousand painted rows the interpreter aborted. pyproject.toml excludes that release; this test
catches a binding with the same fault before users do.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSize


def test_void_calls_keep_none_refcount() -> None:
    size = QSize()
    before = sys.getrefcount(None)
    for _ in range(1000):
        size.setWidth(1)
    assert abs(sys.getrefcount(None) - before) < 50
