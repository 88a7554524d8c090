"""One sync: send this journal's changes, receive the others' in causal order, report.

1. Write change files made earlier but not yet in the folder (``sync_unsent``).
2. Look at the folder. A file under this journal's own device id that it did not write means
   the journal was restored from a backup or copied to another computer: it takes a new
   device id and reads the old id's files like any other device's (nothing is overwritten).
3. Stamp the outbox (local changes) into change files and write them.
4. Read the other devices' new files, whole and checksummed; put them in causal order (a
   device's files by number, each only after the files its writer had applied) and apply them
   in transactions of bounded size, each of which first stamps whatever was edited meanwhile
   (so a remote value never overwrites an unsent local edit unseen). A joining journal starts
   from the best snapshot instead of years of files.
5. Send what applying produced (conflict copies, rows revived after a purge lost) and write
   this device's ``state.json``.

Only ``devices/<own id>/`` is ever written; nothing is deleted except by
:func:`questionbook.sync.snapshot.compact`, and only this device's own files.
"""

from __future__ import annotations

import contextlib
import platform
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from questionbook.core.errors import SyncError
from questionbook.core.store import Store
from questionbook.i18n import _
from questionbook.storage.probe import HEAD_REVISION, KNOWN_REVISIONS
from questionbook.sync import bookkeeping as bk
from questionbook.sync import capture, folder, identity, snapshot
from questionbook.sync.codecs import (
    DEFAULT_CODEC,
    PayloadCodec,
    PayloadTooLarge,
    PayloadUnreadable,
    codec_table,
)
from questionbook.sync.derive import Deriver, fix_references
from questionbook.sync.export import FILE_CHANGES, Stamper, pack
from questionbook.sync.fileformat import CHANGES, FileProblem, Header, Incomplete, parse_file
from questionbook.sync.hlc import Clock, now_ms
from questionbook.sync.merge import Applier, Memo, revive
from questionbook.sync.records import BadRecord, Change, load_lines

#: A change file's payload may unpack to this many bytes at most (a zip bomb is refused).
MAX_UNPACKED = 1 << 30


@dataclass
class SyncReport:
    """What one sync did."""

    sent: int = 0
    received: int = 0
    conflicts: int = 0
    files_written: int = 0
    files_applied: int = 0
    unsent_files: int = 0
    waiting: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    new_device: str | None = None

    def to_json(self) -> dict[str, int]:
        """The command line's ``sync --json`` object: exactly these keys."""
        return {"sent": self.sent, "received": self.received, "conflicts": self.conflicts}


@dataclass(frozen=True)
class Config:
    device: str
    folder: Path
    name: str


@dataclass
class Incoming:
    """A complete, checksummed change file from another device."""

    ref: folder.FileRef
    header: Header
    payload: bytes
    digest: str

    @property
    def ident(self) -> tuple[str, int, str]:
        return (self.header.device, self.header.seq, self.digest)


def new_device_id() -> str:
    return secrets.token_hex(8)


def device_name() -> str:
    return (platform.node() or "computer")[:64]


