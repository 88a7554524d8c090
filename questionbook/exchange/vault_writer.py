"""A big vault export's new files, created by a second process (issue 21).

A vault export of 100,000 entries spends about a third of its time in the kernel creating
files (``open`` with ``O_EXCL``, ``write``, ``close``). A thread cannot take that off the
rendering: it hands the GIL over at every system call, and both got slower. A child process
can: the export renders a page, hands its (path, bytes) to the child through a pipe and goes
on with the next page while the child creates the files.

Only new files in folders this export created itself are handed over (see
:func:`questionbook.exchange.vault.export_vault`), so the child never meets a file in the way;
the rules for files already there (adopt our own, compare, never overwrite someone else's)
stay in the parent. Should one be there all the same (another program racing the export),
the export stops with the usual "in the way" error rather than touch it.

The child is started with the "spawn" method (the app exports from a thread, and forking a
process that runs Qt's threads is unsafe); that costs ~0.2-0.3 s, so journals smaller than
:data:`PARALLEL_MIN` entries are written in process. Pages wait in the parent until the child
says it is ready; if it cannot be started, dies before that or is not ready in
:data:`START_TIMEOUT` seconds, the parent writes them itself and goes on alone. The pipe is
bounded (a send blocks while the child is behind), so memory stays flat; a parent that dies
leaves the child an end of file, and it exits. The child answers once, at the end: how many
files it created, or the first error, after which it stops.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

#: Entries from which an export starts the child; below it, starting one costs more than it saves.
PARALLEL_MIN = 5_000
#: Seconds the parent waits for a started child to say it is ready before writing alone.
START_TIMEOUT = 30.0
#: Pages rendered while the child starts, kept in the parent; beyond it the parent waits.
MAX_PENDING = 8

_READY = b"ready"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
Batch = list[tuple[str, bytes]]


def create(path: str, data: bytes) -> None:
    """Create *path* owner-only with *data*; ``FileExistsError`` if anything is there (a link
    included). A file cut short by an error or a kill is only an unfinished export."""
    fd = os.open(path, _FLAGS, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def serve(conn: Connection) -> None:
    """The child: create every file it is sent, in order, until the empty end message."""
    # Ctrl+C in a terminal reaches the whole process group: the export handles it (and ends
    # this process); a traceback from here would only clutter the terminal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send_bytes(_READY)
    except OSError:
        return  # the parent is gone already
    count = 0
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the parent is gone (killed): nothing to answer
        if not data:
            break
        for path, blob in pickle.loads(data):
            try:
                create(path, blob)
            except OSError as exc:
                _answer(conn, ("error", path, exc.errno, exc.strerror or str(exc)))
                return
            count += 1
    _answer(conn, ("done", count))


def _answer(conn: Connection, message: tuple[Any, ...]) -> None:
    with contextlib.suppress(OSError):  # the parent is gone
        conn.send(message)


def write_error(path: str, exc: OSError) -> Exception:
    """The export's error for a file that could not be created (as the in-process path says)."""
    from questionbook.core.errors import ExportError
    from questionbook.exchange.common import _write_failed
    from questionbook.i18n import _

    if isinstance(exc, FileExistsError):
        return ExportError(
            _("{path}: a file that QuestionBook did not write is in the way").format(path=path)
        )
    return ExportError(_write_failed(Path(path), exc))


def write_here(batch: Batch) -> None:
    """Create *batch*'s files in this process (no child, or it never started)."""
    for path, data in batch:
        try:
            create(path, data)
        except OSError as exc:
            raise write_error(path, exc) from None


