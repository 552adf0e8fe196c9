"""Question import: parsers turn a file into `ParsedQuestion`s and `ParseProblem`s;
`assessments.services.questions_import` stores them one by one."""

from __future__ import annotations

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

    def source_hash(self) -> str:
        """Identity of the source question: same text, key and files → same hash."""
        canonical = {
            "kind": self.kind,
            "stem": self.stem,
            "data": _without_alt_texts(self.data),
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
        blob = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

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
        return moodle_xml.parse(content)
    if fmt == "gift":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("A GIFT file must be saved as UTF-8.")) from None
        return gift.parse(text)
    raise ValidationError(
        _("Unknown format “%(fmt)s”: use moodle-xml or gift."), params={"fmt": fmt}
    )
