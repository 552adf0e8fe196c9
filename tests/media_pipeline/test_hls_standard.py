"""The published HLS to RFC 8216, read by an independent parser (m3u8) and checked
against ffprobe of the segments; the offline MP4 never outgrows its source."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path

import m3u8
import pytest
from django.core.files.storage import default_storage

from media_pipeline import services
from media_pipeline.models import VideoAsset

pytestmark = pytest.mark.django_db


def _ffprobe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
         "-show_streams", str(path)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return json.loads(out.stdout)


def _played_s(segment: Path) -> float:
    """A segment's duration from ffprobe: the sum of its first stream's packets
    (video when there is video; the container's duration is unreliable for audio)."""
    select = (
        "v:0"
        if any(s["codec_type"] == "video" for s in _ffprobe(segment)["streams"])
        else "a:0"
    )
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", select,
         "-show_entries", "packet=duration_time", "-of", "csv=p=0", str(segment)],
        check=True, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    fields = (line.split(",")[0] for line in out.stdout.splitlines())
    return sum(float(x) for x in fields if x.strip() not in ("", "N/A"))


def _ingest(path: Path) -> VideoAsset:
    data = services.video_asset_ingest(file_path=str(path), title="t", run_now=True)
    asset = VideoAsset.objects.get(pk=data.id)
    assert asset.status == VideoAsset.Status.READY, asset.error_code
    return asset


def _root(asset: VideoAsset) -> Path:
    return Path(default_storage.path(asset.output_prefix))


def test_master_bandwidth_is_the_measured_peak_of_every_variant(clips):
    asset = _ingest(clips["av"])
    root = _root(asset)
    master = m3u8.load(str(root / "master.m3u8"))
    assert master.is_variant and len(master.playlists) == 3  # 240p, 360p, audio
    for variant in master.playlists:
        info = variant.stream_info
        media = m3u8.load(str(root / variant.uri))
        rates, total_bits, total_s = [], 0, 0.0
        for seg in media.segments:
            path = root / Path(variant.uri).parent / seg.uri
            bits = path.stat().st_size * 8
            duration = _played_s(path)
            assert duration == pytest.approx(seg.duration, abs=0.05)
            if duration >= media.target_duration / 2:  # runts: see hls_master
                rates.append(bits / duration)
            total_bits += bits
            total_s += seg.duration
        assert rates
        assert info.bandwidth >= max(rates) * 0.999, (variant.uri, info, rates)
        assert info.bandwidth <= max(rates) * 1.05  # measured, not inflated
        assert info.bandwidth >= total_bits / total_s
        assert info.average_bandwidth == pytest.approx(total_bits / total_s, rel=0.05)
        if info.resolution:
            stream = _ffprobe(root / Path(variant.uri).parent / media.segments[0].uri)
            video = next(s for s in stream["streams"] if s["codec_type"] == "video")
            assert info.frame_rate == pytest.approx(
                float(Fraction(video["avg_frame_rate"])), abs=0.01
            )
        else:
            assert info.frame_rate is None
    audio = next(p for p in master.playlists if not p.stream_info.resolution)
    # the old master said 70 400 for 64 kbit/s AAC in MPEG-TS; TS overhead is real
    assert audio.stream_info.bandwidth > 70_400


def test_captions_are_a_subtitles_group_referenced_by_video_variants(
    clips, django_capture_on_commit_callbacks
):
    asset = _ingest(clips["av"])
    vtt = (
        b"WEBVTT\n\n00:00.000 --> 00:02.000\n\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.caption_set(
            asset_id=asset.pk, language="ar", label="العربية", file_name="a.vtt",
            data=vtt,
        )  # fmt: skip
        services.caption_set(
            asset_id=asset.pk, language="en", label="English", file_name="e.vtt",
            data=b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n",
        )  # fmt: skip
    root = _root(asset)
    master = m3u8.load(str(root / "master.m3u8"))
    subs = [m for m in master.media if m.type == "SUBTITLES"]
    assert [(m.language, m.name, m.default) for m in subs] == [
        ("ar", "العربية", "YES"),
        ("en", "English", "NO"),
    ]
    assert {m.group_id for m in subs} == {"subs"}
    assert all(m.autoselect == "YES" for m in subs)
    for variant in master.playlists:
        expected = "subs" if variant.stream_info.resolution else None
        assert variant.stream_info.subtitles == expected
    ar = m3u8.load(str(root / subs[0].uri))
    assert len(ar.segments) == 1 and ar.is_endlist
    caption = asset.captions.get(language="ar")
    assert ar.segments[0].uri == caption.file.url
    # content-addressed: the name changes with the text
    assert caption.file.name.rsplit("/", 1)[1].startswith("ar-")
    # the measured rates survive the rewrite
    assert all(p.stream_info.average_bandwidth for p in master.playlists)


def test_a_low_bit_rate_source_gets_an_offline_copy_no_larger(tmp_path):
    src = tmp_path / "upload-640x272.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-nostdin",
         "-f", "lavfi", "-i", "testsrc2=size=640x272:rate=25:duration=6",
         "-f", "lavfi", "-i", "sine=frequency=300:duration=6",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "90k",
         "-maxrate", "90k", "-bufsize", "180k", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "48k", "-shortest", str(src)],
        check=True, timeout=60,
    )  # fmt: skip
    asset = _ingest(src)
    offline = _root(asset) / asset.offline_mp4_name
    assert offline.stat().st_size <= src.stat().st_size
    video = next(s for s in _ffprobe(offline)["streams"] if s["codec_type"] == "video")
    assert int(video["height"]) == 272  # never upscaled to 360p


def test_a_caption_saved_or_deleted_in_the_admin_rewrites_the_master(
    clips, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from media_pipeline.models import Caption

    asset = _ingest(clips["av"])
    body = b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"
    with django_capture_on_commit_callbacks(execute=True):
        caption = Caption(
            asset=asset,
            language="en",
            label="English",
            file=SimpleUploadedFile("My Notes.vtt", body),
        )
        caption.save()
    assert caption.file.name.rsplit("/", 1)[1].startswith("en-")
    master = m3u8.load(str(_root(asset) / "master.m3u8"))
    assert [m.language for m in master.media if m.type == "SUBTITLES"] == ["en"]
    with django_capture_on_commit_callbacks(execute=True):
        caption.delete()
    master = m3u8.load(str(_root(asset) / "master.m3u8"))
    assert not [m for m in master.media if m.type == "SUBTITLES"]
    assert all(p.stream_info.subtitles is None for p in master.playlists)
    assert all(p.stream_info.average_bandwidth for p in master.playlists)


def test_measure_takes_the_peak_of_full_segments_and_the_mean_of_all(tmp_path):
    from media_pipeline import hls_master

    sizes = {"a.ts": (1.0, 10_000), "b.ts": (1.0, 20_000), "c.ts": (0.02, 1_000)}
    lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:1"]
    for name, (duration, size) in sizes.items():
        (tmp_path / name).write_bytes(b"\0" * size)
        lines += [f"#EXTINF:{duration},", name]
    (tmp_path / "index.m3u8").write_text("\n".join([*lines, "#EXT-X-ENDLIST", ""]))
    peak, mean = hls_master.measure(tmp_path / "index.m3u8")
    assert peak == 160_000  # b.ts; the 20 ms runt (400 kbit/s) is left out
    assert mean == 122_773  # 31 000 bytes in 2.02 s, rounded up
