"""The one-run ladder and probe rules, on real ffmpeg output."""

from __future__ import annotations

import json
import re
import subprocess
import time

import pytest
from django.utils import translation

from media_pipeline import ffmpeg_ops
from media_pipeline.ffmpeg_ops import Cancelled, MediaRejected


def _ffprobe(path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
         "-show_format", str(path)],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out)


def _master_variants(text: str) -> list[tuple[dict[str, str], str]]:
    lines = text.splitlines()
    variants = []
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attrs = dict(
                re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1])
            )
            attrs = {k: v.strip('"') for k, v in attrs.items()}
            variants.append((attrs, lines[i + 1].strip()))
    return variants


@pytest.fixture(scope="session")
def ladder(clips, tmp_path_factory):
    """One pipeline run of the 480x360 clip with audio, shared by these tests."""
    out = tmp_path_factory.mktemp("ladder")
    found = ffmpeg_ops.probe(clips["av"])
    plan = ffmpeg_ops.plan_for(found, segment_s=1)
    cmd = ffmpeg_ops.build_command(clips["av"], out, plan)
    blocks = []
    result = ffmpeg_ops.run(cmd, duration_s=found.duration_s, on_progress=blocks.append)
    assert result.returncode == 0, result.stderr_tail
    return {"out": out, "plan": plan, "cmd": cmd, "blocks": blocks, "probe": found}


def test_probe_reads_duration_size_and_codecs(clips):
    found = ffmpeg_ops.probe(clips["av"])
    assert (found.width, found.height) == (480, 360)
    assert found.video_codec == "h264" and found.audio_codec == "aac"
    assert found.duration_s == pytest.approx(3.0, abs=0.1)


def test_ladder_never_upscales_beyond_the_source(ladder):
    heights = [r.height for r in ladder["plan"].renditions]
    assert heights == [240, 360]
    for name in ("240p", "360p"):
        seg = next((ladder["out"] / name).glob("seg_*.ts"))
        video = [s for s in _ffprobe(seg)["streams"] if s["codec_type"] == "video"]
        assert video[0]["height"] == int(name[:-1])
        assert video[0]["codec_name"] == "h264"
    assert not (ladder["out"] / "480p").exists()


def test_source_below_240p_gets_one_rendition_at_its_own_height(clips):
    found = ffmpeg_ops.probe(clips["tiny"])
    plan = ffmpeg_ops.plan_for(found)
    assert [r.height for r in plan.renditions] == [144]
    assert plan.audio_only is False  # the clip has no audio stream


def test_the_whole_ladder_comes_from_one_decode(ladder):
    cmd = ladder["cmd"]
    assert cmd.count("-i") == 1
    graph = cmd[cmd.index("-filter_complex") + 1]
    assert "split=" in graph and "asplit=" in graph


def test_master_playlist_lists_bandwidth_resolution_and_codecs(ladder):
    variants = _master_variants((ladder["out"] / "master.m3u8").read_text())
    video = [(a, uri) for a, uri in variants if "RESOLUTION" in a]
    assert [a["RESOLUTION"] for a, _ in video] == ["320x240", "480x360"]
    bandwidths = [int(a["BANDWIDTH"]) for a, _ in video]
    assert bandwidths == sorted(bandwidths) and bandwidths[0] > 300_000
    for attrs, uri in video:
        assert re.fullmatch(r"avc1\.[0-9a-f]{6},mp4a\.40\.2", attrs["CODECS"])
        assert (ladder["out"] / uri).is_file()


def test_audio_only_rendition_is_aac_about_64_kbits(ladder):
    variants = _master_variants((ladder["out"] / "master.m3u8").read_text())
    audio = [(a, uri) for a, uri in variants if "RESOLUTION" not in a]
    assert len(audio) == 1
    attrs, uri = audio[0]
    assert attrs["CODECS"] == "mp4a.40.2"
    assert int(attrs["BANDWIDTH"]) < 100_000
    seg = next((ladder["out"] / "audio").glob("seg_*.ts"))
    streams = _ffprobe(seg)["streams"]
    assert [s["codec_type"] for s in streams] == ["audio"]
    assert streams[0]["codec_name"] == "aac"


