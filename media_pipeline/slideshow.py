"""A narrated slideshow: SVG slides + sentences read aloud → an MP4 and its WebVTT.

Each slide is drawn with librsvg (`rsvg-convert`), each sentence synthesised with
espeak-ng; the sentences' own lengths time the slides and the caption cues, so a cue
is on screen exactly while its sentence is heard. ffmpeg joins the stills (a few
frames a second: they do not move) and the narration. The result is kept in a cache
folder under a name made from everything that shapes it, so it is made once.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from media_pipeline import ffmpeg_ops
from media_pipeline.data import SlideData

# Bump when the way a file is made changes: the cache then makes it again.
RECIPE = "slideshow-1"
WIDTH, HEIGHT = 854, 480
FRAMES_PER_S = 2
LEAD_IN_S = 0.6  # silence before the first sentence
SENTENCE_GAP_S = 0.35
SLIDE_GAP_S = 0.9  # after each slide's last sentence
WORDS_PER_MINUTE = 150  # espeak-ng's rate (-s)
TOOLS = ("rsvg-convert", "espeak-ng")


class SlideshowError(Exception):
    """A tool is missing or failed; `code` says which reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail or code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class SlideshowFiles:
    mp4_path: Path
    webvtt: str
    duration_s: float
    cues: tuple[Cue, ...]


def tools_missing() -> list[str]:
    """The programs a slideshow needs that are not installed."""
    needed = (*TOOLS, settings.FFMPEG_BINARY)
    return [tool for tool in needed if shutil.which(tool) is None]


def _key(slides: Sequence[SlideData], voice: str) -> str:
    recipe = f"{RECIPE}|{voice}|{WIDTH}x{HEIGHT}@{FRAMES_PER_S}|{WORDS_PER_MINUTE}"
    digest = hashlib.sha256(recipe.encode())
    for slide in slides:
        digest.update(hashlib.sha256(slide.svg).digest())
        for sentence in slide.narration:
            digest.update(b"\x00" + sentence.encode("utf-8"))
        digest.update(b"\x01")
    return digest.hexdigest()[:32]


def _run(args: list[str], code: str) -> None:
    done = subprocess.run(args, capture_output=True, timeout=300, check=False)
    if done.returncode != 0:
        raise SlideshowError(code, done.stderr.decode("utf-8", "replace")[-500:])


def _render(svg: bytes, png: Path) -> None:
    source = png.with_suffix(".svg")
    source.write_bytes(svg)
    _run(
        ["rsvg-convert", "-w", str(WIDTH), "-h", str(HEIGHT), "-b", "white",
         "-o", str(png), str(source)],
        "render_failed",
    )  # fmt: skip


