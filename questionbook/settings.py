"""The one typed settings object, stored as an INI file in the config folder.

Qt-free so that the CLI can read it too (language, backup retention). The GUI wraps it in a
small QObject with a ``changed`` signal (``questionbook.ui.settings_controller``). Unknown keys
are ignored and bad values fall back to defaults, so a hand-edited file never stops the app.
"""

from __future__ import annotations

import configparser
import dataclasses
import os
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

SECTION = "questionbook"


@dataclass
class Settings:
    """Every user preference, with its default."""

    language: str = "system"  # "system", "en" or "zh_CN"
    theme: str = "system"  # "system", "light" or "dark"
    editor_font_family: str = ""
    editor_font_size: int = 11
    preview_mode: str = "side"  # "side", "toggle"
    review_weekday: int = 7  # ISO weekday, 7 = Sunday
    review_time: str = "19:00"
    week_start: int = 1  # ISO weekday the week starts on (locale default: Monday)
    reminders: bool = True
    backup_daily: int = 7
    backup_weekly: int = 4
    backup_monthly: int = 12
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    window_state: str = ""
    splitter_sizes: str = ""  # comma-separated ints
    last_view: str = "today"
    # Asking an AI (issue 17): off until the user turns it on; one OpenAI-compatible endpoint,
    # a local server first. The API key, if any, lives in the OS keyring, never here.
    ai_enabled: bool = False
    ai_endpoint: str = "http://localhost:11434/v1"
    ai_model: str = ""
    ai_timeout: int = 120  # seconds to wait for the answer to start, and between its parts
    #: Largest file that can be attached, in MB (issue 18); the journal holds the bytes.
    attachment_max_mb: int = 50
    # Writing comfort (issue 19): a prompt of the day under the capture box, from the built-in
    # set and the user's own (the prompts and templates themselves live in the journal).
    daily_prompt: bool = True
    builtin_prompts: bool = True


def load_settings(path: Path) -> Settings:
    """Read *path*; a missing or damaged file gives defaults for what cannot be read."""
    settings = Settings()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return settings
    if not parser.has_section(SECTION):
        return settings
    section = parser[SECTION]
    for f in fields(Settings):
        if f.name not in section:
            continue
        raw = section[f.name]
        default = getattr(settings, f.name)
        try:
            value: Any
            if isinstance(default, bool):
                value = section.getboolean(f.name)
            elif isinstance(default, int):
                value = int(raw)
            else:
                value = raw
        except ValueError:
            continue
        setattr(settings, f.name, value)
    return settings


def save_settings(settings: Settings, path: Path) -> None:
    """Write *settings* atomically (temporary file, then rename), owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    parser = configparser.ConfigParser(interpolation=None)
    parser[SECTION] = {
        k: str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in dataclasses.asdict(settings).items()
    }
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".ini", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            parser.write(fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
