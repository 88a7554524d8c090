"""Text normalisation shared by indexing, querying, titles and display.

Search: SQLite's ``unicode61`` tokenizer treats a run of Chinese as one token, and ``trigram``
cannot find two-character words (TECH-NOTES.md). So the *search text* we index puts every CJK
character in a token of its own; a CJK query then becomes a phrase of its characters, which
matches exactly where the characters stand next to each other, i.e. a substring match of any
length. Latin words stay words (unicode61 folds case and accents) and are matched by prefix.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_CJK_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31A0, 0x31FF),  # Bopomofo ext, Katakana ext
    (0x3400, 0x4DBF),  # CJK ext A
    (0x4E00, 0x9FFF),  # CJK unified
    (0xA960, 0xA97F),  # Hangul Jamo ext A
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3FFFF),  # CJK ext B and later
)
_CJK_CLASS = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _CJK_RANGES)


# The character classes above take milliseconds each to compile (the engine walks their ranges,
# up to U+3FFFF): compiled on first use, not when the app starts (issue 21).
@functools.cache
def _cjk_re() -> re.Pattern[str]:
    return re.compile(f"[{_CJK_CLASS}]")


@functools.cache
def _cjk_split_re() -> re.Pattern[str]:
    return re.compile(f"([{_CJK_CLASS}]+)")


def is_cjk(ch: str) -> bool:
    """True for a Chinese, Japanese or Korean character."""
    return bool(_cjk_re().match(ch))


def has_cjk(text: str) -> bool:
    return _cjk_re().search(text) is not None


def clean_text(text: str) -> str:
    """NFC-normalise and drop characters SQLite and files cannot hold (NUL, lone surrogates)."""
    if not text:
        return ""
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text
    text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def search_text(text: str | None) -> str:
    """The form of *text* that goes into the full-text index: CJK characters spaced apart.

    Split around the CJK runs and joined with spaces rather than substituted run by run: the
    same tokens (spaces only separate them), and about a fifth faster, which counts when an
    import indexes 37 million characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)  # the same object when it already was
    parts = _cjk_split_re().split(text)
    if len(parts) == 1:  # no CJK: the text itself (an import sends it once, not twice)
        return text
    parts[1::2] = [" ".join(run) for run in parts[1::2]]
    return " ".join(parts)


def fts_term(term: str, *, prefix: bool = True) -> str | None:
    """One user word or phrase as an FTS5 expression, or ``None`` if it has nothing to match.

    The whole term goes into one double-quoted FTS5 string, which the tokenizer splits the
    same way it split the indexed text; so no user input can form FTS5 syntax. A term that ends
    in a Latin letter or digit matches by prefix (``elev`` finds "elevator").
    """
    term = clean_text(term)
    if not any(ch.isalnum() for ch in term):
        return None
    quoted = '"' + search_text(term).strip().replace('"', '""') + '"'
    last = next(ch for ch in reversed(term) if ch.isalnum())
    if prefix and not is_cjk(last):
        quoted += "*"
    return quoted


def first_line_split(text: str) -> tuple[str, str]:
    """Split free text into (title, body): the first non-empty line is the title."""
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    title = lines[0].strip()
    body = "\n".join(lines[1:]).strip("\n")
    return title, body


#: (literals one of which a match needs, pattern, replacement): a rule whose literals are all
#: absent is skipped, which makes a list's first page of plain rows several times cheaper
#: (issue 21: the snippets of the rows shown at start-up were a third of the list's load).
_SNIPPET_RULES: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (("```", "~~~"), re.compile(r"(?ms)^ {0,3}(```|~~~).*?(^ {0,3}\1|\Z)"), " "),  # fenced code
    (("<!--",), re.compile(r"<!--.*?-->", re.S), " "),
    (("#",), re.compile(r"(?m)^ {0,3}#{1,6}[ \t]+"), ""),  # heading markers
    ((">",), re.compile(r"(?m)^ {0,3}>[ \t]?"), ""),  # quotes
    # list items (any digit may start one: no literal to look for)
    ((), re.compile(r"(?m)^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]+)?"), ""),
    (("[[",), re.compile(r"!?\[\[([^\]\n|]*\|)?([^\]\n]*)\]\]"), r"\2"),  # [[links]], [[id|title]]
    (("](",), re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # [text](url), ![alt](url)
    (("`",), re.compile(r"`+([^`\n]+)`+"), r"\1"),  # inline code
    (("~~",), re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    # Emphasis only where it is not part of a word: my_var_name and 2*3*4 stay as written;
    # Chinese, written without spaces, still loses its ** (电梯**重要**的).
    (
        ("*",),
        re.compile(r"(?<![A-Za-z0-9*\\])(\*{1,3})(?=\S)(.+?)(?<=\S)\1(?![A-Za-z0-9*])"),
        r"\2",
    ),
    (("_",), re.compile(r"(?<![\w\\])(_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),
)


def snippet(body: str, length: int = 120) -> str:
    """A one-line preview of *body*: Markdown syntax dropped (not characters inside words),
    whitespace collapsed."""
    text = body[: length * 8]
    for needs, pattern, replacement in _SNIPPET_RULES:
        if not needs or any(literal in text for literal in needs):
            text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    return text[:length] + ("…" if len(text) > length else "")


#: Scripts written without spaces between words (Chinese, Japanese kana): each character counts
#: as a word, as Chinese word counts do (字数). Korean puts spaces between words: its words count.
@functools.cache
def _character_words_re() -> re.Pattern[str]:
    return re.compile(
        "[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
        "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff]"
    )


#: A word of a spaced script: letters and digits, joined by an apostrophe or hyphen ("don't",
#: "state-of-the-art") or, in numbers, a point or comma ("3.14", "100,000").
_WORD_RE = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’-][^\W_]+)*")
_BARE_URL_RE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)\S+")


