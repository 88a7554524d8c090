"""Markdown → safe HTML for the preview (and any other place that shows an entry as HTML).

python-markdown passes raw HTML straight through (``<script>``, ``onerror=``, ``javascript:``
links, ``<iframe>``, ``<style>``), so its output is always sanitised with nh3 before anyone sees
it (TECH-NOTES.md, "Markdown and HTML safety"). On top of nh3's defaults we:

- keep only a short list of formatting tags and no ``style``/``class``/``on*`` attributes;
- keep a link's ``href`` only for ``http``, ``https`` and ``mailto`` URLs (no relative paths,
  no ``file:``, no ``javascript:``): an entry must never point the viewer at a local file;
- replace every image by a small text placeholder: a journal never loads remote or local
  images, so nothing is fetched and no file is read just by looking at an entry.

With ``journal_refs=True`` (the editor's preview, issue 18) two things of the journal's own
are kept as well, and nothing else: an image whose source is exactly an attachment reference
(``attachment:<sha256>/<name>``, which the preview's resource loader serves from the journal,
never from a file or the network), and a link whose target is exactly ``entry:<id>`` (another
entry) or an attachment reference (a file in the journal). Other renders (AI answers, the
weekly summary) keep the stricter rule: an attachment image there is a placeholder.

Rendering time is bounded. python-markdown is quadratic on some input (``"[" * 20000`` took
71 s: each unmatched bracket scans the rest of the paragraph), and nested structures can
exhaust the recursion limit. :func:`render_markdown` therefore runs the conversion with a
deadline of 0.75 s plus one second per 100,000 characters, checked from a trace function
(so it stops even inside python-markdown's loops); past it, or on a RecursionError, the text is
shown as plain text under a note. A caller may also pass ``cancelled``, checked the same way, to
stop a render whose text has changed meanwhile (:class:`RenderCancelled`).

Qt-free on purpose: the exporters and a future HTML export share it, and it is easy to test.
"""

from __future__ import annotations

import html
import re
import sys
import time
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor
from markdown.treeprocessors import Treeprocessor

from questionbook.core.attachments import REFERENCE_RE as _ATTACHMENT_RE
from questionbook.core.links import ENTRY_SCHEME, UUID
from questionbook.i18n import _

#: Link schemes the preview keeps (and the only ones the UI will open, externally).
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"alt"},  # the source is never kept: images become placeholders
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
    "ol": {"start"},
}
#: Tags removed together with everything inside them.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "svg",
        "math",
        "textarea",
        "select",
        "title",
    }
)

_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
# nh3 serialises attributes in double quotes with ``"`` escaped, so this matches a whole tag.
_IMG_RE = re.compile(r'<img((?:\s+[\w:-]+="[^"]*")*)\s*/?>')
_ALT_RE = re.compile(r'\salt="([^"]*)"')
_TASK_RE = re.compile(r"^\[([ xX])\]\s+")
_CHECKED, _UNCHECKED = "\u2611", "\u2610"  # ☑ ☐
#: The journal's own targets, kept with ``journal_refs`` (the whole value must match).
_ENTRY_HREF_RE = re.compile(rf"{ENTRY_SCHEME}:{UUID}")
JOURNAL_SCHEMES = frozenset({"attachment", ENTRY_SCHEME})


def link_is_safe(url: str) -> bool:
    """True if *url* is an absolute http, https or mailto URL (the only links we keep/open)."""
    match = _SCHEME_RE.match(url or "")
    if not match or match.group(1).lower() not in SAFE_LINK_SCHEMES:
        return False
    rest = url[match.end() :]
    return bool(rest.strip()) and not any(ch in rest for ch in "\x00\r\n\t")


class _TaskListProcessor(Treeprocessor):
    """Turn ``- [ ] item`` / ``- [x] item`` into ☐ / ☑ (Qt's rich text has no checkboxes)."""

    def run(self, root: etree.Element) -> None:
        for lst in [*root.iter("ul"), *root.iter("ol")]:
            items = [child for child in lst if child.tag == "li"]
            marked = [self._mark(li) for li in items]  # a list, not a generator: mark them all
            if lst.tag == "ul" and items and all(marked):
                lst.set("class", "tasks")  # the preview hides the bullets of a pure task list

    @staticmethod
    def _mark(li: etree.Element) -> bool:
        holder = li
        if not (li.text or "").strip() and len(li) and li[0].tag == "p":
            holder = li[0]
        text = holder.text or ""
        match = _TASK_RE.match(text)
        if match:
            box = _UNCHECKED if match.group(1) == " " else _CHECKED
            holder.text = f"{box} {text[match.end() :]}"
        return match is not None


class _TaskListExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_TaskListProcessor(md), "questionbook_tasks", 5)


