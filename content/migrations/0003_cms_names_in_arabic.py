"""The CMS's own names in Arabic only: the review workflow and its task carried an
English gloss ("مراجعة المحتوى (Content review)"), and Wagtail's root page reads
"Root" in the Arabic admin's page explorer and breadcrumbs (issue 20)."""

from django.db import migrations

NAMES = [
    ("wagtailcore", "Workflow", "مراجعة المحتوى (Content review)", "مراجعة المحتوى"),
    ("wagtailcore", "Task", "موافقة المراجع (Reviewer approval)", "موافقة المراجع"),
]
ROOT = ("Root", "جذر الموقع")


def rename(apps, schema_editor, forward=True):
    for app_label, model, old, new in NAMES:
        before, after = (old, new) if forward else (new, old)
        apps.get_model(app_label, model).objects.filter(name=before).update(name=after)
    before, after = ROOT if forward else ROOT[::-1]
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=before).update(title=after, draft_title=after)


def back(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("content", "0002_search_synonyms")]

    operations = [migrations.RunPython(rename, back)]
