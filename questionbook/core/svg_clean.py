"""SVG attachments made safe to draw: no scripts, no external references, no entity tricks.

An SVG is a program-shaped document: it can carry ``<script>``, event handlers, references to
local files and web addresses (``<image href="file:///...">``, ``<use href="http://...">``,
``url(...)`` in styles) and XML entity definitions (the "billion laughs"). The app only ever
draws an SVG attachment as a picture, through Qt's SVG renderer (which runs no scripts); this
module is the layer in front of it, so that nothing the renderer might load or expand reaches
it at all:

- a document type with an internal subset (``<!DOCTYPE svg [ <!ENTITY ...> ]>``) is refused;
  a plain ``<!DOCTYPE svg PUBLIC ...>`` line, common in exported drawings, is dropped (the
  parser never fetches it either);
- ``script``, ``foreignObject`` and other active or embedding elements go, with their content;
- every ``on*`` attribute goes;
- a reference (``href``, ``xlink:href``) stays only when it points inside the document
  (``#id``); an element that refers elsewhere goes (a link ``<a>`` only loses its target), but
  an ``<image>`` may hold a ``data:`` PNG, JPEG, GIF or WebP whose header declares a sensible
  size (a decompression bomb inside an SVG is still one);
- ``url(...)`` in attributes and style sheets stays only for ``url(#id)``; ``@import`` goes.

Qt-free and standard library only, so it is tested without a display.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
import zlib

from questionbook.core.attachments import AttachmentError, image_too_large
from questionbook.i18n import _

#: Larger SVG documents (after decompressing an .svgz) are not drawn.
MAX_SVG_BYTES = 8 << 20
#: Documents with more elements are not drawn (each one costs the renderer time).
MAX_ELEMENTS = 100_000
#: ... or deeper nesting (the serialiser and Qt's renderer both recurse).
MAX_DEPTH = 200
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

_DROPPED = frozenset(
    {
        "script",
        "foreignobject",
        "iframe",
        "embed",
        "object",
        "audio",
        "video",
        "handler",
        "listener",
        "animation",
        "discard",
    }
)
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE[^\[>]*(\[)?", re.IGNORECASE)
_ENTITY_RE = re.compile(rb"<!ENTITY", re.IGNORECASE)
_URL_RE = re.compile(r"url\(\s*['\"]?\s*(?!#)[^)]*\)", re.IGNORECASE)
_IMPORT_RE = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_DATA_IMAGE_RE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,", re.IGNORECASE)


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace, lower-cased."""
    return name.rsplit("}", 1)[-1].lower()


def _refused(reason: str) -> AttachmentError:
    return AttachmentError(_("This SVG is not shown: {reason}").format(reason=reason))


def _inflate(data: bytes) -> bytes:
    """The document of an .svgz (gzip), never more than :data:`MAX_SVG_BYTES`."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_SVG_BYTES + 1)
    except zlib.error:
        raise _refused(_("its compressed data is damaged")) from None
    if len(out) > MAX_SVG_BYTES:
        raise _refused(_("it is larger than {size} MB").format(size=MAX_SVG_BYTES >> 20))
    if not inflater.eof:
        raise _refused(_("its compressed data is damaged"))
    return out


def _safe_data_image(value: str) -> bool:
    match = _DATA_IMAGE_RE.match(value.strip())
    if match is None:
        return False
    encoded = re.sub(r"\s+", "", value.strip()[match.end() :])
    try:
        head = base64.b64decode(encoded[:4096] + "=" * (-len(encoded[:4096]) % 4))
    except ValueError:
        return False
    return image_too_large(head) is None


def _clean_tree(root: ET.Element) -> None:
    """Clean every element under *root* (iteratively: a deep document must not exhaust the
    stack); raises for a document with too many elements to draw quickly."""
    stack, seen = [(root, 0)], 0
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _refused(_("it is nested more than {n} levels deep").format(n=MAX_DEPTH))
        for child in list(element):
            seen += 1
            if seen > MAX_ELEMENTS:
                raise _refused(_("it has more than {n:,} elements").format(n=MAX_ELEMENTS))
            if not isinstance(child.tag, str) or _local(child.tag) in _DROPPED:
                element.remove(child)
            elif _local(child.tag) == "style":
                child.text = _URL_RE.sub("none", _IMPORT_RE.sub("", child.text or ""))
                for grandchild in list(child):
                    child.remove(grandchild)
            elif not _clean_attributes(child):
                element.remove(child)
            else:
                stack.append((child, depth + 1))


def _clean_attributes(element: ET.Element) -> bool:
    """Drop unsafe attributes; False if the element must go (it shows something from
    elsewhere: an image, a ``use`` of another file ...; a link only loses its target)."""
    tag = _local(str(element.tag))
    for name, value in list(element.attrib.items()):
        local = _local(name)
        if local.startswith("on"):
            del element.attrib[name]
        elif local == "href":
            if value.strip().startswith("#"):
                continue
            if tag in ("image", "feimage"):
                return _safe_data_image(value)
            if tag != "a":
                return False
            del element.attrib[name]
        elif "url(" in value.lower() or "@import" in value.lower():
            element.attrib[name] = _URL_RE.sub("none", _IMPORT_RE.sub("", value))
    return True


def clean_svg(data: bytes) -> bytes:
    """*data* (an SVG or .svgz document) with everything but the drawing removed; raises
    :class:`AttachmentError` with a sentence for a document that cannot be made safe."""
    if data[:2] == b"\x1f\x8b":
        data = _inflate(data)
    if len(data) > MAX_SVG_BYTES:
        raise _refused(_("it is larger than {size} MB").format(size=MAX_SVG_BYTES >> 20))
    doctype = _DOCTYPE_RE.search(data)
    if _ENTITY_RE.search(data) or (doctype is not None and doctype.group(1)):
        raise _refused(_("it defines XML entities"))
    if doctype is not None:
        end = data.find(b">", doctype.start())
        data = data[: doctype.start()] + data[end + 1 :]
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError, RecursionError):
        raise _refused(_("it is not a well-formed SVG document")) from None
    if _local(str(root.tag)) != "svg":
        raise _refused(_("it is not an SVG document"))
    if not _clean_attributes(root):
        raise _refused(_("it is not an SVG document"))
    _clean_tree(root)
    return ET.tostring(root, encoding="utf-8")
