from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import Directorate, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "full_name_ar",
        "masked_id",
        "governorate_code",
        "directorate",
        "is_staff",
    )
    list_filter = (*BaseUserAdmin.list_filter, "directorate")
    list_select_related = ("directorate",)
    search_fields = ("username", "full_name_ar", "full_name_en", "phone", "email")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Identity"),
            {
                "fields": (
                    "full_name_ar",
                    "full_name_en",
                    "national_id",
                    "phone",
                    "has_disability",
                    "birth_date",
                    "gender",
                    "governorate_code",
                )
            },
        ),
        (_("Ministry"), {"fields": ("directorate", "job_title_ar", "job_title_en")}),
    )
    readonly_fields = ("birth_date", "gender", "governorate_code")

    @admin.display(description=_("national ID"))
    def masked_id(self, obj: User) -> str:
        return obj.national_id_masked


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    """Reference data from the migration: names may be corrected, nothing added or
    removed (a staff account's scope hangs on these rows)."""

    list_display = ("code", "name_ar", "name_en", "governorate_code", "is_head_office")
    search_fields = ("code", "name_ar", "name_en")
    readonly_fields = ("code", "governorate_code", "is_head_office")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