class ChildWriter:
    """Hands new files to a child process, a page at a time (:meth:`add`, :meth:`flush`)."""

    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self._conn = conn
        self._batch: Batch = []
        self._pending: list[Batch] = []
        self._ready = False
        self._alone = False  # the child never started: the parent writes
        self._closed = False

    @classmethod
    def start(cls) -> ChildWriter | None:
        """A writer with its child starting, or None if no process can be started (or there
        is one CPU to run both on)."""
        import multiprocessing

        from questionbook.exchange.common import cpus

        if cpus() < 2:
            return None
        ctx = multiprocessing.get_context("spawn")
        ours, theirs = ctx.Pipe()
        process = ctx.Process(
            target=serve, args=(theirs,), name="questionbook-vault-writer", daemon=True
        )
        try:
            process.start()
        except (OSError, RuntimeError, ValueError):
            ours.close()
            theirs.close()
            return None
        theirs.close()
        return cls(process, ours)

    @property
    def alone(self) -> bool:
        """True once the parent writes everything itself (the child never became ready)."""
        return self._alone

    def add(self, path: str, content: str) -> None:
        self._batch.append((path, content.encode("utf-8")))

    def flush(self) -> None:
        """Hand over the files added since the last flush (the end of a page)."""
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        if self._alone:
            write_here(batch)
        elif self._ready:
            self._send(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
        else:
            self._pending.append(batch)
            self._wait_ready(block=len(self._pending) > MAX_PENDING)

    def finish(self) -> None:
        """Wait until the child has created every file; raise ExportError if it could not."""
        self.flush()
        if not self._alone and not self._ready:
            self._wait_ready(block=True)
        if self._alone:
            self.stop()
            return
        try:
            self._conn.send_bytes(b"")
        except OSError:
            self._fail()
        answer = self._answer(None)
        if not answer or answer[0] != "done":
            self._fail(answer)
        self.stop(wait=5.0)

    def settle(self, timeout: float = 10.0) -> None:
        """After a cancel: let the child create what it was sent (what the in-process export
        would have written by then), then stop it; errors are not reported any more."""
        try:
            self.flush()
            if not self._ready and not self._alone:  # nothing was sent: write what waits
                self.stop()
                pending, self._pending = self._pending, []
                for batch in pending:
                    write_here(batch)
            elif self._ready and not self._alone:
                self._conn.send_bytes(b"")
                self._answer(timeout)
        except Exception:  # cancelling: the cancel is what gets reported
            pass
        self.stop()

    def stop(self, wait: float = 0.0) -> None:
        """End the child (killed if it still runs after *wait* seconds) and close the pipe;
        safe to call again."""
        if self._closed:
            return
        self._closed = True
        if wait:
            self.process.join(wait)  # it is leaving: let it exit by itself
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self._conn.close()

    # -- inside ----------------------------------------------------------------------------
    def _wait_ready(self, *, block: bool) -> None:
        if self._conn.poll(START_TIMEOUT if block else 0):
            try:
                ready = self._conn.recv_bytes() == _READY
            except (EOFError, OSError):
                ready = False
            if ready:
                self._ready = True
                pending, self._pending = self._pending, []
                for batch in pending:
                    self._send(pickle.dumps(batch, pickle.HIGHEST_PROTOCOL))
                return
        elif not block:
            return  # still starting
        # It died before it was ready, or is not ready in time: the parent writes alone.
        self.stop()
        self._alone = True
        pending, self._pending = self._pending, []
        for batch in pending:
            write_here(batch)

    def _send(self, data: bytes) -> None:
        try:
            if self._conn.poll():  # it answered before the end: an error, or it died
                self._fail()
            self._conn.send_bytes(data)
        except OSError:  # a broken pipe: it died or stopped at an error
            self._fail()

    def _answer(self, timeout: float | None) -> tuple[Any, ...] | None:
        try:
            if timeout is not None and not self._conn.poll(timeout):
                return None
            answer = self._conn.recv()
        except (EOFError, OSError):
            return None
        return answer if isinstance(answer, tuple) else None

    def _fail(self, answer: tuple[Any, ...] | None = None) -> NoReturn:
        """Raise the child's error, or say that it stopped."""
        if answer is None:
            answer = self._answer(5.0)
        self.stop()
        if answer and answer[0] == "error":
            _kind, path, errno, reason = answer
            raise write_error(path, OSError(errno, reason)) from None
        from questionbook.core.errors import ExportError
        from questionbook.i18n import _

        raise ExportError(
            _(
                "the process writing the vault's files stopped unexpectedly (exit code {code}); "
                "the files written so far are kept: export again to finish the vault"
            ).format(code=self.process.exitcode)
        ) from None
