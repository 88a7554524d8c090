"""Fixtures shared by the UI tests (the journal fixtures come from tests/conftest.py)."""

from __future__ import annotations

import pytest

from questionbook.core.journal import Journal
from questionbook.ui.widgets.editor.entry_editor import EntryEditor
from tests.ui.parts import ModalAnswers


@pytest.fixture(autouse=True)
def _no_answers_left_behind():
    """A test's queued dialog answers stop with it: left running, they answered the next
    test's dialogs (a busy-journal test failed after the backup dialogs, then hung)."""
    yield
    ModalAnswers.stop_all()


@pytest.fixture
def editor(qtbot, journal: Journal) -> EntryEditor:
    """The editor pane over the test's journal, shown and exposed."""
    widget = EntryEditor(journal)
    qtbot.addWidget(widget)
    widget.resize(900, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
