"""What the Linux bundle leaves out still works: the cut ICU data and the pruned libraries.

The ICU test is the one that matters: it cuts this PySide6's own ``libicudata`` the way the
bundle build does, then runs Qt with the cut library in place of the full one (``LD_PRELOAD``
of a library with the same soname) and compares what QtCore asks ICU for — collation in
Chinese and English, time zone names, case mapping — with the full library's answers.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux bundle")


def _load(name: str) -> ModuleType:
    """A module of packaging/ (they import each other by plain name, as build.py runs them)."""
    if str(ROOT / "packaging") not in sys.path:
        sys.path.insert(0, str(ROOT / "packaging"))
    return importlib.import_module(name)


elf_files, icu_data, libraries = _load("elf_files"), _load("icu_data"), _load("libraries")


def _qt_lib() -> Path:
    spec = importlib.util.find_spec("PySide6")
    assert spec and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "Qt" / "lib"


def _icudata() -> Path:
    found = sorted(_qt_lib().glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 ships no ICU (not a Linux wheel)")
    return found[-1]


PROBE = """
from PySide6.QtCore import QCollator, QLocale, QTimeZone
words = ["中文", "阿姨", "北京", "成都", "apple", "Zebra", "éclair", "东京", "10", "9"]
for name in ("zh_CN", "en_US", "de_DE"):
    collator = QCollator(QLocale(name))
    collator.setNumericMode(True)
    print(name, sorted(words, key=collator.sortKey))
zone = QTimeZone(b"Asia/Shanghai")
for name in ("en_US", "zh_CN"):
    print(zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName,
                           QLocale(name)))
print(QLocale("tr_TR").toUpper("istanbul"), QLocale("en_US").toUpper("straße"))
"""


def _probe(preload: Path | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if preload:
        env["LD_PRELOAD"] = str(preload)
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )


def test_cut_icu_data_gives_qt_the_same_answers(tmp_path: Path) -> None:
    cut = tmp_path / _icudata().name
    cut.write_bytes(_icudata().read_bytes())
    line = icu_data.trim_library(cut)
    assert "items kept" in line
    assert cut.stat().st_size < _icudata().stat().st_size / 5
    assert elf_files.Elf.read(cut).soname() == _icudata().name
    full, trimmed = _probe(None), _probe(cut)
    assert full.returncode == 0, full.stderr
    assert trimmed.returncode == 0, trimmed.stderr
    assert trimmed.stderr == "", "e.g. 'Could not create collator' when collation data is gone"
    assert trimmed.stdout == full.stdout
    assert "'阿姨', '北京', '成都', '东京', '中文'" in trimmed.stdout  # pinyin order


def test_icu_items_kept_and_dropped() -> None:
    kept = [
        "icudt73l/coll/zh.res",
        "icudt73l/coll/root.res",
        "icudt73l/coll/ucadata.icu",
        "icudt73l/zone/zh_Hant.res",
        "icudt73l/zone/pool.res",
        "icudt73l/root.res",
        "icudt73l/en_GB.res",
        "icudt73l/zoneinfo64.res",
        "icudt73l/supplementalData.res",
        "icudt73l/nfkc.nrm",
    ]
    dropped = [
        "icudt73l/coll/de.res",
        "icudt73l/coll/de__PHONEBOOK.res",
        "icudt73l/brkitr/cjdict.dict",
        "icudt73l/translit/root.res",
        "icudt73l/de.res",
        "icudt73l/ibm-1390_P110-2003.cnv",
        "icudt73l/unames.icu",
    ]
    assert [n for n in kept if not icu_data.keep(n)] == []
    assert [n for n in dropped if icu_data.keep(n)] == []


def test_an_icu_package_rebuilds_byte_for_byte() -> None:
    _name, package = elf_files.symbol_data(_icudata(), icu_data.SYMBOL)
    header, items = icu_data.parse(package)
    rebuilt = icu_data.build(header, items)
    assert package[: len(rebuilt)] == rebuilt and len(package) - len(rebuilt) < 16


def test_libraries_the_bundle_leaves_to_the_system() -> None:
    lib = _qt_lib()
    plugin = lib.parent / "plugins" / "platforms" / "libqxcb.so"
    entries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", str(plugin), "BINARY"),
        *[
            (f"PySide6/Qt/lib/{name}", str(lib / name), "BINARY")
            for name in ("libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libQt6Core.so.6")
        ],
        ("PySide6/Qt/lib/libQt6Charts.so.6", str(lib / "libQt6Charts.so.6"), "BINARY"),
        ("libfontconfig.so.1", "/nonexistent/libfontconfig.so.1", "BINARY"),
        ("libpython3.11.so.1.0", "/nonexistent/libpython3.11.so.1.0", "BINARY"),
    ]
    kept, dropped = libraries.prune(entries)
    names = {Path(e[0]).name for e in kept}
    assert {"libqxcb.so", "libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libQt6Core.so.6"} <= names
    assert "libpython3.11.so.1.0" in names  # the bootloader loads it: always kept
    assert {Path(e[0]).name for e in dropped} == {"libQt6Charts.so.6", "libfontconfig.so.1"}


def test_elf_reader_sees_a_plugins_dependencies() -> None:
    plugin = _qt_lib().parent / "plugins" / "platforms" / "libqxcb.so"
    needed = elf_files.needed(plugin)
    assert "libxcb-cursor.so.0" in needed and "libQt6XcbQpa.so.6" in needed
    with pytest.raises(elf_files.ElfError):
        elf_files.Elf.read(ROOT / "README.md")
