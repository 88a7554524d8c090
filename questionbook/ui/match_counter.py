"""How many entries the list's query matches, counted off the UI thread.

Why: the list loads its rows a page at a time, so it cannot know the total from what it holds,
and the header should still say "1,963", not "200+". Counting is one ``Journal.count`` per
query change (never per page fetched), but for a broad text query on 100,000 entries it takes
30-80 ms: on the UI thread that would double the time from a keystroke to the results. So a
one-thread pool counts, the latest request wins (requests that arrive while a count runs are
folded into one more count of the newest query), and each result carries the ticket of its
request, so the list ignores counts of queries it no longer shows.

Counting while the user types would cost every keystroke: starting the count hands the GIL to
the worker for a few milliseconds, and at 100,000 entries a count of the first letter takes
30 ms of the second core (issue 21). So a request may ask to wait for a pause
(``after_ms``): the count starts only once no newer request came for that long, and the list
keeps showing the previous number meanwhile.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.query import Query
from questionbook.ui.latest_request import LatestRequestWorker

log = logging.getLogger(__name__)


class MatchCounter(LatestRequestWorker):
    """Counts query matches in the background; see the module docstring."""

    counted = Signal(int, int)
    """A count is ready: (ticket of the request, number of matching entries)."""
    failed = Signal(int)
    """Counting failed (ticket); the list keeps showing what it has loaded."""

    def __init__(self, journal: Journal, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journal = journal
        self._later: tuple[int, Query, bool] | None = None  # waiting for a pause (UI thread)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.timeout.connect(self._start)

    def request(self, query: Query, *, trash: bool = False, after_ms: int = 0) -> int:
        """Count *query*'s matches; returns the ticket the result will carry. With *after_ms*
        the count waits until no newer request came for that long (typing has paused)."""
        ticket = self._next_ticket()
        self._later = (ticket, query, trash)
        if after_ms > 0:  # the running count must not pick it up before the pause
            self._drop_wanted()
            self._pause.start(after_ms)
            return ticket
        self._pause.stop()
        self._start()
        return ticket

    def _start(self) -> None:
        """Run the wanted count now (or after the one running)."""
        later, self._later = self._later, None
        if later is not None:
            self._submit(later)

    def is_busy(self) -> bool:
        """True while a count runs or waits to run (also for a pause in the typing)."""
        return self._running or self._pause.isActive()

    def is_counting(self) -> bool:
        """True while a count runs or is about to (not while it waits for a pause)."""
        return self._running

    def cancel(self) -> None:
        """Forget the request not yet started (the list knows its total already)."""
        self._pause.stop()
        self._later = None
        super().cancel()

    def close(self, timeout_ms: int = 2000) -> None:
        """Take no more requests and wait for a running count (before the journal closes)."""
        self._pause.stop()
        self._later = None
        super().close(timeout_ms)

    def _work(self, wanted: tuple[int, Query, bool]) -> None:
        ticket, query, trash = wanted
        try:
            n = self._journal.count(query, trash=trash)
        except QuestionBookError as exc:
            log.info("counting the list's matches failed: %s", exc)
            self.failed.emit(ticket)
        except Exception:  # a worker must not take the app down
            log.exception("counting the list's matches failed")
            self.failed.emit(ticket)
        else:
            self.counted.emit(ticket, n)
