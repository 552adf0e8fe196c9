from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import ClaimEvent, Directorate, NationalIdClaim, User
from lms.accounts.national_id import mask_national_id


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


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "state", "method", "actor", "at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NationalIdClaim)
class NationalIdClaimAdmin(admin.ModelAdmin):
    """Read-only: claims change through the staff screen (audited), never here."""

    list_display = ("user", "masked_id", "governorate_code", "state", "method")
    list_filter = ("state", "method", "governorate_code")
    search_fields = ("user__username", "user__full_name_ar")
    inlines = [ClaimEventInline]
    readonly_fields = (
        "user",
        "masked_id",
        "governorate_code",
        "state",
        "method",
        "decided_by",
        "decided_at",
        "created_at",
    )
    exclude = ("national_id", "provider_subject")

    @admin.display(description=_("national ID"))
    def masked_id(self, obj: NationalIdClaim) -> str:
        return mask_national_id(obj.national_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
