"""The catalog: published courses by trade, level and audience, and search."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection
from wagtail.models import Locale
from wagtail.query import PageQuerySet
from wagtail.search.query import And, Or, PlainText, SearchQuery

from courses.data import (
    CatalogData,
    CatalogPageData,
    CourseCardData,
    Option,
    SearchHitData,
)
from courses.illustrations import course_illustration
from courses.models import Audience, CatalogPage, CoursePage, LessonPage, TradePage
from courses.search import expand_query
from lms.kernel.text import normalise_query


def _locale_pages(qs: PageQuerySet) -> PageQuerySet:
    """Pages in the active language, falling back to the default (Arabic) source."""
    active = Locale.get_active()
    localised = qs.filter(locale=active)
    if active.language_code != Locale.get_default().language_code and (
        not localised.exists()
    ):
        return qs.filter(locale=Locale.get_default())
    return localised


def catalog_page_get() -> CatalogPageData | None:
    """The published catalog page's title and introduction, if there is one."""
    page = CatalogPage.objects.live().public().first()
    return CatalogPageData(title=page.title, intro=page.intro) if page else None


def _card(course: CoursePage, trades: list[TradePage]) -> CourseCardData:
    """A course's card; its picture from the trade above it among `trades`."""
    trade_code = next((t.trade for t in trades if course.path.startswith(t.path)), "")
    return CourseCardData(
        id=course.pk,
        title=course.title,
        url=course.get_url() or "",
        summary=course.summary,
        level_name=course.skill_level.name,
        estimated_hours=course.estimated_hours,
        audience=course.audience,
        audience_label=str(course.get_audience_display()),
        illustration=course_illustration(trade_code, course.slug),
    )


def catalog_filter(*, params: Mapping[str, str]) -> CatalogData:
    """Live courses filtered by trade, level and audience (unknown values ignored)."""
    from registry.selectors import skill_level_list

    trades = list(_locale_pages(TradePage.objects.live().public()).order_by("path"))
    levels = skill_level_list()
    courses = _locale_pages(CoursePage.objects.live().public()).select_related(
        "skill_level", "occupation"
    )
    selected = {
        "trade": params.get("trade", ""),
        "level": params.get("level", ""),
        "audience": params.get("audience", ""),
    }
    trade = next((t for t in trades if t.trade == selected["trade"]), None)
    if trade is not None:
        courses = courses.descendant_of(trade)
    else:
        selected["trade"] = ""
    if selected["level"] in {level.code for level in levels}:
        courses = courses.filter(skill_level__code=selected["level"])
    else:
        selected["level"] = ""
    if selected["audience"] in Audience.values:
        courses = courses.filter(audience=selected["audience"])
    else:
        selected["audience"] = ""
    return CatalogData(
        courses=tuple(_card(c, trades) for c in courses.order_by("path")),
        trades=tuple(Option(value=t.trade, label=t.title) for t in trades),
        levels=tuple(Option(value=level.code, label=level.name) for level in levels),
        audiences=tuple(
            Option(value=value, label=str(label)) for value, label in Audience.choices
        ),
        selected=selected,
    )


def search_pages(*, query: str, limit: int = 30) -> list[SearchHitData]:
    """Published, public courses and lessons matching an Arabic-normalised query,
    each word also by its synonyms in the trades' lists (the content team's)."""
    normalised = normalise_query(query)
    if not normalised:
        return []
    search = _search_query(normalised)
    hits: list[SearchHitData] = []
    for model in (CoursePage, LessonPage):
        qs = model.objects.live().public()
        found = (
            qs.search(search, operator="and")
            if isinstance(search, str)
            else (qs.search(search))
        )
        hits.extend(
            SearchHitData(
                title=page.title,
                url=page.get_url() or "",
                kind=str(page.get_verbose_name()),
            )
            for page in found[:limit]
        )
    return hits[:limit]


def _search_query(normalised: str) -> str | SearchQuery:
    """Every part of the query must match, by any of its synonyms; the plain words
    when no synonym applies."""
    from content.selectors import search_synonym_groups

    parts = expand_query(normalised, search_synonym_groups())
    if all(len(terms) == 1 for terms in parts):
        return normalised
    # SQLite's FTS backend writes an OR-ed PlainText without parentheses, so inside an
    # And its ORs would bind looser than the ANDs: one PlainText per term there.
    flat = connection.vendor == "postgresql"
    nodes = [_any_of(terms) if flat else _each_of(terms) for terms in parts]
    return nodes[0] if len(nodes) == 1 else And(nodes)


def _each_of(terms: tuple[str, ...]) -> SearchQuery:
    if len(terms) == 1:
        return PlainText(terms[0], operator="and")
    return Or([PlainText(term, operator="and") for term in terms])


def _any_of(terms: tuple[str, ...]) -> SearchQuery:
    """A page with any of the terms. The one-word terms go into one OR-ed text (one
    tsquery and one rank; an Or of one PlainText each ranked three times slower on
    PostgreSQL); a phrase stays a term of its own unless one of its words already is
    ("تكييف هواء" adds nothing to "تكييف")."""
    words = [term for term in terms if " " not in term]
    phrases = [
        PlainText(term, operator="and")
        for term in terms
        if " " in term and not set(term.split()) & set(words)
    ]
    if not words:
        return phrases[0] if len(phrases) == 1 else Or(phrases)
    either = PlainText(" ".join(words), operator="or")
    return Or([either, *phrases]) if phrases else either
