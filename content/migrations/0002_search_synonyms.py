"""Search synonyms per trade: the table, the reference data of
content/reference/search_synonyms.csv (a trade already there is left as the content
team made it), and the content team's rights to edit them (the snippet)."""

import csv
from pathlib import Path

from django.db import migrations, models

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "search_synonyms.csv"
EDITORS = ("content_editor", "content_reviewer")
RIGHTS = ("add", "change", "delete", "view")


def reference_groups() -> dict[str, list[str]]:
    """Each trade's lines of terms, from the reference file."""
    groups: dict[str, list[str]] = {}
    with REFERENCE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            groups.setdefault(row["trade"].strip(), []).append(row["terms"].strip())
    return groups


def load(apps, schema_editor):
    TradeSynonyms = apps.get_model("content", "TradeSynonyms")
    for trade, lines in reference_groups().items():
        TradeSynonyms.objects.get_or_create(
            trade=trade, defaults={"groups": "\n".join(lines)}
        )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(
        app_label="content", model="tradesynonyms"
    )
    for right in RIGHTS:
        permission, _ = Permission.objects.get_or_create(
            content_type=ct,
            codename=f"{right}_tradesynonyms",
            defaults={"name": f"Can {right} search synonyms"},
        )
        for name in EDITORS:
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.add(permission)


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0001_content_review_workflow'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='TradeSynonyms',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('trade', models.SlugField(help_text="As on the trade's page, e.g. tailoring, mobile_repair.", unique=True, verbose_name='trade code')),
                ('groups', models.TextField(help_text='One group per line: words or short phrases that mean the same thing, separated by commas. Example: موبايل، محمول، جوال', verbose_name='synonym groups')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'search synonyms',
                'verbose_name_plural': 'search synonyms',
                'ordering': ['trade'],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
