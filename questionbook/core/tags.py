"""Inline tags: ``#tag``, full-width ``＃tag``, the Weibo form ``#多个词#`` and nested paths.

A tag ends at whitespace or punctuation (CJK punctuation too). Markdown headings (``# Title``),
URL fragments, code spans and fenced or indented code are never tags. Tags that are all digits
(``#1``) are issue numbers, not tags. Latin tags compare case-insensitively: :func:`tag_key`.

Nested tags (issue 19): ``#ml/grokking`` is the tag ``ml/grokking``, under ``ml`` (``#学习/物理``
too). A path ends before an empty segment: ``#ml/`` and ``#ml//x`` are the tag ``ml``, and
``#/ml`` is no tag at all. A parent is a prefix of whole segments: ``ml-ops`` is not under
``ml``. Tags are stored by their full path; the tree is derived from the paths.

:func:`find_tags` also says *where* each tag stands in the text, so renaming a tag can rewrite
exactly the real tags and nothing in code or URLs; :func:`parse_tags` is built on it, so the two
can never disagree about what is a tag.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from questionbook.core.text import clean_text, has_cjk

_HASH = "#＃"
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?\2[`~]*[ \t]*$|\Z)", re.S | re.M)
_INDENTED_RE = re.compile(r"(?:(?<=\n\n)|\A)(?:(?: {4}|\t)[^\n]*(?:\n|\Z))+")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_URL_RE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:)[^\s<>()\[\]\"'，。]*")
_LINK_TARGET_RE = re.compile(r"\]\([^)\s]*\)")
# Both start with the hash itself, then look behind it (``(?<![\w#＃][#＃])``: the character
# before the hash is no word character or hash): a pattern that starts with its hash lets the
# regex engine skip to the next hash instead of trying every position (3× faster; a 100k
# import reads every text). At the very start of the text the look-behind has no room and so
# cannot match, as the hash has no character before it.
_WEIBO_RE = re.compile(r"[#＃](?<![\w#＃][#＃])([^#＃\s][^#＃\n]{0,48}?)[#＃](?![\w#＃])")
_TAG_RE = re.compile(r"[#＃](?<![\w#＃/&][#＃])((?:[^\W]|[-/])+)")
# The same for a text without a full-width hash (nearly all): a pattern that starts with one
# character, not a class of two, is searched for that character alone (Weibo forms ~7×,
# #tags ~1.5× faster over the 100k corpus's texts).
_WEIBO_HASH_RE = re.compile(r"#(?<![\w#＃][#＃])([^#＃\s][^#＃\n]{0,48}?)#(?![\w#＃])")
_TAG_HASH_RE = re.compile(r"#(?<![\w#＃/&][#＃])((?:[^\W]|[-/])+)")
#: Longest tag name kept (a path counts whole).
MAX_TAG_CHARS = 64
SEPARATOR = "/"


_T = TypeVar("_T")


def memo(fn: Callable[[str], _T]) -> Callable[[str], _T]:
    """Remember *fn*'s answers for short texts: an import meets the same few hundred tags
    100,000 times. Long texts (a hostile file's megabyte "tag") are never kept."""
    cached = functools.lru_cache(maxsize=4096)(fn)

    @functools.wraps(fn)
    def call(text: str) -> _T:
        return cached(text) if len(text) <= 256 else fn(text)

    return call


@memo
def tag_key(name: str) -> str:
    """The comparison key of a tag: NFKC and case-folded (``AI`` and ``ai`` are one tag)."""
    return unicodedata.normalize("NFKC", name).casefold()


@memo
def clean_tag(name: str) -> str | None:
    """Normalise a tag typed in a tag editor or a CLI flag; ``None`` if nothing is left.

    Path segments are trimmed and empty ones dropped (``ml / grokking`` and ``ml//grokking``
    are ``ml/grokking``)."""
    name = clean_text(name).strip().lstrip(_HASH).rstrip(_HASH).strip()  # also drops NUL
    name = " ".join(name.split())
    if SEPARATOR in name:
        name = SEPARATOR.join(s for s in (p.strip() for p in name.split(SEPARATOR)) if s)
    while (trimmed := name.strip("-/ ")) != name:  # "a/ -" → "a"
        name = trimmed
    name = name[:MAX_TAG_CHARS].rstrip()
    while (trimmed := name.rstrip("-/ ")) != name:  # cut inside a path: no trailing "/"
        name = trimmed
    return name or None


def parent_keys(key: str) -> list[str]:
    """The keys above *key*, nearest last: ``a/b/c`` → ``["a", "a/b"]``."""
    parts = key.split(SEPARATOR)
    return [SEPARATOR.join(parts[:i]) for i in range(1, len(parts))]


def subtree_range(key: str) -> tuple[str, str]:
    """Keys strictly under *key* are those ``>= lo`` and ``< hi``: an index range, not a scan
    (``/`` is followed by ``0`` in code-point order, and no LIKE wildcard is involved)."""
    return f"{key}{SEPARATOR}", f"{key}0"


def is_under(key: str, parent: str) -> bool:
    """True when *key* is *parent* itself or below it."""
    return key == parent or key.startswith(parent + SEPARATOR)


def strip_code(text: str) -> str:
    """*text* without fenced or indented code and code spans (no tag or ``[[link]]`` is in
    code). Each pass runs only when its marker is present: most entries have no code."""
    if "```" in text or "~~~" in text:
        text = _FENCE_RE.sub("\n", text)
    if "    " in text or "\t" in text:
        text = _INDENTED_RE.sub("\n", text)
    if "`" in text:
        text = _CODE_SPAN_RE.sub(" ", text)
    return text


class _Masked:
    """Text with parts replaced (code, URLs), remembering where each kept character came from,
    so a tag found in what is left can be found again in the original."""

    __slots__ = ("_pieces", "text", "track")

    def __init__(self, text: str, *, track: bool = True) -> None:
        self.text = text
        self.track = track  # without it, only the text (saving an entry needs no positions)
        # (start in self.text, start in the original or -1 for inserted text, length)
        self._pieces: list[tuple[int, int, int]] = [(0, 0, len(text))]

    def sub(
        self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str | None]
    ) -> None:
        """Like ``pattern.sub``; a *repl* function returning ``None`` keeps the match."""
        if not self.track:
            if isinstance(repl, str):
                self.text = pattern.sub(repl, self.text)
            else:
                self.text = pattern.sub(
                    lambda m: r if (r := repl(m)) is not None else m[0], self.text
                )
            return
        text, old = self.text, self._pieces
        starts = [p[0] for p in old]
        out: list[str] = []
        pieces: list[tuple[int, int, int]] = []
        length = 0

        def keep(a: int, b: int) -> None:
            nonlocal length
            if a >= b:
                return
            out.append(text[a:b])
            i = bisect.bisect_right(starts, a) - 1
            while i < len(old) and old[i][0] < b:
                ps, po, pl = old[i]
                lo, hi = max(a, ps), min(b, ps + pl)
                if hi > lo:
                    pieces.append((length + lo - a, -1 if po < 0 else po + lo - ps, hi - lo))
                i += 1
            length += b - a

        pos = 0
        for m in pattern.finditer(text):
            replacement = repl if isinstance(repl, str) else repl(m)
            if replacement is None:
                continue
            keep(pos, m.start())
            out.append(replacement)
            pieces.append((length, -1, len(replacement)))
            length += len(replacement)
            pos = m.end()
        if not pieces:
            return  # nothing replaced
        keep(pos, len(text))
        self.text, self._pieces = "".join(out), pieces

    def origin(self, a: int, b: int) -> int | None:
        """Where ``self.text[a:b]`` starts in the original, if it was kept there unbroken."""
        i = bisect.bisect_right([p[0] for p in self._pieces], a) - 1
        ps, po, pl = self._pieces[i]
        if po < 0:
            return None
        start, end = po + a - ps, po + pl
        while b > ps + pl:  # continues in the next piece only if that follows on in the original
            i += 1
            if i >= len(self._pieces) or self._pieces[i][1] != end:
                return None
            ps, po, pl = self._pieces[i]
            end = po + pl
        return start


