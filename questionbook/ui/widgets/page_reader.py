"""The first page of a search, read off the UI thread while the user types.

Why: at 100,000 entries the ranked query of a typed word (bm25 over up to 2,000 hits) takes
5-10 ms of SQLite, and the first letter's page (34,000 hits walked newest first) as much: with
the repaint that was more than a frame per keystroke on the UI thread (issue 21). SQLite
releases the GIL while it works, so a worker reads the page and the list keeps showing the
previous one until the new one is ready; the UI thread only swaps the rows in and paints.

Like :class:`~questionbook.ui.match_counter.MatchCounter`, a
:class:`~questionbook.ui.latest_request.LatestRequestWorker`: the latest request wins and each
page carries the ticket of its request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from questionbook.core.entities import EntrySummary
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.query import Query
from questionbook.ui.latest_request import LatestRequestWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    """A page read for a request: the query, its first *limit* entries, and the waterline
    then (a row's water depends on it)."""

    ticket: int
    query: Query
    trash: bool
    entries: list[EntrySummary]
    waterline: int


class PageReader(LatestRequestWorker):
    """Reads first pages in the background; see the module docstring."""

    read = Signal(object)
    """A page is ready (a :class:`Page`)."""
    failed = Signal(int, str)
    """Reading failed: (ticket, why)."""

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journal = journal

    def request(self, query: Query, *, trash: bool = False, limit: int) -> int:
        """Read the first *limit* entries *query* finds; returns the ticket of the page."""
        ticket = self._next_ticket()
        self._submit((ticket, query, trash, limit))
        return ticket

    def _work(self, wanted: tuple[int, Query, bool, int]) -> None:
        ticket, query, trash, limit = wanted
        try:
            waterline = self._journal.waterline()
            entries = self._journal.find(query, trash=trash, limit=limit)
        except QuestionBookError as exc:
            log.info("reading the list failed: %s", exc)
            self.failed.emit(ticket, str(exc))
        except Exception as exc:  # a worker must not take the app down
            log.exception("reading the list failed")
            self.failed.emit(ticket, str(exc))
        else:
            self.read.emit(Page(ticket, query, trash, entries, waterline))
