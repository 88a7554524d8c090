"""The window's layout in the one settings file: geometry, splitter sizes and the last view.

Kept apart from the window so that the format (base64 of Qt's blobs, comma-separated sizes)
lives in one place. Saving re-reads the file first, so preferences another part of the app
changed meanwhile (language, theme) are not overwritten by a stale copy.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize

from questionbook.settings import load_settings, save_settings

log = logging.getLogger(__name__)
#: sidebar, content; list, editor — used until the user moves a splitter.
DEFAULT_SIZES = [190, 1090, 470, 620]
#: The first window, where the screen has room for it.
FIRST_RUN_SIZE = QSize(1280, 800)


def first_run_size(available: QSize) -> QSize:
    """The size of the very first window: :data:`FIRST_RUN_SIZE`, but never more than nine
    tenths of the screen's *available* area (a 1366×768 laptop less its panels)."""
    return QSize(
        min(FIRST_RUN_SIZE.width(), available.width() * 9 // 10),
        min(FIRST_RUN_SIZE.height(), available.height() * 9 // 10),
    )


def decode_blob(text: str) -> QByteArray:
    return QByteArray.fromBase64(text.encode("ascii"))


def encode_blob(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")


def parse_sizes(text: str, count: int = 4) -> list[int]:
    """Splitter sizes from the setting; the defaults if it is missing or damaged."""
    sizes = [int(x) for x in text.split(",") if x.strip().isdigit()]
    return sizes if len(sizes) == count else list(DEFAULT_SIZES)


def save_window_state(
    path: Path, *, geometry: QByteArray, state: QByteArray, sizes: list[int], last_view: str
) -> None:
    """Write the layout into the settings file at *path* (a failure is logged, not raised)."""
    settings = load_settings(path)
    settings.window_geometry = encode_blob(geometry)
    settings.window_state = encode_blob(state)
    settings.splitter_sizes = ",".join(str(x) for x in sizes)
    settings.last_view = last_view or "today"
    try:
        save_settings(settings, path)
    except OSError:
        log.exception("could not save the window state")
