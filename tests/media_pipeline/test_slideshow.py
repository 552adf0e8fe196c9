"""Narrated slideshows: SVG slides + Arabic sentences (espeak-ng) → an MP4 whose
captions are timed to the narration, made once, then run through the real pipeline."""

from __future__ import annotations

import json
import subprocess

import pytest
from django.core.files.storage import default_storage

from media_pipeline import slideshow
from media_pipeline.data import SlideData
from media_pipeline.models import VideoAsset
from media_pipeline.services import video_asset_from_slides

pytestmark = pytest.mark.skipif(
    bool(slideshow.tools_missing()),
    reason=f"needs {', '.join(slideshow.tools_missing())} (scripts/system_packages.sh)",
)

SLIDE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360">
<rect width="640" height="360" fill="#e8f1f5"/>
<circle cx="320" cy="180" r="{r}" fill="#1f6f8b"/></svg>"""
SLIDES = (
    SlideData(
        svg=SLIDE.format(r=60).encode(),
        narration=("افصل الكهرباء عن الماكينة.", "ارفع القدم الضاغطة."),
    ),
    SlideData(svg=SLIDE.format(r=120).encode(), narration=("مرر الخيط في الدليل.",)),
)


def _streams(path) -> dict[str, dict]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json",
         str(path)],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    found = json.loads(out)
    streams = {s["codec_type"]: s for s in found["streams"]}
    streams["format"] = found["format"]
    return streams


def test_two_slides_make_a_video_with_narration_and_timed_captions(tmp_path):
    made = slideshow.build(slides=SLIDES, voice="ar", cache_dir=tmp_path)

    probe = _streams(made.mp4_path)
    assert (probe["video"]["width"], probe["video"]["height"]) == (854, 480)
    assert probe["audio"]["codec_name"] == "aac"
    duration = float(probe["format"]["duration"])
    assert 3 < duration < 30
    assert abs(duration - made.duration_s) < 0.01
    # one cue per sentence, in order, never overlapping, inside the video
    assert [c.text for c in made.cues] == [s for sl in SLIDES for s in sl.narration]
    assert made.cues[0].start_s == pytest.approx(slideshow.LEAD_IN_S)
    for cue, following in zip(made.cues, made.cues[1:], strict=False):
        assert cue.start_s < cue.end_s <= following.start_s
    assert made.cues[-1].end_s < duration
    assert made.webvtt.startswith("WEBVTT\n\n00:00:00.600 --> ")
    # the first slide is shown while its sentences are heard, then the second
    second_slide_starts = made.cues[2].start_s - slideshow.SENTENCE_GAP_S
    assert made.cues[1].end_s < second_slide_starts


def test_the_same_slides_are_made_once(tmp_path):
    first = slideshow.build(slides=SLIDES, voice="ar", cache_dir=tmp_path)
    stamp = first.mp4_path.stat().st_mtime_ns
    again = slideshow.build(slides=SLIDES, voice="ar", cache_dir=tmp_path)
    assert again.mp4_path == first.mp4_path
    assert again.mp4_path.stat().st_mtime_ns == stamp
    changed = (SLIDES[0], SlideData(svg=SLIDES[1].svg, narration=("نص آخر.",)))
    other = slideshow.build(slides=changed, voice="ar", cache_dir=tmp_path)
    assert other.mp4_path != first.mp4_path


def test_a_slide_without_narration_is_refused(tmp_path):
    with pytest.raises(slideshow.SlideshowError) as refused:
        slideshow.build(
            slides=(SlideData(svg=SLIDES[0].svg, narration=()),),
            voice="ar",
            cache_dir=tmp_path,
        )
    assert refused.value.code == "no_narration"


@pytest.mark.django_db
def test_slides_become_a_captioned_asset_through_the_real_pipeline_once(
    tmp_path, django_capture_on_commit_callbacks
):
    # enqueued on commit; the test settings' backend then runs the task at once
    with django_capture_on_commit_callbacks(execute=True):
        data = video_asset_from_slides(
            title="عرض: لضم الماكينة",
            slides=SLIDES,
            caption_language="ar",
            caption_label="العربية",
            voice="ar",
            cache_dir=tmp_path,
        )
    assert data.status == VideoAsset.Status.UPLOADED  # the caller did not wait
    asset = VideoAsset.objects.get(pk=data.id)
    assert asset.status == VideoAsset.Status.READY
    assert asset.duration_s == pytest.approx(
        slideshow.build(slides=SLIDES, voice="ar", cache_dir=tmp_path).duration_s,
        abs=0.2,
    )
    assert [c.language for c in asset.captions.all()] == ["ar"]
    track = default_storage.open(asset.captions.get().file.name).read().decode()
    assert "مرر الخيط في الدليل." in track

    again = video_asset_from_slides(
        title="عرض: لضم الماكينة",
        slides=SLIDES,
        caption_language="ar",
        caption_label="العربية",
        voice="ar",
        cache_dir=tmp_path,
    )
    assert again.id == data.id
    assert VideoAsset.objects.filter(title="عرض: لضم الماكينة").count() == 1
