"""Hostile input, generated: the query and tag parsers never raise, searching any string
returns a list (never a database error) and changes nothing, and importing a file of any
structure (wrong types, deep nesting, huge counts, cut short, YAML aliases, zips that lie or
expand) gives a report or one ImportFormatError and leaves the journal as it was."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from questionbook.core.errors import ImportFormatError
from questionbook.core.journal import Journal
from questionbook.core.query import Query, parse_query
from questionbook.core.tags import clean_tag, parse_tags, tag_key
from questionbook.exchange.api import export_journal, import_path
from questionbook.paths import AppPaths
from questionbook.services import open_services

# Any code point, including NUL, lone surrogates and control characters ...
ANY_TEXT = st.text(st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=80)
# ... and text made of the characters the parsers care about, so operators really combine.
OPERATORS = [
    "kind:",
    "status:",
    "is:",
    "tag:",
    "before:",
    "after:",
    "hardness>=",
    "h<",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "电梯",
    "elev",
    "3",
    "2026-11-29",
    "```",
    "http://x#y",
    "#多个词#",
]
SYNTAX = st.lists(
    st.sampled_from([*'#＃"-:<>=() *^+.,，。/\\`~[]\n\t\x00\ud800', *OPERATORS]), max_size=30
).map("".join)
QUERIES = st.one_of(ANY_TEXT, SYNTAX)
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(QUERIES)
def test_parse_query_never_raises(text: str) -> None:
    query = parse_query(text)
    assert isinstance(query, Query)
    if query.hardness_min is not None:
        assert 0 <= query.hardness_min <= 5


@SETTINGS
@given(QUERIES)
def test_tag_parser_never_raises_and_returns_clean_tags(text: str) -> None:
    tags = parse_tags(text)
    assert isinstance(tags, list)
    assert len({tag_key(t) for t in tags}) == len(tags)
    for tag in tags:
        assert tag and "\x00" not in tag and len(tag) <= 64
        tag.encode("utf-8")  # no lone surrogates
    cleaned = clean_tag(text)
    assert cleaned is None or ("\x00" not in cleaned and cleaned == cleaned.strip())


TAG_TEXT = st.lists(
    st.sampled_from(
        [
            *"#＃ -/&_:.\n\t`",
            "ab",
            "电梯",
            "多个 词",
            "http://x.org/",
            "www.",
            "mailto:",
            "    ",
            "```",
        ]
    ),
    max_size=24,
).map("".join)


@SETTINGS
@given(TAG_TEXT)
@example("/#ab &#ab ab#ab ##ab #ab")
@example("#多个 词# #电梯# a#电梯#")
@example("http://x.org/#ab www.x#ab mailto:#ab a:b #ab")
@example("`#ab` #ab\n\n    #ab\n")
def test_the_one_hash_patterns_find_what_the_general_ones_do(text: str) -> None:
    """A text without a full-width hash is searched with patterns that start with ``#`` alone
    (faster); they must find exactly the tags, at exactly the places, the patterns for both
    hashes find. (With a full-width hash in the text the general ones run anyway.)"""
    from questionbook.core import tags

    fast = tags.find_tags(text)
    saved = tags._WEIBO_HASH_RE, tags._TAG_HASH_RE
    tags._WEIBO_HASH_RE, tags._TAG_HASH_RE = tags._WEIBO_RE, tags._TAG_RE
    try:
        general = tags.find_tags(text)
    finally:
        tags._WEIBO_HASH_RE, tags._TAG_HASH_RE = saved
    assert fast == general


@pytest.fixture(scope="module")
def search_journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    home = Path(tmp_path_factory.mktemp("fuzz"))
    services = open_services(AppPaths(data_dir=home, config_dir=home / "config"))
    journal = services.journal
    journal.add("Why do people build elevators? #ai", "电梯 and stairs", hardness=3)
    journal.add("A plan to climb #多个词#", 'NEAR AND OR "quoted"', kind="plan", starred=True)
    journal.add("note", "plain", kind="note")
    yield journal
    services.close()


@SETTINGS
@given(QUERIES)
def test_find_with_any_string_returns_a_list_and_changes_nothing(
    search_journal: Journal, text: str
) -> None:
    before = search_journal.data_version()
    found = search_journal.find(text)
    assert isinstance(found, list)
    assert len(found) <= 3
    assert search_journal.count(text) == len(found)
    assert search_journal.data_version() == before


# -- importers under hostile structure (issue 14) ----------------------------------------------
# Not only odd text: wrong types where objects belong, nesting deeper than any parser's
# recursion, huge counts, files cut anywhere, YAML anchors and aliases, zips that lie about
# their sizes. Whatever the file, an import either succeeds or raises ImportFormatError, and a
# failed one leaves the journal exactly as it was.

JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(st.characters(codec="utf-8"), max_size=20),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)
FIELDS = [
    "id",
    "uuid",
    "title",
    "body",
    "text",
    "kind",
    "status",
    "hardness",
    "tags",
    "starred",
    "created_at",
    "creationDate",
    "date",
    "time",
    "parent_id",
    "hardness_history",
    "status_history",
    "deleted_at",
]
GOOD = {
    "id": st.uuids().map(str),
    "uuid": st.uuids().map(lambda u: u.hex),
    "created_at": st.sampled_from(["2026-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "x"]),
    "creationDate": st.sampled_from(["2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]),
    "date": st.sampled_from(["2024-06-17", "0001-01-01", "2024-02-30"]),
    "time": st.sampled_from(["18:05", "06:05:00 PM", "25:00"]),
    "title": st.text(max_size=30),
    "text": st.text(max_size=30),
    "kind": st.sampled_from(["question", "plan", "note", "poem"]),
}
ENTRY = st.fixed_dictionaries(
    {},
    optional={name: st.one_of(GOOD.get(name, JSON_VALUE), JSON_VALUE) for name in FIELDS},
)
HEADER = st.fixed_dictionaries(
    {},
    optional={
        "format": st.one_of(st.just("questionbook"), JSON_VALUE),
        "version": st.one_of(st.just(1), st.just(True), JSON_VALUE),
        "metadata": JSON_VALUE,
        "tags": JSON_VALUE,
        "waterline": JSON_VALUE,
        "reviews": JSON_VALUE,
    },
)
DOCUMENT = st.builds(
    lambda head, entries: {**head, "entries": entries},
    HEADER,
    st.one_of(st.lists(st.one_of(ENTRY, JSON_VALUE), max_size=6), JSON_VALUE),
)
IMPORT_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def import_journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    home = Path(tmp_path_factory.mktemp("fuzz-import"))
    services = open_services(AppPaths(data_dir=home, config_dir=home / "config"))
    services.journal.add("already here", "and must stay #kept")
    yield services.journal
    services.close()


def import_never_misbehaves(journal: Journal, path: Path, fmt: str = "auto") -> None:
    """The property: a report, or ImportFormatError with the journal unchanged."""
    before = (journal.count(), journal.data_version())
    try:
        report = import_path(journal, path, fmt, dry_run=True)
    except ImportFormatError as exc:
        assert str(exc)
        assert (journal.count(), journal.data_version()) == before
        return
    assert report.added + report.updated + report.unchanged + report.skipped_total >= 0
    assert journal.data_version() == before[1]  # a dry run writes nothing


@IMPORT_SETTINGS
@given(DOCUMENT, st.sampled_from(["auto", "json", "jrnl", "dayone"]))
def test_json_of_any_shape_is_imported_or_refused_cleanly(
    import_journal: Journal, tmp_path_factory: pytest.TempPathFactory, doc: object, fmt: str
) -> None:
    path = Path(tmp_path_factory.mktemp("doc")) / "in.json"
    path.write_text(json.dumps(doc))
    import_never_misbehaves(import_journal, path, fmt)


@IMPORT_SETTINGS
@given(
    st.integers(min_value=1, max_value=200_000),
    st.sampled_from(["[", '{"a":', '[{"entries":']),
    st.sampled_from(["entries", "tags", "title"]),
)
def test_nesting_deeper_than_any_recursion_limit_is_refused(
    import_journal: Journal,
    tmp_path_factory: pytest.TempPathFactory,
    depth: int,
    opener: str,
    key: str,
) -> None:
    path = Path(tmp_path_factory.mktemp("deep")) / "deep.json"
    closer = {"[": "]", '{"a":': "}", '[{"entries":': "}]"}[opener]
    inner = opener * depth + "1" + closer * depth
    path.write_text(f'{{"format": "questionbook", "version": 1, "{key}": [{inner}]}}')
    import_never_misbehaves(import_journal, path)


@IMPORT_SETTINGS
@given(st.integers(min_value=0, max_value=20_000), st.sampled_from(["tags", "entries", "reviews"]))
def test_huge_counts_are_imported_or_refused_cleanly(
    import_journal: Journal, tmp_path_factory: pytest.TempPathFactory, count: int, what: str
) -> None:
    entry = {"id": "6f1d3c52-8a53-4a39-9b0e-4a2f5c0d7e61", "title": "t", "created_at": "2026-01-01"}
    if what == "tags":
        doc = {
            "format": "questionbook",
            "version": 1,
            "entries": [{**entry, "tags": ["x"] * count}],
        }
    elif what == "entries":
        doc = {"format": "questionbook", "version": 1, "entries": [entry] * count}
    else:
        doc = {"format": "questionbook", "version": 1, "entries": [], "reviews": [{}] * count}
    path = Path(tmp_path_factory.mktemp("huge")) / "huge.json"
    path.write_text(json.dumps(doc))
    import_never_misbehaves(import_journal, path)


@pytest.fixture(scope="module")
def good_files(
    import_journal: Journal, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    """A real export in each format, to be cut short at random places."""
    folder = Path(tmp_path_factory.mktemp("good"))
    out: dict[str, bytes] = {}
    for fmt in ("json", "markdown"):
        export_journal(import_journal, fmt, folder / f"x.{fmt}")
        out[fmt] = (folder / f"x.{fmt}").read_bytes()
    out["jrnl"] = b"[2024-06-17 18:05] Why do cats purr? @cats\nbody\n\n[2024-06-18 09:30] Two *\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "Journal.json",
            json.dumps(
                {
                    "metadata": {},
                    "entries": [
                        {
                            "uuid": "00112233445566778899aabbccddeeff",
                            "creationDate": "2026-01-01T00:00:00Z",
                            "text": "Day One text\\. with escapes?",
                        }
                    ],
                }
            ),
        )
    out["dayone"] = buf.getvalue()
    return out


@IMPORT_SETTINGS
@given(st.sampled_from(["json", "jrnl", "dayone"]), st.floats(min_value=0, max_value=1))
def test_a_file_cut_short_anywhere_is_imported_or_refused_cleanly(
    import_journal: Journal,
    tmp_path_factory: pytest.TempPathFactory,
    good_files: dict[str, bytes],
    fmt: str,
    where: float,
) -> None:
    data = good_files[fmt]
    path = Path(tmp_path_factory.mktemp("cut")) / f"cut.{'zip' if fmt == 'dayone' else fmt}"
    path.write_bytes(data[: int(len(data) * where)])
    import_never_misbehaves(import_journal, path)
    import_never_misbehaves(import_journal, path, fmt)


YAML_PIECES = [
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "!!python/object:os.system ",
    "!!binary ",
    "? ",
    "|\n  ",
    ">\n  ",
    "\n",
    "'",
    '"',
    "null",
    "2026-01-01",
    "id",
    "<<: *a",
]


@IMPORT_SETTINGS
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join))
def test_vault_front_matter_of_any_shape_is_imported_or_refused_cleanly(
    import_journal: Journal, tmp_path_factory: pytest.TempPathFactory, extra: str
) -> None:
    vault = Path(tmp_path_factory.mktemp("vault"))
    (vault / "e.md").write_text(
        "---\nid: 6f1d3c52-8a53-4a39-9b0e-4a2f5c0d7e61\nkind: note\ncreated: 2026-01-01\n"
        f"x: {extra}\n---\n# Title\n"
    )
    import_never_misbehaves(import_journal, vault)


@IMPORT_SETTINGS
@given(
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=300),
    st.booleans(),
)
def test_yaml_alias_bombs_are_refused_not_expanded(
    import_journal: Journal,
    tmp_path_factory: pytest.TempPathFactory,
    levels: int,
    fan: int,
    flow: bool,
) -> None:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * max(fan, 1))
        lines.append(f"a{i}: &a{i} [{refs}]" if flow else f"a{i}: &a{i}\n  - {refs}")
    vault = Path(tmp_path_factory.mktemp("bomb"))
    (vault / "bomb.md").write_text(
        "---\nid: 6f1d3c52-8a53-4a39-9b0e-4a2f5c0d7e61\nkind: note\ncreated: 2026-01-01\n"
        + "\n".join(lines)
        + "\n---\n# t\n"
    )
    with pytest.raises(ImportFormatError):
        import_path(import_journal, vault, dry_run=True)


@IMPORT_SETTINGS
@given(
    st.integers(min_value=0, max_value=8 << 20),
    st.booleans(),
    st.integers(min_value=0, max_value=5),
    st.binary(max_size=64),
)
def test_zips_that_lie_or_expand_are_imported_or_refused_cleanly(
    import_journal: Journal,
    tmp_path_factory: pytest.TempPathFactory,
    expand: int,
    lie: bool,
    junk_members: int,
    junk: bytes,
) -> None:
    """A member that expands a lot (a small zip bomb), one whose header lies about its size,
    members that are not JSON at all."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("Journal.json", "w", force_zip64=True) as fh:
            fh.write(b'{"entries": [{"uuid": "00112233445566778899aabbccddeeff",')
            fh.write(b'"creationDate": "2026-01-01T00:00:00Z", "text": "')
            fh.write(b"a" * expand)
            fh.write(b'"}]}')
        for i in range(junk_members):
            zf.writestr(f"junk{i}.json", junk)
    data = bytearray(buf.getvalue())
    if lie:  # claim the first member is tiny: the reader must not trust it
        at = data.find(b"PK\x01\x02")
        if at >= 0:
            data[at + 24 : at + 28] = (10).to_bytes(4, "little")
    path = Path(tmp_path_factory.mktemp("zip")) / "export.zip"
    path.write_bytes(bytes(data))
    import_never_misbehaves(import_journal, path)
