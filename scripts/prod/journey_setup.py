# Run by scripts/prod/journey.py inside `manage.py shell` (the servers' settings): what
# no page offers a stranger — a class that starts now, an evidence photo, the demo
# serial — printed as one JSON line. Idempotent enough to run on a fresh database once.
import datetime as dt
import io
import json

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assessments.models import Rubric
from assessments.services import practical_assessment_create, practical_evidence_add
from courses.models import CourseCompletion, CoursePage
from courses.seed import CURRICULA
from courses.selectors import course_list_for_instructor
from registry.models import Certificate, CertificateStatus
from virtual_classes.models import LiveClass

User = get_user_model()
instructor = User.objects.get(username="instructor")
# The demo clip sits in the first lesson of the first curriculum's course.
video_course = f"/{CURRICULA[0].trade_slug}/{CURRICULA[0].course.slug}/"
courses = course_list_for_instructor(user=instructor)
course = next((c for c in courses if video_course in c.url), courses[0])
live = LiveClass.objects.create(
    course_id=course.id,
    instructor=instructor,
    title="لقاء الإنتاج",
    starts_at=timezone.now() - dt.timedelta(minutes=1),
    duration_min=60,
)
owner = User.objects.get(username="01000000001")
assessor = User.objects.get(username="assessor")
rubric = Rubric.objects.filter(is_active=True).first()
# a practical test opens only for a trainee who completed the rubric's course
CourseCompletion.objects.get_or_create(
    user=owner,
    course=CoursePage.objects.filter(
        occupation=rubric.occupation, skill_level=rubric.skill_level
    ).first(),
    defaults={"completed_at": timezone.now()},
)
practical = practical_assessment_create(
    rubric_id=rubric.pk, trainee_id=owner.pk, assessor_id=assessor.pk
)
buffer = io.BytesIO()
Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
evidence = practical_evidence_add(
    assessment_id=practical.id,
    assessor_id=assessor.pk,
    image=SimpleUploadedFile("ورشة.jpg", buffer.getvalue(), "image/jpeg"),
    caption="خياطة الحافة",
)
serial = (
    Certificate.objects.filter(status=CertificateStatus.ISSUED)
    .values_list("serial", flat=True)
    .first()
)
print(
    json.dumps(
        {
            "course_id": course.id,
            "course_url": course.url,
            "class_id": live.pk,
            "evidence_owner": owner.username,
            "evidence_url": reverse("assessments:evidence_photo", args=[evidence.id]),
            "serial": serial,
        }
    )
)
