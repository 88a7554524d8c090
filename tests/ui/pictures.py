"""Pictures for the attachment tests: real ones (made with Qt) and hostile ones (made by hand)."""

from __future__ import annotations

import struct
import zlib

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage


def picture(width: int, height: int, color: str = "#2e8b57", fmt: str = "PNG") -> bytes:
    """A real picture of one colour, encoded as *fmt*."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(data.data())


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares *width* × *height* (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bmp_claiming(width: int, height: int) -> bytes:
    """A BMP header declaring *width* × *height* (a format whose size the core does not read)."""
    header = struct.pack("<2sIHHI", b"BM", 54, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return header + info + b"\0" * 64


def color_at(image: QImage, x: int, y: int) -> str:
    return QColor(image.pixel(x, y)).name()
