"""The content team's moderation workflow: editors write, reviewers approve.

Editors may add and edit pages but not publish; every page below the root goes
through the "Content review" workflow, whose one task is approved by the
content_reviewer group. Both groups get Wagtail admin access and media rights.
"""

from django.db import migrations

WORKFLOW_NAME = "مراجعة المحتوى (Content review)"
TASK_NAME = "موافقة المراجع (Reviewer approval)"

PAGE_PERMS = {
    "content_editor": ["add_page", "change_page", "lock_page"],
    "content_reviewer": [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ],
}
MODEL_PERMS = {
    "content_editor": [
        ("wagtailadmin", "admin", "access_admin"),
        ("wagtailimages", "image", "add_image"),
        ("wagtailimages", "image", "change_image"),
        ("wagtailimages", "image", "choose_image"),
        ("wagtaildocs", "document", "add_document"),
        ("wagtaildocs", "document", "change_document"),
        ("wagtaildocs", "document", "choose_document"),
    ],
}
# Video rights are media_pipeline's (its migration 0003): editors manage videos,
# reviewers only view them.
MODEL_PERMS["content_reviewer"] = MODEL_PERMS["content_editor"]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=ct, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return perm


def create_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    editors, _ = Group.objects.get_or_create(name="content_editor")
    reviewers, _ = Group.objects.get_or_create(name="content_reviewer")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        return

    for group in (editors, reviewers):
        for codename in PAGE_PERMS[group.name]:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
        for app_label, model, codename in MODEL_PERMS[group.name]:
            group.permissions.add(_permission(apps, app_label, model, codename))

    task_ct, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_ct, active=True
        )
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("media_pipeline", "0001_initial"),
        ("courses", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_workflow, remove_workflow)]
