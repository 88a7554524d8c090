#!/usr/bin/env python3
"""Extract, update and compile QuestionBook's gettext catalogs (one workflow for core, CLI, GUI).

Run ``python scripts/translations.py`` (or ``make translations``) after adding ``_()`` strings:

1. **extract** every ``_("...")``, ``N_("...")`` and ``ngettext("...", "...", n)`` from
   ``questionbook/**.py`` with Babel, plus argparse's own strings ("usage: ", "options", error
   messages), which the CLI routes through our catalog, into ``questionbook/locale/questionbook.pot``;
2. **update** each ``<lang>/LC_MESSAGES/questionbook.po`` from it, keeping existing translations
   (strings that left the source are kept as obsolete ``#~`` entries, so work is never lost);
3. **compile** each ``.po`` to ``.mo``. The ``.mo`` files are committed so that an install or a
   frozen bundle needs no build step.

The catalogs carry **no source locations and are sorted by message**, and their headers hold
no version numbers or dates that change: they change only when a message changes. Moving code
between files or lines, bumping the version or upgrading Babel leaves them alone, and branches
that add different strings merge without conflicts. argparse's strings depend on the Python
that runs the script, so once one of them is in the template it stays there (a newer Python
adds its own without dropping those an older Python still asks for).

``--check`` changes nothing and exits 1 when running the script would change a catalog (the
regenerated text is compared with the files), a message is untranslated or fuzzy, or a ``.mo``
does not hold its ``.po``'s translations: the same facts ``tests/test_translations.py`` asserts.
Files are rewritten only when their text changes, so re-running leaves ``git status`` clean.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import io
import re
import sys
import tokenize
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "questionbook"
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "questionbook"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
LANGUAGES = ("zh_CN",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHOD_MAP = [("**/locale/**", "ignore"), ("**.py", "python")]
#: A fixed creation date keeps the template byte-stable between runs.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
#: The auto comment that marks argparse's own messages in the catalogs.
ARGPARSE = "argparse"
#: Header lines whose Babel defaults change with versions; replaced with fixed text.
_STABLE_HEADERS = {
    b"Project-Id-Version": b"QuestionBook",
    b"Generated-By": b"scripts/translations.py",
}

Message = str | tuple[str, str]


def _from_source() -> dict[Message, list[str]]:
    """Every message in questionbook/**.py, with the ``TRANSLATORS:`` comments written for it."""
    found: dict[Message, list[str]] = {}
    for _filename, _lineno, message, comments, _context in extract_from_dir(
        str(PACKAGE),
        METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        key = _key(message)
        if key:
            notes = found.setdefault(key, [])
            notes += [c for c in comments if c not in notes]
    for key in _from_fstrings():
        found.setdefault(key, [])
    return found


_CALL_IN_FSTRING = re.compile(r"""\b(?:_|N_)\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*\)""")


def _from_fstrings(paths: Iterable[Path] | None = None) -> dict[Message, list[tuple[str, int]]]:
    """``_("...")`` calls nested inside f-strings, which Babel's extractor cannot see on 3.11.

    ``f"<b>{_('Title')}</b>"`` is a common pattern in widget code; without this pass such strings
    would silently stay English.
    """
    found: dict[Message, list[tuple[str, int]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")) if paths is None else paths:
        rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text("utf-8")).readline))
        except (SyntaxError, tokenize.TokenError, UnicodeDecodeError):
            continue
        for tok in tokens:
            prefix = tok.string[: tok.string.find(tok.string.lstrip("rRbBfFuU")[:1])].lower()
            if tok.type != tokenize.STRING or "f" not in prefix:
                continue
            for match in _CALL_IN_FSTRING.finditer(tok.string):
                text = ast.literal_eval(match.group(1) + match.group(2) + match.group(1))
                if text:
                    found.setdefault(text, []).append((rel, tok.start[0]))
    return found


def _from_argparse() -> list[Message]:
    """argparse's own user-facing strings for the running Python (``usage: ``, errors...)."""
    out: list[Message] = []
    for _lineno, message, _comments, _context in extract_from_file(
        "python", argparse.__file__, keywords={"_": None, "ngettext": (1, 2)}
    ):
        key = _key(message)
        if key and key not in out:
            out.append(key)
    return out


def source_messages() -> set[Message]:
    """The msgids the program can ask for: what ``--check`` and the tests compare against."""
    return set(_from_source()) | set(_from_argparse())


def _argparse_in(path: Path) -> list[Message]:
    """argparse messages an earlier run recorded in *path* (kept: see the module docstring)."""
    if not path.exists():
        return []
    with path.open("rb") as fh:
        return [_key(m.id) for m in read_po(fh) if m.id and ARGPARSE in m.auto_comments]


def build_template() -> Catalog:
    """The ``.pot`` catalog: every project string, then argparse's, without locations."""
    catalog = Catalog(domain=DOMAIN, fuzzy=False)
    _set_header(catalog)
    for message, notes in _from_source().items():
        catalog.add(message, auto_comments=notes, flags=_flags(message))
    for message in [*_from_argparse(), *_argparse_in(POT)]:
        if message not in catalog:
            catalog.add(message, auto_comments=[ARGPARSE], flags=_flags(message))
    return catalog


def _flags(message: Message) -> tuple[str, ...]:
    return ("python-format",) if "%" in str(message) else ()


def _key(message_id: str | tuple[str, ...] | list[str]) -> Message:
    return message_id if isinstance(message_id, str) else (message_id[0], message_id[1])


def _set_header(catalog: Catalog, lang: str | None = None) -> None:
    """Fill the header with stable, truthful values instead of Babel's placeholders."""
    catalog.project = "QuestionBook"
    catalog.creation_date = EPOCH
    catalog.revision_date = EPOCH
    catalog.copyright_holder = "The QuestionBook authors"
    catalog.msgid_bugs_address = "https://github.com/questionbook/questionbook/issues"
    catalog.last_translator = "QuestionBook translators"
    catalog.language_team = f"{lang or 'LANGUAGE'} (see docs/translating.md)"
    catalog.header_comment = (
        "# Translations of QuestionBook.\n"
        "# Copyright (C) 2026 The QuestionBook authors\n"
        "# This file is distributed under the same license as QuestionBook (MIT).\n"
        "# Edit msgstr lines only; run `make translations` afterwards (docs/translating.md)."
    )


def _po_bytes(catalog: Catalog) -> bytes:
    """The catalog as written to disk: sorted by message, no locations, a stable header."""
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, no_location=True, sort_output=True, include_previous=False)
    lines = buf.getvalue().split(b"\n")
    for i, line in enumerate(lines):
        if line.startswith(b'"') and b":" in line:
            name = line[1:].split(b":", 1)[0]
            if name in _STABLE_HEADERS:
                lines[i] = b'"' + name + b": " + _STABLE_HEADERS[name] + b'\\n"'
        elif line == b"":
            break  # the end of the header entry
    return b"\n".join(lines)


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _messages(catalog: Catalog) -> set[Message]:
    return {_key(m.id) for m in catalog if m.id}


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def load_po(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def untranslated(catalog: Catalog) -> list[Message]:
    """Messages with an empty or fuzzy translation (fuzzy ones are never compiled)."""
    out: list[Message] = []
    for m in catalog:
        if not m.id:
            continue
        strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
        if m.fuzzy or not all(strings):
            out.append(_key(m.id))
    return out


def mo_is_current(lang: str) -> bool:
    """True when the committed ``.mo`` holds exactly the ``.po``'s translated messages."""
    if not mo_path(lang).exists():
        return False
    with mo_path(lang).open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    with io.BytesIO(_mo_bytes(load_po(lang))) as fh:
        expected = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    return dict(compiled) == dict(expected)


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _updated_po(lang: str, template: Catalog) -> Catalog:
    """*lang*'s catalog merged with *template*, as ``update`` writes it."""
    if po_path(lang).exists():
        catalog = load_po(lang)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
    _set_header(catalog, lang)
    return catalog


def planned(languages: Iterable[str] = LANGUAGES) -> dict[Path, bytes]:
    """The text every catalog file should have: what ``update`` writes, ``check`` compares."""
    template = build_template()
    files = {POT: _po_bytes(template)}
    for lang in languages:
        files[po_path(lang)] = _po_bytes(_updated_po(lang, template))
    return files


def update(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Extract, update and compile; returns a line per file written."""
    report: list[str] = []
    for path, data in planned(languages).items():
        if _write_if_changed(path, data):
            report.append(f"wrote {path.relative_to(ROOT)}")
    for lang in languages:
        compiled = load_po(lang)
        if not mo_is_current(lang) and _write_if_changed(mo_path(lang), _mo_bytes(compiled)):
            report.append(f"wrote {mo_path(lang).relative_to(ROOT)}")
        missing = untranslated(compiled)
        if missing:
            report.append(f"{lang}: {len(missing)} message(s) need translating")
    return report


def check(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Problems that ``update`` or a translator must fix; empty when all is well."""
    problems: list[str] = []
    for path, data in planned(languages).items():
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing: run `make translations`")
        elif path.read_bytes() != data:
            problems.append(
                f"{path.relative_to(ROOT)} is out of date with the source: run `make translations`"
            )
    wanted = source_messages()
    for lang in languages:
        if not po_path(lang).exists():
            continue
        catalog = load_po(lang)
        missing = [m for m in wanted if m not in catalog or m in untranslated(catalog)]
        for message in sorted(missing, key=str)[:20]:
            problems.append(f"{lang}: untranslated: {message!r}")
        if len(missing) > 20:
            problems.append(f"{lang}: ... and {len(missing) - 20} more untranslated")
        if not mo_is_current(lang):
            problems.append(f"{mo_path(lang).relative_to(ROOT)} is stale: run `make translations`")
    return problems


def take_translations(sources: Iterable[Path], lang: str = "zh_CN") -> int:
    """Fill *lang*'s untranslated messages from other ``.po`` files; returns how many.

    For a merge in which both sides changed the catalog: keep one side's file, run the script
    (the other side's new messages come in untranslated), then take the other side's
    translations from its file (``git show :3:PATH > theirs.po``).
    """
    catalog, taken = load_po(lang), 0
    for source in sources:
        with source.open("rb") as fh:
            other = read_po(fh, locale=lang, domain=DOMAIN)
        missing = set(untranslated(catalog))
        for message in catalog:
            if message.id and _key(message.id) in missing:
                found = other.get(message.id)
                if (
                    found is not None
                    and not found.fuzzy
                    and all(
                        found.string if isinstance(found.string, tuple | list) else [found.string]
                    )
                ):
                    message.string = found.string
                    taken += 1
    _write_if_changed(po_path(lang), _po_bytes(catalog))
    return taken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if anything is out of date or untranslated",
    )
    parser.add_argument(
        "--take-translations",
        metavar="PO",
        type=Path,
        nargs="+",
        help="fill untranslated zh_CN messages from these .po files (after a merge), then update",
    )
    args = parser.parse_args(argv)
    if args.take_translations:
        update()  # first bring in every message of the merged source, then fill them
        print(f"took {take_translations(args.take_translations)} translation(s)")
    if args.check:
        problems = check()
        for line in problems:
            print(line)
        print("translations: OK" if not problems else f"translations: {len(problems)} problem(s)")
        return 1 if problems else 0
    for line in update() or ["translations: nothing to do"]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
