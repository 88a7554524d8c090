"""The Simplified Chinese catalog covers every string, keeps placeholders, and is compiled.

These fail when someone adds a ``_()`` string and forgets ``make translations`` (or forgets to
translate the new entry), when a translation drops or renames a ``{placeholder}``, or when the
committed ``.mo`` no longer matches its ``.po``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from questionbook import i18n
from questionbook.i18n import _, ngettext, set_language

ROOT = Path(__file__).resolve().parent.parent
LANG = "zh_CN"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "qb_translations", ROOT / "scripts" / "translations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tr = _load_script()

_PLACEHOLDER = re.compile(
    r"\{[^{}]*\}"  # str.format fields: {name}, {n}, {value!r}, {0:>3}
    r"|%\([^)]+\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %(name)s
    r"|%[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %s, %d, %r
)
_MNEMONIC = re.compile(r"&(?!\w+;)(?=[A-Za-z0-9])")  # &File, not &amp; or "Q & A"


def placeholders(text: str) -> Counter[str]:
    """The format placeholders in *text*, ignoring escaped ``{{``, ``}}`` and ``%%``."""
    text = text.replace("{{", "").replace("}}", "").replace("%%", "")
    return Counter(_PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def catalog():
    return tr.load_po(LANG)


@pytest.fixture(scope="module")
def source_messages() -> set:
    return tr.source_messages()


@pytest.fixture
def chinese() -> Iterator[None]:
    previous = i18n.current_language()
    set_language(LANG)
    yield
    set_language(previous)


def test_placeholder_parser_sees_what_matters() -> None:
    assert placeholders("{n} of {total!r}, %s and %(name)s, 100%% {{literal}}") == Counter(
        ["{n}", "{total!r}", "%s", "%(name)s"]
    )


def test_strings_inside_f_strings_are_extracted(tmp_path: Path) -> None:
    source = tmp_path / "widget.py"
    source.write_text(
        "label = f\"<b>{_('How hard?')}</b> {N_('Level {x}')}\"\n"
        "plain = f'{name}'\n"
        "other = '{_(\"not in an f-string\")}'\n",
        encoding="utf-8",
    )
    found = tr._from_fstrings([source])
    assert set(found) == {"How hard?", "Level {x}"}


def test_every_source_string_is_translated(catalog, source_messages: set) -> None:
    untranslated = set(tr.untranslated(catalog))
    missing = sorted(
        (str(m) for m in source_messages if m not in catalog or m in untranslated), key=str
    )
    assert not missing, (
        f"{len(missing)} string(s) lack a zh_CN translation; run "
        f"`make translations` and translate them: {missing[:15]}"
    )


def test_catalog_has_no_fuzzy_or_empty_entries(catalog) -> None:
    assert tr.untranslated(catalog) == []


def test_placeholders_match(catalog) -> None:
    bad: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if placeholders(message.id) != placeholders(message.string):
                bad.append(f"{message.id!r} -> {message.string!r}")
            continue
        singular, plural = message.id[0], message.id[1]
        allowed = (placeholders(singular), placeholders(plural))
        bad += [
            f"{plural!r} -> {text!r}"
            for text in message.string
            if placeholders(text) not in allowed
        ]
    assert not bad, "placeholders differ:\n" + "\n".join(bad)


def test_mnemonics_are_kept(catalog) -> None:
    bad = [
        f"{m.id!r} -> {m.string!r}"
        for m in catalog
        if m.id
        and isinstance(m.id, str)
        and len(_MNEMONIC.findall(m.id)) != len(_MNEMONIC.findall(m.string))
    ]
    assert not bad, "a keyboard mnemonic (&X) was lost or added:\n" + "\n".join(bad)


def test_compiled_catalog_is_up_to_date() -> None:
    assert tr.mo_path(LANG).exists(), "questionbook.mo is missing: run `make translations`"
    assert tr.mo_is_current(LANG), "questionbook.mo is stale: run `make translations`"


def test_template_lists_every_source_string(source_messages: set) -> None:
    from babel.messages.pofile import read_po

    with tr.POT.open("rb") as fh:
        in_template = {
            m.id if isinstance(m.id, str) else (m.id[0], m.id[1]) for m in read_po(fh) if m.id
        }
    assert not source_messages - in_template, "questionbook.pot is stale: make translations"


def test_set_language_translates_the_vocabulary(chinese: None) -> None:
    from questionbook.core.vocabulary import HARDNESS, KIND_LABELS, STATUS_LABELS, Kind

    assert _("Underwater") == "水下"
    assert [h.label for h in HARDNESS] == ["水下", "浅滩", "岸线", "高地", "山巅"]
    assert [h.label for h in HARDNESS] == [h.zh for h in HARDNESS]
    assert [_(KIND_LABELS[k]) for k in Kind] == ["问题", "计划", "笔记"]
    assert all(_(label) != label for label in STATUS_LABELS.values())
    assert ngettext("{n} day ago", "{n} days ago", 3).format(n=3) == "3 天前"


def test_english_is_the_source_language() -> None:
    previous = i18n.current_language()
    try:
        assert set_language("en") == "en"
        assert _("Underwater") == "Underwater"
    finally:
        set_language(previous)


def test_cli_help_and_errors_speak_chinese(capsys, monkeypatch) -> None:
    """argparse's own words ("usage:", "options", errors) come from our catalog too."""
    from questionbook.cli.main import run

    monkeypatch.delenv("LANGUAGE", raising=False)
    previous = i18n.current_language()
    try:
        with pytest.raises(SystemExit):
            run(["--lang", "zh_CN", "--help"])
        out = capsys.readouterr().out
        assert "选项" in out and "显示此帮助信息并退出" in out
        # argparse's headings take the full-width colon in Chinese (cli/help_format.py).
        assert out.startswith("用法：questionbook") and "\n位置参数：\n" in out
        assert "\n选项：\n" in out and ":\n" not in out
        with pytest.raises(SystemExit) as exit_info:
            run(["--lang", "zh_CN", "--no-such-option"])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert "错误" in err and "无法识别的参数" in err
    finally:
        set_language(previous)
    assert "LANGUAGE" not in __import__("os").environ, "the CLI must not leave LANGUAGE set"
