"""Registry reads other apps (and the registry's own views) use."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from lms.accounts.national_id import mask_national_id_public, normalize_national_id
from lms.kernel.report_rows import fact_rows
from registry.cache import (
    STATS_TTL_S,
    statistics_cache_key,
    verification_cache_fill,
    verification_cache_key,
    verification_cached,
)
from registry.data import (
    CertificateData,
    SigningKeyData,
    VerificationProbeData,
    certificate_data,
)
from registry.models import Certificate, CertificateStatus, Occupation, SkillLevel
from registry.serials import InvalidSerial, serial_display, serial_normalize
from registry.signing import key_id, key_source, private_key_pem, token_verify
from registry.tokens import certificate_token


def occupation_list(*, trade: str | None = None) -> QuerySet[Occupation]:
    qs = Occupation.objects.all()
    return qs.filter(trade=trade) if trade else qs


def occupation_get(*, code: str) -> Occupation:
    return Occupation.objects.get(code=code)


def skill_level_list() -> QuerySet[SkillLevel]:
    return SkillLevel.objects.all()


def skill_level_get(*, code: str) -> SkillLevel:
    return SkillLevel.objects.get(code=code)


def _with_refs(qs: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return qs.select_related("occupation", "skill_level")


def certificate_list_for_holder(*, national_id: str) -> list[CertificateData]:
    """Every certificate held under this national ID, newest first."""
    nid = normalize_national_id(national_id)
    if not nid:
        return []
    qs = _with_refs(Certificate.objects.filter(national_id=nid)).order_by(
        "-issue_date", "-id"
    )
    return [certificate_data(c) for c in qs]


def certificate_list_for_user(*, user) -> list[CertificateData]:
    """The holder view: by the user's national ID, or linked to their account."""
    from django.db.models import Q

    query = Q(holder_id=user.pk)
    if user.national_id:
        query |= Q(national_id=user.national_id)
    qs = _with_refs(Certificate.objects.filter(query)).order_by("-issue_date", "-id")
    return [certificate_data(c) for c in qs]


def certificate_get(*, serial: str) -> Certificate | None:
    """By serial in any typed form; None if malformed or unknown."""
    try:
        compact = serial_normalize(serial)
    except InvalidSerial:
        return None
    return _with_refs(Certificate.objects.filter(serial=compact)).first()


def certificate_pending_list() -> QuerySet[Certificate]:
    return _with_refs(
        Certificate.objects.filter(status=CertificateStatus.PENDING)
    ).order_by("created_at")


_VERIFY_HTTP_STATUS = {"invalid": 400, "unknown": 404}


def verification_http_status(answer: dict[str, Any]) -> int:
    """The HTTP status every verification endpoint answers with."""
    return _VERIFY_HTTP_STATUS.get(answer["status"], 200)


def verification_serial_parse(serial: str) -> tuple[str | None, dict[str, Any] | None]:
    """(compact serial, None), or (None, the `invalid` answer) for a mistyped one."""
    try:
        return serial_normalize(serial), None
    except InvalidSerial:
        return None, {"serial": serial, "status": "invalid"}


def verification_answer(*, serial: str) -> dict[str, Any]:
    """What anyone may know about a serial: never the full national ID.

    `status` is one of invalid (malformed / check symbol wrong), unknown, pending,
    issued, revoked. Cached; the services clear the entry on every change. The ASGI
    fast path (registry.verify_asgi) reads the same cache entry and calls this on a
    miss.
    """
    compact, invalid = verification_serial_parse(serial)
    if compact is None:
        return invalid
    key = verification_cache_key(compact)
    answer = verification_cached(cache.get(key))
    if answer is not None:
        return answer
    cert = _with_refs(Certificate.objects.filter(serial=compact)).first()
    answer = _answer_for(compact, cert)
    verification_cache_fill(serial=compact, answer=answer, known=cert is not None)
    return answer


def _answer_for(compact: str, cert: Certificate | None) -> dict[str, Any]:
    base = {"serial": serial_display(compact)}
    if cert is None:
        return {**base, "status": "unknown"}
    if cert.status == CertificateStatus.PENDING:
        return {**base, "status": "pending"}
    occ, level = cert.occupation, cert.skill_level
    return {
        **base,
        "status": cert.status,
        "valid": cert.status == CertificateStatus.ISSUED,
        "holder": {
            "name_ar": cert.full_name_ar,
            "name_en": cert.full_name_en,
            # a stranger's answer: the last four digits only
            "national_id_masked": mask_national_id_public(cert.national_id),
        },
        "occupation": {
            "code": occ.code,
            "title_ar": occ.title_ar,
            "title_en": occ.title_en,
        },
        "skill_level": {
            "code": level.code,
            "rank": level.rank,
            "name_ar": level.name_ar,
            "name_en": level.name_en,
        },
        "issue_date": cert.issue_date.isoformat() if cert.issue_date else None,
        "issuing_directorate": cert.issuing_directorate,
        "source": cert.source,
        "revoked_on": cert.revoked_at.date().isoformat() if cert.revoked_at else None,
    }


