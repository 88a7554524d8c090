"""Text normalisation shared by indexing, querying, titles and display.

Search: SQLite's ``unicode61`` tokenizer treats a run of Chinese as one token, and ``trigram``
cannot find two-character words (TECH-NOTES.md). So the *search text* we index puts every CJK
character in a token of its own; a CJK query then becomes a phrase of its characters, which
matches exactly where the characters stand next to each other, i.e. a substring match of any
length. Latin words stay words (unicode61 folds case and accents) and are matched by prefix.
"""

from __future__ import annotations

import re
import unicodedata

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
CJK_RE = re.compile(f"[{_CJK_CLASS}]")
_CJK_RUN_RE = re.compile(f"[{_CJK_CLASS}]+")


def is_cjk(ch: str) -> bool:
    """True for a Chinese, Japanese or Korean character."""
    return bool(CJK_RE.match(ch))


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


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
    """The form of *text* that goes into the full-text index: CJK characters spaced apart."""
    if not text:
        return ""
    return _CJK_RUN_RE.sub(_space_run, unicodedata.normalize("NFC", text))


def _space_run(match: re.Match[str]) -> str:
    return " " + " ".join(match.group()) + " "


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


def snippet(body: str, length: int = 120) -> str:
    """A one-line preview of *body*: Markdown markers dropped, whitespace collapsed."""
    text = re.sub(r"```.*?(```|$)", " ", body[: length * 8], flags=re.S)
    text = re.sub(r"[#>*_`\[\]]+", "", text)
    text = " ".join(text.split())
    return text[:length] + ("…" if len(text) > length else "")


def count_words(text: str) -> int:
    """Count words the way a reader would: each CJK character is one, Latin words by spaces."""
    cjk = len(CJK_RE.findall(text))
    latin = len(re.findall(r"[^\W_]+", CJK_RE.sub(" ", text)))
    return cjk + latin


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
