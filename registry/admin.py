from django.contrib import admin

from registry.models import ApiClient, AuditEntry, Certificate, ImportJob


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates change only through the services (audited)."""

    list_display = (
        "serial",
        "full_name_ar",
        "occupation",
        "skill_level",
        "status",
        "issue_date",
    )
    list_filter = ("status", "source", "skill_level")
    search_fields = ("serial", "full_name_ar", "full_name_en")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(CertificateAdmin):
    list_display = ("seq", "created_at", "action", "object_ref", "actor_id")
    list_filter = ("action",)
    search_fields = ("object_ref",)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "scopes", "created_at")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "status",
        "processed_rows",
        "rejected",
        "created_at",
    )
    readonly_fields = [f.name for f in ImportJob._meta.fields]