def _speak(text: str, voice: str, out: Path) -> None:
    _run(
        ["espeak-ng", "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(out), text],
        "speech_failed",
    )


class _Narration:
    """The narration as one PCM track, built sentence by sentence."""

    def __init__(self) -> None:
        self.frames = bytearray()
        self.params: wave._wave_params | None = None

    @property
    def seconds(self) -> float:
        if self.params is None:
            return 0.0
        p = self.params
        return len(self.frames) / (p.framerate * p.sampwidth * p.nchannels)

    def add(self, path: Path) -> None:
        with wave.open(str(path), "rb") as clip:
            if self.params is None:  # the first sentence sets the format
                self.params = clip.getparams()
                self.pause(LEAD_IN_S)
            self.frames += clip.readframes(clip.getnframes())

    def pause(self, seconds: float) -> None:
        assert self.params is not None
        count = int(seconds * self.params.framerate)
        self.frames += b"\x00" * (count * self.params.sampwidth * self.params.nchannels)

    def write(self, path: Path) -> None:
        assert self.params is not None
        with wave.open(str(path), "wb") as out:
            out.setparams(self.params)
            out.writeframes(bytes(self.frames))


def _timestamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def webvtt(cues: Sequence[Cue]) -> str:
    blocks = [
        f"{_timestamp(c.start_s)} --> {_timestamp(c.end_s)}\n{c.text}" for c in cues
    ]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def _narrate(
    slides: Sequence[SlideData], voice: str, work: Path
) -> tuple[_Narration, list[float], list[Cue]]:
    """Speak every sentence; the length of each slide and the cues follow."""
    track, lengths, cues = _Narration(), [], []
    for number, slide in enumerate(slides):
        started = track.seconds
        for index, sentence in enumerate(slide.narration):
            clip = work / f"s{number:02d}-{index:02d}.wav"
            _speak(sentence, voice, clip)
            if track.params is None:
                track.add(clip)
                begin = LEAD_IN_S
            else:
                begin = track.seconds
                track.add(clip)
            cues.append(Cue(begin, track.seconds, sentence))
            track.pause(SENTENCE_GAP_S)
        track.pause(SLIDE_GAP_S)
        lengths.append(track.seconds - started)
    return track, lengths, cues


def _assemble(pngs: list[Path], lengths: list[float], audio: Path, out: Path) -> None:
    listing = pngs[0].parent / "slides.txt"  # names in it are relative to it
    lines = []
    for png, seconds in zip(pngs, lengths, strict=True):
        lines += [f"file '{png.name}'", f"duration {seconds:.3f}"]
    lines.append(f"file '{pngs[-1].name}'")  # the concat demuxer's last-still rule
    listing.write_text("\n".join(lines) + "\n")
    total = f"{sum(lengths):.3f}"
    _run(
        [settings.FFMPEG_BINARY, "-v", "error", "-y", "-nostdin",
         "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(audio),
         "-map", "0:v", "-map", "1:a", "-t", total,
         "-vf", f"fps={FRAMES_PER_S},format=yuv420p",
         "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage",
         "-c:a", "aac", "-aac_coder", "fast", "-b:a", "64k", "-ac", "1",
         "-movflags", "+faststart", str(out)],
        "assemble_failed",
    )  # fmt: skip


def build(
    *, slides: Sequence[SlideData], voice: str, cache_dir: Path | None = None
) -> SlideshowFiles:
    """The slideshow's MP4 and captions, from the cache or made now."""
    if not slides or not all(slide.narration for slide in slides):
        raise SlideshowError("no_narration", "every slide needs a sentence to say")
    missing = tools_missing()
    if missing:
        raise SlideshowError("tools_missing", ", ".join(missing))
    folder = Path(cache_dir or settings.DEMO_VIDEO_CACHE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    key = _key(slides, voice)
    mp4, vtt = folder / f"{key}.mp4", folder / f"{key}.vtt"
    if not (mp4.is_file() and vtt.is_file()):
        with tempfile.TemporaryDirectory(prefix="maharat-slides-") as scratch:
            work = Path(scratch)
            track, lengths, cues = _narrate(slides, voice, work)
            pngs = [work / f"slide{n:02d}.png" for n in range(len(slides))]
            for slide, png in zip(slides, pngs, strict=True):
                _render(slide.svg, png)
            audio = work / "narration.wav"
            track.write(audio)
            made = folder / f"{key}.part.mp4"  # renamed once complete
            _assemble(pngs, lengths, audio, made)
            vtt.write_text(webvtt(cues), encoding="utf-8")
            made.replace(mp4)
    text = vtt.read_text(encoding="utf-8")
    return SlideshowFiles(
        mp4_path=mp4,
        webvtt=text,
        duration_s=ffmpeg_ops.probe(mp4).duration_s,
        cues=tuple(_parse_cues(text)),
    )


def _seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def _parse_cues(text: str) -> list[Cue]:
    cues = []
    for block in text.split("\n\n")[1:]:
        timing, _, words = block.strip().partition("\n")
        if "-->" in timing:
            start, end = (part.strip() for part in timing.split("-->"))
            cues.append(Cue(_seconds(start), _seconds(end), words))
    return cues
