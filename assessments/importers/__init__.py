"""Question import: parsers turn a file into `ParsedQuestion`s and `ParseProblem`s;
`assessments.services.questions_import` stores them one by one."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 20 * 1024 * 1024
FORMATS = ("moodle-xml", "gift")


@dataclass
class ParsedQuestion:
    position: int
    kind: str
    stem: str
    data: dict
    topic: str = ""
    name: str = ""
    difficulty: str = "medium"
    explanation: str = ""
    points: Decimal = Decimal(1)
    stem_images: list[tuple[str, bytes]] = field(default_factory=list)
    stem_image_alts: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    # 0 for the first of identical questions in one file, 1 for the next...: two
    # copies at different places are two questions (Moodle imports both).
    occurrence: int = 0

    def source_hash(self) -> str:
        """Identity of the source question: same text, key and files → same hash
        (the n-th copy of an identical question in one file gets its own)."""
        canonical = {
            "kind": self.kind,
            "stem": self.stem,
            "data": _without_defaults(_without_alt_texts(self.data)),
            "topic": self.topic,
            "name": self.name,
            "difficulty": self.difficulty,
            "explanation": self.explanation,
            "points": str(self.points),
            "images": sorted(
                hashlib.sha256(content).hexdigest()
                for _name, content in [*self.stem_images, *self.files.items()]
            ),
        }
        if self.occurrence:
            canonical["occurrence"] = self.occurrence
        blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def legacy_hash(self) -> str:
        """The hash this question had when categories were flattened to their last
        name, so banks imported then still re-import as unchanged."""
        from assessments.categories import split_path

        levels = split_path(self.topic)
        flat = levels[-1] if levels else ""
        return dataclasses.replace(self, topic=flat).source_hash()

    def resolve_images(self, store: Callable[..., str]) -> dict:
        """Replace file names in options with stored image names."""

        def walk(value):
            if isinstance(value, dict):
                out = {}
                for key, inner in value.items():
                    if (
                        key == "image"
                        and isinstance(inner, str)
                        and inner in self.files
                    ):
                        out[key] = store(content=self.files[inner], name=inner)
                    else:
                        out[key] = walk(inner)
                return out
            if isinstance(value, list):
                return [walk(v) for v in value]
            return value

        return walk(self.data)


def _without_alt_texts(value):
    """The data minus image alt texts: they describe a picture, they do not make
    another question (and files imported before alt texts were kept still match)."""
    if isinstance(value, dict):
        return {k: _without_alt_texts(v) for k, v in value.items() if k != "image_alt"}
    if isinstance(value, list):
        return [_without_alt_texts(v) for v in value]
    return value


def _without_defaults(data: dict) -> dict:
    """The data minus the conventions at their default (shuffled, no hints, no
    combined feedback): files imported before they were kept hash as before."""
    out = dict(data)
    if out.get("shuffle", True) is True:
        out.pop("shuffle", None)
    if not out.get("hints"):
        out.pop("hints", None)
    if not any((out.get("feedback") or {}).values()):
        out.pop("feedback", None)
    return out


def number_copies(results: list) -> list:
    """Give the second, third... copy of an identical question its occurrence."""
    seen: dict[str, int] = {}
    for item in results:
        if isinstance(item, ParsedQuestion):
            digest = item.source_hash()
            item.occurrence = seen.get(digest, 0)
            seen[digest] = item.occurrence + 1
    return results


# Moodle's grades (question_bank::fraction_options_full): an answer's fraction must
# be one of them, or Moodle refuses the question ("invalid grade").
_GRADES = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip


def moodle_grade(fraction: float) -> float | None:
    """The Moodle grade `fraction` stands for (within 5e-8), or None."""
    for grade in _GRADES:
        for signed in (grade, -grade):
            if abs(fraction - signed) < 0.00000005:
                return signed
    return None


def check_grades(fractions: list[float]) -> None:
    """ValidationError naming the fractions that are not Moodle grades."""
    wrong = [f for f in fractions if moodle_grade(f) is None]
    if wrong:
        raise ValidationError(
            _("Grade %(grades)s is not one of Moodle's grades (e.g. 33.33333%%)."),
            params={"grades": ", ".join(f"{f * 100:g}%" for f in wrong)},
        )


@dataclass
class ParseProblem:
    position: int
    reason: str
    skipped: bool = False


_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?>", re.IGNORECASE)
_IMG = re.compile(r"""<img[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>""", re.IGNORECASE)
PLUGINFILE = "@@PLUGINFILE@@/"


_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def image_alts(value: str) -> dict[str, str]:
    """The alt text of each @@PLUGINFILE@@ image in an HTML fragment, by file name
    (Moodle's editor asks authors for it)."""
    alts = {}
    for tag in _IMG_TAG.findall(value or ""):
        src, alt = _SRC.search(tag), _ALT.search(tag)
        if src and src.group(1).startswith(PLUGINFILE) and alt:
            name = src.group(1)[len(PLUGINFILE) :].split("?")[0]
            alts[name] = html.unescape(alt.group(1) or alt.group(2) or "").strip()
    return alts


def html_to_text(value: str) -> tuple[str, list[str]]:
    """Plain text of an HTML fragment and the @@PLUGINFILE@@ images it shows."""
    value = value or ""
    images = [
        src[len(PLUGINFILE) :].split("?")[0]
        for src in _IMG.findall(value)
        if src.startswith(PLUGINFILE)
    ]
    text = _BREAK.sub("\n", value)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line), images


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|~~|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINE = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?)")


def markdown_to_text(value: str) -> str:
    """Plain text of Markdown: headings, quotes, emphasis, code and link marks go,
    the words stay (what the trainee reads once Moodle renders it)."""
    lines = []
    for line in (value or "").splitlines():
        line = _MD_LINE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        previous = None
        while previous != line:
            previous, line = line, _MD_EMPHASIS.sub(r"\2", line)
        line = re.sub(r"[ \t\u00a0]+", " ", line).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def text_in_format(value: str, fmt: str) -> str:
    """The text a trainee reads, the way Moodle renders each text format: HTML and
    Moodle's auto-format are HTML, Markdown is converted, plain text stays."""
    if fmt in ("plain", "plain_text"):
        return "\n".join(
            line.strip() for line in (value or "").strip().splitlines() if line.strip()
        )
    if fmt == "markdown":
        return markdown_to_text(value)
    return html_to_text(value)[0]


def guess_format(name: str, content: bytes) -> str:
    lowered = name.lower()
    if lowered.endswith(".xml"):
        return "moodle-xml"
    if lowered.endswith((".gift", ".txt")):
        return "gift"
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "moodle-xml" if head.startswith(b"<") else "gift"


def parse_file(*, name: str, content: bytes, fmt: str | None = None) -> list:
    """Parse an import file; ValidationError only when the whole file is refused."""
    from assessments.importers import gift, moodle_xml

    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB; split it."))
    fmt = fmt or guess_format(name, content)
    if fmt == "moodle-xml":
        return number_copies(moodle_xml.parse(content))
    if fmt == "gift":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("A GIFT file must be saved as UTF-8.")) from None
        return number_copies(gift.parse(text))
    raise ValidationError(
        _("Unknown format “%(fmt)s”: use moodle-xml or gift."), params={"fmt": fmt}
    )