class _StrikeExtension(Extension):
    """``~~struck out~~`` → ``<del>`` (GitHub's strikethrough; not in python-markdown)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        pattern = SimpleTagInlineProcessor(r"(~{2})(?=\S)(.+?)(?<=\S)~{2}", "del")
        md.inlinePatterns.register(pattern, "questionbook_strike", 65)


def _safe_text(text: str) -> str:
    """Drop what neither the Markdown parser nor nh3 (Rust) accept: NUL, lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\ufffd")


def journal_target(url: str) -> bool:
    """True if *url* is exactly ``entry:<id>`` or an attachment reference (what the preview
    follows inside the journal)."""
    return bool(_ENTRY_HREF_RE.fullmatch(url) or _ATTACHMENT_RE.fullmatch(url))


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "href":
        return value if link_is_safe(value) else None
    if attr == "src":
        return None
    if attr == "start":
        return value if value.isdigit() and len(value) < 9 else None
    if attr == "align":
        return value if value.lower() in ("left", "right", "center") else None
    return value


def _image_placeholder(match: re.Match[str]) -> str:
    alt_match = _ALT_RE.search(match.group(1))
    alt = html.unescape(alt_match.group(1)).strip() if alt_match else ""
    label = _("[image: {alt}]").format(alt=alt) if alt else _("[image]")
    return f'<span class="image-placeholder">{html.escape(label)}</span>'


def _journal_attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """Like :func:`_attribute_filter`, and the journal's own pictures, entries and files."""
    if attr == "href":
        return value if link_is_safe(value) or journal_target(value) else None
    if attr == "src":
        return value if tag == "img" and _ATTACHMENT_RE.fullmatch(value) else None
    return _attribute_filter(tag, attr, value)


def _image_or_placeholder(match: re.Match[str]) -> str:
    """An image with an attachment source stays (the filter let no other source through)."""
    if ' src="' in match.group(1):
        return match.group(0)
    return _image_placeholder(match)


def sanitize_html(raw_html: str, *, journal_refs: bool = False) -> str:
    """Make any HTML safe to show: allowed tags only, safe links only, no images (with
    *journal_refs*: also the journal's own pictures, entry links and files; module doc)."""
    attributes = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
    schemes = set(SAFE_LINK_SCHEMES)
    if journal_refs:
        attributes["img"] = {"alt", "src"}
        schemes |= JOURNAL_SCHEMES
    cleaned = nh3.clean(
        _safe_text(raw_html),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=attributes,
        allowed_classes={"span": {"image-placeholder"}, "ul": {"tasks"}},
        attribute_filter=_journal_attribute_filter if journal_refs else _attribute_filter,
        url_schemes=schemes,
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return _IMG_RE.sub(_image_or_placeholder if journal_refs else _image_placeholder, cleaned)


def _converter() -> markdown.Markdown:
    extensions: list[Any] = [
        "tables",
        "fenced_code",
        "sane_lists",
        "nl2br",
        _TaskListExtension(),
        _StrikeExtension(),
    ]
    return markdown.Markdown(
        extensions=extensions,
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )


_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HASH_TAG_LINE_RE = re.compile(r"^( {0,3})#(?=[^\s#])")


def _protect_tags(text: str) -> str:
    """Escape ``#tag`` at the start of a line so that it stays a tag, not a heading.

    CommonMark needs a space after the ``#`` of a heading, and so does our tag parser, but
    python-markdown makes ``#tag`` a heading. Lines inside fenced code are left alone.
    """
    out, fence = [], ""
    for line in text.split("\n"):
        m = _FENCE_RE.match(line)
        if m:
            marker = m.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
        elif not fence:
            line = _HASH_TAG_LINE_RE.sub(r"\1\\#", line)
        out.append(line)
    return "\n".join(out)


_LIST_ITEM_RE = re.compile(r"^([ \t]*)((?:[-*+]|\d{1,9}[.)])(?:[ \t]|$).*)$")


def _nest_lists(text: str) -> str:
    """Let lists nest by two spaces, as people type them (and as GitHub reads them).

    python-markdown nests a list item only when it is indented by four spaces, so "  - b" under
    "- a" stayed on a's level. Each list item's indentation is turned into four spaces per
    level, the level being worked out from the indentation of the items above it (deeper than
    the item before: one level in; as deep as an earlier one: that level). Lines inside fenced
    code are left alone.

    A list may also start right under a line of text, as people write it (and as CommonMark
    reads it: a numbered one only from 1, so "2024. was a year" stays text); python-markdown
    needs an empty line first, so one is put in.
    """
    out: list[str] = []
    fence = ""
    levels: list[int] = []  # the indentation of each open list level
    for line in text.split("\n"):
        m = _FENCE_RE.match(line)
        if fence or m:
            if m:
                marker = m.group(1)
                if not fence:
                    fence = marker
                elif marker[0] == fence[0] and len(marker) >= len(fence):
                    fence = ""
            out.append(line)
            continue
        item = _LIST_ITEM_RE.match(line)
        if item:
            number = item.group(2).split(".")[0].split(")")[0]
            if not levels and out and out[-1].strip() and (not number.isdigit() or number == "1"):
                out.append("")  # a list right under a paragraph (numbered: from 1) starts here
            indent = len(item.group(1).expandtabs(4))
            while levels and indent < levels[-1]:
                levels.pop()
            if not levels or indent > levels[-1]:
                levels.append(indent)
                if len(levels) > MAX_NESTING:
                    raise _TooDeep()
            out.append(" " * (4 * (len(levels) - 1)) + item.group(2))
            continue
        if line.strip() and not line[:1].isspace():
            levels = []  # a paragraph at the margin ends the list
        elif line.strip() and levels:  # a continuation line: under its item's text
            line = " " * (4 * len(levels)) + line.lstrip()
        out.append(line)
    return "\n".join(out)


#: Lists and quotes may nest this deep; deeper text is shown as plain text. The limit is ours,
#: not the Markdown library's: some versions recurse once per level (and hit Python's limit),
#: newer ones build 5,000 levels of <ol> that the preview would then have to lay out.
MAX_NESTING = 40
_CONTAINER_RE = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]))[ \t]*")


