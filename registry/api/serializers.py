from __future__ import annotations

from rest_framework import serializers

from registry.models import CertificateSource, CertificateStatus


class CertificateSerializer(serializers.Serializer):
    """A CertificateData (or Certificate) for other systems; the ID is masked."""

    serial = serializers.CharField(source="serial_display")
    status = serializers.ChoiceField(choices=CertificateStatus.choices)
    source = serializers.ChoiceField(choices=CertificateSource.choices)
    national_id_masked = serializers.CharField()
    full_name_ar = serializers.CharField()
    full_name_en = serializers.CharField()
    occupation_code = serializers.CharField()
    level_code = serializers.CharField()
    issue_date = serializers.DateField(allow_null=True)
    governorate_code = serializers.CharField()
    issuing_directorate = serializers.CharField()
    legacy_number = serializers.CharField()
    verify_path = serializers.CharField()


class CertificateWithIdSerializer(CertificateSerializer):
    """For a lookup by national ID: the caller already holds the ID."""

    national_id = serializers.CharField()


class LookupSerializer(serializers.Serializer):
    national_id = serializers.CharField(max_length=40)


class IssueSerializer(serializers.Serializer):
    national_id = serializers.CharField(max_length=40)
    full_name_ar = serializers.CharField(max_length=150)
    full_name_en = serializers.CharField(max_length=150, required=False, default="")
    occupation_code = serializers.CharField(max_length=10)
    level_code = serializers.CharField(max_length=30)
    source = serializers.ChoiceField(
        choices=[CertificateSource.IN_PERSON_TEST, CertificateSource.PLATFORM_TEST],
        default=CertificateSource.IN_PERSON_TEST,
    )
    evidence = serializers.DictField(required=False, default=dict)


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ListFilterSerializer(serializers.Serializer):
    occupation = serializers.CharField(required=False, max_length=10)
    level = serializers.CharField(required=False, max_length=30)
    governorate = serializers.CharField(required=False, max_length=2)
    status = serializers.ChoiceField(choices=CertificateStatus.choices, required=False)
    issued_from = serializers.DateField(required=False)
    issued_to = serializers.DateField(required=False)


class CertificatePageSerializer(serializers.Serializer):
    """One page of the list, newest first: follow `next` until it is null."""

    next = serializers.URLField(allow_null=True, help_text="The next (older) page.")
    previous = serializers.URLField(
        allow_null=True, help_text="The previous (newer) page."
    )
    results = CertificateSerializer(many=True)


class LookupResultSerializer(serializers.Serializer):
    results = CertificateWithIdSerializer(many=True)


class RevocationRequestedSerializer(serializers.Serializer):
    request_id = serializers.IntegerField()
    serial = serializers.CharField()
    status = serializers.CharField(help_text="The request's state: `pending`.")
    certificate_status = serializers.ChoiceField(
        choices=CertificateStatus.choices,
        help_text="Unchanged until a second staff member confirms.",
    )


class _HolderSerializer(serializers.Serializer):
    name_ar = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)
    national_id_masked = serializers.CharField(help_text="The last four digits only.")


class _OccupationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Unified occupation code.")
    title_ar = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)


class _SkillLevelSerializer(serializers.Serializer):
    code = serializers.CharField()
    rank = serializers.IntegerField()
    name_ar = serializers.CharField()
    name_en = serializers.CharField(allow_blank=True)


VERIFICATION_STATUSES = ("invalid", "unknown", "pending", "issued", "revoked")


class VerificationSerializer(serializers.Serializer):
    """The public answer for a serial. `invalid` (HTTP 400: mistyped, check symbol
    wrong), `unknown` (404) and `pending` carry the serial and status only; `issued`
    and `revoked` (200) carry the rest."""

    serial = serializers.CharField()
    status = serializers.ChoiceField(choices=[(s, s) for s in VERIFICATION_STATUSES])
    valid = serializers.BooleanField(required=False)
    holder = _HolderSerializer(required=False)
    occupation = _OccupationSerializer(required=False)
    skill_level = _SkillLevelSerializer(required=False)
    issue_date = serializers.DateField(required=False, allow_null=True)
    issuing_directorate = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=CertificateSource.choices, required=False)
    revoked_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        ref_name = "Verification"


class JwkSerializer(serializers.Serializer):
    kty = serializers.CharField()
    crv = serializers.CharField()
    x = serializers.CharField()
    kid = serializers.CharField()
    use = serializers.CharField(required=False)
    alg = serializers.CharField(required=False)


class JwkSetSerializer(serializers.Serializer):
    keys = JwkSerializer(many=True)


class CountSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="null: not recorded.")
    count = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = CountSerializer(many=True)
    by_occupation = CountSerializer(many=True)
    by_level = CountSerializer(many=True)
    by_governorate = CountSerializer(many=True)
    by_gender = CountSerializer(many=True)
    by_month = CountSerializer(many=True)
