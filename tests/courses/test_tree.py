"""Editors cannot build a wrong tree: each page type lives under its parent type."""

from __future__ import annotations

from courses.models import CatalogPage, CoursePage, LessonPage, ModulePage, TradePage
from lms.home.models import HomePage


def test_each_page_type_allows_only_its_parent():
    assert CatalogPage.allowed_parent_page_models() == [HomePage]
    assert TradePage.allowed_parent_page_models() == [CatalogPage]
    assert CoursePage.allowed_parent_page_models() == [TradePage]
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]


def test_each_page_type_allows_only_its_children():
    assert CatalogPage.allowed_subpage_models() == [TradePage]
    assert TradePage.allowed_subpage_models() == [CoursePage]
    assert CoursePage.allowed_subpage_models() == [ModulePage]
    assert ModulePage.allowed_subpage_models() == [LessonPage]
    assert LessonPage.allowed_subpage_models() == []


def test_a_lesson_cannot_be_created_directly_under_a_course(tree):
    course = tree.course(modules=0)
    assert not LessonPage.can_create_at(course)
    assert ModulePage.can_create_at(course)
    assert not CoursePage.can_create_at(tree.catalog)
