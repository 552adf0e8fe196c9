"""What a page says in the interface's own words, apart from what people wrote.

Used by the journeys that render every trainee page in both languages (issue 20):
text outside user content must be in the page's language and in its one digit system
(Western digits in both, lms/kernel/formatting.py). User content is what the page
isolates as such: inside `dir="auto"`, `<bdi>`, an element with its own `lang`, or
`translate="no"` (codes, names). Scripts, styles and drawings are not text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
EASTERN_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
#: Latin tokens an Arabic screen may show as they are (file formats, codes).
KNOWN_TOKENS = frozenset(
    {"PDF", "QR", "SMS", "MP4", "JPEG", "PNG", "WebP", "ICS", "JSON"}
)
#: Codes shown as they are printed (a certificate serial such as ABCD-EFGH-JKM).
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{3}\b")
SKIPPED = frozenset({"script", "style", "svg", "template", "code", "kbd", "samp"})
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
LABELS = ("aria-label", "alt", "placeholder", "title")


@dataclass
class _Text:
    interface: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    title: str = ""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, user content, skipped)
        self.found = _Text()
        self.in_title = False

    def _inside(self) -> tuple[bool, bool]:
        if not self.stack:
            return False, False
        return self.stack[-1][1], self.stack[-1][2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        user, skipped = self._inside()
        user = user or (
            tag == "bdi"
            or values.get("dir") == "auto"
            or ("lang" in values and tag != "html")
            or values.get("translate") == "no"
        )
        skipped = skipped or tag in SKIPPED
        if not user and not skipped:
            for name in LABELS:
                if values.get(name):
                    self.found.labels.append(values[name] or "")
        if tag == "title":
            self.in_title = True
        if tag not in VOID:
            self.stack.append((tag, user, skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.found.title += data
            return
        user, skipped = self._inside()
        if not user and not skipped and data.strip():
            self.found.interface.append(data.strip())


def interface_problems(html: str, language: str) -> list[str]:
    """Each problem as a line: a word in the other script, a digit of another system,
    a title that is not plain text."""
    reader = _Reader()
    reader.feed(html)
    found = reader.found
    problems = []
    if "<" in found.title or ">" in found.title:
        problems.append(f"<title> holds markup: {found.title[:80]!r}")
    for kind, texts in (("text", found.interface), ("label", found.labels)):
        for text in texts:
            if EASTERN_DIGIT.search(text):
                problems.append(f"{kind} with Eastern-Arabic digits: {text[:80]!r}")
            if language == "ar":
                plain = CODE.sub("", text)
                words = [w for w in LATIN_WORD.findall(plain) if w not in KNOWN_TOKENS]
                if words:
                    problems.append(f"{kind} in Latin script: {text[:80]!r}")
            elif kind == "text" and ARABIC.search(text):
                problems.append(f"{kind} in Arabic script: {text[:80]!r}")
    return problems
