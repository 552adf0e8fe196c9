"""The demo curricula's media: their SVG illustrations as Wagtail images, and per
trade a demonstration video made from those illustrations read aloud in Arabic.

Illustrations are found again by content hash (an unchanged file is one image
however often the seed runs). Videos go through content's services (the one way
courses reaches media assets): made once, cached under DEMO_VIDEO_CACHE_DIR, their
processing left to the worker so `seed_demo` does not wait for the transcode.
"""

from __future__ import annotations

import hashlib
import re
from html import escape
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from content.data import SlideData
from courses.seed_data import shapes
from lms.kernel.errors import Invalid

ASSETS = Path(__file__).resolve().parent.parent / "seed_assets" / "svg"
SLIDE_W, SLIDE_H, BAND_H = 854, 480, 68
VOICE = "ar"
_ROOT_TAG = re.compile(r"^\s*<svg\b[^>]*>", re.DOTALL)


def svg_path(trade_slug: str, name: str) -> Path:
    return ASSETS / trade_slug / name


class Illustrations:
    """Wagtail images for one trade's SVG files, made once each."""

    def __init__(self, trade_slug: str) -> None:
        self.trade_slug = trade_slug
        self._ids: dict[str, int] = {}
        self.created = 0

    def __call__(self, figure: shapes.Figure) -> int:
        if figure.svg not in self._ids:
            self._ids[figure.svg] = self._image_id(figure)
        return self._ids[figure.svg]

    def _image_id(self, figure: shapes.Figure) -> int:
        data = svg_path(self.trade_slug, figure.svg).read_bytes()
        digest = hashlib.sha1(data).hexdigest()  # Wagtail's own file_hash
        model = get_image_model()
        existing = model.objects.filter(file_hash=digest).order_by("pk").first()
        if existing is not None:
            return existing.pk
        image = model(
            title=figure.caption[:255],
            file=ImageFile(ContentFile(data), name=f"{self.trade_slug}-{figure.svg}"),
        )
        image._set_image_file_metadata()
        image.save()
        self.created += 1
        return image.pk


def slide_svg(trade_slug: str, slide: shapes.Slide) -> bytes:
    """A 16:9 slide: the heading on a band, the illustration under it."""
    drawing = svg_path(trade_slug, slide.svg).read_text(encoding="utf-8")
    inner = _ROOT_TAG.sub("", drawing, count=1).rsplit("</svg>", 1)[0]
    height = SLIDE_H - BAND_H - 8
    width = round(height * 640 / 360)
    x = (SLIDE_W - width) // 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SLIDE_W}" height="{SLIDE_H}" '
        f'viewBox="0 0 {SLIDE_W} {SLIDE_H}"><rect width="{SLIDE_W}" height="{SLIDE_H}" '
        f'fill="#f4f8fa"/><rect width="{SLIDE_W}" height="{BAND_H}" fill="#1f7a8c"/>'
        f'<text x="{SLIDE_W // 2}" y="{BAND_H - 20}" fill="#fff" font-size="34" '
        'font-weight="700" text-anchor="middle" font-family="Noto Naskh Arabic, '
        f'Noto Sans Arabic, Amiri, sans-serif">{escape(slide.heading)}</text>'
        f'<svg x="{x}" y="{BAND_H + 4}" width="{width}" height="{height}" '
        f'viewBox="0 0 640 360">{inner}</svg></svg>'
    ).encode()


def demo_video_id(curriculum: shapes.Curriculum, stdout) -> int | None:
    """The trade's demonstration video (made and queued the first time), or None
    when it cannot be made here (the reason is printed; the lessons do without)."""
    from content.services import video_from_slides

    video = curriculum.video
    if video is None:
        return None
    slides = [
        SlideData(svg=slide_svg(curriculum.trade_slug, s), narration=s.narration)
        for s in video.slides
    ]
    try:
        data = video_from_slides(
            title=video.title,
            slides=slides,
            caption_language="ar",
            caption_label="العربية",
            voice=VOICE,
        )
    except Invalid as exc:
        stdout.write(f"courses: no demo video for {curriculum.trade_slug}: {exc}")
        return None
    if data.status != "ready":
        stdout.write(
            f"courses: demo video {data.id} ({curriculum.trade_slug}) {data.status}: "
            "the task worker makes its renditions in the background"
        )
    return data.id


def narrated_videos_wanted() -> bool:
    return settings.DEMO_VIDEOS == "narrated"
