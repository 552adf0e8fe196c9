"""The ministry maintains the test centres here (or with `load_test_centres`);
applications and sessions are read-only: they change through their pages, each
change audited."""

from django.contrib import admin

from skilltests.models import (
    Application,
    ApplicationEvent,
    TestCentre,
    TestSession,
    Workshop,
)


class WorkshopInline(admin.TabularInline):
    model = Workshop
    extra = 0
    filter_horizontal = ("occupations",)


@admin.register(TestCentre)
class TestCentreAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "governorate_code", "is_active")
    list_filter = ("governorate_code", "is_active")
    search_fields = ("code", "name_ar", "name_en")
    inlines = [WorkshopInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ("at", "action", "state_before", "state_after", "actor", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = (
        "reference",
        "state",
        "occupation",
        "skill_level",
        "governorate_code",
        "submitted_at",
    )
    list_filter = ("state", "governorate_code")
    search_fields = ("reference",)
    exclude = ("applicant",)  # the national ID is on the staff page, scoped
    inlines = [EventInline]


@admin.register(TestSession)
class TestSessionAdmin(ReadOnly):
    list_display = (
        "starts_at",
        "centre",
        "occupation",
        "skill_level",
        "seats_taken",
        "seats",
        "status",
    )
    list_filter = ("status", "centre__governorate_code")
