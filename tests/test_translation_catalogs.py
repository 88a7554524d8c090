"""The catalogs change only when messages change, and ``--check`` fails exactly when
``scripts/translations.py`` would rewrite them.

Stable catalogs are what lets parallel branches merge their new strings, and what keeps
``make bundle`` and other builds from modifying tracked files.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "qb_translations_catalogs", ROOT / "scripts" / "translations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tr = _load_script()


def test_committed_catalogs_are_what_the_script_writes() -> None:
    for path, data in tr.planned().items():
        assert path.read_bytes() == data, f"{path.name} is stale: run `make translations`"
    assert tr.check() == []


def test_catalogs_carry_no_locations_or_changing_headers() -> None:
    text = tr.POT.read_text(encoding="utf-8")
    assert "\n#: " not in text, "source locations churn with every edit"
    assert "Babel " not in text and "Project-Id-Version: QuestionBook\\n" in text
    from babel.messages.pofile import read_po

    with tr.POT.open("rb") as fh:
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id]
    assert ids == sorted(ids), "sorted by message, so branches adding strings merge cleanly"


def _template_for(tmp_path: Path, files: dict[str, str], monkeypatch) -> bytes:
    package = tmp_path / "questionbook"
    for name, source in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(source, encoding="utf-8")
    monkeypatch.setattr(tr, "PACKAGE", package)
    monkeypatch.setattr(tr, "POT", tmp_path / "none.pot")
    return tr._po_bytes(tr.build_template())


def test_moving_a_string_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    one = 'from questionbook.i18n import _\n\nA = _("Zebra")\nB = _("Apple")\n'
    before = _template_for(tmp_path / "a", {"core/one.py": one}, monkeypatch)
    moved = {
        "core/one.py": 'from questionbook.i18n import _\n\n\n\nB = _("Apple")\n',
        "ui/two.py": 'from questionbook.i18n import _\nA = _("Zebra")\n',
    }
    after = _template_for(tmp_path / "b", moved, monkeypatch)
    assert before == after
    assert before.index(b'msgid "Apple"') < before.index(b'msgid "Zebra"')  # sorted
    changed = _template_for(tmp_path / "c", {"core/one.py": one + 'C = _("Mango")\n'}, monkeypatch)
    assert changed != before


def test_check_fails_when_a_new_string_is_not_extracted(monkeypatch) -> None:
    source = tr._from_source()
    monkeypatch.setattr(tr, "_from_source", lambda: {**source, "A brand new message": []})
    problems = tr.check()
    assert any("questionbook.pot is out of date" in p for p in problems)
    assert any("questionbook.po is out of date" in p for p in problems)
    assert any("untranslated: 'A brand new message'" in p for p in problems)


def test_argparse_strings_stay_whichever_python_runs_the_script(monkeypatch) -> None:
    """A newer Python's argparse has other strings; the catalog keeps the older ones."""
    monkeypatch.setattr(tr, "_from_argparse", lambda: ["a string only Python 3.99 has"])
    template = tr.build_template()
    assert "usage: " in template  # recorded by an earlier run, kept
    assert "a string only Python 3.99 has" in template
    assert "argparse" in template["a string only Python 3.99 has"].auto_comments


@pytest.mark.parametrize("lang", tr.LANGUAGES)
def test_every_language_is_compiled(lang: str) -> None:
    assert tr.mo_is_current(lang)


def test_translator_comments_reach_the_catalog(tmp_path: Path, monkeypatch) -> None:
    source = 'from questionbook.i18n import _\n# TRANSLATORS: a river bank\nX = _("Bank")\n'
    text = _template_for(tmp_path, {"core/x.py": source}, monkeypatch).decode()
    assert '#. a river bank\nmsgid "Bank"' in text


def test_a_merge_takes_the_other_sides_translations(tmp_path: Path, monkeypatch) -> None:
    """Keep one side's .po, run the script, take the other side's translations from its file."""
    from babel.messages.catalog import Catalog

    locale_dir = tmp_path / "locale"
    monkeypatch.setattr(tr, "LOCALE_DIR", locale_dir)
    ours = Catalog(locale="zh_CN", domain=tr.DOMAIN)
    ours.add("Kept", "保留")
    ours.add("Theirs", "")  # their new string, untranslated on our side
    tr.po_path("zh_CN").parent.mkdir(parents=True)
    tr.po_path("zh_CN").write_bytes(tr._po_bytes(ours))
    theirs = Catalog(locale="zh_CN", domain=tr.DOMAIN)
    theirs.add("Kept", "他们的")
    theirs.add("Theirs", "他们的译文")
    (tmp_path / "theirs.po").write_bytes(tr._po_bytes(theirs))
    assert tr.take_translations([tmp_path / "theirs.po"]) == 1
    merged = tr.load_po("zh_CN")
    assert merged["Theirs"].string == "他们的译文"
    assert merged["Kept"].string == "保留", "our translations win"
