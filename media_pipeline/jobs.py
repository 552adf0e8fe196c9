"""One pipeline run for one asset: claim, probe, transcode, publish atomically.

Every write is guarded by the run's job token: when a run is cancelled, retried or
found stale, its token changes and the old run stops at its next progress report and
publishes nothing.

ffmpeg works in the asset's scratch folder (``maharat-media-<asset_id>/`` under
``MEDIA_WORK_DIR`` or the system temp), wiped when a run claims the asset: a run
restarted after its worker was killed starts clean, and the sweep removes the folders
of assets that are not running.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lms.kernel import scratch as kernel_scratch
from media_pipeline import ffmpeg_ops, hls_master, storage_ops
from media_pipeline.ffmpeg_ops import Cancelled, MediaRejected, Plan, Progress
from media_pipeline.models import VideoAsset

logger = logging.getLogger(__name__)
Status = VideoAsset.Status


def temp_prefix(asset_id: int, token: str) -> str:
    return f"videos/incoming/{asset_id}/{token}"


def final_prefix(asset_id: int, token: str) -> str:
    return f"videos/assets/{asset_id}/{token}"


def run_job(*, asset_id: int, job_token: str) -> None:
    """Run the pipeline for an asset if this token is still the asset's current run."""
    asset = _claim(asset_id, job_token)
    if asset is None:
        return
    purge_unpublished(asset_id)  # a retry starts clean: drop a crashed run's leftovers
    try:
        _process(asset, job_token, scratch_reset(asset_id, job_token))
    except Cancelled:
        _cleanup(asset_id, job_token)
        _finish(asset_id, job_token, Status.CANCELLED, code="cancelled")
    except MediaRejected as exc:
        _cleanup(asset_id, job_token)
        _finish(
            asset_id,
            job_token,
            Status.FAILED,
            code=exc.code,
            params=exc.params,
            stderr_tail=exc.stderr_tail,
        )
    except Exception as exc:
        logger.exception("media pipeline run failed for asset %s", asset_id)
        _cleanup(asset_id, job_token)
        _finish(
            asset_id,
            job_token,
            Status.FAILED,
            code="internal",
            params={"detail": f"{type(exc).__name__}: {exc}"[:300]},
        )
    finally:
        scratch_release(asset_id, job_token)


# --- scratch folders ------------------------------------------------------------------

SCRATCH_PREFIX = "maharat-media-"


def scratch_root() -> Path:
    return Path(settings.MEDIA_WORK_DIR or tempfile.gettempdir())


def scratch_dir(asset_id: int) -> Path:
    """The asset's scratch folder; each run works in a sub-folder named by its token."""
    return scratch_root() / f"{SCRATCH_PREFIX}{asset_id}"


def scratch_reset(asset_id: int, token: str) -> Path:
    """Wipe the asset's folder (a killed run's half-written output) and make the
    run's own sub-folder."""
    folder = scratch_dir(asset_id)
    shutil.rmtree(folder, ignore_errors=True)
    work = folder / token
    work.mkdir(parents=True, exist_ok=True)
    return work


def scratch_release(asset_id: int, token: str) -> None:
    """Remove this run's sub-folder, and the asset's folder once nothing else is in it
    (a newer run of the same asset may be using it already)."""
    folder = scratch_dir(asset_id)
    shutil.rmtree(folder / token, ignore_errors=True)
    try:
        folder.rmdir()
    except OSError:
        pass


def scratch_sweep(*, older_than_s: float | None = None) -> int:
    """Remove scratch folders of assets that are not running (killed runs' leftovers).

    Folders younger than `MEDIA_STALE_AFTER_S` are kept: a run that has just been
    claimed may be filling one.
    """
    return kernel_scratch.scratch_sweep(
        root=scratch_root(),
        prefix=SCRATCH_PREFIX,
        running=_running_assets,
        older_than_s=settings.MEDIA_STALE_AFTER_S
        if older_than_s is None
        else older_than_s,
        unnumbered=True,  # temp dirs of older releases: the prefix is ours alone
    )


def _running_assets(ids: set[int]) -> set[int]:
    return set(
        VideoAsset.objects.filter(
            pk__in=ids, status__in=VideoAsset.RUNNING
        ).values_list("pk", flat=True)
    )


@contextmanager
def _local_original(asset: VideoAsset, work: Path) -> Iterator[str]:
    """A local path to the original: the stored file itself when the storage is a
    disk, else a copy in the run's scratch folder (removed with it)."""
    storage, name = asset.original.storage, asset.original.name
    try:
        yield storage.path(name)
        return
    except NotImplementedError:
        pass
    copy = work / f"original{PurePosixPath(name).suffix.lower()[:10]}"
    with storage.open(name, "rb") as src, copy.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    try:
        yield str(copy)
    finally:
        copy.unlink(missing_ok=True)