def verification_token_state(*, token: str | None, answer: dict[str, Any]) -> str:
    """'good' when a QR's signed token verifies and names the answer's serial, 'bad'
    when it does not, '' without a token: what /verify/ shows and a restore drill
    proves."""
    if not token:
        return ""
    try:
        claims = token_verify(token)
    except jwt.InvalidTokenError:
        return "bad"
    try:
        same = serial_normalize(answer.get("serial", "")) == claims.get("sub")
    except InvalidSerial:
        same = False
    return "good" if same else "bad"


def verification_probe_get() -> VerificationProbeData | None:
    """The newest issued certificate and its QR token, signed now: a backup keeps it
    so a restore can prove an old token still verifies against the restored key."""
    cert = (
        _with_refs(Certificate.objects.filter(status=CertificateStatus.ISSUED))
        .order_by("-id")
        .first()
    )
    if cert is None:
        return None
    data = certificate_data(cert)
    return VerificationProbeData(serial=data.serial, token=certificate_token(data))


def signing_keys_export() -> list[SigningKeyData]:
    """Every private key the registry signs with (one: REGISTRY_SIGNING_KEY), for
    backups only; a list so a future key rotation keeps old keys restorable."""
    return [SigningKeyData(key_id=key_id(), pem=private_key_pem(), source=key_source())]


def certificate_filter(
    *,
    occupation: str | None = None,
    level: str | None = None,
    governorate: str | None = None,
    status: str | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
) -> QuerySet[Certificate]:
    """The registry list with the API's filters (each one uses an index).

    Occupation and level codes are resolved to ids first: filtering through the join
    hides the value from PostgreSQL's planner, which then guessed a few hundred rows
    for tens of thousands and sorted them all for every page (130 ms at a million
    rows, growing with the registry; by id it walks the primary key: ~1 ms)."""
    qs = _with_refs(Certificate.objects.all())
    if occupation:
        occupation_id = (
            Occupation.objects.filter(code=occupation)
            .values_list("pk", flat=True)
            .first()
        )
        qs = qs.filter(occupation_id=occupation_id) if occupation_id else qs.none()
    if level:
        level_id = (
            SkillLevel.objects.filter(code=level).values_list("pk", flat=True).first()
        )
        qs = qs.filter(skill_level_id=level_id) if level_id else qs.none()
    if governorate:
        qs = qs.filter(governorate_code=governorate)
    if status:
        qs = qs.filter(status=status)
    if issued_from:
        qs = qs.filter(issue_date__gte=issued_from)
    if issued_to:
        qs = qs.filter(issue_date__lte=issued_to)
    return qs


def certificate_statistics(**filters: Any) -> dict[str, Any]:
    """Counts by status, occupation, level, governorate, gender and month of issue.

    Cached until the registry next changes (registry.cache.statistics_cache_key)."""
    key = statistics_cache_key(filters)
    answer = cache.get(key)
    if answer is None:
        answer = _statistics(**filters)
        cache.set(key, answer, STATS_TTL_S)
    return answer


def _statistics(**filters: Any) -> dict[str, Any]:
    qs = certificate_filter(**filters)

    def grouped(field: str) -> list[dict[str, Any]]:
        rows = qs.values(field).annotate(count=Count("id")).order_by(field)
        return [{"key": row[field], "count": row["count"]} for row in rows]

    months = (
        qs.exclude(issue_date=None)
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    return {
        "total": qs.count(),
        "by_status": grouped("status"),
        "by_occupation": grouped("occupation__code"),
        "by_level": grouped("skill_level__code"),
        "by_governorate": grouped("governorate_code"),
        "by_gender": grouped("gender"),
        "by_month": [
            {"key": row["month"].strftime("%Y-%m"), "count": row["count"]}
            for row in months
        ],
    }


# --- Report facts (lms.reports contract, see lms/reports/README.md) -----------------


def _certificate_facts(qs: QuerySet[Certificate], *, metric: str, when: str):
    """One metric grouped in the database by month and the holder's attributes."""
    from django.db.models import BigIntegerField, CharField, DateField, F, Value

    from lms.accounts.selectors import user_has_disability_expression

    return fact_rows(
        qs.annotate(
            metric=Value(metric, output_field=CharField()),
            month=TruncMonth(when, output_field=DateField()),
            occupation_code=F("occupation__code"),
            level_code=F("skill_level__code"),
            has_disability=user_has_disability_expression(via="holder"),
            course_id=Value(None, output_field=BigIntegerField()),
        ),
        value=Count("id"),
    )


def report_facts(*, since: dt.date | None = None):
    """The registry's figures for lms.reports, one GROUP BY query per metric.

    certificates_issued: every certificate ever issued (revoked ones included: they
    were issued) by month of issue; certificates_revoked: by month of revocation.
    Pending certificates count in neither. Not per course (course_id None).
    """
    from django.utils import timezone

    issued = Certificate.objects.filter(
        status__in=[CertificateStatus.ISSUED, CertificateStatus.REVOKED],
        issue_date__isnull=False,
    )
    revoked = Certificate.objects.filter(
        status=CertificateStatus.REVOKED, revoked_at__isnull=False
    )
    if since is not None:
        since = since.replace(day=1)
        issued = issued.filter(issue_date__gte=since)
        revoked = revoked.filter(
            revoked_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        )
    yield from _certificate_facts(
        issued, metric="certificates_issued", when="issue_date"
    )
    yield from _certificate_facts(
        revoked, metric="certificates_revoked", when="revoked_at"
    )
