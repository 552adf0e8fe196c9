from rest_framework import serializers

# The stored seq is a PositiveBigIntegerField (a signed 64-bit column): a larger one
# was a 500 (the database refused it); now the 400 every invalid answer gets.
SEQ_MAX = 2**63 - 1


class AnswerSerializer(serializers.Serializer):
    response = serializers.JSONField(allow_null=True)
    seq = serializers.IntegerField(min_value=1, max_value=SEQ_MAX)


class AnswerSavedSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    seq = serializers.IntegerField()
    applied = serializers.BooleanField()


class AttemptItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.CharField()
    stem = serializers.CharField()
    stem_image_urls = serializers.ListField(child=serializers.CharField())
    stem_image_alts = serializers.ListField(
        child=serializers.CharField(allow_blank=True)
    )
    choices = serializers.JSONField()
    points = serializers.CharField()
    response = serializers.JSONField(allow_null=True)
    seq = serializers.IntegerField()


class AttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    exam_title = serializers.CharField()
    status = serializers.CharField()
    started_at = serializers.CharField()
    deadline_at = serializers.CharField()
    remaining_s = serializers.IntegerField()
    items = AttemptItemSerializer(many=True)


class TopicScoreSerializer(serializers.Serializer):
    topic = serializers.CharField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2)


class ReviewItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    stem = serializers.CharField()
    response_text = serializers.CharField(allow_blank=True)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    full_marks = serializers.BooleanField()
    feedback = serializers.ListField(child=serializers.CharField())
    hints = serializers.ListField(child=serializers.CharField())
    explanation = serializers.CharField(allow_blank=True)


class AttemptResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    topics = TopicScoreSerializer(many=True)
    review = ReviewItemSerializer(many=True)
