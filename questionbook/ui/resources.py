"""One locator for icons and styles, from a checkout, an installed wheel or a frozen bundle.

Resources live in the top-level ``resources/`` folder of a checkout. A wheel ships them inside
the package (``questionbook/resources``, see ``package-data``) and a PyInstaller-style bundle
unpacks them under ``sys._MEIPASS``. :func:`resource_dir` tries those places in that order, so
no generated ``*_rc.py`` is needed. SVG icons draw with ``currentColor``, which :func:`icon`
replaces with a palette colour, so one file serves the light and the dark theme.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
ICON_SIZES = (16, 24, 32, 48)


def candidate_dirs() -> list[Path]:
    """Where resources may be, most specific first."""
    dirs: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "resources")
    if getattr(sys, "frozen", False):
        dirs.append(Path(sys.executable).resolve().parent / "resources")
    dirs.append(_PACKAGE_DIR / "resources")  # installed wheel
    dirs.append(_PACKAGE_DIR.parent / "resources")  # source checkout
    return dirs


@functools.cache
def resource_dir() -> Path:
    """The first candidate folder that holds our icons."""
    for path in candidate_dirs():
        if (path / "icons").is_dir():
            return path
    raise FileNotFoundError(
        "QuestionBook resources not found in: " + ", ".join(str(p) for p in candidate_dirs())
    )


def resource_path(*parts: str) -> Path:
    """The path of one resource file, e.g. ``resource_path("icons", "app.svg")``."""
    return resource_dir().joinpath(*parts)


@functools.cache
def _svg_text(name: str) -> str:
    path = resource_path("icons", f"{name}.svg")
    if not path.exists():
        path = resource_path("icons", "missing.svg")
    return path.read_text(encoding="utf-8")


def svg_renderer(name: str, color: QColor | str | None = None) -> QSvgRenderer:
    """A renderer for icon *name* drawn in *color* (``currentColor`` in the file)."""
    text = _svg_text(name)
    if color is not None:
        text = text.replace("currentColor", QColor(color).name())
    return QSvgRenderer(QByteArray(text.encode("utf-8")))


def pixmap(name: str, size: int, color: QColor | str | None = None, dpr: float = 1.0) -> QPixmap:
    """Icon *name* rendered at *size* logical pixels."""
    return _pixmap(name, size, QColor(color).name(QColor.NameFormat.HexArgb) if color else "", dpr)


@functools.lru_cache(maxsize=512)
def _pixmap(name: str, size: int, color: str, dpr: float) -> QPixmap:
    renderer = svg_renderer(name, color or None)
    px = QPixmap(QSize(round(size * dpr), round(size * dpr)))
    px.fill(Qt.GlobalColor.transparent)
    painter = QPainter(px)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, px.width(), px.height()))
    painter.end()
    px.setDevicePixelRatio(dpr)
    return px


class _SvgIconEngine(QIconEngine):
    """Draws icon *name* in *color* at the size and pixel ratio asked, when first asked.

    Pre-rendering every icon at all of :data:`ICON_SIZES` cost four SVG renders per icon before
    the window could paint (issue 21); most icons are shown at one size, and menu icons are
    not shown at all until a menu opens. Modes other than Normal (Disabled, Selected) are
    derived by the style, as Qt does for an icon built from pixmaps.
    """

    def __init__(self, name: str, color: str) -> None:
        super().__init__()
        self._name = name
        self._color = color

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._name, self._color)

    def key(self) -> str:
        return "questionbook-svg"

    def isNull(self) -> bool:
        return False

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())  # the icons are square
        return QSize(side, side)

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return [QSize(side, side) for side in ICON_SIZES]

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        side = min(size.width(), size.height())
        if side <= 0:
            return QPixmap()
        px = _pixmap(self._name, side, self._color, scale)
        if mode == QIcon.Mode.Normal:
            return px
        from PySide6.QtWidgets import QApplication, QStyleOption

        option = QStyleOption()
        option.palette = QApplication.palette()
        style = QApplication.style()
        return style.generatedIconPixmap(mode, px, option) if style is not None else px

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        scale = device.devicePixelRatioF() if device is not None else 1.0
        px = self.scaledPixmap(rect.size(), mode, state, scale)
        side = min(rect.width(), rect.height())
        target = QRect(0, 0, side, side)
        target.moveCenter(rect.center())
        painter.drawPixmap(target, px)


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """A QIcon of *name* in *color*, rendered at each size when it is first drawn there."""
    return QIcon(
        _SvgIconEngine(name, QColor(color).name(QColor.NameFormat.HexArgb) if color else "")
    )


def stylesheet(name: str) -> str:
    """The text of ``styles/<name>.qss`` (empty if there is none)."""
    path = resource_path("styles", f"{name}.qss")
    return path.read_text(encoding="utf-8") if path.exists() else ""
