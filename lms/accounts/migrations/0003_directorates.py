import csv
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

GOVERNORATES_CSV = Path(__file__).resolve().parents[1] / "data" / "governorates.csv"
BORN_ABROAD = "88"  # a national ID's code for births abroad: no directorate


def create_directorates(apps, schema_editor):
    """The head office and one labour directorate per governorate (idempotent)."""
    Directorate = apps.get_model("accounts", "Directorate")
    Directorate.objects.get_or_create(
        code="HQ",
        defaults={
            "is_head_office": True,
            "name_ar": "ديوان عام وزارة العمل",
            "name_en": "Ministry of Labour head office",
        },
    )
    with GOVERNORATES_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["code"] == BORN_ABROAD:
                continue
            Directorate.objects.get_or_create(
                code=row["code"],
                defaults={
                    "governorate_code": row["code"],
                    "name_ar": f"مديرية العمل بمحافظة {row['name_ar']}",
                    "name_en": f"{row['name_en']} Labour Directorate",
                },
            )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_role_groups'),
    ]

    operations = [
        migrations.CreateModel(
            name='Directorate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=4, unique=True, verbose_name='code')),
                ('governorate_code', models.CharField(blank=True, help_text='Empty for the head office.', max_length=2, verbose_name='governorate')),
                ('is_head_office', models.BooleanField(default=False, verbose_name='head office')),
                ('name_ar', models.CharField(max_length=120, verbose_name='name (Arabic)')),
                ('name_en', models.CharField(max_length=120, verbose_name='name (English)')),
            ],
            options={
                'verbose_name': 'directorate',
                'verbose_name_plural': 'directorates',
                'ordering': ['-is_head_office', 'code'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('governorate_code', ''), ('is_head_office', True)), models.Q(('is_head_office', False), models.Q(('governorate_code', ''), _negated=True)), _connector='OR'), name='directorate_head_office_or_governorate'), models.UniqueConstraint(condition=models.Q(('is_head_office', True)), fields=('is_head_office',), name='directorate_one_head_office'), models.UniqueConstraint(condition=models.Q(('governorate_code', ''), _negated=True), fields=('governorate_code',), name='directorate_one_per_governorate')],
            },
        ),
        migrations.AddField(
            model_name='user',
            name='directorate',
            field=models.ForeignKey(blank=True, help_text='Ministry staff only: the directorate whose work the account sees (the head office sees every directorate).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='staff_accounts', to='accounts.directorate', verbose_name='directorate'),
        ),
        migrations.RunPython(create_directorates, migrations.RunPython.noop),
    ]
