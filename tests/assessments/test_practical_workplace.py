"""The assessor's workplace: today's and coming tests, drafts in progress, scored
recently, and the badge of drafts in the navigation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import PracticalAssessment
from lms.kernel.navigation import nav_items_for
from tests.assessments.conftest import confirm_practical

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(make_user, complete_course):
    def make(n):
        people = [make_user("trainee", first_name=f"مرشح{i}") for i in range(n)]
        for person in people:
            complete_course(person)
        return people

    return make


def open_on(rubric, trainee, assessor, day):
    data = services.practical_assessment_create(
        rubric_id=rubric.pk,
        trainee_id=trainee.pk,
        assessor_id=assessor.pk,
        scheduled_on=day,
    )
    return PracticalAssessment.objects.get(pk=data.id)


def levels(rubric, label="ممتاز"):
    return {c.pk: c.levels.get(label=label).pk for c in rubric.criteria.all()}


@pytest.fixture
def world(rubric, assessor, candidates, make_user):
    """today (not started), in 3 days, a draft started today, a test whose day
    passed unscored, a scored one, and another assessor's test."""
    today = timezone.localdate()
    a, b, c, d, e, f = candidates(6)
    tests = {
        "today": open_on(rubric, a, assessor, today),
        "coming": open_on(rubric, b, assessor, today + dt.timedelta(days=3)),
        "started": open_on(rubric, c, assessor, today),
        "missed": open_on(rubric, d, assessor, today),
        "scored": open_on(rubric, e, assessor, today),
        "theirs": open_on(rubric, f, make_user("assessor"), today),
    }
    first = rubric.criteria.first()
    services.practical_assessment_score(
        assessment_id=tests["started"].pk,
        assessor_id=assessor.pk,
        levels={first.pk: first.levels.first().pk},
    )
    PracticalAssessment.objects.filter(pk=tests["missed"].pk).update(
        scheduled_on=today - dt.timedelta(days=2)
    )
    services.practical_assessment_score(
        assessment_id=tests["scored"].pk, assessor_id=assessor.pk, levels=levels(rubric)
    )
    confirm_practical(tests["scored"], assessor)
    return tests


def ids(items):
    return [i.id for i in items]


def test_the_workplace_sorts_tests_by_what_is_left_to_do(client, world, assessor):
    client.force_login(assessor)
    response = client.get(reverse("assessments:practical_list"))
    work = response.context["work"]
    assert ids(work.coming) == [world["today"].pk, world["coming"].pk]
    assert set(ids(work.drafts)) == {world["started"].pk, world["missed"].pk}
    assert ids(work.scored) == [world["scored"].pk]
    page = response.content.decode()
    for heading in ("Today and coming", "Drafts in progress", "Scored recently"):
        assert heading in page
    assert "1 of 2 criteria scored" in page
    assert reverse("assessments:practical_detail", args=[world["scored"].pk]) in page
    assert reverse("assessments:practical_score", args=[world["theirs"].pk]) not in page


def test_the_badge_counts_drafts_whose_day_has_come(world, assessor):
    (entry,) = [i for i in nav_items_for(assessor) if i.key == "assessments.practical"]
    assert entry.count == 3  # today's, the started draft, the missed one


def test_a_second_assessor_finds_a_scored_test_by_its_number(client, world, make_user):
    client.force_login(make_user("assessor"))
    eastern = str(world["scored"].pk).translate(
        str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    )
    found = client.get(reverse("assessments:practical_find"), {"number": eastern})
    detail = reverse("assessments:practical_detail", args=[world["scored"].pk])
    assert found["Location"] == detail
    assert 'name="reason"' in client.get(detail).content.decode()


def test_a_number_that_is_not_one_goes_back_with_a_message(client, assessor):
    client.force_login(assessor)
    response = client.get(
        reverse("assessments:practical_find"), {"number": "abc"}, follow=True
    )
    assert "Type the practical test" in response.content.decode()


def test_the_scoring_sheet_shows_each_level_s_descriptor(
    client, rubric, world, assessor
):
    level = rubric.criteria.first().levels.get(label="مقبول")
    level.descriptor = "أتمّ اللحام بعد توجيه"
    level.save()
    client.force_login(assessor)
    url = reverse("assessments:practical_score", args=[world["today"].pk])
    assert "أتمّ اللحام بعد توجيه" in client.get(url).content.decode()


def test_the_seeded_rubrics_describe_every_level(db):
    from io import StringIO

    from assessments.models import PerformanceLevel
    from assessments.seeding import seed_assessments

    seed_assessments(StringIO())
    PerformanceLevel.objects.filter(label="جيد").update(descriptor="")
    seed_assessments(StringIO())  # a rubric seeded before descriptors gets them
    assert PerformanceLevel.objects.exists()
    assert not PerformanceLevel.objects.filter(descriptor="").exists()
