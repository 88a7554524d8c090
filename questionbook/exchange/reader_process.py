"""Read a large import file in a second process while this one writes its entries.

An import of 100,000 entries spends about as long reading the file (the text, dates, tags,
ids and the search texts of every entry) as writing them into the journal; one process does
one after the other. Here a child process parses the file and sends the entries back a page
at a time while the importer applies the pages before them, so on two cores the halves
overlap (a 100k jrnl text import: ~12 s → see docs/performance.md, "Imports in two processes").

What stays as it was:

- **Nothing but the file is read there.** The child gets the parser (a picklable callable:
  a module-level function with its arguments), the format's policy and the language of
  messages; it never opens the journal. Everything is written here, in the import's one
  transaction.
- **Memory stays flat.** Pages go through a pipe whose sends block while the importer is
  busy, so at most a page or two are in flight, whatever the file holds.
- **Errors are the same errors.** A malformed file's :class:`ImportFormatError` (or an
  ``OSError``...) is pickled and raised here, after the entries before it, exactly where the
  single-process import raises it; the transaction rolls back. A child that dies (killed, out
  of memory) is an error that says so. A cancel, or any error here, kills the child; a child
  whose importer died gets a broken pipe and ends.
- **Ctrl+C** reaches the whole process group: the child ignores it and the importer decides.

The child is started with "spawn" (a new interpreter), never "fork", when the app imports: it
imports from a thread of a process that has Qt threads, and a forked copy of such a process may
hang on a lock another thread held. The command line asks for a fork (:meth:`Reader.start`'s
*fork*), taken only on Linux in a process with one thread: the child then starts in ~1 ms with
every module already imported, instead of ~0.2 s of a new interpreter's start and imports that
the first page waited for. When no process can be started, or there is one CPU to run on,
:func:`read_in_child` says so and the caller reads in its own process, as before.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from questionbook.core.errors import ImportFormatError
from questionbook.exchange.common import PAGE, cpus
from questionbook.exchange.incoming import Consumer, ImportBatch, Incoming
from questionbook.exchange.new_rows import prepare
from questionbook.i18n import _, current_language, set_language

Fill = Callable[[ImportBatch], None]

#: How long a child whose pipe closed may take to exit, for its exit code (seconds).
EXIT_WAIT_S = 10.0


@dataclass
class _Where:
    """How far the child is through the file, for progress (:class:`~.incoming.Reading`)."""

    read_bytes: int = 0
    size: int = 0


def read_in_child(fill: Fill, batch: ImportBatch, consume: Consumer) -> bool:
    """Parse with *fill* in a child process, handing each entry to *consume* here, and then
    keep what the file held besides entries in *batch*. False (nothing consumed) when no
    child could be started: the caller reads in this process."""
    reader = batch.reader or Reader.start(fill, batch)  # started ahead, or now
    batch.reader = None
    if reader is None:
        return False
    reader.drain(batch, consume)
    return True


class Reader:
    """A started child reading the file (:meth:`start`), whose pages :meth:`drain` applies.

    Apart so that the command line can start it before it opens the journal
    (:meth:`~questionbook.exchange.incoming.ImportBatch.start_reading`): the child's own
    start (~0.2 s: a new interpreter and its imports) then overlaps the journal's."""

    def __init__(self, child: Any, receiver: Connection) -> None:
        self.child = child
        self.receiver = receiver

    @classmethod
    def start(cls, fill: Fill, batch: ImportBatch, *, fork: bool = False) -> Reader | None:
        """The child reading *batch*'s file with *fill*, started; None when none can be (one
        CPU, process limits, a frozen app without support, an unpicklable parser).

        *fork*: a copy of this process rather than a new interpreter, where that is safe
        (:func:`can_fork`); for the command line, which has no other threads."""
        if cpus() < 2:
            return None
        forked = fork and can_fork()
        context = (
            multiprocessing.get_context("fork") if forked else multiprocessing.get_context("spawn")
        )
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=_read,
            # A forked child holds a copy of the receiving end too: it closes it first, or
            # its sends would never see a broken pipe when this process dies.
            args=(
                fill,
                batch.empty_like(),
                current_language(),
                sender,
                receiver if forked else None,
            ),
            name="questionbook-import-reader",
            daemon=True,
        )
        try:
            child.start()
        except Exception:
            receiver.close()
            sender.close()
            return None
        sender.close()  # the child's end: our copy would keep the pipe open after it died
        return cls(child, receiver)

    def stop(self) -> None:
        """Close the pipe and end the child (it may still be reading)."""
        self.receiver.close()
        if self.child.is_alive():
            self.child.kill()
        self.child.join()

    def drain(self, batch: ImportBatch, consume: Consumer) -> None:
        """Hand every entry the child sends to *consume*, then keep the file's tail in
        *batch*; the child's error is raised here. The child is ended whatever happens."""
        where = _Where()
        batch.reading = where
        # No cyclic garbage collection while pages arrive: each page makes thousands of
        # objects (entries, their lists and sets), and the collections they set off took
        # 1.3-2 s of this process's time at 100k; reference counting frees the pages all
        # the same.
        collecting = gc.isenabled()
        gc.disable()
        try:
            while True:
                try:
                    kind, payload, where.read_bytes, where.size = self.receiver.recv()
                except (EOFError, OSError):  # no message, or half of one: the child is gone
                    self.child.join(EXIT_WAIT_S)
                    raise ImportFormatError(
                        _(
                            "the process reading the file stopped unexpectedly (exit code "
                            "{code}); nothing was imported"
                        ).format(code=self.child.exitcode)
                    ) from None
                if kind == "page":
                    for inc in payload:
                        consume(inc)
                elif kind == "end":  # the child has nothing left to do: not waited for
                    batch.take_tail(payload)
                    return
                else:
                    raise payload
        finally:
            if collecting:
                gc.enable()
            self.stop()


