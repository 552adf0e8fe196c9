"""Registry API: public verification and keys; scoped endpoints for other systems."""

from __future__ import annotations

import base64
import binascii
from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from lms.accounts.selectors import staff_scope
from lms.kernel.api.schema import ERROR_RESPONSE
from lms.kernel.errors import Invalid, NotFound
from lms.kernel.headers import private_answer
from registry import services
from registry.api.permissions import HasRegistryScope
from registry.api.serializers import (
    CertificatePageSerializer,
    CertificateSerializer,
    CertificateWithIdSerializer,
    IssueSerializer,
    JwkSetSerializer,
    ListFilterSerializer,
    LookupResultSerializer,
    LookupSerializer,
    RevocationRequestedSerializer,
    RevokeSerializer,
    StatisticsSerializer,
    VerificationSerializer,
)
from registry.data import CertificateData
from registry.keyring import public_jwks
from registry.models import ApiScope
from registry.selectors import (
    PAGE_SIZE,
    certificate_get,
    certificate_lookup,
    certificate_page,
    certificate_statistics,
    verification_answer,
    verification_http_status,
)
from registry.throttling import VerifyThrottle


class VerifyView(APIView):
    """Anyone may check a serial: status, holder's name, occupation, level, date."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]

    @private_answer  # it names the holder (also the 429): no shared cache keeps it
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        responses={
            200: OpenApiResponse(
                VerificationSerializer, description="Issued, revoked or pending."
            ),
            400: OpenApiResponse(
                VerificationSerializer,
                description="`invalid`: not a serial (mistyped, check symbol wrong).",
            ),
            404: OpenApiResponse(
                VerificationSerializer, description="`unknown`: no such certificate."
            ),
        }
    )
    def get(self, request, serial: str):
        answer = verification_answer(serial=serial)
        return Response(answer, status=verification_http_status(answer))


class KeysView(APIView):
    """Every signing key the registry has used (not compromised) as a JWK Set: a QR
    token signed before a key rotation still finds its key offline."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=JwkSetSerializer)
    def get(self, request):
        response = Response(public_jwks())
        response["Cache-Control"] = "public, max-age=3600"
        return response


# The list's cursor: where the next page starts, opaque to clients ("b" older than,
# "a" newer than an id), keyset on the primary key: constant time at any depth.


def _cursor_encode(kind: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}{position}".encode()).decode().rstrip("=")


def _cursor_decode(text: str | None) -> tuple[int | None, int | None]:
    """(before_id, after_id) of a cursor; (None, None) for the first page."""
    if not text:
        return None, None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        kind, position = raw[0], int(raw[1:])
    except (binascii.Error, UnicodeDecodeError, IndexError, ValueError):
        kind, position = "", 0
    if not 0 <= position < 2**63:  # a primary key (bigint): beyond, no such page
        kind = ""
    if kind == "b":
        return position, None
    if kind == "a":
        return None, position
    raise Invalid(
        _("The page cursor is not valid; start again from the first page."),
        code="cursor",
        fields={"cursor": [_("Not a valid cursor.")]},
    )


