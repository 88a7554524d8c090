"""What the core needs of the storage layer: transactions on a ``sqlite3`` connection.

The services are written against this protocol, not against
:class:`questionbook.storage.database.Database`, so the core never imports the storage layer
(storage depends on the core's errors, search text and table declarations; the dependency
runs one way). Any object with these methods will do — the storage layer's ``Database``, or an
encrypted variant of it.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol


class Store(Protocol):
    """A journal file's transactions: one call of a service is one of these."""

    path: Path

    def read(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction: one consistent snapshot until the block ends."""
        ...

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): all or nothing."""
        ...

    def bulk_write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction for a large import by a process that does nothing else with
        the journal meanwhile (the command line); it may lock out other processes' reads."""
        ...

    def data_version(self) -> int:
        """A number that changes whenever another connection commits."""
        ...

    def refresh_statistics(self) -> None:
        """Refresh the query planner's statistics (after a bulk import); never raises."""
        ...

    def close(self) -> None:
        """Close every connection (the owner of the journal calls it, not the services)."""
        ...

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran (something outliving its journal asks before reading)."""
        ...
