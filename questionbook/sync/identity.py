"""Which device this journal is: a copy of it (a restored backup, a copied file) must not write
as the original.

Before writing, each sync looks at its own ``devices/<id>/``: a file there that this journal did
not write (its digest is not among those it recorded) means another copy of the journal wrote as
this device. The journal then takes a new device id. The old id becomes an ordinary device whose
files it reads from where the copies parted (so the edits made after the backup come back), and
nothing already in the folder is overwritten.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from questionbook.i18n import _
from questionbook.sync import bookkeeping as bk
from questionbook.sync import folder
from questionbook.sync.fileformat import FileProblem, parse_file

if TYPE_CHECKING:
    from questionbook.sync.engine import Config, SyncEngine, SyncReport


def check(engine: SyncEngine, cfg: Config, scan: folder.Scan, report: SyncReport) -> Config:
    """Take a new device id if the folder holds files under ours that we did not write."""
    with engine.db.read() as conn:
        written = bk.get_int(conn, bk.WRITTEN)
        foreign: list[int] = []
        for ref in scan.files:
            if ref.device != cfg.device or ref.snapshot:
                continue
            if ref.canonical and ref.seq_hint is not None and ref.seq_hint <= written:
                continue
            try:
                header, _payload, digest = parse_file(folder.read_bytes(ref.path))
            except (FileProblem, ValueError):
                continue
            if header.device == cfg.device and not bk.is_applied(
                conn, header.device, header.seq, digest
            ):
                foreign.append(header.seq)
    if not foreign:
        return cfg
    fork = max(0, min(min(foreign) - 1, written))
    with engine.db.write() as conn:
        clock = engine.clock(conn)
        seen_hlc = clock.value if fork == written else _own_hlc(cfg, fork)
        bk.save_peer(conn, bk.Peer(cfg.device, fork, seen_hlc, cfg.name, None))
        new = dataclasses.replace(cfg, device=engine.device_ids())
        bk.put(conn, bk.DEVICE, new.device)
        bk.put(conn, bk.WRITTEN, 0)
    report.new_device = new.device
    report.problems.append(
        _(
            "another copy of this journal (a restored backup or a copied file) wrote to "
            "the folder as this computer; this journal now writes as a new device ({id})"
        ).format(id=new.device)
    )
    return new


def _own_hlc(cfg: Config, seq: int) -> int:
    """The clock in this device's own change file *seq* (0 if it cannot be read)."""
    if seq <= 0:
        return 0
    try:
        data = folder.read_bytes(folder.own_dir(cfg.folder, cfg.device) / folder.change_name(seq))
        return parse_file(data)[0].hlc
    except (FileProblem, ValueError):
        return 0
