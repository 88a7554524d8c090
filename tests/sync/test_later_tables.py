"""Everything the later issues added travels by declaration: trials, reach and seals (17),
attachments and links (18), revisit dates and templates (19)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from questionbook.core.links import Links, link_markup
from questionbook.core.templates import TemplateService
from questionbook.core.trials import TrialService
from questionbook.services import attachment_service
from tests.sync.helpers import Device, FakeTime

Make = Callable[..., Device]


def _both(a, b) -> None:
    for _ in range(3):
        a.sync()
        b.sync()


def test_trials_attachments_links_revisits_and_templates_sync(
    make_device: Make, fake_time: FakeTime, tmp_path
) -> None:
    a, b = make_device("a"), make_device("b")
    target = a.journal.add("Build an elevator for the whole team", kind="plan")
    picture = tmp_path / "whiteboard.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    source = a.journal.add("Why does grokking happen suddenly?")
    attached = attachment_service(a.journal, 50).attach(source.id, [picture])[1][0]
    a.journal.update(
        source.id,
        body=a.journal.get(source.id).body + "\n\nsee " + link_markup(target.id, "the plan"),
        reach=3,
        revisit=date(2030, 3, 1),
    )
    a.journal.update(source.id, seal_until=4)
    trial = TrialService(a.db, clock=a.journal.clock).add(source.id, verdict="failed", model="m1")
    TemplateService(a.db, clock=a.journal.clock).add("question", "Mine", "What would count?")
    _both(a, b)

    got = b.journal.get(source.id)
    mine = a.journal.get(source.id)
    for name in ("title", "body", "reach", "revisit_on", "seal_level", "seal_waterline"):
        assert getattr(got, name) == getattr(mine, name), name
    assert [t.id for t in TrialService(b.db).for_entry(source.id)] == [trial.id]
    files = attachment_service(b.journal, 50).attached(source.id)
    assert [(f.name, f.sha256) for f in files] == [(attached.name, attached.sha256)]
    with b.db.read() as conn:
        data = conn.execute(
            "SELECT data FROM attachment_blob WHERE sha256 = ?", (attached.sha256,)
        ).fetchone()[0]
    assert bytes(data) == picture.read_bytes()
    assert [s.source.id for s in Links(b.db).backlinks(target.id)] == [source.id]
    names = [t.name for t in TemplateService(b.db).templates("question")]
    assert "Mine" in names

    TrialService(b.db, clock=b.journal.clock).judge(trial.id, "solved")
    _both(a, b)
    assert TrialService(a.db).get(trial.id).verdict == "solved"
