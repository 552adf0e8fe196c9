"""Caption tracks: SRT becomes WebVTT, bad files are refused, tracks are listed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.kernel.errors import Invalid
from media_pipeline import services
from media_pipeline.captions import caption_text_to_webvtt, srt_to_webvtt
from media_pipeline.models import Caption, VideoAsset
from media_pipeline.selectors import video_asset_get

SRT = (
    "1\r\n00:00:01,000 --> 00:00:02,500\r\nمرحبا بكم في الدرس\r\n\r\n"
    "2\r\n00:00:03,000 --> 00:00:04,200\r\nقص القماش\r\n"
)


def test_srt_is_converted_to_webvtt():
    vtt = srt_to_webvtt(SRT.replace("\r\n", "\n"))
    assert vtt.startswith("WEBVTT\n\n")
    assert "00:00:01.000 --> 00:00:02.500" in vtt
    assert "00:00:03.000 --> 00:00:04.200" in vtt
    assert "," not in vtt.split("\n")[3]  # timing line uses dots
    assert "مرحبا بكم في الدرس" in vtt


def test_windows_arabic_srt_is_decoded():
    vtt = caption_text_to_webvtt(name="ar.srt", data=SRT.encode("cp1256"))
    assert "قص القماش" in vtt


def test_webvtt_with_bom_is_accepted_unchanged():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n"
    out = caption_text_to_webvtt(name="en.vtt", data=("\ufeff" + text).encode())
    assert out == text


def test_srt_without_timings_is_refused():
    with pytest.raises(ValidationError) as err:
        caption_text_to_webvtt(name="x.srt", data=b"just some text\n")
    assert err.value.code == "no_cues"


def test_vtt_without_header_is_refused():
    with pytest.raises(ValidationError) as err:
        caption_text_to_webvtt(name="x.vtt", data=b"00:01.000 --> 00:02.000\nHi\n")
    assert err.value.code == "no_header"


def test_other_extensions_are_refused():
    with pytest.raises(ValidationError) as err:
        caption_text_to_webvtt(name="x.txt", data=SRT.encode())
    assert err.value.code == "extension"


def test_oversized_caption_file_is_refused(settings):
    settings.MEDIA_CAPTION_MAX_BYTES = 10
    with pytest.raises(ValidationError) as err:
        caption_text_to_webvtt(name="x.srt", data=SRT.encode())
    assert err.value.code == "too_large"


@pytest.mark.django_db
def test_caption_set_stores_webvtt_and_the_selector_lists_it():
    asset = VideoAsset.objects.create(title="T", original="videos/originals/x.mp4")
    services.caption_set(
        asset_id=asset.pk,
        language="AR",
        label="العربية",
        file_name="lesson.srt",
        data=SRT.encode(),
    )
    data = video_asset_get(asset_id=asset.pk)
    assert len(data.captions) == 1
    language, label, url = data.captions[0]
    assert (language, label) == ("ar", "العربية") and url.endswith(".vtt")
    caption = Caption.objects.get()
    assert caption.file.read().decode().startswith("WEBVTT")


@pytest.mark.django_db
def test_caption_set_returns_the_track_and_refuses_a_bad_file_with_its_reason():
    asset = VideoAsset.objects.create(title="T", original="videos/originals/x.mp4")
    track = services.caption_set(
        asset_id=asset.pk, language="en", label="English", file_name="e.srt",
        data=SRT.encode(),
    )  # fmt: skip
    assert (track.language, track.label) == ("en", "English")
    assert track.url.endswith(".vtt")
    with pytest.raises(Invalid) as err:
        services.caption_set(
            asset_id=asset.pk, language="ar", label="x", file_name="x.srt",
            data=b"just some text\n",
        )  # fmt: skip
    assert err.value.code == "no_cues" and err.value.message
    with pytest.raises(Invalid) as err:
        services.caption_set(
            asset_id=asset.pk, language="", label="x", file_name="x.srt",
            data=SRT.encode(),
        )  # fmt: skip
    assert err.value.code == "language"
    assert Caption.objects.count() == 1


@pytest.mark.django_db
def test_caption_set_replaces_the_track_of_the_same_language():
    asset = VideoAsset.objects.create(title="T", original="videos/originals/x.mp4")
    for label in ("old", "new"):
        services.caption_set(
            asset_id=asset.pk, language="en", label=label, file_name="e.srt",
            data=SRT.encode(),
        )  # fmt: skip
    assert list(Caption.objects.values_list("label", flat=True)) == ["new"]


@pytest.mark.django_db
def test_admin_caption_upload_converts_srt_on_clean():
    asset = VideoAsset.objects.create(title="T", original="videos/originals/x.mp4")
    caption = Caption(
        asset=asset,
        language="ar",
        label="عربي",
        file=SimpleUploadedFile("a.srt", SRT.encode()),
    )
    caption.full_clean()
    caption.save()
    assert caption.file.name.endswith(".vtt")
    assert caption.file.read().decode().startswith("WEBVTT")
