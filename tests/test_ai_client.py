"""The AI client against a loopback server that speaks the chat-completions protocol: streamed
and not, and hostile (huge, slow, cut short, not JSON, HTTP errors, redirects, refusals)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from questionbook.ai_client import (
    AiError,
    AskRequest,
    is_loopback_host,
    parse_endpoint,
    prepare,
    send,
)
from questionbook.core.entities import Entry
from tests.ai_server import ANSWER, AiServer

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def entry(title: str = "Why does grokking happen suddenly?", body: str = "Phase change?") -> Entry:
    return Entry(
        id="00000000-0000-4000-8000-000000000001",
        kind="question",
        title=title,
        body=body,
        status="open",
        hardness=2,
        starred=False,
        outcome="",
        parent_id=None,
        tags=(),
        created_at=NOW,
        updated_at=NOW,
    )


def ask(server: AiServer, *, stream: bool = True, **kw: object) -> AskRequest:
    return prepare(entry(), server.url, "qwen3:8b", stream=stream)


@pytest.mark.parametrize("stream", [True, False])
def test_answer_streamed_and_whole(stream: bool) -> None:
    with AiServer("stream" if stream else "json") as server:
        pieces: list[str] = []
        answer = send(ask(server, stream=stream), on_text=pieces.append, timeout=5)
        assert answer == ANSWER
        assert "".join(pieces) == ANSWER
        assert len(pieces) > 1 if stream else len(pieces) == 1
        path, headers, body = server.requests[0]
    assert path == "/v1/chat/completions"
    assert body == {
        "model": "qwen3:8b",
        "messages": [
            {"role": "user", "content": "Why does grokking happen suddenly?\n\nPhase change?"}
        ],
        "stream": stream,
    }
    assert "Authorization" not in headers


def test_a_server_that_ignores_stream_still_answers() -> None:
    with AiServer("json_for_stream") as server:
        assert send(ask(server), timeout=5) == ANSWER


def test_api_key_is_sent_as_bearer_token() -> None:
    with AiServer("json") as server:
        send(ask(server, stream=False), api_key="sk-test", timeout=5)
        assert server.requests[0][1]["Authorization"] == "Bearer sk-test"


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("truncated", "cut short"),
        ("garbage", "not JSON"),
        ("error500", "HTTP 500 Internal Server Error: model crashed"),
        ("unauthorized", "HTTP 401"),
        ("refusal", "declined to answer: I can't help with that."),
        ("huge", "longer than 1,000,000 characters"),
    ],
)
def test_hostile_replies_become_one_clear_error(mode: str, message: str) -> None:
    with AiServer(mode) as server, pytest.raises(AiError, match=message):
        send(ask(server, stream=mode != "garbage"), timeout=5)


def test_redirect_is_never_followed() -> None:
    with AiServer("redirect") as server:
        with pytest.raises(AiError, match=r"redirects to http://evil.example.com"):
            send(ask(server), timeout=5)
        assert len(server.requests) == 1  # nothing was sent anywhere else


def test_slow_server_times_out() -> None:
    with (
        AiServer("slow") as server,
        pytest.raises(AiError, match=r"no answer from 127.0.0.1:.* within 0.3 seconds"),
    ):
        send(ask(server), timeout=0.3)


def test_a_dripping_server_meets_the_deadline() -> None:
    """Every read gets a byte in time, so only the whole-answer deadline can stop it."""
    with (
        AiServer("drip") as server,
        pytest.raises(AiError, match=r"no whole answer within 0.5 seconds"),
    ):
        send(ask(server), timeout=5, deadline=0.5)


def test_cancel_stops_a_waiting_request() -> None:
    cancelled = threading.Event()
    with AiServer("drip") as server:
        timer = threading.Timer(0.2, cancelled.set)
        timer.start()
        with pytest.raises(AiError, match="cancelled"):
            send(ask(server), timeout=5, cancelled=cancelled)
        timer.cancel()


def test_nothing_listening_is_a_clear_refusal() -> None:
    with AiServer("json") as server:
        url = server.url
    request = prepare(entry(), url, "m")  # the server is gone: its port refuses
    with pytest.raises(AiError, match=r"nothing answers at 127.0.0.1:.*is the server running"):
        send(request, timeout=2)


def test_remote_endpoint_needs_confirmation_and_nothing_is_sent() -> None:
    request = prepare(entry(), "https://api.example.com/v1", "gpt")
    assert not request.endpoint.loopback
    with pytest.raises(AiError, match=r"api.example.com is not on this computer"):
        send(request, timeout=1)


def test_loopback_hosts_and_endpoint_urls() -> None:
    assert is_loopback_host("localhost") and is_loopback_host("127.0.0.2")
    assert is_loopback_host("::1") and is_loopback_host("[::1]")
    assert not is_loopback_host("192.168.1.5") and not is_loopback_host("localhost.evil.com")
    ep = parse_endpoint("http://localhost:11434/v1/chat/completions")
    assert (ep.base_url, ep.chat_path) == ("http://localhost:11434/v1", "/v1/chat/completions")
    assert parse_endpoint("https://api.example.com/v1/").base_url == "https://api.example.com/v1"
    for bad in ("ftp://x/v1", "localhost:11434", "http://", "http://host:port/v1"):
        with pytest.raises(AiError, match="not an endpoint URL"):
            parse_endpoint(bad)


def test_prepare_needs_a_model_and_uses_the_entry() -> None:
    with pytest.raises(AiError, match="no model"):
        prepare(entry(), "http://localhost:11434/v1", " ")
    assert prepare(entry(body=""), "http://localhost:11434/v1", "m").prompt == (
        "Why does grokking happen suddenly?"
    )
    assert prepare(entry(), "http://localhost/v1", "m", prompt="Other?").prompt == "Other?"
