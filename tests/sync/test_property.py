"""Property: journals that edit, rate, tag, trash, restore, purge, review and move the waterline
independently, and sync through an unreliable folder in any order, end identical — and every
text anyone typed is still there (as the value or as a conflict copy) unless someone who saw
it replaced it or purged it.

Each device has its own copy of the folder, as with Syncthing; a simulated sync engine copies
files between the copies late, out of order, twice, cut off (completed later), and as the
engines' conflict copies.
"""

from __future__ import annotations

import os
import random
import shutil
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from questionbook.core.errors import QuestionBookError
from questionbook.sync.service import SyncService
from tests.sync.helpers import Device, FakeTime, content, doctor_ok

TAGS = ("ai", "AI", "x", "y")
FIELDS = ("title", "body", "outcome")
OPS = (
    "add",
    "edit",
    "edit",
    "edit",
    "rate",
    "tag",
    "trash",
    "restore",
    "purge",
    "review",
    "reflect",
    "water",
    "sync",
    "sync",
    "sync",
    "replicate",
    "replicate",
    "replicate",
    "compact",
    "join",
)


class World:
    """The devices, their folder copies, and the texts that must survive."""

    def __init__(self, root: Path, n: int, file_changes: int = 20_000, late: bool = False) -> None:
        self.root = root
        self.time = FakeTime()
        self.devices = [
            Device(f"d{i}", root / f"d{i}.sqlite3", root / f"folder{i}", self.time, i, file_changes)
            for i in range(n)
        ]
        # With *late*, the last device writes on its own for a while and joins later.
        self.joined = {d.name for d in (self.devices[:-1] if late else self.devices)}
        for d in self.devices:
            if d.name in self.joined:
                d.enable()
        self.partial: set[Path] = set()  # cut-off copies, never passed on
        self.removed: set[Path] = set()  # files their device compacted away (relative paths)
        self.must: set[tuple[str, str, str]] = set()  # (entry or review, field, text)
        self.counter = 0

    def text(self) -> str:
        self.counter += 1
        return f"t{self.counter}"

    def close(self) -> None:
        for d in self.devices:
            d.close()

    # -- what a device shows ------------------------------------------------------------------
    def visible(self, d: Device, entry_id: str) -> set[tuple[str, str, str]]:
        found = set()
        for f in FIELDS:
            for (v,) in d.query(f"SELECT {f} FROM entry WHERE id = ?", (entry_id,)):
                found.add((entry_id, f, v))
        for f, v in d.query(
            "SELECT field_name, value FROM conflict_copy WHERE entry_id = ?", (entry_id,)
        ):
            found.add((entry_id, f, v))
        return found

    def pick(self, d: Device, rng: random.Random) -> str | None:
        ids = sorted(r[0] for r in d.query("SELECT id FROM entry"))
        return rng.choice(ids) if ids else None

    # -- operations -----------------------------------------------------------------------------
    def run(self, op: str, d: Device, rng: random.Random) -> None:
        j = d.journal
        if op == "add" or (
            op not in ("sync", "replicate", "water", "reflect", "compact", "join")
            and not self.pick(d, rng)
        ):
            title, body = self.text(), self.text()
            if rng.random() < 0.3:
                body += f" #{rng.choice(TAGS)}"
            e = j.add(
                title,
                body,
                tags=[rng.choice(TAGS)] if rng.random() < 0.3 else [],
                entry_id=str(uuid.UUID(int=self.counter)),  # the same ids on every run
            )
            self.must |= {(e.id, "title", e.title), (e.id, "body", e.body)}
            return
        entry_id = self.pick(d, rng)
        try:
            if op == "edit":
                assert entry_id
                f = rng.choice(FIELDS)
                old = d.query(f"SELECT {f} FROM entry WHERE id = ?", (entry_id,))[0][0]
                new = self.text() + (
                    f" #{rng.choice(TAGS)}" if f == "body" and rng.random() < 0.3 else ""
                )
                j.update(entry_id, **{f: new})
                self.must.discard((entry_id, f, old))
                self.must.add((entry_id, f, new))
            elif op == "rate":
                assert entry_id
                j.rate(entry_id, rng.choice([None, 0, 1, 2, 3, 4]))
            elif op == "tag":
                assert entry_id
                tag = rng.choice(TAGS)
                if rng.random() < 0.5:
                    j.update(entry_id, add_tags=[tag])
                else:
                    j.update(entry_id, remove_tags=[tag])
            elif op == "trash":
                assert entry_id
                j.delete(entry_id)
            elif op == "restore":
                assert entry_id
                j.restore(entry_id)
            elif op == "purge":
                assert entry_id
                self.must -= self.visible(d, entry_id)
                j.purge(entry_id)
            elif op == "review":
                assert entry_id
                state = d.review.start()
                if state.finished:
                    return
                action = rng.choice(("keep", "rerate", "snooze"))
                if action == "keep":
                    d.review.keep(state.id, entry_id)
                elif action == "rerate":
                    d.review.rerate(state.id, entry_id, rng.choice([0, 2, 4]))
                else:
                    d.review.snooze(state.id, entry_id)
            elif op == "reflect":
                state = d.review.start()
                if state.finished:
                    return
                text = self.text()
                self.must.discard((state.period.label, "reflection", state.reflection))
                d.review.set_reflection(state.id, text)
                self.must.add((state.period.label, "reflection", text))
            elif op == "water":
                j.set_waterline(rng.choice([0, 1, 2, 3, 4]), note=rng.choice(["", "n"]))
            elif op == "sync":
                if d.name in self.joined:
                    d.sync()
            elif op == "compact":
                if d.name in self.joined:
                    self.compact(d)
            elif op == "join" and d.name not in self.joined:
                d.enable()
                self.joined.add(d.name)
        except QuestionBookError:
            pass  # e.g. a review of a week already finished: not what is tested here

    def compact(self, d: Device) -> None:
        """Compact *d*'s files; the sync engine passes the deletions on (as Syncthing does)."""
        before = {p.relative_to(d.folder) for p in d.folder.rglob("*") if p.is_file()}
        SyncService(d.db).compact()
        after = {p.relative_to(d.folder) for p in d.folder.rglob("*") if p.is_file()}
        self.removed |= before - after

    # -- the unreliable folder ------------------------------------------------------------------
    def replicate(
        self, src: Device, dst: Device, rng: random.Random, *, full: bool = False
    ) -> None:
        for rel in self.removed:
            (dst.folder / rel).unlink(missing_ok=True)
        files = sorted(p for p in src.folder.rglob("*") if p.is_file() and p not in self.partial)
        if not full:
            files = rng.sample(files, k=rng.randint(0, len(files))) if files else []
        for path in files:
            rel = path.relative_to(src.folder)
            target = dst.folder / rel
            if rel in self.removed:
                continue
            data = path.read_bytes()
            if target.exists() and target not in self.partial and target.read_bytes() == data:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if not full and rng.random() < 0.15 and len(data) > 10:
                target.write_bytes(data[: rng.randint(1, len(data) - 1)])
                self.partial.add(target)
                continue
            shutil.copyfile(path, target)
            self.partial.discard(target)
            if not full and rng.random() < 0.1 and path.suffix in (".qbchanges",):
                stem = path.name[: -len(path.suffix)]
                twin = rng.choice(
                    (
                        f"{stem}.sync-conflict-20260101-120000-ABCDEFG{path.suffix}",
                        f"{stem} (conflicted copy 2026-01-01){path.suffix}",
                        f"{stem}_conflict-20260101-120000{path.suffix}",
                    )
                )
                shutil.copyfile(path, target.parent / twin)

    def settle(self) -> None:
        """Deliver everything, sync everyone, until nothing changes."""
        rng = random.Random(0)
        for d in self.devices:
            if d.name not in self.joined:
                d.enable()
                self.joined.add(d.name)
        for _round in range(12):
            self.time.advance()
            for src in self.devices:
                for dst in self.devices:
                    if src is not dst:
                        self.replicate(src, dst, rng, full=True)
            reports = [d.sync() for d in self.devices]
            states = [content(d) for d in self.devices]
            quiet = all(r.sent == 0 and r.received == 0 for r in reports)
            if quiet and all(s == states[0] for s in states):
                return
        diff = {k: [s[k] for s in states] for k in states[0] if states[0][k] != states[1][k]}
        raise AssertionError(f"the journals did not settle: {reports} {diff}")


