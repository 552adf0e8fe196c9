"""Signals other apps may connect to (declared here, sent by courses.services)."""

from django.dispatch import Signal

# Sent once per (user, course), after the completion is committed, with
# user_id: int, course_id: int, completed_at: datetime.
course_completed = Signal()

# What a trainee's own pages show (lms.kernel.personal_pages keeps them per user):
# any save or delete of these rows abandons the user's kept pages after commit.
# Writes that bypass save() call `user_state_changed` themselves (services/visits.py,
# services/heartbeat_fast.py).
TRAINEE_STATE_MODELS = (
    "Enrollment",
    "LessonProgress",
    "VideoProgress",
    "CheckResult",
    "CourseCompletion",
    "LiveAttendance",
)


def connect_personal_pages() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from lms.kernel.personal_pages import user_state_changed

    def changed(sender, instance, **kwargs) -> None:
        user_state_changed(instance.user_id)

    for name in TRAINEE_STATE_MODELS:
        model = apps.get_model("courses", name)
        uid = f"personal_pages_{name}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}_deleted")
