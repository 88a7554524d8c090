"""SQLCipher connections: an encrypted journal through the same code as a plain one.

``sqlcipher3`` (the ``sqlcipher3-wheels`` package: SQLCipher 4 over a bundled SQLite with FTS5)
mirrors the standard ``sqlite3`` module, with three gaps this module closes so that every caller
keeps one code path:

- its connections have ``open_blob`` instead of ``blobopen``, and its blobs are not context
  managers: :class:`CipherConnection` adds ``blobopen`` returning a :class:`_Blob` that is;
- its exceptions are classes of its own, not ``sqlite3``'s: storage code catches
  :func:`errors` (``sqlite3``'s class plus SQLCipher's, once SQLCipher is loaded), and
  :func:`questionbook.storage.connection.translate_error` reads ``sqlite_errorname``, which
  both have;
- ``sqlite3.Row`` refuses its cursors: the core asks the connection for ``row_type``.

``create_function(..., deterministic=True)``, ``backup`` and ``sqlite_errorname`` work as in
``sqlite3``. The module is imported only when an encrypted journal is opened, so a plain
journal pays nothing for it (``questionbook add`` stays as fast).

Every connection runs ``PRAGMA cipher_log_level = NONE`` first (SQLCipher otherwise prints
"hmac check failed" lines on standard error for a wrong key) and is keyed with the raw master
key (no key derivation per connection, see :mod:`questionbook.storage.keyfile`); temporary
tables and sorts stay in memory, so no temporary file holds a page in the clear.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

DRIVER = "sqlcipher3.dbapi2"
_connection_class: type | None = None


def driver() -> Any:
    """The SQLCipher DB-API module (imported on first use)."""
    import sqlcipher3.dbapi2 as dbapi2

    return dbapi2


def loaded() -> Any | None:
    """The SQLCipher module if this process has loaded it, else ``None`` (never imports it)."""
    return sys.modules.get(DRIVER)


def errors(name: str = "Error", *also: type[BaseException]) -> tuple[type[BaseException], ...]:
    """The driver exception classes called *name* (``Error``, ``DatabaseError``,
    ``OperationalError``, ``ProgrammingError``...): ``sqlite3``'s, plus SQLCipher's once it is
    loaded, plus *also*. Use as ``except errors():`` or ``except errors("Error", OSError):``."""
    mod = loaded()
    base: type[BaseException] = getattr(sqlite3, name)
    found = (base,) if mod is None else (base, getattr(mod, name))
    return (*found, *also)


def sqlite_version_info(conn: Any) -> tuple[int, ...]:
    """The SQLite version under *conn* (SQLCipher bundles its own, newer than the system's)."""
    mod = loaded()
    if mod is not None and isinstance(conn, mod.Connection):
        return tuple(mod.sqlite_version_info)
    return sqlite3.sqlite_version_info


class _Blob:
    """``sqlite3.Blob``'s interface over SQLCipher's blob (a context manager, ``len``)."""

    def __init__(self, blob: Any, size: int) -> None:
        self._blob = blob
        self._size = size

    def read(self, length: int = -1) -> bytes:
        return bytes(self._blob.read(length))

    def write(self, data: bytes) -> None:
        self._blob.write(data)

    def seek(self, offset: int, origin: int = 0) -> None:
        self._blob.seek(offset, origin)

    def tell(self) -> int:
        return int(self._blob.tell())

    def close(self) -> None:
        self._blob.close()

    def __len__(self) -> int:
        return self._size

    def __enter__(self) -> _Blob:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connection_class() -> type:
    """SQLCipher's connection class with ``blobopen`` and ``row_type`` (made once)."""
    global _connection_class
    if _connection_class is None:
        mod = driver()

        class CipherConnection(mod.Connection):  # type: ignore[misc, name-defined]
            """A SQLCipher connection that speaks ``sqlite3.Connection``'s dialect."""

            row_type = mod.Row

            def blobopen(
                self,
                table: str,
                column: str,
                row: int,
                /,
                *,
                readonly: bool = False,
                name: str = "main",
            ) -> _Blob:
                size = self.execute(
                    f'SELECT length("{column}") FROM "{name}"."{table}" WHERE rowid = ?', (row,)
                ).fetchone()
                blob = self.open_blob(table, column, row, readonly, name)
                return _Blob(blob, int(size[0] or 0) if size else 0)

        _connection_class = CipherConnection
    return _connection_class


def connect(target: str, *, uri: bool, key: JournalKey | None, **kwargs: Any) -> sqlite3.Connection:
    """A SQLCipher connection to *target*, keyed with *key* (``None``: a plain file read
    through SQLCipher, as the conversions do), quiet about wrong keys."""
    mod = driver()
    conn = mod.connect(target, uri=uri, factory=connection_class(), **kwargs)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            conn.execute(key.sqlcipher_pragma())
        conn.execute("PRAGMA temp_store = MEMORY")
        # SQLCipher decrypts (and checks the HMAC of) every page it reads, so its own page
        # cache is what keeps repeated reads fast: the OS cache holds only ciphertext. 32 MiB
        # (allocated only as used) held the search p95 at 100k entries to 7 ms (47-58 ms with
        # SQLite's default 2 MiB).
        conn.execute("PRAGMA cache_size = -32768")
    except BaseException:
        conn.close()
        raise
    return cast(sqlite3.Connection, conn)