def check(world: World) -> None:
    world.settle()
    states = [content(d) for d in world.devices]
    event(f"conflict copies: {min(len(states[0]['copies']), 3)}")
    event(f"entries: {min(len(states[0]['entries']), 5)}")
    assert all(doctor_ok(d) for d in world.devices)
    for state in states[1:]:
        for part in state:
            assert state[part] == states[0][part], part
    d = world.devices[0]
    for owner, f, text in world.must:
        if f == "reflection":
            values = {
                r[0] for r in d.query("SELECT reflection FROM review WHERE period = ?", (owner,))
            }
            copies = {
                r[0]
                for r in d.query(
                    "SELECT value FROM conflict_copy WHERE table_name = 'review' AND field_name = ?",
                    (f,),
                )
            }
        else:
            values = {r[0] for r in d.query(f"SELECT {f} FROM entry WHERE id = ?", (owner,))}
            copies = {
                r[0]
                for r in d.query(
                    "SELECT value FROM conflict_copy WHERE entry_id = ? AND field_name = ?",
                    (owner, f),
                )
            }
        assert text in values | copies, (owner, f, text, values, copies)


def _scenario(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, n: int) -> None:
    root = tmp_path_factory.mktemp("world")
    small = data.draw(st.booleans(), label="small files")
    late = n > 2 and data.draw(st.booleans(), label="late joiner")
    world = World(root, n, 3 if small else 20_000, late)
    try:
        steps = data.draw(st.integers(min_value=5, max_value=MAX_STEPS), label="steps")
        for _ in range(steps):
            op = data.draw(st.sampled_from(OPS), label="op")
            seed = data.draw(st.integers(0, 2**32), label="seed")
            rng = random.Random(seed)
            d = world.devices[data.draw(st.integers(0, n - 1), label="device")]
            world.time.advance(data.draw(st.sampled_from([0, 1, 1000]), label="ms"))
            note(f"{op} on {d.name} (seed {seed})")
            if op == "replicate":
                dst = world.devices[data.draw(st.integers(0, n - 1), label="to")]
                if dst is not d:
                    world.replicate(d, dst, rng)
            else:
                world.run(op, d, rng)
        check(world)
    finally:
        world.close()
        shutil.rmtree(root, ignore_errors=True)


#: More examples and longer runs on demand:
#: ``QB_SYNC_EXAMPLES=1000 QB_SYNC_STEPS=60 pytest tests/sync/test_property.py``.
EXAMPLES = int(os.environ.get("QB_SYNC_EXAMPLES", "30"))
MAX_STEPS = int(os.environ.get("QB_SYNC_STEPS", "30"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    # Hunting with many examples: report the first failure as found (shrinking takes minutes).
    phases=[Phase.explicit, Phase.reuse, Phase.generate]
    + ([] if "QB_SYNC_EXAMPLES" in os.environ else [Phase.shrink]),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(data=st.data())
def test_two_journals_converge_and_keep_every_text(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    _scenario(tmp_path_factory, data, 2)


@settings(SETTINGS, max_examples=max(1, EXAMPLES // 2))
@given(data=st.data())
def test_three_journals_converge_and_keep_every_text(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    _scenario(tmp_path_factory, data, 3)
