"""Find Western punctuation and spacing inside Chinese text (docs/translating.md).

Used by the tests over the catalog and the real outputs (help, weekly summary, CLI commands),
so that strings added later (sync, performance work) are held to the same rules:

- no ASCII ``:`` ``,`` ``(`` ``)`` or spaced `` — `` next to a Chinese character (directly or
  across one space): Chinese takes ： ， （ ） ——;
- no space between two Chinese characters (``从 浅滩 升到了``) and none next to full-width
  punctuation (``。 水位``, ``难度 （8``). A space between Chinese and Latin letters or digits
  (``水位线 2``, ``AI 想不到``) is kept, as CJK typography does, and so is the space before a
  ``#tag`` or around the `` · `` that separates a title from its details.

"A Chinese character" is a CJK ideograph or full-width punctuation (:func:`i18n.is_wide`).
Code-like text is exempt: `backticks`, ``{placeholders}``, ``%(name)s``, ``kind:plan``-style
words, URLs, 'quoted commands', #tags, menu mnemonics ``(&F)`` and file filters ``(*.json)``,
whose ASCII punctuation (or the space after a tag) is part of what is typed or what Qt reads.
"""

from __future__ import annotations

import re

from questionbook.i18n import is_wide

_CODE = re.compile(
    r"`[^`]*`"  # `code`
    r"|\{[^{}]*\}"  # {placeholder}
    r"|%\([^)]*\)[a-z]|%[a-z]"  # %(name)s, %s
    r"|[A-Za-z0-9_./~-]+:[A-Za-z0-9_./~*<>=-]+"  # kind:plan, is:starred, C:/path, a:b
    r"|[a-z]+://\S+"  # URLs
    r"|'[^'\n]*'"  # 'questionbook doctor --repair'
    r"|\(&\w\)"  # a menu mnemonic, 文件(&F)
    r"|\(\*[^)]*\)"  # a file dialog's filter, (*.json *.zip)
    r"|#[^\s#]+"  # a #tag (the space after it ends it)
    r"|[\w.]+\(\)"  # __call__()
)
_ASCII = ":,()"


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The characters before and after position *i*, looking across one space."""
    before = text[i - 1] if i > 0 else ""
    if before == " " and i > 1:
        before = text[i - 2]
    after = text[i + 1] if i + 1 < len(text) else ""
    if after == " " and i + 2 < len(text):
        after = text[i + 2]
    return before, after


def offences(text: str) -> list[str]:
    """Each place in *text* that breaks the rules, shown with a little context."""
    plain = _CODE.sub(lambda m: "x" * len(m.group()), text)
    found: list[str] = []

    def report(i: int, why: str) -> None:
        found.append(f"{why}: …{text[max(0, i - 8) : i + 9]}…".replace("\n", "⏎"))

    for i, ch in enumerate(plain):
        if ch in _ASCII:
            before, after = _neighbours(plain, i)
            if (before and is_wide(before)) or (after and is_wide(after)):
                report(i, f"ASCII {ch!r} beside Chinese")
        elif ch == " " and 0 < i < len(plain) - 1:
            before, after = plain[i - 1], plain[i + 1]
            if is_wide(before) and is_wide(after) and "—" not in (before, after):
                report(i, "space between Chinese characters")
            elif before in "。，、：；？！）」』" and text[i + 1] not in " \n#·":
                report(i, "space after Chinese punctuation")
            elif after in "（「『" and is_wide(before):
                report(i, "space before Chinese punctuation")
        elif ch == "—" and plain[i - 1 : i] == " " and plain[i + 1 : i + 2] == " ":
            before, after = _neighbours(plain, i)
            if is_wide(before) or is_wide(after):
                report(i, "spaced — beside Chinese (——)")
    return found
