"""Skill tests: banks of versioned questions, blueprints, attempts with snapshots,
practical rubrics and the per-occupation policy that turns results into a level."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.question_types import kind_choices
from lms.kernel.private_files import UnguessableName, private_storage

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class QuestionBank(models.Model):
    """Questions for one occupation and skill level, organised by topic."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey(
        "registry.Occupation", on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    skill_level = models.ForeignKey(
        "registry.SkillLevel", on_delete=models.PROTECT, verbose_name=_("skill level")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="topics"
    )
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "name"], name="topic_unique_in_bank"
            )
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class QuestionImage(models.Model):
    """An image used by stems or options, stored once per content hash."""

    sha256 = models.CharField(max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to="assessments/images/")
    original_name = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.original_name or self.file.name


class Question(models.Model):
    """A question's identity; its content lives in immutable versions."""

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="questions"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(_("type"), max_length=30, choices=kind_choices())
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty, default=Difficulty.MEDIUM
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    source_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Hash of the imported source, so re-importing changes nothing."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "QuestionVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "source_hash"],
                condition=~Q(source_hash=""),
                name="question_source_unique_in_bank",
            )
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class QuestionVersion(models.Model):
    """What a question said at one point in time; never edited once saved."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    stem = models.TextField(_("question text"))
    stem_images = models.JSONField(default=list, blank=True)
    # What each stem image shows, for screen readers (same order; "" when none).
    stem_image_alts = models.JSONField(default=list, blank=True)
    data = models.JSONField(_("definition and answer key"))
    explanation = models.TextField(_("explanation"), blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="question_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question} v{self.number}"


class ExamBlueprint(models.Model):
    """How a theory exam for an occupation and level is drawn, timed and passed."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey("registry.Occupation", on_delete=models.PROTECT)
    skill_level = models.ForeignKey("registry.SkillLevel", on_delete=models.PROTECT)
    time_limit_s = models.PositiveIntegerField(_("time limit (seconds)"), default=3600)
    pass_mark_percent = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=PERCENT,
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3
    )
    wait_between_attempts_s = models.PositiveIntegerField(
        _("waiting time between attempts (seconds)"), default=24 * 3600
    )
    requires_course_completion = models.BooleanField(
        _("requires the course for this occupation and level"), default=True
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("exam blueprint")
        verbose_name_plural = _("exam blueprints")

    def __str__(self) -> str:
        return self.title


class BlueprintRule(models.Model):
    """Draw `count` questions of a topic (and difficulty, if given)."""

    blueprint = models.ForeignKey(
        ExamBlueprint, on_delete=models.CASCADE, related_name="rules"
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT)
    difficulty = models.CharField(max_length=10, choices=Difficulty, blank=True)
    count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["id"]


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting_grading", _("Awaiting grading")
    GRADED = "graded", _("Graded")


def credited_course_field() -> models.ForeignKey:
    """The course that prepared the trainee for a test (their last completed course
    for its occupation and level when the test began); reports credit the test to it.
    """
    return models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class Attempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exam_attempts"
    )
    blueprint = models.ForeignKey(
        ExamBlueprint, on_delete=models.PROTECT, related_name="attempts"
    )
    course = credited_course_field()
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=AttemptStatus, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "blueprint"],
                condition=Q(status="in_progress"),
                name="one_active_attempt_per_exam",
            ),
            models.UniqueConstraint(
                fields=["user", "blueprint", "number"], name="attempt_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline_at"]),
            # The reports' monthly refresh reads attempts submitted since a date.
            models.Index(
                fields=["submitted_at"],
                condition=Q(submitted_at__isnull=False),
                name="attempt_submitted_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint} #{self.number} ({self.user_id})"


class AttemptItem(models.Model):
    """One drawn question with its snapshot (key included) and the public view."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="+"
    )
    topic_name = models.CharField(max_length=255)
    snapshot = models.JSONField()
    public = models.JSONField()
    points = models.DecimalField(max_digits=6, decimal_places=2)
    response = models.JSONField(null=True, blank=True)
    response_seq = models.PositiveBigIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="attempt_item_position_unique"
            )
        ]


class Rubric(models.Model):
    """The practical test of an occupation and level: weighted criteria."""

    title = models.CharField(_("title"), max_length=200)
    occupation = models.ForeignKey("registry.Occupation", on_delete=models.PROTECT)
    skill_level = models.ForeignKey("registry.SkillLevel", on_delete=models.PROTECT)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["occupation", "skill_level__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "skill_level"],
                condition=Q(is_active=True),
                name="one_active_rubric_per_level",
            )
        ]
        verbose_name = _("practical rubric")
        verbose_name_plural = _("practical rubrics")

    def __str__(self) -> str:
        return self.title


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(
        Rubric, on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("criterion"), max_length=255)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["rubric", "position"]

    def __str__(self) -> str:
        return self.title


class PerformanceLevel(models.Model):
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.CASCADE, related_name="levels"
    )
    label = models.CharField(_("performance level"), max_length=120)
    fraction = models.DecimalField(
        _("share of the weight"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )

    class Meta:
        ordering = ["criterion", "-fraction"]

    def __str__(self) -> str:
        return self.label


class PracticalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class PracticalAssessment(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practicals"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    course = credited_course_field()
    status = models.CharField(
        max_length=10, choices=PracticalStatus, default=PracticalStatus.DRAFT
    )
    comments = models.TextField(_("comments"), blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(trainee=models.F("assessor")),
                name="assessor_is_not_trainee",
            )
        ]
        indexes = [
            models.Index(
                fields=["submitted_at"],
                condition=Q(submitted_at__isnull=False),
                name="practical_submitted_at",
            )
        ]


class PracticalScore(models.Model):
    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT)
    level = models.ForeignKey(PerformanceLevel, on_delete=models.PROTECT)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            )
        ]


class PracticalEvidence(models.Model):
    assessment = models.ForeignKey(
        PracticalAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    # a personal file: private store, unguessable name, served by views.evidence_photo
    image = models.ImageField(
        _("photo"),
        upload_to=UnguessableName("assessments/evidence"),
        storage=private_storage,
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class LevelPolicy(models.Model):
    """How theory and practical combine for one occupation (configuration)."""

    occupation = models.OneToOneField(
        "registry.Occupation", on_delete=models.CASCADE, related_name="+"
    )
    theory_weight = models.PositiveSmallIntegerField(default=40)
    practical_weight = models.PositiveSmallIntegerField(default=60)
    theory_min_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=50, validators=PERCENT
    )
    practical_min_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=50, validators=PERCENT
    )
    pass_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=60, validators=PERCENT
    )

    class Meta:
        verbose_name = _("level policy")
        verbose_name_plural = _("level policies")

    def __str__(self) -> str:
        return str(self.occupation)


class SkillResult(models.Model):
    """The combined outcome for a trainee, occupation and level."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="skill_results"
    )
    occupation = models.ForeignKey("registry.Occupation", on_delete=models.PROTECT)
    skill_level = models.ForeignKey("registry.SkillLevel", on_delete=models.PROTECT)
    attempt = models.ForeignKey(Attempt, on_delete=models.PROTECT)
    practical = models.ForeignKey(
        PracticalAssessment, on_delete=models.PROTECT, null=True, blank=True
    )
    combined_percent = models.DecimalField(max_digits=5, decimal_places=2)
    passed = models.BooleanField()
    certificate_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "practical"], name="one_result_per_evidence"
            )
        ]
