"""Just enough ELF to trim a Linux bundle: read a library's dependencies and replace the data
behind one exported symbol with a smaller copy.

Why our own: the bundle build must not need binutils, a compiler or another Python package,
and what it needs is small — ``DT_NEEDED``/``DT_SONAME`` to see which bundled libraries are
still used (:mod:`libraries`), and one edit to ``libicudata``, whose 30 MB are a single
read-only symbol (:mod:`icu_data`). Only 64-bit little-endian files are understood (x86-64 and
aarch64 Linux, the platforms PySide6 ships wheels for); anything else is reported, not guessed.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_PHDR = struct.Struct("<IIQQQQQQ")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")
_DYN = struct.Struct("<qQ")

PT_LOAD, PT_DYNAMIC = 1, 2
SHT_DYNSYM, SHT_DYNAMIC = 11, 6
SHF_ALLOC = 0x2
DT_NULL, DT_NEEDED, DT_STRTAB, DT_SONAME = 0, 1, 5, 14
#: Dynamic tags whose value is an address: PLTGOT, HASH, STRTAB, SYMTAB, RELA, INIT, FINI, REL,
#: JMPREL, INIT_ARRAY, FINI_ARRAY, PREINIT_ARRAY, RELR, GNU_HASH, VERSYM, VERDEF, VERNEED.
_ADDRESS_TAGS = {3, 4, 5, 6, 7, 12, 13, 17, 23, 25, 26, 32, 36}
_ADDRESS_TAGS |= {0x6FFFFEF5, 0x6FFFFFF0, 0x6FFFFFFC, 0x6FFFFFFE}


class ElfError(ValueError):
    """The file is not an ELF file this module understands."""


@dataclass
class Elf:
    """A parsed 64-bit little-endian ELF file (headers only; the bytes stay in ``data``)."""

    data: bytearray
    header: list[int]
    segments: list[list[int]]  # p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, ...
    sections: list[list[int]]  # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, ...
    names: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Elf:
        data = bytearray(path.read_bytes())
        if data[:4] != b"\x7fELF":
            raise ElfError(f"{path.name}: not an ELF file")
        if data[4] != 2 or data[5] != 1:
            raise ElfError(f"{path.name}: only 64-bit little-endian ELF files are handled")
        header = list(_EHDR.unpack_from(data, 0))
        phoff, shoff = header[5], header[6]
        phentsize, phnum, shentsize, shnum, shstrndx = header[9:14]
        segments = [list(_PHDR.unpack_from(data, phoff + i * phentsize)) for i in range(phnum)]
        sections = [list(_SHDR.unpack_from(data, shoff + i * shentsize)) for i in range(shnum)]
        elf = cls(data, header, segments, sections)
        if sections:
            strtab = sections[shstrndx]
            elf.names = [elf._cstring(strtab[4] + s[0]) for s in sections]
        return elf

    def _cstring(self, offset: int) -> str:
        end = self.data.index(b"\0", offset)
        return self.data[offset:end].decode("utf-8", "replace")

    def _offset_of(self, address: int) -> int:
        for seg in self.segments:
            if seg[0] == PT_LOAD and seg[3] <= address < seg[3] + seg[5]:
                return address - seg[3] + seg[2]
        raise ElfError(f"address {address:#x} is in no loaded segment")

    def dynamic(self) -> list[tuple[int, int]]:
        """The ``(tag, value)`` entries of the dynamic section, up to ``DT_NULL``."""
        for seg in self.segments:
            if seg[0] == PT_DYNAMIC:
                entries = []
                for pos in range(seg[2], seg[2] + seg[5], _DYN.size):
                    tag, value = _DYN.unpack_from(self.data, pos)
                    if tag == DT_NULL:
                        break
                    entries.append((tag, value))
                return entries
        return []

    def _dynamic_strings(self, wanted: int) -> list[str]:
        entries = self.dynamic()
        strtab = next((v for t, v in entries if t == DT_STRTAB), None)
        if strtab is None:
            return []
        base = self._offset_of(strtab)
        return [self._cstring(base + v) for t, v in entries if t == wanted]

    def needed(self) -> list[str]:
        """The libraries this one asks the dynamic loader for (``DT_NEEDED``)."""
        return self._dynamic_strings(DT_NEEDED)

    def soname(self) -> str | None:
        names = self._dynamic_strings(DT_SONAME)
        return names[0] if names else None

    def symbols(self) -> list[tuple[str, int, int, int]]:
        """Exported dynamic symbols: ``(name, section index, value, size)``."""
        out = []
        for sec in self.sections:
            if sec[1] != SHT_DYNSYM:
                continue
            strtab = self.sections[sec[6]]
            for pos in range(sec[4], sec[4] + sec[5], sec[9] or _SYM.size):
                name, _info, _other, shndx, value, size = _SYM.unpack_from(self.data, pos)
                if shndx:
                    out.append((self._cstring(strtab[4] + name), shndx, value, size))
        return out


def needed(path: Path) -> list[str]:
    return Elf.read(path).needed()


def symbol_data(path: Path, pattern: str) -> tuple[str, bytes]:
    """The name and bytes of the one exported symbol whose name matches *pattern*."""
    elf = Elf.read(path)
    for name, _shndx, value, size in elf.symbols():
        if re.fullmatch(pattern, name):
            start = elf._offset_of(value)
            return name, bytes(elf.data[start : start + size])
    raise ElfError(f"{path.name}: no symbol matching {pattern!r}")


def replace_symbol_data(path: Path, pattern: str, new: bytes) -> tuple[int, int]:
    """Put *new* in place of the data of the symbol matching *pattern*; returns old, new size.

    Works for a library laid out as a data-only library is (``libicudata``): the symbol's data
    ends its section and its loadable segment, and nothing after it is referred to by address
    from before it. Everything after the data moves down; headers that point past it follow.
    Anything else raises :class:`ElfError` and leaves the file as it was.
    """
    elf = Elf.read(path)
    matches = [s for s in elf.symbols() if re.fullmatch(pattern, s[0])]
    if len(matches) != 1:
        raise ElfError(f"{path.name}: expected one symbol matching {pattern!r}")
    name, shndx, value, old_size = matches[0]
    section = elf.sections[shndx]
    start = elf._offset_of(value)
    cut = start + old_size
    if section[4] + section[5] != cut:
        raise ElfError(f"{path.name}: {name} does not end its section")
    if len(new) > old_size:
        raise ElfError(f"{path.name}: the new data is larger than the old")
    # Move everything after the old data down by a multiple of the largest alignment used, so
    # every section and segment keeps its alignment and file offsets keep matching addresses.
    align = max([16] + [s[8] for s in elf.sections] + [p[7] for p in elf.segments if p[0] != 1])
    delta = (old_size - len(new)) // align * align
    if delta == 0:
        return old_size, old_size
    cut_address = value + old_size
    for tag, addr in elf.dynamic():
        if tag in _ADDRESS_TAGS and addr >= cut_address:
            raise ElfError(f"{path.name}: dynamic tag {tag:#x} points past {name}")
    if any(v >= cut_address for n, _s, v, _z in elf.symbols() if n != name):
        raise ElfError(f"{path.name}: another symbol lies past {name}")

    padding = old_size - len(new) - delta  # < align: zero bytes after the new data
    body = bytes(elf.data[:start]) + new + bytes(padding) + bytes(elf.data[cut:])
    out = bytearray(body)
    for i, seg in enumerate(elf.segments):
        if seg[2] >= cut:  # after the data: moves down
            seg[2] -= delta
            seg[3] -= delta
            seg[4] -= delta
        elif seg[2] <= start < seg[2] + seg[5]:  # holds the data: shrinks
            if seg[2] + seg[5] != cut:
                raise ElfError(f"{path.name}: {name} does not end its segment")
            seg[5] -= delta
            seg[6] -= delta
        _PHDR.pack_into(out, elf.header[5] + i * elf.header[9], *seg)
    for sec in elf.sections:
        if sec is section:
            sec[5] -= delta
        elif sec[4] >= cut:
            sec[4] -= delta
            if sec[2] & SHF_ALLOC:
                sec[3] -= delta
    if elf.header[6] >= cut:
        elf.header[6] -= delta
    _EHDR.pack_into(out, 0, *elf.header)
    for i, sec in enumerate(elf.sections):
        _SHDR.pack_into(out, elf.header[6] + i * elf.header[11], *sec)
    _set_symbol_size(out, elf, name, len(new))
    path.write_bytes(bytes(out))
    return old_size, len(new)


def _set_symbol_size(out: bytearray, elf: Elf, name: str, size: int) -> None:
    for sec in elf.sections:
        if sec[1] != SHT_DYNSYM:
            continue
        strtab = elf.sections[sec[6]]
        for pos in range(sec[4], sec[4] + sec[5], sec[9] or _SYM.size):
            fields = list(_SYM.unpack_from(out, pos))
            if elf._cstring(strtab[4] + fields[0]) == name:
                fields[5] = size
                _SYM.pack_into(out, pos, *fields)
