"""The payload codec hook (for issue 15's encrypted change files) and settings that travel."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from questionbook.settings import Settings
from questionbook.sync.codecs import PayloadUnreadable
from questionbook.sync.engine import SyncEngine
from questionbook.sync.service import SyncService
from tests.sync.helpers import Device

Make = Callable[..., Device]


class XorCodec:
    """A stand-in for an encrypting codec: without the key the payload is noise."""

    name = "xor-test"

    def __init__(self, key: int) -> None:
        self.key = key

    def encode(self, data: bytes) -> bytes:
        return bytes(b ^ self.key for b in zlib.compress(data))

    def decode(self, data: bytes, limit: int) -> bytes:
        try:
            return zlib.decompress(bytes(b ^ self.key for b in data))
        except zlib.error as exc:
            raise PayloadUnreadable(str(exc)) from exc


def test_files_packed_by_a_codec_hold_no_text_and_need_the_codec(
    make_device: Make, tmp_path
) -> None:
    a, b, c = (make_device(n, enable=False) for n in "abc")
    for d in (a, b):
        d.engine = SyncEngine(d.db, name=d.name, codec=XorCodec(0x5A))
    for d in (a, b, c):
        d.enable()
    a.journal.add("A secret question about 电梯", "nobody should read this")
    a.sync()
    data = b"".join(p.read_bytes() for p in (tmp_path / "folder").rglob("*.qbchanges"))
    assert "电梯".encode() not in data and b"secret" not in data
    b.sync()
    assert b.journal.find()[0].title == "A secret question about 电梯"
    report = c.sync()  # no codec: the file waits, nothing breaks
    assert c.journal.find() == [] and any("xor-test" in w for w in report.waiting)


def test_this_computers_review_settings_become_the_journals(make_device: Make) -> None:
    a = make_device("a", enable=False)
    mine = Settings(review_weekday=3, review_time="07:15", week_start=7, theme="dark")
    SyncService(a.db, engine=a.engine).enable(a.folder, mine)
    b = make_device("b")
    b.sync()
    got = SyncService(b.db).journal_settings(Settings())
    assert (got.review_weekday, got.review_time, got.week_start) == (3, "07:15", 7)
    assert got.theme == "system"  # look and feel stays on each computer