@dataclass(frozen=True, slots=True)
class TagSpan:
    """One real tag in a text: its name, where its name stands (``start:end``, without the
    ``#``) and where the whole tag stands (``outer``: from its ``#`` to the end of the path, or
    of the closing ``#`` of the Weibo form). Positions are ``None`` when the tag cannot be
    pinned to one unbroken stretch of the text (a Weibo tag around code)."""

    name: str
    start: int | None = None
    end: int | None = None
    outer: tuple[int, int] | None = None


def _mask_code_and_urls(text: str, *, track: bool) -> _Masked:
    masked = _Masked(text, track=track)
    if "```" in text or "~~~" in text:
        masked.sub(_FENCE_RE, "\n")
    if "    " in masked.text or "\t" in masked.text:
        masked.sub(_INDENTED_RE, "\n")
    if "`" in masked.text:
        masked.sub(_CODE_SPAN_RE, " ")
    if "](" in masked.text:
        masked.sub(_LINK_TARGET_RE, "] ")
    if "://" in masked.text or "www." in masked.text or "mailto:" in masked.text:
        masked.sub(_URL_RE, " ")  # (a match holds one of the three)
    return masked


@memo
def _path(raw: str) -> tuple[int, str, str | None] | None:
    """The tag path in what ``_TAG_RE`` matched after ``#``: (offset, path, the tag's name or
    None when nothing is left of it), or None."""
    lead = len(raw) - len(raw.lstrip("-"))
    path = raw[lead:]
    if path.startswith(SEPARATOR):
        return None  # "#/ml": an empty first segment
    cut = path.find(SEPARATOR * 2)
    if cut >= 0:
        path = path[:cut]  # "#ml//x": the path ends before the empty segment
    path = path.rstrip("-/")
    if not path or path.isdigit() or path.replace("_", "").isdigit():
        return None
    return lead, path, clean_tag(path)


