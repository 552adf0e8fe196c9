"""File clean-up when assets or caption tracks are deleted (any code path).

The original lives in the private store (the field's storage); outputs and caption
tracks in the public one."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lms.kernel.page_cache import pages_changed
from media_pipeline import jobs, storage_ops
from media_pipeline.models import Caption, VideoAsset


@receiver(post_delete, sender=VideoAsset, dispatch_uid="media_asset_files")
def delete_asset_files(sender, instance: VideoAsset, **kwargs) -> None:
    asset_id, original = instance.pk, instance.original.name
    private = instance.original.storage

    def remove() -> None:
        if original:
            private.delete(original)
        storage_ops.delete_prefix(f"videos/assets/{asset_id}")
        storage_ops.delete_prefix(f"videos/incoming/{asset_id}")

    transaction.on_commit(remove)


@receiver(post_delete, sender=Caption, dispatch_uid="media_caption_file")
def delete_caption_file(sender, instance: Caption, **kwargs) -> None:
    name, asset_id = instance.file.name, instance.asset_id
    if name:
        transaction.on_commit(lambda: storage_ops.default_storage.delete(name))
    transaction.on_commit(lambda: jobs.republish_master(asset_id))


@receiver(post_save, sender=Caption, dispatch_uid="media_caption_master")
def caption_saved(sender, instance: Caption, **kwargs) -> None:
    """The master playlist lists the caption tracks: rewrite it."""
    asset_id = instance.asset_id
    transaction.on_commit(lambda: jobs.republish_master(asset_id))


@receiver(post_save, sender=VideoAsset, dispatch_uid="media_asset_pages")
@receiver(post_delete, sender=VideoAsset, dispatch_uid="media_asset_pages_gone")
@receiver(post_save, sender=Caption, dispatch_uid="media_caption_pages")
@receiver(post_delete, sender=Caption, dispatch_uid="media_caption_pages_gone")
def pages_show_new_media(sender, instance, **kwargs) -> None:
    """Kept lesson pages embed the player (lms.kernel.page_cache): a video that
    became ready, failed or went, or a caption track, changes them. A transcode's
    progress saves do not."""
    final = (
        VideoAsset.Status.READY,
        VideoAsset.Status.FAILED,
        VideoAsset.Status.CANCELLED,
    )
    if (
        isinstance(instance, Caption)
        or kwargs.get("signal") is post_delete
        or instance.status in final
    ):
        pages_changed()
