"""Cut ICU's data library down to what Qt asks ICU for in QuestionBook (30.6 -> ~3.5 MiB).

PySide6's QtCore links ICU 7x, whose ``libicudata`` holds all of CLDR in one 30 MB symbol: the
largest file in the bundle by far. QtCore calls ICU for only four things (``objdump -T
libQt6Core.so.6``): collation (``ucol_*``: QCollator, the file dialog's sorting), time zone
names (``ucal_*``), case mapping (``u_strToUpper``/``Lower``, whose tables are compiled into
``libicuuc``) and legacy text codecs (``ucnv_*``). Qt's own locale data (dates, numbers,
language names) is built into QtCore and does not come from ICU.

So the bundle keeps ICU's general tables and, in the locale trees Qt uses (collation, time
zones, regions), the locales the app speaks (root, English, Chinese); every other locale falls
back to root, as ICU does for any locale it lacks. It drops word-break dictionaries,
transliteration, number spelling, units, currencies, language names and the legacy codecs
(QuestionBook reads and writes UTF-8 only).

The data is an ICU "common data" package: a header, a table of contents sorted by name, and
the items, each 16-byte aligned. This module parses it, keeps the wanted items and writes a
new package in the same format (rebuilding an untrimmed package gives back the same bytes); :func:`elf_files.replace_symbol_data` puts it back in place.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import elf_files

SYMBOL = r"icudt\d+_dat"
#: Trees dropped whole: nothing QtCore calls reads them.
DROPPED_TREES = {"brkitr", "translit", "rbnf", "unit", "curr", "lang"}
#: Locales kept in the locale trees (and at the top level): root and the app's languages.
KEPT_LOCALE = re.compile(r"(root|en|en_.+|zh|zh_.+)\.res")
#: A locale bundle's name: a language subtag of 2-3 letters, then subtags (``de__PHONEBOOK``).
LOCALE_NAME = re.compile(r"[a-z]{2,3}(_+[A-Za-z0-9]+)*\.res")


def keep(name: str) -> bool:
    """Whether the package item *name* (``icudt73l/coll/zh.res``) stays in the bundle."""
    parts = name.split("/")[1:]  # drop the package name
    if len(parts) == 2 and parts[0] in DROPPED_TREES:
        return False
    file = parts[-1]
    if LOCALE_NAME.fullmatch(file):
        return bool(KEPT_LOCALE.fullmatch(file))
    # Out: legacy codecs, StringPrep profiles, spoof checks, character names. In: root.res,
    # pool.res, res_index.res, coll/ucadata.icu, zoneinfo64.res, the normalization data ...
    return not (
        len(parts) == 1 and (file.endswith((".cnv", ".spp", ".cfu")) or file == "unames.icu")
    )


def parse(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split a common-data package into its header and ``(name, item bytes)`` pairs."""
    header_size = struct.unpack_from("<H", package, 0)[0]
    if package[2:4] != b"\xda\x27":
        raise ValueError("not an ICU data package")
    count = struct.unpack_from("<I", package, header_size)[0]
    toc = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(toc):
        start = header_size + name_offset
        name = package[start : package.index(b"\0", start)].decode("ascii")
        end = toc[i + 1][1] if i + 1 < count else len(package) - header_size
        items.append((name, package[header_size + data_offset : header_size + end]))
    return package[:header_size], items


def build(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package holding *items* in the given (sorted) order, laid out as ICU writes it."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in items)
    toc_size = 4 + 8 * len(items)
    offset = _align(toc_size + len(names))
    toc = struct.pack("<I", len(items))
    name_offset = toc_size
    body = b""
    for name, data in items:
        toc += struct.pack("<II", name_offset, offset + len(body))
        name_offset += len(name) + 1
        body += data + _PAD * (_align(len(data)) - len(data))
    table = toc + names
    return header + table + _PAD * (offset - len(table)) + body


_PAD = b"\xaa"  # what ICU's own package tool fills gaps with


def _align(n: int) -> int:
    return (n + 15) // 16 * 16


def trim(package: bytes) -> tuple[bytes, int, int]:
    """The trimmed package, with how many items it keeps out of how many."""
    header, items = parse(package)
    kept = [(name, data) for name, data in items if keep(name)]
    return build(header, kept), len(kept), len(items)


def trim_library(path: Path) -> str:
    """Trim ``libicudata.so.*`` in place; returns a line for the build log."""
    _name, package = elf_files.symbol_data(path, SYMBOL)
    new, kept, total = trim(package)
    old_size, new_size = elf_files.replace_symbol_data(path, SYMBOL, new)
    return (
        f"ICU data: {old_size / 2**20:.1f} -> {new_size / 2**20:.1f} MiB "
        f"({kept} of {total} items kept)"
    )
