from django.db import migrations


def seed(apps, schema_editor):
    from registry.reference_data import read_occupations, read_skill_levels

    Occupation = apps.get_model("registry", "Occupation")
    SkillLevel = apps.get_model("registry", "SkillLevel")
    for row in read_occupations():
        Occupation.objects.update_or_create(code=row.pop("code"), defaults=row)
    for row in read_skill_levels():
        SkillLevel.objects.update_or_create(code=row.pop("code"), defaults=row)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
