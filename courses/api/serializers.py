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
