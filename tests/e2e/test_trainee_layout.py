"""Every trainee page on a 360 px phone and a 1280 px screen, in Arabic and English
(issue 20): a screenshot of each (test-artifacts/, kept by .ci/run as CI artefacts),
and on the phone no sideways scrolling and no tap target that is too small or lies
over another (tests/e2e/layout.py). Also what the phone shell promises: one header
line, the bottom bar of the trainee's places, the video as wide as the screen."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tests.e2e.layout import layout_problems
from tests.e2e.pages import MODULE_PATH, trainee_pages

pytestmark = pytest.mark.e2e

WIDTHS = {"360": {"width": 360, "height": 740}, "1280": {"width": 1280, "height": 800}}
LANGUAGES = {"ar": "", "en": "/en"}
VIDEO_WAIT_S = 90  # the demo clip is transcoded by the seed's worker
# A full-page screenshot does not scroll: bring every lazy image in first.
LOAD_LAZY_IMAGES = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight / 2) {
    window.scrollTo(0, y);
    await new Promise((done) => setTimeout(done, 60));
  }
  window.scrollTo(0, 0);
  await Promise.all([...document.images].map((img) => img.complete ? null
    : new Promise((done) => { img.onload = img.onerror = done; })));
}"""


def _video_lesson_path() -> str:
    """The first tailoring lesson: the one the demo clip goes into."""
    from courses.seed_data import CURRICULA

    course = next(c for c in CURRICULA if c.trade_slug == "tailoring")
    module = course.modules[0]
    lesson = module.lessons[0]
    return f"/courses/tailoring/basics/{module.slug}/{lesson.slug}/"


def _signed_in_paths(paths: dict[str, str]) -> dict[str, str]:
    return {
        **paths,
        "trade": "/courses/refrigeration-ac/",
        "module": MODULE_PATH,
        "video lesson": _video_lesson_path(),
        "search": reverse("courses:search") + "?q=تكييف",
        "account": reverse("home:account"),
        "exams": reverse("assessments:exam_list"),
        "skill tests": reverse("skilltests:home"),
        "test centres": reverse("skilltests:centres"),
        "certificates": reverse("registry:holder_certificates"),
        "notices": reverse("accounts:notices"),
        "identity": reverse("accounts:identity"),
    }


SIGNED_OUT = {
    "visitor home": "/",
    "sign-up": "/accounts/signup/",
    "log-in": "/accounts/login/",
    "password reset": "/accounts/password-reset/",
}


def _wait_for_the_player(page, path: str, *, required: bool = True) -> None:
    """Until the lesson shows the player (the demo clip processed); the walk goes on
    without it (the video test below insists)."""
    deadline = time.monotonic() + VIDEO_WAIT_S
    while not page.locator("[data-mp-player] video").count():
        if time.monotonic() > deadline:
            assert not required, "the demo clip never became ready"
            return
        time.sleep(3)
        page.goto(path)


def _walk(page, shot, paths: dict[str, str], problems: dict[str, list[str]]) -> None:
    for language, prefix in LANGUAGES.items():
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            for name, path in paths.items():
                response = page.goto(prefix + path)
                assert response.status == 200, f"{name}: {prefix + path}"
                if name == "video lesson":
                    _wait_for_the_player(page, prefix + path, required=False)
                page.wait_for_load_state("load")
                page.evaluate(LOAD_LAZY_IMAGES)
                slug = name.replace(" ", "-")
                shot(page, f"{language}-{width}-{slug}")
                if width == "360":
                    found = layout_problems(page)
                    if found:
                        problems[f"{language} {name} ({prefix + path})"] = found


def test_every_trainee_page_fits_a_phone_without_overlapping_targets(
    page, new_context, server_url, shot
):
    _trainee, paths = trainee_pages(page, server_url)
    problems: dict[str, list[str]] = {}
    _walk(page, shot, _signed_in_paths(paths), problems)
    _walk(new_context().new_page(), shot, SIGNED_OUT, problems)
    report = "\n".join(
        f"{where}:\n  " + "\n  ".join(found) for where, found in problems.items()
    )
    assert not problems, f"layout problems on a 360 px phone:\n{report}"


def test_the_phone_shell_is_one_line_with_the_trainee_s_places_at_the_bottom(
    page, server_url, shot
):
    _trainee, paths = trainee_pages(page, server_url)
    page.set_viewport_size(WIDTHS["360"])
    page.goto(reverse("courses:catalog"))  # where the menu's and bar's link leads
    header = page.locator("header.top").bounding_box()
    assert header["height"] <= 64  # brand, language and the menu button: one line
    bar = page.locator("nav.tabbar")
    assert bar.is_visible()
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(740, abs=1)
    labels = [a.inner_text().strip() for a in bar.locator("a").all()]
    assert labels == ["الدورات", "تعلّمي", "اختبارات المهارة", "حسابي"]
    assert bar.locator("a[aria-current=page]").inner_text().strip() == "الدورات"
    # the first course is in view without scrolling past the filters
    first = page.locator("main .grid .tile").first.bounding_box()
    assert first["y"] < 740 - box["height"]
    assert page.locator("details.filters form").is_hidden()
    page.click("details.filters > summary")
    assert page.locator("#f-trade").is_visible()

    page.click("nav.tabbar a.tab-account")
    page.wait_for_url("**/account/")
    assert page.locator("main form[action$='/logout/'] button").is_visible()
    shot(page, "account-360")

    page.set_viewport_size(WIDTHS["1280"])
    assert bar.is_hidden()  # the header bar has the same places


def test_the_video_fills_a_phone_s_width_with_its_links_below_the_picture(
    page, server_url, shot
):
    trainee_pages(page, server_url)
    page.set_viewport_size(WIDTHS["360"])
    path = _video_lesson_path()
    page.goto(path)
    _wait_for_the_player(page, path)
    video = page.locator("[data-mp-player] video").bounding_box()
    assert video["width"] >= 358  # edge to edge, not squeezed into the card
    download = page.locator(".mp-download")
    if download.count():
        link = download.bounding_box()
        assert link["y"] >= video["y"] + video["height"]
    start = page.locator(".mp-start")
    if start.is_visible():
        button = start.bounding_box()
        assert video["y"] <= button["y"]
        assert button["y"] + button["height"] <= video["y"] + video["height"]
    shot(page, "video-360")
