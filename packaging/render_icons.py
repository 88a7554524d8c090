#!/usr/bin/env python3
"""Render the application icon SVG to the PNG sizes desktops ask for, with Qt's SVG renderer.

Why a script: the PNGs must be re-made whenever ``resources/icons/app/questionbook.svg``
changes, identically on every machine, without Inkscape or ImageMagick. Writes:

* ``packaging/linux/icons/hicolor/<N>x<N>/apps/<APP_ID>.png`` for N in 16..512, plus
  ``hicolor/scalable/apps/<APP_ID>.svg`` (the SVG itself);
* ``packaging/windows/questionbook.ico`` (16-256 px) and ``packaging/macos/questionbook.icns``
  (16-1024 px), both holding PNG images.

Run: ``QT_QPA_PLATFORM=offscreen python packaging/render_icons.py`` (``--check`` verifies the
PNGs exist with the right sizes and were rendered from the current SVG; it writes nothing).
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from questionbook import APP_ID  # noqa: E402

SVG = ROOT / "resources" / "icons" / "app" / "questionbook.svg"
HICOLOR = ROOT / "packaging" / "linux" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO = ROOT / "packaging" / "windows" / "questionbook.ico"
ICNS = ROOT / "packaging" / "macos" / "questionbook.icns"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
#: icns entry types holding PNG data: (type code, pixel size).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def _render(size: int):  # -> QImage; Qt imported lazily so --help works without a display
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def _png_bytes(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    _render(size).save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def write_ico(path: Path, sizes: tuple[int, ...] = ICO_SIZES) -> None:
    """A Windows icon holding one PNG per size (PNG entries are valid since Windows Vista).

    Written by hand because Qt's ico writer stores a single image, which Windows then scales
    down blurrily for the 16 and 32 px places (title bar, taskbar, Explorer lists).
    """
    images = [(size, _png_bytes(size)) for size in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, blobs = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + directory + blobs)


def write_icns(path: Path) -> None:
    """A macOS icon family with PNG entries for 16 to 1024 px (1x and 2x)."""
    chunks = b""
    for code, size in ICNS_TYPES:
        png = _png_bytes(size)
        chunks += code + struct.pack(">I", len(png) + 8) + png
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"icns" + struct.pack(">I", len(chunks) + 8) + chunks)


def render() -> list[Path]:
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([])
    written: list[Path] = []
    for size in SIZES:
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _render(size).save(str(target), "PNG"):
            raise SystemExit(f"could not write {target}")
        written.append(target)
    scalable = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    written.append(scalable)
    write_ico(ICO)
    write_icns(ICNS)
    written += [ICO, ICNS]
    return written


def check() -> list[str]:
    from PySide6.QtGui import QGuiApplication, QImage

    _app = QGuiApplication.instance() or QGuiApplication([])
    problems = []
    for size in SIZES:
        path = png_path(size)
        image = QImage(str(path))
        if image.isNull() or (image.width(), image.height()) != (size, size):
            problems.append(f"{path.relative_to(ROOT)} missing or not {size}x{size}")
    # Rendering copies the SVG next to the PNGs: a different copy means the SVG changed since.
    # (File times say nothing in a fresh clone, and Qt versions differ in their antialiasing,
    # so the PNGs themselves are not compared.)
    scalable = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
    if not scalable.exists() or scalable.read_bytes() != SVG.read_bytes():
        problems.append(f"{SVG.relative_to(ROOT)} changed since the icons were rendered")
    problems += [f"{p.relative_to(ROOT)} is missing" for p in (ICO, ICNS) if not p.exists()]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.check:
        problems = check()
        print("\n".join(problems) or "icons: OK")
        return 1 if problems else 0
    for path in render():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
