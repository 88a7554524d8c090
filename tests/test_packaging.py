"""Packaging: the wheel's package list, the version, the bundle's size check, and the desktop
integration files (they validate, use one app id everywhere, and the icons are rendered).

The validators come with ``scripts/system-packages.txt`` (CI installs them and fails on a
skip); elsewhere these two tests skip. PyInstaller itself is not run here (``make bundle``),
nor is the wheel built (``packaging/wheel_check.py``): ``.ci/run`` runs both.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path

import pytest

from questionbook import APP_ID, __version__

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


def _script(path: Path):
    sys.path.insert(0, str(path.parent))  # packaging/ and scripts/ modules import each other
    spec = importlib.util.spec_from_file_location(f"qb_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_size_report_counts_files_and_checks_the_budget(tmp_path: Path, monkeypatch) -> None:
    build = _script(ROOT / "packaging" / "build.py")
    assert build.BUDGET_MB == 140
    (tmp_path / "_internal" / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (tmp_path / "_internal" / "PySide6" / "Qt" / "lib" / "libQt6Gui.so.6").write_bytes(b"x" * 3000)
    (tmp_path / "questionbook").write_bytes(b"x" * 100)
    assert build.tree_size(tmp_path) == 3100
    report = build.size_report(tmp_path)
    assert "2 files" in report and "OK" in report and build.within_budget(tmp_path)
    assert report.index("libQt6Gui") < report.index("  questionbook")
    assert "Qt libraries" in report and "QuestionBook" in report  # by part
    monkeypatch.setattr(build, "BUDGET_MB", 0.001)  # 1,000 bytes
    assert "OVER" in build.size_report(tmp_path) and not build.within_budget(tmp_path)


def _dotted(folder: Path, base: str) -> set[str]:
    found = {base}
    for path in folder.rglob("*"):
        if path.is_dir() and "__pycache__" not in path.parts and any(path.iterdir()):
            found.add(".".join([base, *path.relative_to(folder).parts]))
    return found


def test_pyproject_ships_every_folder_as_a_package() -> None:
    """A folder missing from the list is silently left out of the wheel (or warned about)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = _dotted(ROOT / "questionbook", "questionbook") | _dotted(
        ROOT / "resources", "questionbook.resources"
    )
    assert listed == on_disk, (
        f"add to pyproject.toml: {sorted(on_disk - listed)}; remove: {sorted(listed - on_disk)}"
    )
    data = config["tool"]["setuptools"]["package-data"]
    for package in sorted(listed):
        folder = ROOT / "resources" if package.startswith("questionbook.resources") else ROOT
        parts = package.split(".")[2:] if folder.name == "resources" else package.split(".")
        files = [p for p in folder.joinpath(*parts).iterdir() if p.is_file()]
        unshipped = [
            p.name
            for p in files
            if p.suffix not in (".py", ".pyc")
            and not any(p.match(pattern) for pattern in data.get(package, []))
        ]
        assert not unshipped, f"{package}: no package-data pattern ships {unshipped}"


def test_license_file_and_metadata() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_version_is_one_number_everywhere(capsys) -> None:
    from questionbook.cli.main import run

    with pytest.raises(SystemExit) as exit_info:
        run(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"questionbook {__version__}\n"
    assert importlib.metadata.version("questionbook") == __version__, "re-run make setup"
    release = _script(ROOT / "scripts" / "release_check.py")
    assert release.version() == __version__
    sections = release.changelog_versions((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    versions = [v for v, _date in sections if v]
    assert versions and versions[0] == __version__, "the CHANGELOG's newest version"
    keys = [tuple(int(n) for n in v.split(".")) for v in versions]
    assert keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys)


def test_release_notes_rule() -> None:
    release = _script(ROOT / "scripts" / "release_check.py")
    dated = "# Changelog\n\n## 0.2.0 — 2027-01-05\n- x\n\n## 0.1.0 — 2026-12-20\n"
    assert release.release_notes_problem(dated, "0.2.0") is None
    assert "0.3.0" in release.release_notes_problem(dated, "0.3.0")
    assert release.release_notes_problem("## 0.2.0 — Unreleased\n", "0.2.0")
    assert release.release_notes_problem("## Unreleased\n\n" + dated[12:], "0.2.0")
    with pytest.raises(ValueError):
        release.changelog_versions("## Version 2\n")


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


@pytest.mark.skipif(not shutil.which("dpkg-query"), reason="Debian/Ubuntu package database")
def test_ci_names_missing_system_packages_when_it_cannot_install(tmp_path, monkeypatch) -> None:
    release = _script(ROOT / "scripts" / "release_check.py")
    listed = tmp_path / "packages.txt"
    listed.write_text("# comment\n\ncoreutils\nqb-no-such-package\n", encoding="utf-8")
    monkeypatch.setattr(release, "PACKAGES_FILE", listed)
    monkeypatch.setattr(release.os, "geteuid", lambda: 1000)  # not root: cannot install
    run = release.Run()
    result = release.system_packages(run)
    assert result.ok is False and not run.packages_ensured
    assert result.note == "missing; install: sudo apt-get install qb-no-such-package"


def test_system_packages_list_is_the_one_place() -> None:
    listed = (ROOT / "scripts" / "system-packages.txt").read_text(encoding="utf-8").split()
    for package in ("desktop-file-utils", "appstream", "xvfb", "libxcb-cursor0", "fonts-noto-cjk"):
        assert package in listed
    from questionbook.preflight import XCB_PACKAGES

    assert set(XCB_PACKAGES[0].split()) <= set(listed), "the start-up check names these too"
