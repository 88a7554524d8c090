"""What the command line and the app call: set up, sync now, status, conflicts.

The app's sync round needs, and finds here: :meth:`SyncService.sync` (on start, after writes,
when the folder changes), :meth:`SyncService.has_news` (cheap enough for a file watcher's
every event: it lists file names, reads none), :meth:`SyncService.status` (the status bar and
Settings → Sync), :meth:`SyncService.conflicts` and :meth:`SyncService.resolve` (the "edited on
two computers — compare" banner).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from questionbook.core import journal_settings, rows
from questionbook.core.errors import InvalidValue
from questionbook.core.store import Store
from questionbook.core.timeutil import utcnow
from questionbook.i18n import _
from questionbook.settings import Settings
from questionbook.sync import bookkeeping as bk
from questionbook.sync import folder, snapshot
from questionbook.sync.codecs import PayloadCodec
from questionbook.sync.engine import Config, SyncEngine, SyncReport


@dataclass(frozen=True)
class ConflictCopy:
    """A text that lost a merge, beside the field's value now (for "compare")."""

    id: str
    entry_id: str | None
    table: str
    row_key: list[Any]
    field: str
    value: str
    current: Any
    lost_at: datetime
    lost_device: str
    resolved_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entry_id": self.entry_id,
            "table": self.table,
            "key": self.row_key,
            "field": self.field,
            "value": self.value,
            "current": self.current,
            "lost_at": self.lost_at.isoformat(timespec="seconds"),
            "lost_device": self.lost_device,
            "resolved": self.resolved_at is not None,
        }


@dataclass(frozen=True)
class DeviceStatus:
    id: str
    name: str
    this_device: bool
    last_seen: datetime | None
    files_read: int
    files_seen: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "this_device": self.this_device,
            "last_seen": self.last_seen.isoformat(timespec="seconds") if self.last_seen else None,
            "files_read": self.files_read,
            "files_seen": self.files_seen,
        }


@dataclass
class SyncStatus:
    enabled: bool
    folder: Path | None = None
    device: str | None = None
    name: str = ""
    folder_found: bool = False
    last_sync: datetime | None = None
    pending_changes: int = 0
    unsent_files: int = 0
    conflicts: int = 0
    devices: list[DeviceStatus] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "folder": str(self.folder) if self.folder else None,
            "device": self.device,
            "name": self.name,
            "folder_found": self.folder_found,
            "last_sync": self.last_sync.isoformat(timespec="seconds") if self.last_sync else None,
            "pending_changes": self.pending_changes,
            "unsent_files": self.unsent_files,
            "conflicts": self.conflicts,
            "devices": [d.to_json() for d in self.devices],
            "waiting": self.waiting,
            "problems": self.problems,
        }