def test_segments_last_about_the_target_duration(ladder):
    text = (ladder["out"] / "360p" / "index.m3u8").read_text()
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", text)]
    assert "#EXT-X-ENDLIST" in text and "#EXT-X-TARGETDURATION:1" in text
    assert sum(durations) == pytest.approx(3.0, abs=0.2)
    assert all(abs(d - 1.0) < 0.15 for d in durations[:-1])


def test_renditions_switch_on_aligned_keyframes(ladder):
    starts = []
    for name in ("240p", "360p"):
        segs = sorted((ladder["out"] / name).glob("seg_*.ts"))
        starts.append(
            [round(float(_ffprobe(s)["format"]["start_time"]), 2) for s in segs]
        )
    assert starts[0] == starts[1] and len(starts[0]) >= 3


def test_poster_and_thumbnail_strip_are_images(ladder):
    poster = _ffprobe(ladder["out"] / "poster.jpg")["streams"][0]
    assert poster["codec_name"] == "mjpeg" and poster["height"] == 360
    strip = _ffprobe(ladder["out"] / "thumbnails.jpg")["streams"][0]
    assert strip["width"] == ffmpeg_ops.THUMB_WIDTH * ffmpeg_ops.THUMB_COUNT


def test_offline_mp4_is_small_360p_with_sound(ladder):
    info = _ffprobe(ladder["out"] / "offline-360p.mp4")
    kinds = {s["codec_type"]: s for s in info["streams"]}
    assert kinds["video"]["height"] == 360 and kinds["audio"]["codec_name"] == "aac"
    assert float(info["format"]["duration"]) == pytest.approx(3.0, abs=0.2)


def test_progress_is_parsed_from_ffmpeg_progress_output(ladder):
    blocks = ladder["blocks"]
    assert blocks[-1].done and blocks[-1].percent(3.0) == 100.0
    assert blocks[-1].out_time_s == pytest.approx(3.0, abs=0.2)


def test_progress_parser_reads_time_speed_and_end():
    lines = [
        "frame=10", "out_time_us=N/A", "speed=N/A", "progress=continue",
        "out_time_us=1500000", "speed=2.5x", "progress=continue",
        "out_time_us=3000000", "speed=3.01x", "progress=end",
    ]  # fmt: skip
    blocks = list(ffmpeg_ops.parse_progress(lines))
    assert [b.out_time_s for b in blocks] == [0.0, 1.5, 3.0]
    assert [b.speed for b in blocks] == [None, 2.5, 3.01]
    assert blocks[1].percent(3.0) == pytest.approx(50.0)
    assert [b.done for b in blocks] == [False, False, True]


def test_a_cancel_from_the_progress_callback_kills_ffmpeg(clips, tmp_path):
    found = ffmpeg_ops.probe(clips["av"])
    plan = ffmpeg_ops.plan_for(found, segment_s=1)
    cmd = ffmpeg_ops.build_command(clips["av"], tmp_path, plan)

    def cancel(progress):
        raise Cancelled

    started = time.monotonic()
    with pytest.raises(Cancelled):
        ffmpeg_ops.run(cmd, duration_s=found.duration_s, on_progress=cancel)
    assert time.monotonic() - started < 30
    assert not (tmp_path / "master.m3u8").exists()


@pytest.mark.parametrize(
    ("clip", "code"),
    [
        ("empty", "empty"),
        ("text", "not_media"),
        ("cut", "not_media"),
        ("audio", "no_video"),
    ],
)
def test_probe_refuses_what_is_not_a_video(clips, clip, code):
    with pytest.raises(MediaRejected) as err:
        ffmpeg_ops.probe(clips[clip])
    assert err.value.code == code
    assert err.value.message


def test_probe_refuses_a_video_longer_than_the_limit(clips, settings):
    settings.MEDIA_MAX_DURATION_S = 2
    with pytest.raises(MediaRejected) as err:
        ffmpeg_ops.probe(clips["av"])
    assert err.value.code == "too_long"


def test_probe_refuses_a_file_larger_than_the_limit(clips, settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 10_486  # 0.01 MB
    with pytest.raises(MediaRejected) as err:
        ffmpeg_ops.probe(clips["av"])
    assert err.value.code == "too_large"
    with translation.override("en"):
        assert "the limit is 0.01 MB" in err.value.message
    with translation.override("ar"):
        assert "0.01" in err.value.message and "MB" not in err.value.message
