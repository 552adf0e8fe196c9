"""A workplace per role: the header menu and the dashboard show each person the tools
of their roles, and every link shown answers that person (never a refusal)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from lms.kernel.navigation import nav_entries, nav_items_for

pytestmark = pytest.mark.django_db

STAFF_TOOLS = {
    "registry.pending",
    "registry.batches",
    "registry.import",
    "registry.revocations",
    "registry.search",
    "reports.statistics",
    "reports.workload",
    "accounts.claims",
    "skilltests.applications",
    "skilltests.sessions",
    "skilltests.day",
    "reports.skill_tests",
}
EXPECTED = {
    "head_office_staff": STAFF_TOOLS,
    "directorate_staff": STAFF_TOOLS,
    "instructor": {
        "courses.teaching",
        "virtual_classes.schedule",
        "virtual_classes.mine",
        "virtual_classes.recordings",
        "reports.course_statistics",
    },
    # the statistics of their own courses need a course (with none the page fails:
    # EmptyResultSet in lms.reports)
    "instructor_without_course": {
        "courses.teaching",
        "virtual_classes.schedule",
        "virtual_classes.mine",
        "virtual_classes.recordings",
    },
    "assessor": {"assessments.practical", "assessments.grading", "skilltests.day"},
    "content_editor": {
        "home.cms",
        "assessments.banks",
        "content.review",
        "media_pipeline.videos",
    },
    "content_reviewer": {
        "home.cms",
        "assessments.banks",
        "content.review",
        "media_pipeline.videos",
    },
    "trainee": {
        "registry.my_certificates",
        "assessments.exams",
        "accounts.identity",
        "skilltests.mine",
    },
}
# Everyone signed in reads their own notices.
EVERYONE = {"accounts.notices"}
KINDS = [*EXPECTED, "superuser"]


class Links(HTMLParser):
    """The links of a page's header and main content (footer aside: public)."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.main: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("header", "main"):
            self._in.append(tag)
        href = dict(attrs).get("href")
        if tag == "a" and self._in and href and not href.startswith("#"):
            getattr(self, self._in[-1]).append(href)

    def handle_endtag(self, tag):
        if tag in ("header", "main") and self._in:
            self._in.pop()


def page_links(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


def expected_for(kind: str) -> set[str]:
    if kind == "superuser":  # every role's tools; an instructor's own figures aside
        return {e.key for e in nav_entries()} - {"reports.course_statistics"}
    return EXPECTED[kind] | EVERYONE


@pytest.mark.parametrize("kind", KINDS)
def test_each_role_is_offered_the_tools_of_its_roles_and_nothing_else(person, kind):
    user = person(kind)
    assert {item.key for item in nav_items_for(user)} == expected_for(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_every_link_shown_answers_200_for_that_person(client, person, kind):
    """The header's menu and the dashboard's tools: none leads to a refusal, a
    log-in page or a missing page."""
    client.force_login(person(kind))
    response = client.get(reverse("home:dashboard"))
    assert response.status_code == 200
    links = page_links(response.content.decode())
    workplace = response.context["workplace"]
    assert {item.url for item in workplace.items} <= set(links.header)
    work = {item.url for s in workplace.work_sections for item in s.items}
    assert work <= set(links.main)  # a trainee's own tools: in the panels
    answers = {url: client.get(url).status_code for url in {*links.header, *links.main}}
    assert {url: code for url, code in answers.items() if code != 200} == {}


def test_anonymous_visitors_see_courses_log_in_and_sign_up_only(client):
    response = client.get("/")
    links = page_links(response.content.decode())
    assert set(links.header) == {
        "/",
        reverse("courses:catalog"),
        reverse("accounts:login"),
        reverse("accounts:signup"),
        "/en/",  # the same page in English: a link (no form), so the page can be kept
    }
    # on phones the same links fold behind the menu button; no trainee tab bar
    assert 'class="tabbar"' not in response.content.decode()
    for url in links.header:
        assert client.get(url).status_code == 200


def test_ministry_staff_who_are_not_cms_users_get_no_admin_link(client, person):
    """The old header linked every is_staff account to /cms/, where Wagtail says
    "not allowed" to ministry staff."""
    staff = person("head_office_staff")
    assert staff.is_staff
    client.force_login(staff)
    html = client.get(reverse("home:dashboard")).content.decode()
    assert "/cms/" not in html
    assert client.get("/cms/").status_code != 200  # the refusal the link led to


def test_content_team_gets_the_cms_and_it_opens(client, person):
    editor = person("content_editor")
    client.force_login(editor)
    links = page_links(client.get(reverse("home:dashboard")).content.decode())
    assert reverse("wagtailadmin_home") in links.header
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_pending_approvals_carry_their_count_in_the_menu_and_on_the_dashboard(
    client, person
):
    from registry.services import certificate_create_pending
    from tests.factories import make_national_id

    staff = person("head_office_staff")
    for n in range(3):
        certificate_create_pending(
            user_id=None,
            national_id=make_national_id(),
            full_name_ar="منى أحمد السيد",
            full_name_en="Mona Ahmed El-Sayed",
            occupation_code="7531",
            level_code="skilled",
            source="platform_test",
            evidence={"n": n},
            created_by_id=staff.pk,
            idempotency_key=f"workplace:{n}",
        )
    client.force_login(staff)
    response = client.get(reverse("home:dashboard"))
    pending = next(
        i for i in response.context["workplace"].items if i.key == "registry.pending"
    )
    assert pending.count == 3
    html = response.content.decode()
    # the menu button, the registry section's heading, the entry, the tile
    assert html.count('<span aria-hidden="true">3</span>') == 4
    assert "3 عناصر بالانتظار" in html  # what a screen reader says, in Arabic


def test_the_header_is_a_disclosure_menu_that_needs_no_script(client, person):
    client.force_login(person("head_office_staff"))
    html = client.get(reverse("home:dashboard")).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert '<details class="menu">' in header
    summary = header[header.index("<summary>") : header.index("</summary>")]
    assert "القائمة" in summary
    assert "<script" not in header
    assert "onclick" not in html
    # one header line on a phone (#20): log out is the menu's last entry, the
    # language switch stays outside the folded menu
    menu_end = header.rindex("</details>")
    assert header.index('action="/accounts/logout/"') < menu_end
    assert menu_end < header.index('class="lang"')


def test_menu_and_dashboard_are_arabic_by_default_and_english_after_the_switch(
    client, person
):
    client.force_login(person("head_office_staff"))
    arabic = client.get(reverse("home:dashboard")).content.decode()
    assert "بانتظار الاعتماد" in arabic
    assert "استيراد السجلات الورقية" in arabic
    assert "Pending approvals" not in arabic
    client.post(reverse("set_language"), {"language": "en", "next": "/dashboard/"})
    english = client.get("/en/dashboard/").content.decode()
    assert "Pending approvals" in english
    assert "Import paper records" in english
    assert 'lang="ar">العربية</button>' in english  # the switch back is kept


def test_the_page_being_shown_is_marked_current_in_the_menu(client, person):
    client.force_login(person("head_office_staff"))
    html = client.get(reverse("registry:pending")).content.decode()
    assert f'href="{reverse("registry:pending")}" aria-current="page"' in html
