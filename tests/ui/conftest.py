"""Fixtures shared by the UI tests (the journal fixtures come from tests/conftest.py)."""

from __future__ import annotations

import pytest

from questionbook.core.journal import Journal
from questionbook.ui.widgets.editor.entry_editor import EntryEditor


@pytest.fixture
def editor(qtbot, journal: Journal) -> EntryEditor:
    """The editor pane over the test's journal, shown and exposed."""
    widget = EntryEditor(journal)
    qtbot.addWidget(widget)
    widget.resize(900, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
