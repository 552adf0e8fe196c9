"""Issue #21 item 5: the course route is an application of kind `course` that
names the completed course."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_offline_plausibility"),
        ("skilltests", "0003_events_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="course",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="courses.coursepage",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "course"), ("course__isnull", True), _connector="OR"
                ),
                name="application_course_only_for_course_kind",
            ),
        ),
    ]
