"""Snapshots: the whole journal at once, so a new computer does not replay years of files.

A snapshot holds every synced row as it stands, with its field versions, and the vector of
change files it covers (each device's number and clock). A journal joining a folder (or one
whose missing files were compacted away) applies the best snapshot like a change file whose
writer had seen everything it covers — rows it has that the snapshot's writer had seen and no
longer has were deleted there — and then reads only the files after it. Joining merges: the
joining journal's own rows were sent first and meet the folder's as concurrent changes.

Compaction writes a snapshot, then deletes this device's own change files that the snapshot
covers and every device that keeps a ``state.json`` in the folder has applied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.errors import SyncError
from questionbook.i18n import _, ngettext
from questionbook.storage.probe import HEAD_REVISION, KNOWN_REVISIONS
from questionbook.sync import bookkeeping as bk
from questionbook.sync import capture, folder
from questionbook.sync.derive import Deriver, fix_references
from questionbook.sync.fileformat import (
    SNAPSHOT,
    FileProblem,
    Header,
    encode_file,
    parse_file,
    read_header,
)
from questionbook.sync.merge import Applier, Memo, covered, revive, writer_clocks
from questionbook.sync.plan import PLANS, canon
from questionbook.sync.records import PUT, Change, dump_lines, load_lines

if TYPE_CHECKING:
    from questionbook.sync.engine import Config, SyncEngine, SyncReport

#: A snapshot may unpack to this many bytes at most (a whole journal: larger than a change file).
MAX_UNPACKED = 2 << 30


def snapshot_changes(conn: sqlite3.Connection) -> Iterator[Change]:
    """Every synced row as it stands, with its versions."""
    for plan in PLANS.values():
        versions = {}
        if plan.policy != "log":
            versions = {
                key: text
                for key, text in conn.execute(
                    "SELECT key, versions FROM sync_version WHERE tbl = ?", (plan.name,)
                )
            }
        for row in conn.execute(plan.select()):  # streamed: a journal can be large
            key, values = plan.split(row)
            if plan.policy == "log":
                yield Change(plan.name, key, PUT, values, full=True)
                continue
            found = bk.decode_versions(versions.get(canon(key)))
            yield Change(plan.name, key, PUT, values, versions=found or {}, full=True)


def write_snapshot(engine: SyncEngine) -> Path:
    """Write a snapshot of this journal into this device's folder; returns its path."""
    cfg = engine.require()
    with engine.db.write() as conn:  # local edits are stamped first, so every value has a version
        engine._stamp(conn, cfg)
        written = bk.get_int(conn, bk.WRITTEN)
        clock = engine.clock(conn)
        deps = {p.device: (p.applied_seq, p.known_hlc) for p in bk.peers(conn).values()}
        deps[cfg.device] = (written, clock.value)
        lines, n = dump_lines(snapshot_changes(conn))
    payload = engine.codec.encode(lines)
    header = Header(
        kind=SNAPSHOT,
        device=cfg.device,
        seq=written,
        hlc=clock.value,
        deps=deps,
        codec=engine.codec.name,
        schema=HEAD_REVISION,
        records=n,
        length=len(payload),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        name=cfg.name,
    )
    engine._flush(cfg, _report())
    data = encode_file(header, payload)
    name = folder.snapshot_name(written)
    target = folder.own_dir(cfg.folder, cfg.device) / name
    if target.exists():
        folder.delete_own(target, cfg.folder, cfg.device)  # an older snapshot of the same point
    try:
        return folder.write_own(cfg.folder, cfg.device, name, data)
    except OSError as exc:
        raise SyncError(
            _("could not write the snapshot: {reason}").format(reason=exc.strerror or exc)
        ) from exc


def _report() -> SyncReport:
    from questionbook.sync.engine import SyncReport

    return SyncReport()


def compact(engine: SyncEngine) -> int:
    """Write a snapshot, then delete this device's change files and older snapshots that it
    covers and that every device with a state file has read. Returns how many were deleted."""
    cfg = engine.require()
    snap = write_snapshot(engine)
    covered_seq = int(snap.name.split("-")[1].split(".")[0])
    scan = folder.scan(cfg.folder)
    floor = covered_seq
    for device, state in scan.states.items():
        if device == cfg.device:
            continue
        applied = state.get("applied") or {}
        try:
            floor = min(floor, int(applied.get(cfg.device, 0)))
        except (TypeError, ValueError):
            floor = 0
    deleted = 0
    for ref in scan.files:
        if ref.device != cfg.device or ref.path == snap:
            continue
        seq = ref.seq_hint
        if seq is None:
            continue
        if (ref.snapshot and seq < covered_seq) or (not ref.snapshot and seq <= floor):
            folder.delete_own(ref.path, cfg.folder, cfg.device)
            deleted += 1
    return deleted