@transaction.atomic
def _claim(asset_id: int, token: str) -> VideoAsset | None:
    asset = VideoAsset.objects.select_for_update().filter(pk=asset_id).first()
    if asset is None or asset.job_token != token or asset.status != Status.UPLOADED:
        return None  # superseded, cancelled, or already run by another worker
    if asset.cancel_requested:
        asset.status = Status.CANCELLED
        asset.error_code = "cancelled"
        asset.save()
        return None
    now = timezone.now()
    asset.status = Status.PROBING
    asset.attempts += 1
    asset.started_at = asset.heartbeat_at = now
    asset.finished_at = None
    asset.progress_percent = 0
    asset.progress_speed = None
    asset.error_code, asset.error_params, asset.stderr_tail = "", {}, ""
    asset.save()
    return asset


def purge_unpublished(asset_id: int) -> None:
    """Delete every output of this asset except the published one."""
    published = (
        VideoAsset.objects.filter(pk=asset_id)
        .values_list("output_prefix", flat=True)
        .first()
    )
    storage_ops.delete_prefix(f"videos/incoming/{asset_id}")
    root = f"videos/assets/{asset_id}"
    try:
        dirs, _files = storage_ops.default_storage.listdir(root)
    except (FileNotFoundError, NotADirectoryError):
        return
    for d in dirs:
        if f"{root}/{d}" != published:
            storage_ops.delete_prefix(f"{root}/{d}")


def _cleanup(asset_id: int, token: str) -> None:
    for prefix in (temp_prefix(asset_id, token), final_prefix(asset_id, token)):
        try:
            storage_ops.delete_prefix(prefix)
        except Exception:
            logger.exception("could not clean %s", prefix)


def _guarded_update(asset_id: int, token: str, **fields) -> None:
    """Write run state; raise Cancelled if the run was cancelled or superseded."""
    fields.setdefault("heartbeat_at", timezone.now())
    updated = VideoAsset.objects.filter(
        pk=asset_id,
        job_token=token,
        cancel_requested=False,
        status__in=VideoAsset.RUNNING,
    ).update(updated_at=timezone.now(), **fields)
    if not updated:
        raise Cancelled


def _finish(
    asset_id: int,
    token: str,
    status: str,
    *,
    code: str,
    params: dict | None = None,
    stderr_tail: str = "",
) -> None:
    VideoAsset.objects.filter(pk=asset_id, job_token=token).update(
        status=status,
        error_code=code,
        error_params=params or {},
        stderr_tail=stderr_tail,
        progress_speed=None,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        updated_at=timezone.now(),
    )


@dataclass
class _Reporter:
    """Throttled progress writer; doubles as the heartbeat and the cancel check."""

    asset_id: int
    token: str
    duration_s: float
    last_write: float = 0.0
    percent: float = 0.0  # never shown going back (an estimate may lag a report)

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if (
            not progress.done
            and now - self.last_write < settings.MEDIA_PROGRESS_SAVE_EVERY_S
        ):
            return
        self.last_write = now
        self.percent = max(self.percent, round(progress.percent(self.duration_s), 1))
        _guarded_update(
            self.asset_id,
            self.token,
            progress_percent=self.percent,
            progress_speed=progress.speed,
        )

    def beat(self) -> None:
        _guarded_update(self.asset_id, self.token)


def _process(asset: VideoAsset, token: str, work: Path) -> None:
    with _local_original(asset, work) as source:
        found = ffmpeg_ops.probe(source)
        _guarded_update(
            asset.pk,
            token,
            status=Status.TRANSCODING,
            duration_s=found.duration_s,
            width=found.width,
            height=found.height,
            video_codec=found.video_codec,
            audio_codec=found.audio_codec,
            size_bytes=found.size_bytes,
        )
        plan = ffmpeg_ops.plan_for(found)
        reporter = _Reporter(asset.pk, token, found.duration_s)
        out = work / "out"
        cmd = ffmpeg_ops.build_command(source, out, plan)
        result = ffmpeg_ops.run(
            cmd,
            duration_s=found.duration_s,
            on_progress=reporter,
            written_s=lambda: ffmpeg_ops.hls_written_s(out, plan),
        )
        if result.returncode != 0:
            raise MediaRejected(
                "ffmpeg_failed",
                stderr_tail=result.stderr_tail,
                exit_code=result.returncode,
            )
        _check_complete(found.duration_s, out, result)
        reporter.beat()
        variants = hls_master.measured_variants(
            out, ffmpeg_ops.MASTER_PLAYLIST, found.frame_rate
        )
        tracks = subtitle_tracks(asset.pk)
        hls_master.write_subtitles(str(out), tracks, found.duration_s, _LOCAL)
        (out / ffmpeg_ops.MASTER_PLAYLIST).write_text(
            hls_master.master_playlist(variants, tracks)
        )
        _publish(asset.pk, token, out, plan, reporter, variants)


