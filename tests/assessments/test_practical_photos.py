"""Evidence photos are decoded and encoded again: a polyglot loses its payload, SVG,
HTML and other non-raster files are refused with a clear message, metadata is dropped,
sizes are capped; and who may see them once the test is submitted."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments import services
from assessments.models import PracticalEvidence
from lms.kernel.errors import Invalid
from tests.assessments.conftest import confirm_practical, open_practical

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
)


def encoded(fmt="JPEG", size=(40, 30), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3a7").save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def practical(rubric, eligible_trainee, assessor):
    return open_practical(rubric, eligible_trainee, assessor)


def attach(practical, assessor, file):
    added = services.practical_evidence_add(
        assessment_id=practical.pk, assessor_id=assessor.pk, image=file
    )
    return PracticalEvidence.objects.get(pk=added.id)


def stored(evidence) -> bytes:
    with evidence.image.open("rb") as handle:
        return handle.read()


def test_a_polyglot_jpeg_keeps_its_pixels_and_loses_the_page(practical, assessor):
    polyglot = encoded() + HTML
    with Image.open(io.BytesIO(polyglot)) as check:  # a real JPEG to any viewer
        assert check.format == "JPEG"
    evidence = attach(practical, assessor, upload(polyglot, "x.jpg"))
    data = stored(evidence)
    assert b"<script" not in data and b"<html" not in data
    assert data.startswith(b"\xff\xd8") and data.rstrip(b"\x00").endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.format == "JPEG" and kept.size == (40, 30)


def test_an_svg_is_refused_with_a_clear_message(practical, assessor):
    with pytest.raises(Invalid) as refused:
        attach(practical, assessor, upload(SVG, "drawing.svg", "image/svg+xml"))
    assert refused.value.code == "not_a_photo"
    assert "JPEG, PNG or WebP" in refused.value.message
    assert not PracticalEvidence.objects.exists()


@pytest.mark.parametrize(
    "data,name",
    [
        (HTML, "page.jpg"),  # a web page named as a photo
        (b"%PDF-1.4\n%", "scan.pdf"),
        (encoded("GIF"), "anim.gif"),
        (b"\xff\xd8\xff\xe0" + b"broken" * 20, "cut.jpg"),  # a JPEG's start only
        (b"\x89PNG\r\n\x1a\n" + encoded("JPEG"), "mixed.png"),  # head and body differ
    ],
)
def test_anything_but_a_real_raster_photo_is_refused(practical, assessor, data, name):
    with pytest.raises(Invalid) as refused:
        attach(practical, assessor, upload(data, name))
    assert refused.value.code == "not_a_photo"
    assert not PracticalEvidence.objects.exists()


def test_the_tablet_page_shows_why_an_svg_is_refused(client, practical, assessor):
    client.force_login(assessor)
    url = reverse("assessments:practical_score", args=[practical.pk])
    response = client.post(
        url, {"upload": "1", "image": upload(SVG, "d.svg", "image/svg+xml")}
    )
    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in response.content.decode()
    assert not PracticalEvidence.objects.exists()


def test_camera_metadata_is_dropped(practical, assessor):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "secret-firmware"  # Software
    original = encoded(exif=exif.tobytes())
    assert b"PhoneMaker" in original
    data = stored(attach(practical, assessor, upload(original)))
    assert b"PhoneMaker" not in data and b"secret-firmware" not in data
    with Image.open(io.BytesIO(data)) as kept:
        assert not kept.getexif()


@pytest.mark.parametrize("fmt,ext", [("PNG", "png"), ("WEBP", "webp")])
def test_png_and_webp_stay_what_they_are(practical, assessor, fmt, ext):
    evidence = attach(practical, assessor, upload(encoded(fmt), f"p.{ext}"))
    assert evidence.image.name.endswith(f".{ext}")
    with Image.open(io.BytesIO(stored(evidence))) as kept:
        assert kept.format == fmt


def test_a_renamed_photo_is_stored_under_its_real_type(practical, assessor):
    evidence = attach(practical, assessor, upload(encoded("PNG"), "photo.jpg"))
    assert evidence.image.name.endswith(".png")


def test_a_large_photo_is_scaled_down(practical, assessor):
    data = stored(attach(practical, assessor, upload(encoded(size=(4000, 300)))))
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.size == (2560, 192)


def test_a_file_over_8_mb_is_refused(practical, assessor):
    big = encoded() + b"\x00" * (8 * 1024 * 1024)
    with pytest.raises(Invalid) as refused:
        attach(practical, assessor, upload(big))
    assert refused.value.code == "photo_too_large"


def test_a_decompression_bomb_is_refused(practical, assessor):
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")  # 64 MP of one colour: a few KB
    bomb = buffer.getvalue()
    with pytest.raises(Invalid) as refused:
        attach(practical, assessor, upload(bomb, "bomb.png"))
    assert refused.value.code == "photo_too_large"


# --- who sees them -------------------------------------------------------------------
@pytest.fixture
def submitted_photo(practical, assessor):
    evidence = attach(practical, assessor, upload(encoded()))
    levels = {
        c.pk: c.levels.get(label="ممتاز").pk for c in practical.rubric.criteria.all()
    }
    services.practical_assessment_score(
        assessment_id=practical.pk, assessor_id=assessor.pk, levels=levels
    )
    confirm_practical(practical, assessor)
    return evidence


def test_once_submitted_a_second_assessor_sees_the_photos(
    client, submitted_photo, make_user
):
    client.force_login(make_user("assessor"))
    url = reverse("assessments:evidence_photo", args=[submitted_photo.pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["trainee", "instructor", "content_reviewer"])
def test_a_submitted_test_s_photos_stay_private(
    client, submitted_photo, make_user, role
):
    client.force_login(make_user(role))
    url = reverse("assessments:evidence_photo", args=[submitted_photo.pk])
    assert client.get(url).status_code == 404


def test_the_candidate_still_sees_their_photos(
    client, submitted_photo, eligible_trainee
):
    client.force_login(eligible_trainee)
    url = reverse("assessments:evidence_photo", args=[submitted_photo.pk])
    assert client.get(url).status_code == 200
