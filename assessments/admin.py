"""Django admin for the content team's and ministry's configuration."""

from django.contrib import admin

from assessments import models


class TopicInline(admin.TabularInline):
    model = models.Topic
    extra = 0


@admin.register(models.QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "occupation", "skill_level"]
    inlines = [TopicInline]


@admin.register(models.Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "bank", "topic", "kind", "difficulty", "is_active"]
    list_filter = ["bank", "kind", "difficulty", "is_active"]
    readonly_fields = ["current_version", "source_hash"]


class RuleInline(admin.TabularInline):
    model = models.BlueprintRule
    extra = 1


@admin.register(models.ExamBlueprint)
class ExamBlueprintAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "occupation", "skill_level", "time_limit_s"]
    inlines = [RuleInline]


class CriterionInline(admin.TabularInline):
    model = models.RubricCriterion
    extra = 0


@admin.register(models.Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["title", "occupation", "skill_level", "is_active"]
    inlines = [CriterionInline]


class LevelInline(admin.StackedInline):
    """Each level with its descriptor: what performance at that level looks like
    (the assessor reads it while scoring)."""

    model = models.PerformanceLevel
    fields = ["label", "fraction", "descriptor"]
    extra = 0


@admin.register(models.RubricCriterion)
class RubricCriterionAdmin(admin.ModelAdmin):
    list_display = ["title", "rubric", "weight"]
    inlines = [LevelInline]


class CorrectionInline(admin.TabularInline):
    model = models.PracticalCorrection
    fields = [
        "corrected_at",
        "corrected_by",
        "percent_before",
        "percent_after",
        "reason",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.PracticalAssessment)
class PracticalAssessmentAdmin(admin.ModelAdmin):
    """Read only: scores change through the assessors' pages (drafts, the summary,
    corrections by another assessor with a reason), never here."""

    list_display = ["id", "trainee", "rubric", "assessor", "status", "percent"]
    list_filter = ["status", "rubric"]
    inlines = [CorrectionInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in models.PracticalAssessment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(models.LevelPolicy)
class LevelPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "occupation",
        "theory_weight",
        "practical_weight",
        "theory_min_percent",
        "practical_min_percent",
        "pass_percent",
    ]


@admin.register(models.SkillResult)
class SkillResultAdmin(admin.ModelAdmin):
    list_display = ["user", "occupation", "skill_level", "combined_percent", "passed"]
    readonly_fields = [f.name for f in models.SkillResult._meta.fields]
