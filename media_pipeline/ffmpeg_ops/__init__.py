"""ffmpeg work on local files, in three parts:

- `probing`: probe and validate an input, the refusal reasons (`REASONS`);
- `ladder`: the renditions a source gets and the one ffmpeg command for them;
- `process`: running ffmpeg with its progress parsed, cancellable.

Nothing here touches the database or the storage API: the job module (jobs.py) feeds
it files it copied out of storage and publishes what it writes. Callers use the names
below (`ffmpeg_ops.probe`, `ffmpeg_ops.run` ...).
"""

from media_pipeline.ffmpeg_ops.ladder import (
    AUDIO_BPS,
    AUDIO_ONLY_NAME,
    LADDER,
    MASTER_PLAYLIST,
    OFFLINE_HEIGHT,
    OFFLINE_NAME,
    OFFLINE_VIDEO_BPS,
    POSTER_MAX_HEIGHT,
    POSTER_NAME,
    THUMB_COUNT,
    THUMB_WIDTH,
    THUMBS_NAME,
    Plan,
    Rendition,
    build_command,
    plan_for,
)
from media_pipeline.ffmpeg_ops.probing import (
    REASONS,
    MediaRejected,
    ProbeResult,
    megabytes,
    output_duration_s,
    probe,
)
from media_pipeline.ffmpeg_ops.process import (
    Cancelled,
    Progress,
    RunResult,
    parse_progress,
    run,
)

__all__ = [
    "AUDIO_BPS",
    "AUDIO_ONLY_NAME",
    "LADDER",
    "MASTER_PLAYLIST",
    "OFFLINE_HEIGHT",
    "OFFLINE_NAME",
    "OFFLINE_VIDEO_BPS",
    "POSTER_MAX_HEIGHT",
    "POSTER_NAME",
    "REASONS",
    "THUMBS_NAME",
    "THUMB_COUNT",
    "THUMB_WIDTH",
    "Cancelled",
    "MediaRejected",
    "Plan",
    "ProbeResult",
    "Progress",
    "Rendition",
    "RunResult",
    "build_command",
    "megabytes",
    "output_duration_s",
    "parse_progress",
    "plan_for",
    "probe",
    "run",
]
