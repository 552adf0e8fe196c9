from __future__ import annotations

from rest_framework import serializers


class LiveClassCreateSerializer(serializers.Serializer):
    course_id = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    duration_min = serializers.IntegerField(min_value=5, max_value=480, default=60)
    capacity = serializers.IntegerField(min_value=1, max_value=5000, default=500)
    join_early_min = serializers.IntegerField(min_value=0, max_value=120, default=15)
    cohort = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default=""
    )
    start_audio_only = serializers.BooleanField(default=True)


class LiveClassSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    join_opens_at = serializers.DateTimeField()
    instructor_name = serializers.CharField()
    url = serializers.CharField()


class VideoStatusSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    participants = serializers.IntegerField(allow_null=True)


class JoinSerializer(serializers.Serializer):
    domain = serializers.CharField()
    room = serializers.CharField()
    jwt = serializers.CharField(allow_null=True)
    moderator = serializers.BooleanField()
    config_overwrite = serializers.DictField()
    interface_config_overwrite = serializers.DictField()
    video = VideoStatusSerializer()
    websocket_path = serializers.CharField()


class AttendanceRowSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    name = serializers.CharField()
    username = serializers.CharField()
    first_joined_at = serializers.DateTimeField()
    last_left_at = serializers.DateTimeField(allow_null=True)
    minutes = serializers.IntegerField()
    instructor = serializers.BooleanField()


class JitsiEventReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    duplicate = serializers.BooleanField()