# -- joining ----------------------------------------------------------------------------------
def join_if_needed(engine: SyncEngine, cfg: Config, scan: folder.Scan, report: SyncReport) -> bool:
    """Apply the best snapshot if this journal is new to the folder, or if the next file it
    needs from some device is not there (compacted away) and a snapshot covers it. Returns True
    if one was applied."""
    with engine.db.read() as conn:
        applied = {d: p.applied_seq for d, p in bk.peers(conn).items()}
    present = {
        (ref.device, ref.seq_hint)
        for ref in scan.files
        if not ref.snapshot and ref.seq_hint is not None
    }
    others = scan.devices() - {cfg.device}
    new = not any(applied.get(d, 0) for d in others)

    def stuck(device: str) -> bool:
        return (device, applied.get(device, 0) + 1) not in present

    best: tuple[int, folder.FileRef, Header] | None = None
    for ref in scan.files:
        if not ref.snapshot or ref.device == cfg.device:
            continue
        header = _snapshot_header(engine, ref)
        if header is None:
            continue
        ahead = {d for d, (seq, _h) in header.deps.items() if seq > applied.get(d, 0)}
        ahead.discard(cfg.device)
        if not ahead or not (new or any(stuck(d) for d in ahead)):
            continue
        gain = sum(header.deps[d][0] - applied.get(d, 0) for d in ahead)
        if best is None or gain > best[0]:
            best = (gain, ref, header)
    if best is None:
        gaps = {
            d
            for d in others
            if stuck(d) and any(dev == d and seq > applied.get(d, 0) for dev, seq in present)
        }
        if gaps:
            report.waiting.append(
                ngettext(
                    "files of {n} device are missing and no snapshot covers them",
                    "files of {n} devices are missing and no snapshot covers them",
                    len(gaps),
                ).format(n=len(gaps))
            )
        return False
    try:
        header, payload, _digest = parse_file(folder.read_bytes(best[1].path))
        changes = list(load_lines(engine.codecs[header.codec].decode(payload, MAX_UNPACKED)))
    except (FileProblem, ValueError) as exc:
        report.problems.append(f"{best[1].path}: {exc}")
        return False
    apply_snapshot(engine, cfg, header, changes, report)
    return True


def _snapshot_header(engine: SyncEngine, ref: folder.FileRef) -> Header | None:
    """A usable snapshot's header (read from the start of the file only), or None."""
    try:
        with open(ref.path, "rb") as fh:
            header = read_header(fh.read(1 << 20))
    except (OSError, FileProblem):
        return None
    if header.kind != SNAPSHOT or header.device != ref.device:
        return None
    if header.schema not in KNOWN_REVISIONS or header.codec not in engine.codecs:
        return None
    return header


def apply_snapshot(
    engine: SyncEngine, cfg: Config, header: Header, changes: list[Change], report: SyncReport
) -> None:
    """Apply a snapshot in transactions of bounded size (the app keeps writing meanwhile); the
    rows it no longer has are deleted, and its vector recorded, in the last one. Killed half
    way, the next sync applies it again: what was applied is seen and passed over."""
    writer = writer_clocks(header)
    present: dict[str, set[str]] = {}
    for change in changes:
        present.setdefault(change.table, set()).add(canon(change.key))
    memo = Memo()
    size = max(1, engine.file_changes)
    parts = [changes[i : i + size] for i in range(0, len(changes), size)] or [[]]
    for number, part in enumerate(parts):
        last = number == len(parts) - 1
        with engine.db.write() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            report.sent += engine._stamp(conn, cfg)
            peers = bk.peers(conn)
            known = {d: p.known_hlc for d, p in peers.items()}
            deriver = Deriver(conn)
            applier = Applier(conn, cfg.device, known, deriver.prefill, memo)
            with capture.quiet(conn):
                applier.apply(header, part, last=last)
                if last:
                    _delete_absent(conn, applier, writer, present)
                    applier.flush()
                result = applier.result
                deriver.run(result.touched)
                if fix_references(conn, result.touched):
                    memo.forget()
                revive(conn, result.revive)
            if last:
                _record(conn, engine, cfg, header, peers)
        report.received += result.received
        report.conflicts += result.conflicts
    report.files_applied += 1


def _record(
    conn: sqlite3.Connection,
    engine: SyncEngine,
    cfg: Config,
    header: Header,
    peers: dict[str, bk.Peer],
) -> None:
    """The snapshot's vector is now this journal's for every device it covers."""
    for device, (seq, stamp) in header.deps.items():
        if device == cfg.device:
            continue
        peer = peers.setdefault(device, bk.Peer(device))
        peer.applied_seq = max(peer.applied_seq, seq)
        peer.known_hlc = max(peer.known_hlc, stamp)
        if device == header.device:
            peer.name = header.name
        bk.save_peer(conn, peer)
    clock = engine.clock(conn)
    clock.observe(header.hlc)
    bk.put(conn, bk.CLOCK, clock.value)


def _delete_absent(
    conn: sqlite3.Connection,
    applier: Applier,
    writer: dict[str, int],
    present: dict[str, set[str]],
) -> None:
    """Rows the snapshot's writer had (it had seen one of their versions) but no longer has
    were deleted there: apply that deletion here by the usual rule — the row goes if the writer
    had seen all of it, and is revived (sent again whole) if it changed here meanwhile. Rows
    the writer never knew stay, and reach it through the change files."""
    from questionbook.sync.records import DELETE

    for plan in PLANS.values():
        if plan.policy == "log" or plan.local_deletes:
            continue
        have = present.get(plan.name, set())
        for key, text in conn.execute(
            "SELECT key, versions FROM sync_version WHERE tbl = ?", (plan.name,)
        ).fetchall():
            if key in have:
                continue
            versions = bk.decode_versions(text) or {}
            if any(covered(v, writer) for v in versions.values()):
                import json

                applier.one(Change(plan.name, json.loads(key), DELETE), writer)
