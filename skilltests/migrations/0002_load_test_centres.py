"""The test centres of every governorate and their workshops, from the reference
files (skilltests/reference/). The ministry updates them in the admin or with
`manage.py load_test_centres`."""

from django.db import migrations


def forwards(apps, schema_editor):
    from skilltests.reference_data import CENTRES_CSV, WORKSHOPS_CSV, apply, parse

    occupation = apps.get_model("registry", "Occupation")
    occupation_ids = dict(occupation.objects.values_list("code", "pk"))
    centres, workshops = parse(
        centres_path=CENTRES_CSV,
        workshops_path=WORKSHOPS_CSV,
        occupation_codes=set(occupation_ids),
    )
    apply(
        centres,
        workshops,
        centre_model=apps.get_model("skilltests", "TestCentre"),
        workshop_model=apps.get_model("skilltests", "Workshop"),
        occupation_ids=occupation_ids,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("skilltests", "0001_initial"),
        ("registry", "0002_seed_reference_data"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
