"""Asking the AI off the GUI thread: :func:`questionbook.ai_client.send` in a worker thread.

Why a thread of its own and not the window's journal writer: an answer can take minutes to
stream, and the writer must stay free for autosave. The client bounds the wait, the whole
answer and its size, and stops when :meth:`AskWorker.cancel` sets its event (it shuts the
socket, so even a silent server lets go at once). Pieces of the answer arrive through
:attr:`AskWorker.text_arrived` on the GUI thread (a queued signal); the window never waits.
"""

from __future__ import annotations

import contextlib
import threading

from PySide6.QtCore import QObject, Signal

from questionbook.ai_client import AiError, AskRequest, send


class AskWorker(QObject):
    """Sends one request in a daemon thread and reports back through signals."""

    text_arrived = Signal(str)
    """A piece of the answer arrived (streamed; a whole answer arrives as one piece)."""
    answered = Signal(str)
    """The whole answer arrived."""
    failed = Signal(str)
    """Asking failed or was cancelled; one sentence says why. Nothing was kept."""

    def __init__(
        self,
        request: AskRequest,
        *,
        api_key: str | None = None,
        remote_ok: bool = False,
        timeout: float = 120.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._request = request
        self._api_key = api_key
        self._remote_ok = remote_ok
        self._timeout = timeout
        self._cancelled = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Send the request now (once)."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="ask-ai", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop waiting for the answer (what arrived so far is dropped)."""
        self._cancelled.set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, seconds: float) -> bool:
        """Block up to *seconds* for the thread to end (closing the app); True if it did."""
        if self._thread is None:
            return True
        self._thread.join(seconds)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            answer = send(
                self._request,
                api_key=self._api_key,
                on_text=self._emit_piece,
                remote_ok=self._remote_ok,
                timeout=self._timeout,
                cancelled=self._cancelled,
            )
        except AiError as exc:
            self._emit(self.failed, str(exc))
            return
        except Exception as exc:  # a bug must not kill the app silently: say it
            self._emit(self.failed, str(exc) or type(exc).__name__)
            return
        self._emit(self.answered, answer)

    def _emit_piece(self, piece: str) -> None:
        if not self._cancelled.is_set():
            self._emit(self.text_arrived, piece)

    @staticmethod
    def _emit(signal: object, text: str) -> None:
        with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
            signal.emit(text)  # type: ignore[attr-defined]