def _page_size(request: Request) -> int:
    try:
        size = int(request.query_params.get("page_size", PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE
    return size if size > 0 else PAGE_SIZE


def _page_url(request: Request, kind: str, position: int | None) -> str | None:
    if position is None:
        return None
    return replace_query_param(
        request.build_absolute_uri(), "cursor", _cursor_encode(kind, position)
    )


def _governorate_codes(request: Request) -> list[str] | None:
    """Whose certificates the caller may read: another system's token, the whole
    registry (its scopes were granted nationally); a staff member signed in, their
    directorate's governorates (head office: all; no directorate: Forbidden)."""
    if getattr(request.user, "api_client", None) is not None:
        return None
    scope = staff_scope(user_id=request.user.pk)
    return None if scope.head_office else list(scope.governorate_codes)


def _readable(request: Request, serial: str) -> CertificateData:
    """The certificate if the caller may read it; another directorate's is 404
    (its existence is not confirmed to a directorate that may not see it)."""
    cert = certificate_get(serial=serial)
    codes = _governorate_codes(request)
    if codes is not None and cert.governorate_code not in codes:
        raise NotFound(_("No certificate has this serial number."), code="not_found")
    return cert


class CertificateListView(APIView):
    """GET: list with filters (scope registry:read), 100 per page newest first, `next`
    and `previous` by cursor. POST: submit for approval (scope registry:issue, header
    Idempotency-Key: a retried request issues once and answers 200)."""

    permission_classes = [HasRegistryScope]
    required_scopes = {"GET": ApiScope.READ, "POST": ApiScope.ISSUE}

    @extend_schema(
        parameters=[
            ListFilterSerializer,
            OpenApiParameter("cursor", str, description="From `next` or `previous`."),
            OpenApiParameter("page_size", int, description="1–1000 (default 100)."),
        ],
        responses=CertificatePageSerializer,
        operation_id="registry_certificates_list",
    )
    def get(self, request: Request) -> Response:
        filters = ListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        before_id, after_id = _cursor_decode(request.query_params.get("cursor"))
        page = certificate_page(
            **filters.validated_data,
            before_id=before_id,
            after_id=after_id,
            size=_page_size(request),
            governorate_codes=_governorate_codes(request),
        )
        return Response(
            {
                "next": _page_url(request, "b", page.next_before_id),
                "previous": _page_url(request, "a", page.previous_after_id),
                "results": CertificateSerializer(page.certificates, many=True).data,
            }
        )

    @extend_schema(
        request=IssueSerializer,
        responses={
            201: CertificateSerializer,
            200: CertificateSerializer,
            409: ERROR_RESPONSE,
        },
        parameters=[
            OpenApiParameter("Idempotency-Key", location="header", required=True)
        ],
    )
    def post(self, request: Request) -> Response:
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key or len(key) > 100:
            message = _("Send an Idempotency-Key header (1–100 characters).")
            raise Invalid(
                message, code="idempotency", fields={"Idempotency-Key": [message]}
            )
        body = IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cert, created = services.certificate_submit(
            user_id=None,
            created_by_id=request.user.pk,
            idempotency_key=f"api:{request.user.pk}:{key}",
            **body.validated_data,
        )
        return Response(
            CertificateSerializer(cert).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class LookupView(APIView):
    """Every certificate held under a national ID (sent in the body, never the URL)."""

    permission_classes = [HasRegistryScope]
    required_scopes = {"POST": ApiScope.READ}

    @extend_schema(request=LookupSerializer, responses=LookupResultSerializer)
    def post(self, request: Request) -> Response:
        body = LookupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        certs = certificate_lookup(
            national_id=body.validated_data["national_id"],
            governorate_codes=_governorate_codes(request),
        )
        return Response({"results": CertificateWithIdSerializer(certs, many=True).data})


class CertificateDetailView(APIView):
    permission_classes = [HasRegistryScope]
    required_scopes = {"GET": ApiScope.READ}

    @extend_schema(responses=CertificateSerializer)
    def get(self, request: Request, serial: str) -> Response:
        return Response(CertificateSerializer(_readable(request, serial)).data)


class RevokeView(APIView):
    """Ask for a revocation: a ministry staff member confirms it (two people for
    every change of trust); until then the certificate stays valid."""

    permission_classes = [HasRegistryScope]
    required_scopes = {"POST": ApiScope.REVOKE}

    @extend_schema(
        request=RevokeSerializer,
        responses={202: RevocationRequestedSerializer, 409: ERROR_RESPONSE},
    )
    def post(self, request: Request, serial: str) -> Response:
        cert = _readable(request, serial)
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        asked = services.revocation_request_create(
            certificate_id=cert.id,
            actor_id=request.user.pk,
            reason=body.validated_data["reason"],
        )
        return Response(
            {
                "request_id": asked.id,
                "serial": cert.serial_display,
                "status": asked.status,
                "certificate_status": cert.status,
            },
            status=202,
        )


class StatisticsView(APIView):
    """Counts by status, occupation, level, governorate, gender and month."""

    permission_classes = [HasRegistryScope]
    required_scopes = {"GET": ApiScope.STATS}

    @extend_schema(parameters=[ListFilterSerializer], responses=StatisticsSerializer)
    def get(self, request: Request) -> Response:
        filters = ListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        codes = _governorate_codes(request)
        return Response(
            asdict(
                certificate_statistics(
                    **filters.validated_data, governorate_codes=codes
                )
            )
        )