def _check_complete(duration_s: float, out: Path, result: ffmpeg_ops.RunResult) -> None:
    """A truncated file decodes 'successfully' but short: refuse it."""
    decoded = ffmpeg_ops.output_duration_s(out / ffmpeg_ops.OFFLINE_NAME)
    if decoded + max(1.0, 0.05 * duration_s) < duration_s:
        raise MediaRejected(
            "truncated",
            stderr_tail=result.stderr_tail,
            decoded_s=round(decoded, 1),
            duration_s=round(duration_s, 1),
        )


def _publish(
    asset_id: int,
    token: str,
    out: Path,
    plan: Plan,
    reporter: _Reporter,
    variants: list[hls_master.Variant],
) -> None:
    """Upload to a temporary prefix, move into the final prefix, then flip the row."""
    tmp, final = temp_prefix(asset_id, token), final_prefix(asset_id, token)
    offline_size = (out / ffmpeg_ops.OFFLINE_NAME).stat().st_size
    names = storage_ops.upload_tree(out, tmp, on_file=reporter.beat)
    storage_ops.move_tree(names, tmp, final)
    storage_ops.delete_prefix(tmp)
    measured = {v.uri: v for v in variants}
    renditions = [
        _rendition_row(r.name, measured[f"{r.name}/index.m3u8"], height=r.height)
        for r in plan.renditions
    ]
    audio_uri = f"{ffmpeg_ops.AUDIO_ONLY_NAME}/index.m3u8"
    if plan.audio_only and audio_uri in measured:
        # kept with the renditions' JSON so the master can be rewritten later
        renditions.append(
            _rendition_row(ffmpeg_ops.AUDIO_ONLY_NAME, measured[audio_uri], height=0)
        )
    previous = _go_live(
        asset_id,
        token,
        prefix=final,
        renditions=renditions,
        audio_only=audio_uri if plan.audio_only else "",
        offline_size=offline_size,
    )
    if previous and previous != final:
        storage_ops.delete_prefix(previous)


@transaction.atomic
def _go_live(
    asset_id: int,
    token: str,
    *,
    prefix: str,
    renditions: list[dict],
    audio_only: str,
    offline_size: int,
) -> str:
    """Flip the asset to the new output in one row update; returns the old prefix."""
    asset = VideoAsset.objects.select_for_update().get(pk=asset_id)
    if asset.job_token != token or asset.cancel_requested:
        raise Cancelled
    previous = asset.output_prefix
    asset.output_prefix = prefix
    asset.renditions = renditions
    asset.audio_only_playlist = audio_only
    asset.poster_name = ffmpeg_ops.POSTER_NAME
    asset.thumbnails_name = ffmpeg_ops.THUMBS_NAME
    asset.offline_mp4_name = ffmpeg_ops.OFFLINE_NAME
    asset.offline_size_bytes = offline_size
    asset.status = Status.READY
    asset.progress_percent = 100
    asset.progress_speed = None
    asset.finished_at = asset.heartbeat_at = timezone.now()
    asset.save()
    return previous


class _LocalStorage:
    """hls_master.write_file's view of the scratch folder: names are paths."""

    @staticmethod
    def path(name: str) -> str:
        return name


_LOCAL = _LocalStorage()


def _rendition_row(name: str, v: hls_master.Variant, *, height: int) -> dict:
    return {
        "name": name,
        "height": height,
        "bandwidth": v.peak_bps,
        "average_bandwidth": v.average_bps,
        "frame_rate": v.frame_rate,
        "resolution": v.resolution,
        "codecs": v.codecs,
        "playlist": v.uri,
    }


def split_renditions(rows: list[dict]) -> tuple[list[dict], dict | None]:
    """(video renditions, the audio-only row) of an asset's renditions JSON."""
    video = [r for r in rows if r.get("height")]
    audio = next((r for r in rows if not r.get("height")), None)
    return video, audio


def subtitle_tracks(asset_id: int) -> list[hls_master.SubtitleTrack]:
    from media_pipeline.models import Caption

    return [
        hls_master.SubtitleTrack(language=c.language, name=c.label, vtt_url=c.file.url)
        for c in Caption.objects.filter(asset_id=asset_id).order_by("sort_order", "pk")
        if c.file
    ]


def republish_master(asset_id: int) -> bool:
    """Rewrite a published asset's master and subtitle playlists (captions changed).

    Only assets whose renditions carry measured rates (published by this version)
    are rewritten; returns whether it was."""
    asset = VideoAsset.objects.filter(pk=asset_id, status=Status.READY).first()
    if asset is None or not asset.output_prefix or not asset.renditions:
        return False
    if not all("average_bandwidth" in r for r in asset.renditions):
        return False
    video, audio = split_renditions(asset.renditions)
    tracks = subtitle_tracks(asset_id)
    prefix = asset.output_prefix
    hls_master.write_subtitles(prefix, tracks, asset.duration_s or 1.0)
    hls_master.write_file(
        f"{prefix}/{ffmpeg_ops.MASTER_PLAYLIST}",
        hls_master.master_playlist(
            hls_master.variants_from_renditions(video, audio), tracks
        ),
    )
    return True