class SyncService:
    """Sync for one journal. *codec* packs the files this journal writes (issue 15 passes one
    that encrypts); *codecs* are more it can read."""

    def __init__(
        self,
        db: Store,
        *,
        codec: PayloadCodec | None = None,
        codecs: Iterable[PayloadCodec] = (),
        engine: SyncEngine | None = None,
    ) -> None:
        self.db = db
        if engine is None:
            if codec is None:  # an encrypted journal seals its files (issue 15)
                from questionbook.sync.sealed_codec import codec_for

                codec = codec_for(db)
            kwargs: dict[str, Any] = {"codecs": codecs}
            if codec is not None:
                kwargs["codec"] = codec
            engine = SyncEngine(db, **kwargs)
        self.engine = engine

    # -- setting up -----------------------------------------------------------------------------
    def config(self) -> Config | None:
        return self.engine.config()

    @property
    def enabled(self) -> bool:
        return self.config() is not None

    def enable(self, where: Path, settings: Settings | None = None) -> SyncReport:
        """Sync through *where* from now on (this computer's review settings become the
        journal's where it has none yet), then sync once."""
        if settings is not None:
            with self.db.write() as conn:
                journal_settings.seed(conn, settings)
        queued = self.engine.enable(where)
        report = self.sync()
        report.sent += queued
        return report

    def disable(self) -> None:
        self.engine.disable()

    def rename(self, name: str) -> str:
        """Call this computer *name* in the folder from now on (its next files and
        ``state.json`` say it; other computers show it). Returns the name as kept."""
        clean = " ".join(name.split())[:64]
        if not clean:
            raise InvalidValue(_("the computer's name cannot be empty"))
        self.engine.require()
        with self.db.write() as conn:
            bk.put(conn, bk.NAME, clean)
        return clean

    # -- syncing --------------------------------------------------------------------------------
    def sync(self) -> SyncReport:
        report = self.engine.sync()
        with self.db.write() as conn:
            bk.put(
                conn,
                bk.REPORT,
                json.dumps({"waiting": report.waiting, "problems": report.problems}),
            )
        return report

    def has_news(self) -> bool:
        """True if the folder holds change files this journal has not read (names only)."""
        cfg = self.config()
        if cfg is None:
            return False
        scan = folder.scan(cfg.folder)
        with self.db.read() as conn:
            peers = bk.peers(conn)
        for ref in scan.files:
            if ref.device == cfg.device or ref.snapshot or ref.seq_hint is None:
                continue
            read = peers[ref.device].applied_seq if ref.device in peers else 0
            if ref.seq_hint > read:
                return True
        return False

    def has_local_changes(self) -> bool:
        """True if this journal holds changes not yet written to the folder (cheap: the app
        asks after every write whether a sync has anything to send)."""
        if self.config() is None:
            return False
        with self.db.read() as conn:
            found = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM sync_outbox) OR EXISTS (SELECT 1 FROM sync_unsent)"
            ).fetchone()
        return bool(found[0])

    def write_snapshot(self) -> Path:
        return snapshot.write_snapshot(self.engine)

    def compact(self) -> int:
        """Snapshot, then delete this device's files every device has read. Returns how many."""
        return snapshot.compact(self.engine)

    # -- status ---------------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        cfg = self.config()
        if cfg is None:
            return SyncStatus(enabled=False)
        with self.db.read() as conn:
            peers = bk.peers(conn)
            pending = conn.execute("SELECT count(DISTINCT tbl || key) FROM sync_outbox").fetchone()
            unsent = conn.execute("SELECT count(*) FROM sync_unsent").fetchone()
            conflicts = conn.execute(
                "SELECT count(*) FROM conflict_copy WHERE resolved_at IS NULL"
            ).fetchone()
            last = bk.get(conn, bk.LAST_SYNC)
            report = json.loads(bk.get(conn, bk.REPORT) or "{}")
        status = SyncStatus(
            enabled=True,
            folder=cfg.folder,
            device=cfg.device,
            name=cfg.name,
            folder_found=cfg.folder.is_dir(),
            last_sync=datetime.fromisoformat(last) if last else None,
            pending_changes=int(pending[0]),
            unsent_files=int(unsent[0]),
            conflicts=int(conflicts[0]),
            waiting=list(report.get("waiting", [])),
            problems=list(report.get("problems", [])),
        )
        scan = folder.scan(cfg.folder) if status.folder_found else folder.Scan()
        seen: dict[str, int] = {}
        for ref in scan.files:
            if not ref.snapshot and ref.seq_hint is not None:
                seen[ref.device] = max(seen.get(ref.device, 0), ref.seq_hint)
        for device in sorted(set(seen) | set(peers) | set(scan.states) | {cfg.device}):
            state = scan.states.get(device, {})
            peer = peers.get(device)
            updated = state.get("updated")
            last_seen = peer.last_seen if peer else None
            if isinstance(updated, str):
                with contextlib.suppress(ValueError):
                    last_seen = datetime.fromisoformat(updated)
            mine = device == cfg.device
            status.devices.append(
                DeviceStatus(
                    id=device,
                    name=cfg.name
                    if mine
                    else str(state.get("name") or (peer.name if peer else "")),
                    this_device=mine,
                    last_seen=last_seen,
                    files_read=seen.get(device, 0) if mine else (peer.applied_seq if peer else 0),
                    files_seen=seen.get(device, 0),
                )
            )
        return status

    # -- conflicts ------------------------------------------------------------------------------
    def conflicts(
        self, entry_id: str | None = None, *, include_resolved: bool = False
    ) -> list[ConflictCopy]:
        """Conflict copies, newest first (of one entry, if given; unresolved unless asked)."""
        where, params = [], []
        if entry_id is not None:
            where.append("entry_id = ?")
            params.append(entry_id)
        if not include_resolved:
            where.append("resolved_at IS NULL")
        sql = (
            "SELECT id, entry_id, table_name, row_key, field_name, value, lost_at, lost_device, "
            "resolved_at FROM conflict_copy"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY lost_at DESC, id"
        )
        from questionbook.sync.plan import PLANS

        out = []
        with self.db.read() as conn:
            for cid, eid, table, key, fld, value, lost_at, device, resolved in conn.execute(
                sql, params
            ).fetchall():
                row_key = json.loads(key)
                current = None
                plan = PLANS.get(table)
                if plan is not None and fld in plan.values:
                    found = conn.execute(
                        f"SELECT {fld} FROM {table} WHERE {plan.where_key()}", row_key
                    ).fetchone()
                    current = found[0] if found else None
                out.append(
                    ConflictCopy(
                        id=cid,
                        entry_id=eid,
                        table=table,
                        row_key=row_key,
                        field=fld,
                        value=value,
                        current=current,
                        lost_at=rows.decode_time(lost_at),
                        lost_device=device,
                        resolved_at=rows.decode_time(resolved),
                    )
                )
        return out

    def resolve(self, copy_ids: Iterable[str], *, now: datetime | None = None) -> int:
        """Mark conflict copies as looked at (they stay in the journal, hidden); the mark
        travels. Returns how many changed."""
        stamp = rows.encode("time", now or utcnow())
        changed = 0
        with self.db.write() as conn:
            for cid in copy_ids:
                changed += conn.execute(
                    "UPDATE conflict_copy SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL",
                    (stamp, cid),
                ).rowcount
        return changed

    # -- journal settings -----------------------------------------------------------------------
    def journal_settings(self, settings: Settings) -> Settings:
        """*settings* with the values the journal holds (review day and time, week start)."""
        with self.db.read() as conn:
            return journal_settings.overlay(settings, journal_settings.read(conn))

    def set_journal_settings(self, **values: Any) -> None:
        with self.db.write() as conn:
            journal_settings.write(conn, values)
