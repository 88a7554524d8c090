"""A loopback HTTP server that speaks the OpenAI chat-completions protocol, for the tests of
``questionbook ask`` and :mod:`questionbook.ai_client` — streamed and not, and hostile.

``AiServer.mode`` picks the reply: ``json``, ``stream``, ``huge``, ``slow``, ``drip``,
``truncated``, ``garbage``, ``error500``, ``redirect``, ``refusal``, ``unauthorized``,
``json_for_stream`` (a server that ignores ``"stream": true``). Every request is kept in
``requests`` (path, headers, parsed body) so tests can check what was sent.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ANSWER = "Grokking looks sudden because the *generalising* circuit\ngrows slowly, then wins."


def _pieces(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _chunk(piece: str | None, finish: str | None = None, **delta: Any) -> bytes:
    if piece is not None:
        delta["content"] = piece
    data = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


class _Handler(BaseHTTPRequestHandler):
    server: AiServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        body = json.loads(raw or b"{}")
        self.server.requests.append((self.path, dict(self.headers), body))
        getattr(self, f"_reply_{self.server.mode}")(body)

    # -- helpers ---------------------------------------------------------------------------
    def _send(self, status: int, data: bytes, kind: str = "application/json", **more: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in more.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _completion(self, text: str, **message: Any) -> bytes:
        msg = {"role": "assistant", "content": text, **message}
        return json.dumps(
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "choices": [{"index": 0, "message": msg, "finish_reason": "stop"}],
            },
            ensure_ascii=False,
        ).encode()

    # -- the modes -------------------------------------------------------------------------
    def _reply_json(self, body: dict[str, Any]) -> None:
        self._send(200, self._completion(self.server.answer))

    def _reply_json_for_stream(self, body: dict[str, Any]) -> None:
        self._send(200, self._completion(self.server.answer))

    def _reply_stream(self, body: dict[str, Any]) -> None:
        self._start_stream()
        self.wfile.write(b": keep-alive\n\n")
        self.wfile.write(_chunk(None, role="assistant"))
        for piece in _pieces(self.server.answer):
            self.wfile.write(_chunk(piece))
            self.wfile.flush()
        self.wfile.write(_chunk(None, finish="stop"))
        self.wfile.write(b"data: [DONE]\n\n")

    def _reply_truncated(self, body: dict[str, Any]) -> None:
        self._start_stream()
        for piece in _pieces(self.server.answer)[:3]:
            self.wfile.write(_chunk(piece))
        self.wfile.flush()  # and the connection closes: no finish_reason, no [DONE]

    def _reply_huge(self, body: dict[str, Any]) -> None:
        self._start_stream()
        piece = "水" * 4096
        try:
            for _ in range(10_000):  # 40 million characters, unless the client stops first
                self.wfile.write(_chunk(piece))
        except OSError:
            pass  # the client hung up, as it should

    def _reply_slow(self, body: dict[str, Any]) -> None:
        self.server.release.wait(10)  # never answers within the client's timeout

    def _reply_drip(self, body: dict[str, Any]) -> None:
        self._start_stream()
        try:
            for _ in range(200):  # a byte now and then: every read succeeds, the answer never ends
                self.wfile.write(b":")
                self.wfile.flush()
                if self.server.release.wait(0.05):
                    return
        except OSError:
            pass

    def _reply_garbage(self, body: dict[str, Any]) -> None:
        self._send(200, b"<html>this is not JSON</html>")

    def _reply_error500(self, body: dict[str, Any]) -> None:
        self._send(500, json.dumps({"error": {"message": "model crashed"}}).encode())

    def _reply_unauthorized(self, body: dict[str, Any]) -> None:
        self._send(401, json.dumps({"error": {"message": "invalid api key"}}).encode())

    def _reply_redirect(self, body: dict[str, Any]) -> None:
        self._send(307, b"", Location="http://evil.example.com/v1/chat/completions")

    def _reply_refusal(self, body: dict[str, Any]) -> None:
        self._send(200, self._completion("", refusal="I can't help with that."))


class AiServer(ThreadingHTTPServer):
    """``with AiServer("stream") as server: server.url`` → ``http://127.0.0.1:PORT/v1``."""

    daemon_threads = True

    def __init__(self, mode: str = "stream", answer: str = ANSWER) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.answer = answer
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.release = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def __enter__(self) -> AiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()
        self._thread.join(5)