class SyncEngine:
    def __init__(
        self,
        db: Store,
        *,
        codec: PayloadCodec = DEFAULT_CODEC,
        codecs: Iterable[PayloadCodec] = (),
        name: str | None = None,
        file_changes: int = FILE_CHANGES,
        now: Callable[[], int] = now_ms,
        device_ids: Callable[[], str] = new_device_id,
    ) -> None:
        self.db = db
        self.now = now
        self.device_ids = device_ids
        self.codec = codec
        self.codecs = codec_table(codec, *codecs)
        self.name = name or device_name()
        self.file_changes = file_changes

    def clock(self, conn: sqlite3.Connection) -> Clock:
        """The journal's clock as stored (save it back with ``bk.put(conn, bk.CLOCK, ...)``)."""
        return Clock(bk.get_int(conn, bk.CLOCK), self.now)

    # -- configuration ---------------------------------------------------------------------
    def config(self) -> Config | None:
        with self.db.read() as conn:
            return self._config(conn)

    @staticmethod
    def _config(conn: sqlite3.Connection) -> Config | None:
        device, where = bk.get(conn, bk.DEVICE), bk.get(conn, bk.FOLDER)
        if not device or not where:
            return None
        return Config(device, Path(where), bk.get(conn, bk.NAME) or "")

    def require(self) -> Config:
        cfg = self.config()
        if cfg is None:
            raise SyncError(_("sync is not set up: run 'questionbook sync --folder DIR' first"))
        return cfg

    def enable(self, where: Path) -> int:
        """Sync this journal through *where* (created if missing); returns how many changes it
        queued (every row, the first time). Setting a different folder starts afresh there: a
        new device id, every row sent again."""
        where = Path(where).expanduser().absolute()
        if where.exists() and not where.is_dir():
            raise SyncError(_("{path} is not a folder").format(path=where))
        try:
            where.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise SyncError(
                _("cannot use {path} as the sync folder: {reason}").format(
                    path=where, reason=exc.strerror or exc
                )
            ) from exc
        current = self.config()
        if current is not None and current.folder == where:
            return 0
        with self.db.write() as conn:
            _reset(conn)
            cfg = Config(self.device_ids(), where, self.name)
            bk.put(conn, bk.DEVICE, cfg.device)
            bk.put(conn, bk.FOLDER, str(where))
            bk.put(conn, bk.NAME, cfg.name)
            bk.put(conn, bk.WRITTEN, 0)
            capture.install(conn)
            clock = self.clock(conn)
            stamper = Stamper(conn, clock, cfg.device)
            return self._pack(conn, clock, cfg, stamper.whole_journal())

    def disable(self) -> None:
        """Stop syncing: the triggers go, and so does the bookkeeping (turning sync on again
        later is a fresh start; nothing in the journal itself changes)."""
        cfg = self.config()
        if cfg is not None:
            with contextlib.suppress(OSError, SyncError):  # the journal keeps every change
                self._flush(cfg, SyncReport())
        with self.db.write() as conn:
            capture.remove(conn)
            _reset(conn)

    # -- one sync ----------------------------------------------------------------------------
    def sync(self) -> SyncReport:
        cfg = self.require()
        report = SyncReport()
        if not cfg.folder.is_dir():
            raise SyncError(
                _("the sync folder {path} is missing (not mounted?); changes wait here").format(
                    path=cfg.folder
                )
            )
        self._flush(cfg, report)
        folder.clean_own_temp(cfg.folder, cfg.device)
        scan = folder.scan(cfg.folder)
        report.problems += scan.problems
        cfg = identity.check(self, cfg, scan, report)
        with self.db.write() as conn:
            if not capture.is_current(conn):
                capture.install(conn)  # a migration rebuilt a table, or sync was re-enabled
            report.sent += self._stamp(conn, cfg)
        self._flush(cfg, report)
        snapshot.join_if_needed(self, cfg, scan, report)
        incoming = self._candidates(cfg, scan, report)
        ordered = self._order(cfg, incoming, report)
        self._apply(cfg, ordered, report)
        with self.db.write() as conn:
            report.sent += self._stamp(conn, cfg)
            bk.put(conn, bk.LAST_SYNC, datetime.now(UTC).isoformat(timespec="seconds"))
        self._flush(cfg, report)
        self._write_state(cfg)
        return report

    def _pack(
        self, conn: sqlite3.Connection, clock: Clock, cfg: Config, changes: Iterable[Change]
    ) -> int:
        return pack(
            conn,
            changes,
            device=cfg.device,
            clock=clock,
            codec=self.codec,
            schema=HEAD_REVISION,
            name=cfg.name,
            size=self.file_changes,
        )

    def _stamp(self, conn: sqlite3.Connection, cfg: Config) -> int:
        clock = self.clock(conn)
        return self._pack(conn, clock, cfg, Stamper(conn, clock, cfg.device).outbox())

    def _flush(self, cfg: Config, report: SyncReport) -> None:
        """Write the change files waiting in the journal; on failure they keep waiting."""
        with self.db.read() as conn:
            waiting = conn.execute("SELECT seq, data FROM sync_unsent ORDER BY seq").fetchall()
        done: list[int] = []
        try:
            for seq, data in waiting:
                # Written under the id it was made with (a journal that took a new id still
                # owns its old one's files).
                header, _payload, digest = parse_file(bytes(data))
                name = folder.change_name(int(seq))
                try:
                    folder.write_own(cfg.folder, header.device, name, bytes(data))
                except FileExistsError:
                    # Another copy of this journal wrote that number: keep ours beside it.
                    alt = f"{int(seq):012d}-{digest[:8]}{folder.CHANGES_SUFFIX}"
                    folder.write_own(cfg.folder, header.device, alt, bytes(data))
                done.append(int(seq))
                report.files_written += 1
        except OSError as exc:
            report.problems.append(
                _("could not write to the sync folder: {reason}").format(reason=exc.strerror or exc)
            )
        finally:
            if done:
                with self.db.write() as conn:
                    conn.executemany("DELETE FROM sync_unsent WHERE seq = ?", [(s,) for s in done])
            report.unsent_files = len(waiting) - len(done)

    # -- receiving ---------------------------------------------------------------------------
    def _candidates(self, cfg: Config, scan: folder.Scan, report: SyncReport) -> list[Incoming]:
        with self.db.read() as conn:
            peers = bk.peers(conn)
            out: list[Incoming] = []
            for ref in scan.files:
                if ref.device == cfg.device or ref.snapshot:
                    continue
                applied = peers[ref.device].applied_seq if ref.device in peers else 0
                if ref.canonical and ref.seq_hint is not None and ref.seq_hint <= applied:
                    continue
                try:
                    header, payload, digest = parse_file(folder.read_bytes(ref.path))
                except Incomplete:
                    report.waiting.append(
                        _("{file}: still arriving; read next time").format(file=ref.name)
                    )
                    continue
                except (FileProblem, ValueError) as exc:
                    report.problems.append(f"{ref.path}: {exc}")
                    continue
                if header.device != ref.device or header.kind != CHANGES:
                    report.problems.append(
                        _("{file}: claims to be from another device (ignored)").format(
                            file=ref.path
                        )
                    )
                    continue
                if bk.is_applied(conn, header.device, header.seq, digest):
                    continue
                out.append(Incoming(ref, header, payload, digest))
        unique = {inc.ident: inc for inc in out}  # an engine's conflict copy of the same file
        return sorted(unique.values(), key=lambda i: (i.header.device, i.header.seq, i.digest))

    def _order(self, cfg: Config, incoming: list[Incoming], report: SyncReport) -> list[Incoming]:
        """*incoming* in an order that applies every file after the files it depends on; files
        that must wait are reported and left out."""
        with self.db.read() as conn:
            applied = {d: p.applied_seq for d, p in bk.peers(conn).items()}
        pending = list(incoming)
        ordered: list[Incoming] = []
        blocked: dict[tuple[str, int, str], str] = {}
        progress = True
        while progress:
            progress = False
            for inc in list(pending):
                h = inc.header
                reason = self._blocked(cfg, h, applied)
                if reason:
                    blocked[inc.ident] = reason
                    continue
                ordered.append(inc)
                pending.remove(inc)
                blocked.pop(inc.ident, None)
                applied[h.device] = max(applied.get(h.device, 0), h.seq)
                progress = True
        for inc in pending:
            report.waiting.append(f"{inc.ref.name} ({inc.header.name}): {blocked[inc.ident]}")
        return ordered

    def _blocked(self, cfg: Config, h: Header, applied: dict[str, int]) -> str:
        if h.schema not in KNOWN_REVISIONS:
            return _("written by a newer QuestionBook; update this one to read it")
        if h.codec not in self.codecs:
            return _("packed in a way this journal cannot read ({codec})").format(codec=h.codec)
        have = applied.get(h.device, 0)
        if h.seq > have + 1:
            return _("waiting for change file {n} of that device").format(n=have + 1)
        for dev, (seq, _stamp) in h.deps.items():
            if dev != cfg.device and applied.get(dev, 0) < seq:
                return _("waiting for changes from device {id} it builds on").format(id=dev)
        return ""

    def _apply(self, cfg: Config, ordered: list[Incoming], report: SyncReport) -> None:
        memo = Memo()
        start = 0
        while start < len(ordered):
            batch: list[Incoming] = []
            size = 0
            while start < len(ordered) and (not batch or size < self.file_changes):
                batch.append(ordered[start])
                size += ordered[start].header.records
                start += 1
            self._apply_batch(cfg, batch, report, memo)

    def _apply_batch(
        self, cfg: Config, batch: list[Incoming], report: SyncReport, memo: Memo
    ) -> None:
        with self.db.write() as conn:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            report.sent += self._stamp(conn, cfg)  # edits made meanwhile are versioned first
            peers = bk.peers(conn)
            known = {d: p.known_hlc for d, p in peers.items()}
            deriver = Deriver(conn)
            applier = Applier(conn, cfg.device, known, deriver.prefill, memo)
            clock = self.clock(conn)
            with capture.quiet(conn):
                for inc in batch:
                    h = inc.header
                    if bk.is_applied(conn, h.device, h.seq, inc.digest):
                        continue  # another sync of this journal got there first
                    changes = self._decode(inc, report)
                    if changes is not None:
                        applier.apply(inc.header, changes)
                        report.files_applied += 1
                    bk.mark_applied(conn, h.device, h.seq, inc.digest)
                    peer = peers.setdefault(h.device, bk.Peer(h.device))
                    peer.applied_seq = _contiguous(conn, h.device, peer.applied_seq)
                    peer.known_hlc = max(peer.known_hlc, known.get(h.device, 0))
                    peer.name = h.name or peer.name
                    peer.last_seen = _parse_time(h.created) or peer.last_seen
                    clock.observe(h.hlc)
                result = applier.result
                deriver.run(result.touched)
                if fix_references(conn, result.touched):
                    memo.forget()
                revive(conn, result.revive)
            for peer in peers.values():
                bk.save_peer(conn, peer)
            bk.put(conn, bk.CLOCK, clock.value)
        report.received += result.received
        report.conflicts += result.conflicts

    def _decode(self, inc: Incoming, report: SyncReport) -> list[Change] | None:
        codec = self.codecs[inc.header.codec]
        try:
            lines = codec.decode(inc.payload, MAX_UNPACKED)
            return list(load_lines(lines))
        except (PayloadTooLarge, PayloadUnreadable, BadRecord) as exc:
            report.problems.append(
                _("{file}: cannot be read ({reason}); passed over").format(
                    file=inc.ref.path, reason=exc
                )
            )
            return None

    # -- this device's state file ------------------------------------------------------------
    def _write_state(self, cfg: Config) -> None:
        import json

        with self.db.read() as conn:
            state = state_json(conn, cfg)
        with contextlib.suppress(OSError):  # only status and compaction read it: next time
            folder.replace_own(
                cfg.folder,
                cfg.device,
                folder.STATE_FILE,
                json.dumps(state, ensure_ascii=False, indent=1).encode(),
            )


def state_json(conn: sqlite3.Connection, cfg: Config) -> dict[str, Any]:
    return {
        "format": 1,
        "device": cfg.device,
        "name": cfg.name,
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        "written": bk.get_int(conn, bk.WRITTEN),
        "applied": {d: p.applied_seq for d, p in sorted(bk.peers(conn).items())},
    }


def _contiguous(conn: sqlite3.Connection, device: str, start: int) -> int:
    have = bk.applied_seqs(conn, device, start)
    n = start
    while n + 1 in have:
        n += 1
    return n


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _reset(conn: sqlite3.Connection) -> None:
    for table in ("sync_state", "sync_peer", "sync_version", "sync_applied", "sync_outbox"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM sync_unsent")