def can_fork() -> bool:
    """Whether a reading child may be a fork of this process: on Linux (macOS's system
    libraries are not fork-safe), with no thread but this one, Python's or native (Qt's,
    say): a lock another thread held would stay held in the copy forever."""
    if not sys.platform.startswith("linux"):
        return False
    try:  # every thread, Python's too, is a task of the process
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return False
    return threads == 1 and "fork" in multiprocessing.get_all_start_methods()


def _read(
    fill: Fill,
    batch: ImportBatch,
    language: str,
    sender: Connection,
    inherited: Connection | None = None,
) -> None:
    """The child: parse, computing the search texts too, and send pages, then the tail.
    *inherited*: the receiving end a forked child got a copy of, closed at once."""
    if inherited is not None:
        inherited.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_language(language)
    page: list[Incoming] = []

    def send(kind: str, payload: Any) -> None:
        where = batch.reading
        sender.send((kind, payload, where.read_bytes if where else 0, where.size if where else 0))

    def take(inc: Incoming) -> None:
        prepare(inc)
        inc.where = ""  # only the reading names it in errors: no need to send it
        page.append(inc)
        if len(page) >= PAGE:
            send("page", page)
            page.clear()

    batch.consumer = take
    try:
        fill(batch)
        if page:
            send("page", page)
        send("end", batch.tail())
    except (BrokenPipeError, ConnectionResetError):  # the importer is gone: nothing to tell
        return
    except BaseException as exc:  # every failure goes back to the importer
        _send_error(send, exc)
    finally:
        sender.close()


def _send_error(send: Callable[[str, Any], None], exc: BaseException) -> None:
    """Send *exc* as it is when it crosses (pickles and loads again: an exception whose
    constructor takes other arguments than its message does not), else its message as an
    import error."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # an exception of any kind may refuse pickling
        exc = ImportFormatError(str(exc) or type(exc).__name__)
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        send("error", exc)
