from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "full_name_ar",
        "masked_id",
        "governorate_code",
        "is_staff",
    )
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
    )
    readonly_fields = ("birth_date", "gender", "governorate_code")

    @admin.display(description=_("national ID"))
    def masked_id(self, obj: User) -> str:
        return obj.national_id_masked
