"""Desktop integration files validate, use one app id everywhere, and the icons are rendered.

The validators run when installed (``apt-get install appstream desktop-file-utils``) and the
tests skip otherwise. PyInstaller itself is not run here (``python packaging/build.py --smoke``).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

from questionbook import APP_ID

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
APP_SVG = ROOT / "resources" / "icons" / "app" / "questionbook.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def _desktop_entry() -> dict[str, str]:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return dict(parser["Desktop Entry"])


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils missing")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream missing")
def test_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_one_app_id_everywhere() -> None:
    entry = _desktop_entry()
    assert entry["Icon"] == APP_ID
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert APP_ID in (ROOT / "packaging" / "questionbook.spec").read_text(
        encoding="utf-8"
    ) or "APP_ID" in (ROOT / "packaging" / "questionbook.spec").read_text(encoding="utf-8")
    assert {p.name for p in (LINUX / "icons" / "hicolor").rglob("*.*")} == {
        f"{APP_ID}.png",
        f"{APP_ID}.svg",
    }


def test_desktop_file_is_translated_and_launches_the_gui() -> None:
    entry = _desktop_entry()
    assert entry["Exec"].split()[0] == "questionbook-gui"
    assert "Comment[zh_CN]" in entry and "Keywords[zh_CN]" in entry


def test_hicolor_pngs_are_rendered_at_every_size(qapp) -> None:
    from PySide6.QtGui import QImage

    for size in SIZES:
        path = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        image = QImage(str(path))
        assert not image.isNull(), path
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        corner = image.pixelColor(0, 0)
        assert corner.alpha() < 32, "the rounded tile leaves (nearly) transparent corners"
    scalable = LINUX / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == APP_SVG.read_bytes(), "render_icons.py copies the SVG"


def test_app_svg_is_square_and_valid(qapp) -> None:
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(APP_SVG))
    assert renderer.isValid()
    box = renderer.viewBoxF()
    assert box.width() == box.height() > 0


def test_spec_leaves_out_unused_qt_and_ships_our_data() -> None:
    spec = (ROOT / "packaging" / "questionbook.spec").read_text(encoding="utf-8")
    for module in (
        "QtWebEngineCore",
        "QtQml",
        "QtQuick",
        "QtVirtualKeyboard",
        "QtPdf",
        "Qt3DCore",
        "QtMultimedia",
    ):
        assert f'"PySide6.{module}"' in spec, module
    assert '"PySide6.QtCharts"' not in spec, "the insights page needs QtCharts"
    for data in ('"resources"', '"questionbook/locale"', '"questionbook/storage/migrations"'):
        assert data in spec


def test_size_report_counts_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("qb_build", ROOT / "packaging" / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "big.so").write_bytes(b"x" * 3000)
    (tmp_path / "small").write_bytes(b"x" * 100)
    assert build.tree_size(tmp_path) == 3100
    report = build.size_report(tmp_path)
    assert "2 files" in report and "OK" in report
    assert report.index("big.so") < report.index("small")


def test_windows_and_macos_icons_hold_every_size(qapp) -> None:
    from PySide6.QtGui import QImageReader

    ico = QImageReader(str(ROOT / "packaging" / "windows" / "questionbook.ico"))
    sizes = set()
    for index in range(ico.imageCount()):
        ico.jumpToImage(index)
        image = ico.read()
        sizes.add(image.width())
    assert {16, 32, 48, 256} <= sizes
    icns = QImageReader(str(ROOT / "packaging" / "macos" / "questionbook.icns"))
    assert icns.canRead() and icns.imageCount() >= 5
