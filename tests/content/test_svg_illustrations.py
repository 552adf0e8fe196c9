"""SVG illustrations in lessons: shown as a small `<img>` with alt text and a caption,
saved for offline as one file, served sandboxed, and refused at upload when they
could do more than draw."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from content.svg_check import svg_problems
from courses import services
from media_pipeline.media_serve import serve
from tests.courses.conftest import lessons_of

DRAWING = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360" width="640" '
    b'height="360"><defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
    b'</defs><rect width="640" height="360" fill="url(#g)"/>'
    b'<use href="#g"/></svg>'
)


@pytest.fixture
def drawing(db):
    cache.clear()  # renditions are cached by image id, which a reused database repeats
    image = get_image_model()(
        title="شريط القياس", file=ImageFile(_upload(DRAWING), name="tape.svg")
    )
    image._set_image_file_metadata()
    image.save()
    return image


def _upload(data: bytes, name: str = "tape.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/svg+xml")


def _figure(image) -> dict:
    return {
        "type": "image",
        "id": str(uuid.uuid4()),
        "value": {
            "image": image.pk,
            "alt": "شريط قياس مرن مفرود عند الصفر",
            "caption": "ابدأ القياس من الصفر",
        },
    }


@pytest.fixture
def course(tree, drawing):
    course = tree.course(modules=1, lessons=1, body=lambda: [_figure(drawing)])
    course.save_revision().publish()
    return course


def test_an_svg_illustration_is_an_img_with_alt_caption_size_and_lazy_loading(
    client, course
):
    html = client.get(lessons_of(course)[0].url).content.decode()
    start = html.index('<figure class="fig">')
    figure = html[start : html.index("</figure>", start)]
    assert "<svg" not in figure  # not inlined: media, outside the page's budget
    assert 'alt="شريط قياس مرن مفرود عند الصفر"' in figure
    assert 'width="640"' in figure and 'height="360"' in figure
    assert 'loading="lazy"' in figure and "srcset" not in figure
    assert ".svg" in figure
    assert '<figcaption dir="auto">ابدأ القياس من الصفر</figcaption>' in figure


def test_an_svg_is_saved_for_offline_as_one_file(client, course, trainee):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    lesson = lessons_of(course)[0]
    urls = client.get(f"/api/v1/lessons/{lesson.pk}/offline-manifest/").json()["urls"]
    svgs = [url for url in urls if url.endswith(".svg")]
    assert len(svgs) == 1
    html = client.get(lesson.url).content.decode()
    assert svgs[0] in html  # the very file the page shows


def test_an_svg_from_media_is_served_sandboxed(client, course, settings):
    lesson_html = client.get(lessons_of(course)[0].url).content.decode()
    src = lesson_html.split('<figure class="fig"><img src="', 1)[1].split('"', 1)[0]
    response = serve(RequestFactory().get(src), src.removeprefix(settings.MEDIA_URL))
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "script"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
         b'<image x:href="https://evil.example/x.png"/></svg>', "evil.example"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
         "foreignobject"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><style>'
         b"@import url(//x.example/a.css)</style></svg>", "style"),
        (b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;'
         b"</svg>", "entity"),
        (b"<html/>", "<svg>"),
    ],
)  # fmt: skip
def test_an_svg_that_could_do_more_than_draw_is_refused(svg, reason):
    with translation.override("en"):
        problems = svg_problems(svg)
    assert problems and reason in " ".join(problems)


def test_a_drawing_passes_the_check():
    assert svg_problems(DRAWING) == []


@pytest.mark.django_db
def test_the_admin_image_form_refuses_an_unsafe_svg_and_takes_a_drawing(admin_user):
    form_class = get_image_form(get_image_model())
    unsafe = form_class(
        data={"title": "x"},
        files={
            "file": _upload(b'<svg xmlns="http://www.w3.org/2000/svg" onclick="x()"/>')
        },
        user=admin_user,
    )
    assert not unsafe.is_valid()
    assert [e.code for e in unsafe.errors.as_data()["file"]] == ["unsafe_svg"]
    assert "onclick" in str(unsafe.errors["file"])
    good = form_class(
        data={"title": "شريط"}, files={"file": _upload(DRAWING)}, user=admin_user
    )
    assert good.is_valid(), good.errors
