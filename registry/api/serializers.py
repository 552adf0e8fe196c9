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
