"""Content editors manage videos in the admin; reviewers may look at them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_CODENAMES = [
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("videoasset", "caption")
]
REVIEWER_CODENAMES = ["view_videoasset", "view_caption"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("media_pipeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in (
        ("content_editor", EDITOR_CODENAMES),
        ("content_reviewer", REVIEWER_CODENAMES),
    ):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="media_pipeline", codename__in=codenames
            )
        )
        access = Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ).first()
        if access:
            group.permissions.add(access)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="media_pipeline")
    for group in Group.objects.filter(name__in=["content_editor", "content_reviewer"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("media_pipeline", "0002_pipeline_state_and_captions"),
        ("accounts", "0002_role_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
