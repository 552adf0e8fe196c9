"""Input shapes of the progress API: validated here, applied by courses.services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class HeartbeatSerializer(serializers.Serializer):
    asset_id = serializers.IntegerField(min_value=1)
    watched_s = serializers.IntegerField(min_value=0, max_value=24 * 3600)
    position_s = serializers.IntegerField(min_value=0, max_value=24 * 3600, default=0)
    duration_s = serializers.IntegerField(
        min_value=0, max_value=24 * 3600, required=False, allow_null=True
    )
    event_id = serializers.CharField(max_length=64, required=False)


class AnswersField(serializers.DictField):
    """`{"0": [1], "1": [0, 2]}`: question index → chosen choice indexes."""

    child = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=50), max_length=10
    )

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            return {int(k): sorted(set(v)) for k, v in value.items()}
        except (TypeError, ValueError) as exc:
            raise serializers.ValidationError(
                _("Question keys must be question numbers.")
            ) from exc


class CheckAnswerSerializer(serializers.Serializer):
    answers = AnswersField()
    # the try the answers were given in (the check view's `attempt`): the answers
    # are then positions in that try's order; without it, the author's indexes
    attempt = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class ProgressEventSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=["open", "heartbeat", "answer"])
    lesson_id = serializers.IntegerField(min_value=1)
    at = serializers.DateTimeField()
    user_id = serializers.IntegerField(required=False, allow_null=True)
    asset_id = serializers.IntegerField(min_value=1, required=False)
    watched_s = serializers.IntegerField(
        min_value=0, max_value=24 * 3600, required=False
    )
    position_s = serializers.IntegerField(
        min_value=0, max_value=24 * 3600, required=False, default=0
    )
    duration_s = serializers.IntegerField(
        min_value=0, max_value=24 * 3600, required=False, allow_null=True
    )
    block_id = serializers.CharField(max_length=64, required=False)
    answers = AnswersField(required=False)
    attempt = serializers.IntegerField(min_value=0, required=False, allow_null=True)

    def validate(self, attrs):
        if attrs["kind"] == "heartbeat" and (
            "asset_id" not in attrs or "watched_s" not in attrs
        ):
            raise serializers.ValidationError(
                _("A heartbeat needs asset_id and watched_s.")
            )
        if attrs["kind"] == "answer" and (
            "block_id" not in attrs or "answers" not in attrs
        ):
            raise serializers.ValidationError(
                _("An answer needs block_id and answers.")
            )
        return attrs


class ProgressBatchSerializer(serializers.Serializer):
    events = serializers.ListField(
        child=serializers.JSONField(), min_length=1, max_length=500
    )


# --- Answers (what the views send; documented in the OpenAPI schema) ----------------


class EnrollmentAnswerSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    status = serializers.CharField()


class HeartbeatAnswerSerializer(serializers.Serializer):
    """`watched_s` for a plain heartbeat; `detail` for one sent with an event_id."""

    accepted = serializers.BooleanField()
    watched_s = serializers.IntegerField(required=False)
    detail = serializers.CharField(required=False, allow_blank=True)


class CheckResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    correct = serializers.BooleanField()
    explanation = serializers.CharField(allow_blank=True)


class CheckAnswerResultSerializer(serializers.Serializer):
    score_pct = serializers.IntegerField()
    passed = serializers.BooleanField()
    results = CheckResultSerializer(many=True)


class EventOutcomeSerializer(serializers.Serializer):
    id = serializers.JSONField(
        allow_null=True, help_text="The event's id as sent (null when it had none)."
    )
    accepted = serializers.BooleanField()
    detail = serializers.CharField(allow_blank=True)
    replayed = serializers.BooleanField(required=False)


class ProgressBatchAnswerSerializer(serializers.Serializer):
    results = EventOutcomeSerializer(many=True)


class OfflineManifestSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    page_url = serializers.CharField()
    urls = serializers.ListField(child=serializers.CharField())
    size_bytes = serializers.IntegerField()


class LessonProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    completed = serializers.BooleanField()
    opened = serializers.BooleanField()


class CourseProgressSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    percent = serializers.IntegerField()
    live_minutes = serializers.IntegerField()
    lessons = LessonProgressSerializer(many=True)
