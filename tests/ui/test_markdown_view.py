"""The preview view: loads no resource of any kind and opens only http/https/mailto links."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from questionbook.ui.widgets.editor.markdown_view import MarkdownView, PreviewRenderer


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = b"GIF89a"
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that records every request it gets."""
    hits: ClassVar[list[str]] = []
    handler = type("Handler", (_CountingHandler,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def view(qtbot, opened: list[QUrl]) -> MarkdownView:
    widget = MarkdownView(url_opener=opened.append)
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _is_blank(resource: object) -> bool:
    return isinstance(resource, QImage) and resource.width() == 1 and resource.height() == 1


def test_load_resource_answers_every_request_with_a_blank(
    view: MarkdownView, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    picture = tmp_path / "picture.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(picture))
    # Bypass the sanitiser on purpose: even raw HTML with local images must load nothing.
    urls = [
        QUrl.fromLocalFile(str(picture)).toString(),
        str(picture),
        "file:///etc/passwd",
        QUrl.fromLocalFile(str(secret)).toString(),
    ]
    view.setHtml("<p>x</p>" + "".join(f'<img src="{u}">' for u in urls))
    view.repaint()
    asked = {u.toString() for u in view.requested_resources}
    assert QUrl.fromLocalFile(str(picture)).toString() in asked
    doc = view.document()
    for url in urls:
        resource = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
        assert _is_blank(resource), (url, resource)
    sheet = doc.resource(
        QTextDocument.ResourceType.StyleSheetResource, QUrl.fromLocalFile(str(secret))
    )
    assert "secret" not in str(sheet)


def test_rendered_markdown_strips_script_onerror_and_javascript(view: MarkdownView) -> None:
    view.set_markdown(
        "# Hello\n\n<script>document.title='pwned'</script>"
        '<img src=x onerror="alert(1)"> [bad](javascript:alert(1)) ![f](file:///etc/passwd)'
    )
    html = view.toHtml().lower()
    assert "hello" in html
    assert "pwned" not in html and "alert" not in html and "javascript" not in html
    assert "passwd" not in html and "<img" not in html
    assert "[image: f]" in view.toPlainText()
    view.repaint()
    assert view.requested_resources == []


def test_no_request_reaches_a_loopback_server(
    view: MarkdownView, qtbot, loopback_server: tuple[str, list[str]]
) -> None:
    base, hits = loopback_server
    text = "\n\n".join(
        [
            f"![remote]({base}/md.png)",
            f'<img src="{base}/raw.gif"> <img src="file:///etc/passwd">',
            f'<link rel="stylesheet" href="{base}/style.css"><style>@import "{base}/i.css";</style>',
            f'<div style="background-image: url({base}/bg.png)">bg</div>',
            f'<iframe src="{base}/frame"></iframe><script src="{base}/s.js"></script>',
            f"[a link]({base}/page) <a href='javascript:fetch(\"{base}/js\")'>js</a>",
        ]
    )
    view.set_markdown(text)
    view.repaint()
    qtbot.wait(300)
    view.setHtml(f'<img src="{base}/unsanitised.gif">')  # the last line of defence alone
    view.repaint()
    qtbot.wait(300)
    assert hits == []


def test_only_http_https_and_mailto_links_are_opened(
    view: MarkdownView, qtbot, opened: list[QUrl]
) -> None:
    refused: list[QUrl] = []
    view.link_refused.connect(refused.append)
    for url in ("https://example.com/a", "http://example.com", "mailto:me@example.com"):
        view.anchorClicked.emit(QUrl(url))
    for url in (
        "file:///etc/passwd",
        "javascript:alert(1)",
        "/etc/passwd",
        "ftp://x.example",
        "data:text/html,hi",
    ):
        view.anchorClicked.emit(QUrl(url))
    assert [u.toString() for u in opened] == [
        "https://example.com/a",
        "http://example.com",
        "mailto:me@example.com",
    ]
    assert len(refused) == 5
    assert view.openLinks() is False
    assert view.source().isEmpty()  # nothing navigated


def test_clicking_a_rendered_link_uses_the_opener(
    view: MarkdownView, qtbot, opened: list[QUrl]
) -> None:
    from PySide6.QtCore import Qt

    view.set_markdown("[go](https://example.com/x)")
    cursor = view.document().find("go")
    rect = view.cursorRect(cursor)
    point = rect.center()
    point.setX(rect.left() - 4)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert [u.toString() for u in opened] == ["https://example.com/x"]


def test_renderer_shows_the_newest_request_only(view: MarkdownView, qtbot) -> None:
    renderer = PreviewRenderer(view)
    long_old = "**old** words " * 3000
    renderer.request(long_old)
    assert renderer.busy
    renderer.request("**new** " * 3000)
    qtbot.waitUntil(lambda: not renderer.busy, timeout=10_000)
    qtbot.wait(200)  # give a stale result the chance to arrive (it must be dropped)
    assert "new new" in view.toPlainText()
    assert "old" not in view.toPlainText()
    renderer.request(long_old)
    with qtbot.waitSignal(renderer.rendered, timeout=5000):
        renderer.request("short *text*")  # the slow older one must not win
    assert view.toPlainText().strip() == "short text"
    qtbot.wait(300)
    assert view.toPlainText().strip() == "short text"


def test_rendering_never_runs_on_the_gui_thread(view: MarkdownView, qtbot, monkeypatch) -> None:
    """Even a short body: the GUI thread only hands the text over (issue 14, item 9)."""
    import threading

    from questionbook.ui.widgets.editor import markdown_view

    threads: list[threading.Thread] = []
    real = markdown_view.render_markdown

    def spy(text: str, **kwargs: object) -> str:
        threads.append(threading.current_thread())
        return real(text, **kwargs)

    monkeypatch.setattr(markdown_view, "render_markdown", spy)
    renderer = PreviewRenderer(view)
    with qtbot.waitSignal(renderer.rendered, timeout=5000):
        renderer.request("**short**")
    assert threads and threading.main_thread() not in threads
    assert view.toPlainText().strip() == "short"


def test_a_pathological_body_neither_freezes_nor_keeps_running(
    view: MarkdownView, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``[`` * 20000 took 71 s in python-markdown 3.5. The GUI thread is free at once, a render
    past its deadline gives up with the plain text and a note, and typing on cancels it. The
    deadline is made tiny for long texts here, so the test does not hang on the library's
    speed of the day."""
    from questionbook.ui.widgets.editor import markdown_view

    real = markdown_view.render_markdown

    def impatient(text: str, **kwargs: object) -> str:
        return real(text, seconds=0 if len(text) > 1000 else None, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(markdown_view, "render_markdown", impatient)
    body = "[" * 20000 + "\n\n" + "- *item* [link](https://x.org)\n" * 300
    renderer = PreviewRenderer(view)
    renderer.request(body)
    assert renderer.busy  # handed over to a worker, not rendered here
    with qtbot.waitSignal(renderer.rendered, timeout=10_000):
        pass
    assert "shown as plain text" in view.toPlainText()
    assert "[[[[" in view.toPlainText()
    renderer.request(body + "x")
    with qtbot.waitSignal(renderer.rendered, timeout=10_000):
        renderer.request("*typed on*")  # cancels the pathological render
    assert view.toPlainText().strip() == "typed on"


def test_very_long_text_gets_a_notice_instead_of_a_preview(view: MarkdownView, qtbot) -> None:
    renderer = PreviewRenderer(view, limit=1000)
    with qtbot.waitSignal(renderer.rendered, timeout=2000):
        renderer.request("word " * 1000)
    assert "live preview is off" in view.toPlainText()
    assert "word word" not in view.toPlainText()