def find_tags(text: str) -> list[TagSpan]:
    """Every real tag in *text*, with where it stands: the Weibo forms first, then ``#tags``,
    each in order (duplicates included)."""
    return _scan(text, where=True)


def _scan(text: str, *, where: bool) -> list[TagSpan]:
    """The tags of *text*; their positions only when *where* (saving an entry needs names)."""
    if not text:
        return []
    wide = "＃" in text
    if not wide and "#" not in text:
        return []
    weibo_re, tag_re = (_WEIBO_RE, _TAG_RE) if wide else (_WEIBO_HASH_RE, _TAG_HASH_RE)
    masked = _mask_code_and_urls(text, track=where)
    found: list[TagSpan] = []

    def weibo(match: re.Match[str]) -> str | None:
        inner = match.group(1)
        if not (has_cjk(inner) and inner == inner.strip()):
            return None
        name = clean_tag(inner)
        if name:
            outer = masked.origin(match.start(), match.end()) if where else None
            if outer is None:
                found.append(TagSpan(name))
            else:
                end = outer + len(match.group())
                found.append(TagSpan(name, outer + 1, end - 1, (outer, end)))
        return " "

    if weibo_re.search(masked.text):
        masked.sub(weibo_re, weibo)
    for match in tag_re.finditer(masked.text):
        parsed = _path(match.group(1))
        if parsed is None:
            continue
        lead, path, name = parsed
        if not name:
            continue
        end = match.start(1) + lead + len(path)
        outer = masked.origin(match.start(), end) if where else None
        if outer is None:
            found.append(TagSpan(name))
        else:
            start = outer + 1 + lead
            found.append(TagSpan(name, start, start + len(path), (outer, start + len(path))))
    return found


def parse_tags(text: str) -> list[str]:
    """The inline tags in *text*, Weibo forms first, each once (by :func:`tag_key`)."""
    seen: set[str] = set()
    result = []
    for span in _scan(text, where=False):
        key = tag_key(span.name)
        if key not in seen:
            seen.add(key)
            result.append(span.name)
    return result


@functools.lru_cache(maxsize=256)
def inline_form(name: str) -> str | None:
    """How *name* is written as an inline tag (``#name``, or ``#多个 词#``), or None when it
    cannot be (a Latin name with spaces, say)."""
    for written in (f"#{name}", f"#{name}#"):
        spans = find_tags(written + " ")
        if len(spans) == 1 and spans[0].name == name and spans[0].start is not None:
            inner = (spans[0].start, spans[0].end)
            if inner == (1, 1 + len(name)):
                return written
    return None


def rename_in_text(text: str, old_key: str, new_name: str) -> str:
    """*text* with every real inline tag at or under *old_key* renamed to *new_name* (its
    children keep their own segments: ``#ml/grokking`` → ``#machine-learning/grokking``).
    Tags in code, URLs and headings are left alone; so is a tag that cannot be pinned down.
    The caller checks the result with :func:`parse_tags` (a name that cannot be written
    inline would not read back)."""
    depth = old_key.count(SEPARATOR) + 1
    edits: list[tuple[int, int, str]] = []
    for span in find_tags(text):
        if span.start is None or span.end is None:
            continue
        segments = text[span.start : span.end].split(SEPARATOR)
        if len(segments) < depth or tag_key(SEPARATOR.join(segments[:depth])) != old_key:
            continue
        path = SEPARATOR.join([new_name, *segments[depth:]])
        written = inline_form(path)
        if written is None or span.outer is None:
            edits.append((span.start, span.end, path))  # will not read back: the caller refuses
        else:  # the form the new name needs: #学习 ↔ #学 习#; the hash as the user typed it
            hash_sign = text[span.outer[0]]
            edits.append((*span.outer, hash_sign + written[1:]))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