class _TooDeep(Exception):
    """The text nests lists or quotes deeper than :data:`MAX_NESTING`."""


def _check_nesting(text: str) -> None:
    """Raise :class:`_TooDeep` if a line opens more than :data:`MAX_NESTING` lists or quotes
    ("1. 1. 1. ...", "> > > ..."). Looks at most MAX_NESTING + 1 markers per line."""
    for line in text.split("\n"):
        pos = depth = 0
        while depth <= MAX_NESTING:
            m = _CONTAINER_RE.match(line, pos)
            if not m or m.end() == pos:
                break
            pos, depth = m.end(), depth + 1
        if depth > MAX_NESTING:
            raise _TooDeep()


#: Every render may take this long, plus :data:`SECONDS_PER_CHAR` for each character.
BASE_SECONDS = 0.75
SECONDS_PER_CHAR = 1e-5
_CHECK_EVERY = 64  # function calls between two looks at the clock


class RenderCancelled(BaseException):
    """The caller's ``cancelled()`` said stop (its text changed); there is no result."""


class _TooSlow(BaseException):  # a BaseException: no ``except Exception`` in a library eats it
    pass


@contextmanager
def _watched(seconds: float, cancelled: Callable[[], bool] | None) -> Iterator[None]:
    """Raise :class:`_TooSlow` in this thread once *seconds* have passed, or
    :class:`RenderCancelled` once *cancelled* says so, whatever Python code runs meanwhile."""
    deadline = time.monotonic() + seconds
    calls = 0

    def tracer(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal calls
        calls += 1
        if calls % _CHECK_EVERY == 0:
            if cancelled is not None and cancelled():
                raise RenderCancelled()
            if time.monotonic() > deadline:
                raise _TooSlow()
        # None: no line-by-line tracing, only calls are seen (the cost stays small)

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous)


def plain_text_html(text: str, note: str) -> str:
    """*text* shown as it is (escaped, line breaks kept) under a short *note*."""
    body = html.escape(_safe_text(text)).replace("\n", "<br>")
    return f'<p class="notice">{html.escape(note)}</p><p>{body}</p>'


def render_markdown(
    text: str,
    *,
    seconds: float | None = None,
    cancelled: Callable[[], bool] | None = None,
    journal_refs: bool = False,
) -> str:
    """*text* (Markdown, possibly with hostile raw HTML) as sanitised HTML.

    Takes at most about *seconds* (default: 0.75 s plus one per 100,000 characters);
    text that would take longer, or nests too deeply, comes back as plain text under a note.
    Raises :class:`RenderCancelled` if *cancelled* returns True while it works.
    *journal_refs* keeps the journal's own pictures and links (see the module docstring).
    """
    if not text:
        return ""
    budget = seconds if seconds is not None else BASE_SECONDS + SECONDS_PER_CHAR * len(text)
    try:
        _check_nesting(text)
        with _watched(budget, cancelled):
            raw = _converter().convert(_nest_lists(_protect_tags(_safe_text(text))))
    except _TooSlow:
        return plain_text_html(
            text,
            _("This text has too much Markdown structure to preview quickly; shown as plain text."),
        )
    except (RecursionError, _TooDeep):
        return plain_text_html(
            text, _("This text is nested too deeply to preview; shown as plain text.")
        )
    return sanitize_html(raw, journal_refs=journal_refs)
