"""Icons are drawn from their SVG at the size asked, when first asked (issue 21)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage
from pytestqt.qtbot import QtBot

from questionbook.ui import resources


def _ink(image: QImage) -> set[str]:
    """The colours of *image*'s near-opaque pixels (anti-aliased edges left out)."""
    found = set()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() >= 200:
                colour.setAlpha(255)
                found.add(colour.name())
    return found


def _has(ink: set[str], wanted: str) -> bool:
    """True if a colour of *ink* is *wanted* (give or take rounding)."""
    target = QColor(wanted)
    return any(
        max(
            abs(c.red() - target.red()),
            abs(c.green() - target.green()),
            abs(c.blue() - target.blue()),
        )
        <= 8
        for c in map(QColor, ink)
    )


def test_an_icon_draws_in_its_colour_at_every_size_asked(qtbot: QtBot) -> None:
    icon = resources.icon("question", "#c0392b")
    assert not icon.isNull()
    for side in (16, 18, 24, 40):  # not only the sizes pre-rendered before
        image = icon.pixmap(QSize(side, side)).toImage()
        assert (image.width(), image.height()) == (side, side)
        assert _has(_ink(image), "#c0392b")  # the SVG's currentColor, replaced


def test_a_disabled_icon_is_derived_by_the_style(qtbot: QtBot) -> None:
    icon = resources.icon("question", "#c0392b")
    normal = icon.pixmap(QSize(24, 24), QIcon.Mode.Normal).toImage()
    disabled = icon.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
    assert disabled.size() == normal.size()
    assert not _has(_ink(disabled), "#c0392b")  # greyed, not the live colour


def test_icons_survive_copies_and_garbage_collection(qtbot: QtBot) -> None:
    """The engine is a Python object owned by Qt: copies must keep drawing after the
    original is gone."""
    import gc

    copies = [QIcon(resources.icon("plan", QColor("#2b6cd4"))) for _ in range(20)]
    gc.collect()
    assert all(_has(_ink(c.pixmap(QSize(16, 16)).toImage()), "#2b6cd4") for c in copies)
