"""Pictures from the journal decoded safely (issue 18): sizes checked before decoding, decoded
straight to the size shown, SVG only as a drawing with nothing loaded from elsewhere."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtGui import QImage

from questionbook.core.attachments import AttachmentError, url
from questionbook.services import Services
from questionbook.ui.attachment_images import (
    PREVIEW_SIDE,
    VIEWER_SIDE,
    ImageCache,
    decode,
    load,
)
from tests.ui.pictures import bmp_claiming, color_at, picture, png_claiming


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        body = picture(10, 10, "#ff0000")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def _attach(services: Services, name: str, data: bytes) -> str:
    entry = services.journal.add(f"Holds {name}")
    _entry, (item,) = services.attachments.attach_data(entry.id, name, data)
    return url(item.sha256, item.name)


def test_a_picture_decodes_to_its_size(services: Services) -> None:
    image = load(services.attachments, _attach(services, "dot.png", picture(40, 30)), PREVIEW_SIDE)
    assert (image.width(), image.height()) == (40, 30)
    assert color_at(image, 5, 5) == "#2e8b57"


def test_a_large_photo_is_decoded_straight_to_the_size_shown(services: Services) -> None:
    reference = _attach(services, "photo.jpg", picture(6000, 3000, fmt="JPEG"))
    shown = load(services.attachments, reference, PREVIEW_SIDE)
    assert (shown.width(), shown.height()) == (PREVIEW_SIDE, PREVIEW_SIDE // 2)
    full = load(services.attachments, reference, VIEWER_SIDE)
    assert (full.width(), full.height()) == (6000, 3000)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (png_claiming(100_000, 100_000), "bomb.png"),
        (png_claiming(1, 30_000), "tall.png"),
        (bmp_claiming(30_000, 30_000), "bomb.bmp"),
        (bmp_claiming(25_000, 10), "wide.bmp"),
    ],
)
def test_a_picture_claiming_too_many_pixels_is_refused_before_decoding(
    services: Services, data: bytes, name: str
) -> None:
    reference = _attach(services, name, data)
    # (Qt's BMP reader refuses the largest header itself: "not a picture the app can show")
    with pytest.raises(AttachmentError, match=r"too large to show|not a picture"):
        load(services.attachments, reference, PREVIEW_SIDE)


def test_damaged_and_foreign_bytes_say_they_are_not_pictures(services: Services) -> None:
    for name, data in (("broken.png", picture(20, 20)[:60]), ("notes.png", b"plain text" * 50)):
        with pytest.raises(AttachmentError):
            load(services.attachments, _attach(services, name, data), PREVIEW_SIDE)


def test_a_missing_attachment_is_said_and_not_remembered(services: Services) -> None:
    missing = url("cd" * 32, "gone.png")
    cache = ImageCache()
    said = cache.fetch(services.attachments, missing, "cd" * 32, PREVIEW_SIDE)
    assert isinstance(said, str) and "not in the journal" in said
    assert cache.get("cd" * 32, PREVIEW_SIDE) is None  # may be attached later


def test_an_svg_is_drawn_without_scripts_or_anything_from_elsewhere(
    services: Services, tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, hits = server
    secret = tmp_path / "secret.png"
    secret.write_bytes(picture(50, 50, "#ff0000"))
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
        width="100" height="50" onload="alert(1)">
      <script>alert(1)</script>
      <rect width="100" height="50" fill="#ffffff"/>
      <image xlink:href="{secret.as_uri()}" width="100" height="50"/>
      <image href="{secret}" width="100" height="50"/>
      <image href="{base}/remote.png" width="100" height="50"/>
      <rect width="100" height="50" fill="url({base}/pattern.svg#p)"/>
      <use href="{base}/sprite.svg#s"/>
      <circle cx="50" cy="25" r="10" fill="#0000ff"/>
    </svg>""".encode()
    image = load(services.attachments, _attach(services, "evil.svg", svg), PREVIEW_SIDE)
    assert (image.width(), image.height()) == (100, 50)
    assert color_at(image, 50, 25) == "#0000ff"  # the drawing is there
    assert color_at(image, 5, 5) == "#ffffff"  # no red from the local file
    reds = [
        (x, y)
        for x in range(0, 100, 4)
        for y in range(0, 50, 4)
        if color_at(image, x, y) == "#ff0000"
    ]
    assert not reds
    assert hits == []  # nothing was asked of the network


def test_an_svg_that_cannot_be_made_safe_says_why(services: Services) -> None:
    svg = b'<!DOCTYPE svg [<!ENTITY a "x">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    with pytest.raises(AttachmentError, match="entities"):
        load(services.attachments, _attach(services, "entities.svg", svg), PREVIEW_SIDE)


def test_the_cache_keeps_pictures_within_its_bytes() -> None:
    from questionbook.core.attachments import Resolved

    cache = ImageCache(limit=3 * 100 * 100 * 4)
    for i in range(5):
        image = decode(Resolved(f"{i:064x}", "image/png", picture(100, 100)), PREVIEW_SIDE)
        cache.put(f"{i:064x}", PREVIEW_SIDE, image)
    assert cache.get(f"{0:064x}", PREVIEW_SIDE) is None  # the oldest went first
    assert isinstance(cache.get(f"{4:064x}", PREVIEW_SIDE), QImage)
