"""Asking an AI: a small client for one OpenAI-compatible chat-completions endpoint.

The only network code in QuestionBook, and it runs only when the user asks ("Ask AI" in the app,
``questionbook ask`` on the command line). Standard library only (``http.client``), so it adds
no dependency and uses no proxy settings behind the user's back. What it guards against:

- an endpoint that is not on this computer is refused unless the caller says the user confirmed
  it (*remote_ok*: the app's dialog or ``--yes`` names the host);
- redirects are never followed (a 3xx names where it pointed, nothing is sent there);
- a reply that is too large, too slow, cut short, not JSON, or an HTTP error becomes an
  :class:`AiError` with one clear sentence; nothing is stored from a failed answer.

Servers speak the protocol of ``POST {base}/chat/completions``: one JSON reply, or with
``"stream": true`` server-sent events (``data: {json}`` lines, ending with ``data: [DONE]``).
Ollama (``http://localhost:11434/v1``) and llama.cpp's server (``http://localhost:8080/v1``)
both do.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from questionbook import __version__
from questionbook.core.entities import Entry
from questionbook.core.errors import QuestionBookError
from questionbook.core.trials import default_prompt
from questionbook.i18n import _

#: An answer longer than this many characters is stopped (a runaway or hostile server).
MAX_ANSWER_CHARS = 1_000_000
#: A non-streamed reply larger than this is not read.
MAX_REPLY_BYTES = 8_000_000
#: A streamed line longer than this is garbage.
MAX_LINE_BYTES = 1_000_000
#: However steadily a server drips, an answer stops after this many seconds.
DEADLINE_SECONDS = 900.0


class AiError(QuestionBookError):
    """Asking the AI failed; the message says why in one sentence."""


def is_loopback_host(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1); no name is looked up."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Endpoint:
    """An OpenAI-compatible API's base URL, e.g. ``http://localhost:11434/v1``."""

    scheme: str
    host: str
    port: int
    path: str  # the base path, without a trailing slash

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{host}{port}{self.path}"

    @property
    def chat_path(self) -> str:
        return f"{self.path}/chat/completions"

    @property
    def loopback(self) -> bool:
        return is_loopback_host(self.host)


