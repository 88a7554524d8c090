"""SVG attachments are drawn only after everything but the drawing is removed (issue 18)."""

from __future__ import annotations

import base64
import gzip
import struct
import zlib

import pytest

from questionbook.core.attachments import AttachmentError
from questionbook.core.svg_clean import MAX_DEPTH, MAX_ELEMENTS, clean_svg

HOSTILE = b"""<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100" height="50" onload="alert(1)">
  <script>alert('script')</script>
  <style>@import url(http://127.0.0.1:9/x.css); rect { fill: url(http://127.0.0.1:9/p.png) }</style>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#00f"/></linearGradient></defs>
  <rect width="100" height="50" fill="url(#g)" style="stroke:url('file:///etc/passwd')"
        onclick="steal()"/>
  <image xlink:href="file:///etc/passwd" width="10" height="10"/>
  <image href="http://127.0.0.1:9/remote.png" width="10" height="10"/>
  <use xlink:href="http://127.0.0.1:9/sprite.svg#a"/>
  <use href="#g"/>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
  <a href="javascript:alert(1)"><text x="1" y="40">label</text></a>
</svg>"""


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 4))


def test_scripts_handlers_and_external_references_are_removed() -> None:
    cleaned = clean_svg(HOSTILE).decode()
    for gone in (
        "script",
        "onload",
        "onclick",
        "alert",
        "127.0.0.1",
        "passwd",
        "file:",
        "foreignObject",
        "javascript",
        "@import",
        "DOCTYPE",
        "http://www.w3.org/Graphics",
    ):
        assert gone not in cleaned, gone
    assert 'fill="url(#g)"' in cleaned and 'href="#g"' in cleaned  # inside references stay
    assert "<rect" in cleaned and "label" in cleaned  # the drawing stays


def test_an_embedded_picture_stays_only_if_its_header_is_sane() -> None:
    small = base64.b64encode(_png_header(4, 4)).decode()
    bomb = base64.b64encode(_png_header(100_000, 100_000)).decode()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        f'<image href="data:image/png;base64,{small}" width="4" height="4"/>'
        f'<image href="data:image/png;base64,{bomb}" width="4" height="4"/>'
        '<image href="data:text/html;base64,PHNjcmlwdD4=" width="4" height="4"/></svg>'
    ).encode()
    cleaned = clean_svg(svg).decode()
    assert cleaned.count("<image") == 1 and small[:20] in cleaned and bomb[:40] not in cleaned


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (
            b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">'
            b"&a;</svg>",
            "entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            b'"&lol;&lol;&lol;">]><svg>&lol2;</svg>',
            "entities",
        ),
        (
            b'<!DOCTYPE svg SYSTEM "file:///etc/passwd" [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<svg>&x;</svg>",
            "entities",
        ),
        (b"not an svg at all", "well-formed"),
        (b"<html><body>hi</body></html>", "not an SVG"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg">'
            + b"<g>" * (MAX_DEPTH + 5)
            + b"</g>" * (MAX_DEPTH + 5)
            + b"</svg>",
            "nested",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g/>" * (MAX_ELEMENTS + 1) + b"</svg>",
            "elements",
        ),
        (b"\x1f\x8b\x08\x00garbage", "damaged"),
    ],
)
def test_what_cannot_be_made_safe_is_refused_with_a_reason(document: bytes, reason: str) -> None:
    with pytest.raises(AttachmentError, match=reason):
        clean_svg(document)


def test_compressed_svg_is_read_within_its_limit() -> None:
    cleaned = clean_svg(gzip.compress(HOSTILE))
    assert b"<rect" in cleaned and b"script" not in cleaned
    bomb = gzip.compress(b"<svg>" + b" " * (20 << 20) + b"</svg>")  # 20 MB of spaces, 20 KB
    with pytest.raises(AttachmentError, match="larger than"):
        clean_svg(bomb)