def count_words(text: str) -> int:
    """Count words the way a reader would: each Chinese character (or kana) is one; other
    scripts by words, a URL being one."""
    characters = len(_character_words_re().findall(text))
    rest = _character_words_re().sub(" ", text)
    urls = len(_BARE_URL_RE.findall(rest))
    return characters + urls + len(_WORD_RE.findall(_BARE_URL_RE.sub(" ", rest)))


@dataclass(frozen=True, slots=True)
class TextCounts:
    """What reading mode shows: words (Chinese characters counted as words), characters
    without spaces (字数 as Chinese editors count it) and with spaces (line breaks left out)."""

    words: int
    characters: int
    characters_with_spaces: int


_READING_RULES = (
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"(?m)^ {0,3}(?:```|~~~)[^\n]*$"), ""),  # fence lines (the code is text)
    (re.compile(r"(?m)^ {0,3}#{1,6}[ \t]+"), ""),  # heading markers
    (re.compile(r"(?m)^ {0,3}>[ \t]?"), ""),  # quotes
    (re.compile(r"(?m)^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\][ \t]+)?"), ""),  # list items
    (re.compile(r"!?\[\[([^\]\n|]*\|)?([^\]\n]*)\]\]"), r"\2"),  # [[id|title]]: the title
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # [text](url), ![alt](attachment:...)
    (re.compile(r"`+"), ""),
    (re.compile(r"(?<![A-Za-z0-9*\\])\*{1,3}(?=\S)|(?<=\S)\*{1,3}(?![A-Za-z0-9*])"), ""),
    (re.compile(r"~~"), ""),
)


def reading_text(markdown: str) -> str:
    """*markdown* as a reader sees it: link targets, ids, markers of headings, lists, quotes,
    code and emphasis gone; the words and line breaks stay."""
    text = markdown
    for pattern, replacement in _READING_RULES:
        text = pattern.sub(replacement, text)
    return text


def text_counts(text: str, *, markdown: bool = True) -> TextCounts:
    """Words and characters of *text* (read as Markdown unless *markdown* is False)."""
    shown = reading_text(text) if markdown else text
    spaced = shown.replace("\r", "").replace("\n", "")
    return TextCounts(
        words=count_words(shown),
        characters=sum(1 for ch in spaced if not ch.isspace()),
        characters_with_spaces=len(spaced),
    )


#: Bidirectional formatting characters: they reorder what a terminal shows (a file name
#: ``evil\u202etxt.exe`` reads as ``evilexe.txt``), so they are shown, not obeyed.
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_RE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")


def _show_control(match: re.Match[str], keep: str) -> str:
    ch = match.group()
    if ch in keep:
        return ch
    code = ord(ch)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # ESC → ^[, BEL → ^G, CR → ^M
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"  # C1 controls and bidi overrides


def visible_controls(text: str, keep: str = "\n\t") -> str:
    """*text* with every control character shown instead of obeyed, for a terminal.

    A title imported from a file can hold ``ESC ] 52 ; c ; … BEL`` (which sets the clipboard)
    or other escape sequences; printed raw, the terminal would run them. C0 controls (except
    those in *keep*), DEL, C1 controls and bidirectional overrides become visible marks:
    ``^[``, ``^?``, ``<U+202E>``. JSON output and exports are left exact; only what is shown
    on a terminal passes through here.
    """
    if not _CONTROL_RE.search(text):
        return text
    return _CONTROL_RE.sub(lambda m: _show_control(m, keep), text)