def parse_endpoint(url: str) -> Endpoint:
    """Check an endpoint URL (http or https, a host; a path like ``/v1``)."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise AiError(_("not an endpoint URL: {url!r}").format(url=url)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AiError(
            _("not an endpoint URL: {url!r} (use e.g. http://localhost:11434/v1)").format(url=url)
        )
    path = parts.path.rstrip("/")
    if path.endswith("/chat/completions"):  # the full URL pasted: keep the base
        path = path[: -len("/chat/completions")]
    default = 443 if parts.scheme == "https" else 80
    return Endpoint(parts.scheme, parts.hostname, port or default, path)


@dataclass(frozen=True)
class AskRequest:
    """Exactly what will be sent: the app shows it before the click."""

    endpoint: Endpoint
    model: str
    prompt: str
    stream: bool = True

    def payload(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [{"role": "user", "content": self.prompt}],
            "stream": self.stream,
        }


def prepare(
    entry: Entry, endpoint: str, model: str, *, prompt: str | None = None, stream: bool = True
) -> AskRequest:
    """The request for asking about *entry* (the prompt defaults to its title and body)."""
    model = (model or "").strip()
    if not model:
        raise AiError(_("no model named: give one (e.g. qwen3:8b) or set it in Settings → AI"))
    text = default_prompt(entry) if prompt is None else prompt
    if not text.strip():
        raise AiError(_("there is nothing to ask"))
    return AskRequest(parse_endpoint(endpoint), model, text, stream)


class _Call:
    """One request in flight; :meth:`abort` (a deadline or the user's cancel) closes its
    socket, so a read blocked on a slow server returns at once."""

    def __init__(self) -> None:
        self.sock: socket.socket | None = None  # kept: the connection drops it once a reply
        self.reason: str | None = None  # that will close has started

    def abort(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        sock = self.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def send(
    request: AskRequest,
    *,
    api_key: str | None = None,
    on_text: Callable[[str], None] | None = None,
    remote_ok: bool = False,
    timeout: float = 120.0,
    deadline: float = DEADLINE_SECONDS,
    cancelled: threading.Event | None = None,
) -> str:
    """Send *request* and return the whole answer; *on_text* gets each piece as it streams.

    *timeout* bounds the wait for the answer to start and every pause within it; *deadline*
    the whole answer. Setting *cancelled* stops it (the app's Cancel). Raises :class:`AiError`.
    """
    ep = request.endpoint
    if not ep.loopback and not remote_ok:
        raise AiError(
            _("{host} is not on this computer: sending to it needs your confirmation").format(
                host=ep.host
            )
        )
    if ep.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            ep.host, ep.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(ep.host, ep.port, timeout=timeout)
    call = _Call()
    timer = threading.Timer(
        deadline, call.abort, (_("no whole answer within {n:g} seconds").format(n=deadline),)
    )
    timer.daemon = True
    stop_watch = threading.Event()

    def watch_cancel() -> None:
        if cancelled is not None:
            while not stop_watch.wait(0.05):
                if cancelled.is_set():
                    call.abort(_("cancelled"))
                    return

    watcher = threading.Thread(target=watch_cancel, daemon=True)
    headers = {
        "Content-Type": "application/json",
        "Accept": "text/event-stream" if request.stream else "application/json",
        "User-Agent": f"QuestionBook/{__version__}",
    }
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    where = f"{ep.host}:{ep.port}"
    timer.start()
    watcher.start()
    try:
        body = json.dumps(request.payload(), ensure_ascii=False).encode("utf-8")
        conn.connect()
        call.sock = conn.sock
        if call.reason:  # cancelled or out of time while connecting
            raise AiError(call.reason)
        conn.request("POST", ep.chat_path, body=body, headers=headers)
        response = conn.getresponse()
        _check_status(response, ep)
        kind = (response.getheader("Content-Type") or "").lower()
        if request.stream and "text/event-stream" in kind:
            return _read_stream(response, on_text)
        answer = _read_whole(response)
        if on_text is not None and answer:
            on_text(answer)
        return answer
    except AiError:
        if call.reason:
            raise AiError(call.reason) from None
        raise
    except TimeoutError:
        raise AiError(
            _("no answer from {where} within {n:g} seconds").format(where=where, n=timeout)
        ) from None
    except ConnectionRefusedError:
        raise AiError(
            _("nothing answers at {where}: is the server running?").format(where=where)
        ) from None
    except socket.gaierror:
        raise AiError(_("cannot find the host {host}").format(host=ep.host)) from None
    except ssl.SSLError as exc:
        raise AiError(
            _("no secure connection to {host}: {reason}").format(host=ep.host, reason=exc.reason)
        ) from None
    except (http.client.IncompleteRead, http.client.HTTPException, OSError, ValueError) as exc:
        if call.reason:
            raise AiError(call.reason) from None
        if isinstance(exc, http.client.IncompleteRead | http.client.RemoteDisconnected):
            raise AiError(_("the answer from {where} was cut short").format(where=where)) from None
        raise AiError(
            _("cannot talk to {where}: {reason}").format(where=where, reason=exc)
        ) from None
    finally:
        stop_watch.set()
        timer.cancel()
        conn.close()


def _server_message(raw: bytes) -> str:
    try:
        data = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return " ".join(raw.decode("utf-8", "replace").split())[:200]
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        error = error.get("message")
    return " ".join(str(error or "").split())[:200]


def _check_status(response: http.client.HTTPResponse, ep: Endpoint) -> None:
    status = response.status
    if 200 <= status < 300:
        return
    if 300 <= status < 400:
        target = response.getheader("Location") or "?"
        raise AiError(
            _(
                "the endpoint redirects to {target}; QuestionBook does not follow redirects "
                "(set the endpoint to the address you trust)"
            ).format(target=target)
        )
    message = _server_message(response.read(65_536))
    detail = f": {message}" if message else ""
    if status in (401, 403):
        raise AiError(
            _(
                "the endpoint refused the request (HTTP {status}){detail}; if it needs an API key, "
                "store it in the keyring"
            ).format(status=status, detail=detail)
        )
    if status == 404:
        raise AiError(
            _("the endpoint has no {path} or no such model (HTTP 404){detail}").format(
                path=ep.chat_path, detail=detail
            )
        )
    raise AiError(
        _("the endpoint answered HTTP {status} {reason}{detail}").format(
            status=status, reason=response.reason, detail=detail
        )
    )


def _garbage(what: str) -> AiError:
    return AiError(
        _("the endpoint's answer is not what an OpenAI-compatible server sends ({what})").format(
            what=what
        )
    )


def _choice(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise _garbage(_("not a JSON object"))
    if "error" in data:
        raise AiError(
            _("the endpoint reported an error: {message}").format(
                message=_server_message(json.dumps(data).encode())
            )
        )
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise _garbage(_("no choices"))
    return choices[0]


def _declined(refusal: Any, finish: Any) -> None:
    if isinstance(refusal, str) and refusal.strip():
        raise AiError(_("the model declined to answer: {text}").format(text=refusal.strip()[:300]))
    if finish == "content_filter":
        raise AiError(_("the model declined to answer (its content filter stopped it)"))


def _too_long() -> AiError:
    return AiError(
        _("the answer is longer than {n:,} characters; it was stopped").format(n=MAX_ANSWER_CHARS)
    )


def _read_whole(response: http.client.HTTPResponse) -> str:
    raw = response.read(MAX_REPLY_BYTES + 1)
    if len(raw) > MAX_REPLY_BYTES:
        raise _too_long()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _garbage(_("not JSON")) from None
    choice = _choice(data)
    message = choice.get("message")
    if not isinstance(message, dict):
        raise _garbage(_("no message"))
    _declined(message.get("refusal"), choice.get("finish_reason"))
    content = message.get("content")
    if not isinstance(content, str):
        raise _garbage(_("no text in the message"))
    if len(content) > MAX_ANSWER_CHARS:
        raise _too_long()
    if not content.strip():
        raise AiError(_("the model gave an empty answer"))
    return content


def _read_stream(response: http.client.HTTPResponse, on_text: Callable[[str], None] | None) -> str:
    parts: list[str] = []
    size = 0
    refusal: list[str] = []
    finished = False
    while True:
        line = response.readline(MAX_LINE_BYTES + 1)
        if not line:
            break
        if len(line) > MAX_LINE_BYTES:
            raise _garbage(_("a line of the stream is too long"))
        text = line.decode("utf-8", "replace").strip()
        if not text.startswith("data:"):
            continue  # blank separators, comments (": keep-alive"), event names
        data = text[5:].strip()
        if data == "[DONE]":
            finished = True
            break
        try:
            chunk = json.loads(data)
        except ValueError:
            raise _garbage(_("a part of the stream is not JSON")) from None
        choice = _choice(chunk)
        delta = choice.get("delta") or {}
        if not isinstance(delta, dict):
            raise _garbage(_("no delta"))
        if isinstance(delta.get("refusal"), str):
            refusal.append(delta["refusal"])
        piece = delta.get("content")
        if isinstance(piece, str) and piece:
            size += len(piece)
            if size > MAX_ANSWER_CHARS:
                raise _too_long()
            parts.append(piece)
            if on_text is not None:
                on_text(piece)
        if choice.get("finish_reason"):
            _declined("".join(refusal), choice.get("finish_reason"))
            finished = True
    if not finished:
        raise AiError(_("the answer was cut short (the stream ended early)"))
    _declined("".join(refusal), None)
    answer = "".join(parts)
    if not answer.strip():
        raise AiError(_("the model gave an empty answer"))
    return answer
