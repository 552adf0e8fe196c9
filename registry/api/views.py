"""Registry API: public verification and keys; scoped endpoints for other systems."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.accounts.national_id import parse_national_id
from lms.kernel.headers import private_answer
from registry import services
from registry.api.permissions import HasRegistryScope
from registry.api.serializers import (
    CertificateSerializer,
    CertificateWithIdSerializer,
    IssueSerializer,
    ListFilterSerializer,
    LookupSerializer,
    RevokeSerializer,
)
from registry.data import certificate_data
from registry.models import ApiScope, Certificate
from registry.selectors import (
    certificate_filter,
    certificate_get,
    certificate_list_for_holder,
    certificate_statistics,
    verification_answer,
    verification_http_status,
)
from registry.signing import public_jwk
from registry.throttling import VerifyThrottle


def _django_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError({"detail": exc.messages})


class VerifyView(APIView):
    """Anyone may check a serial: status, holder's name, occupation, level, date."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]

    @private_answer  # it names the holder (also the 429): no shared cache keeps it
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})
    def get(self, request, serial: str):
        answer = verification_answer(serial=serial)
        return Response(answer, status=verification_http_status(answer))


class KeysView(APIView):
    """The registry's public signing key(s) as a JWK Set."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        response = Response({"keys": [public_jwk()]})
        response["Cache-Control"] = "public, max-age=3600"
        return response


class RegistryCursor(CursorPagination):
    """Keyset pagination on the primary key: constant time at any depth."""

    ordering = "-id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class CertificateListView(APIView):
    """GET: list with filters (scope registry:read). POST: submit for approval
    (scope registry:issue, header Idempotency-Key: a retried request issues once)."""

    permission_classes = [HasRegistryScope]
    required_scopes = {"GET": ApiScope.READ, "POST": ApiScope.ISSUE}

    @extend_schema(
        parameters=[ListFilterSerializer], responses=CertificateSerializer(many=True)
    )
    def get(self, request):
        filters = ListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = RegistryCursor()
        page = paginator.paginate_queryset(
            certificate_filter(**filters.validated_data), request, view=self
        )
        data = [certificate_data(c) for c in page]
        return paginator.get_paginated_response(
            CertificateSerializer(data, many=True).data
        )

    @extend_schema(
        request=IssueSerializer,
        responses={201: CertificateSerializer, 200: CertificateSerializer},
        parameters=[
            OpenApiParameter("Idempotency-Key", location="header", required=True)
        ],
    )
    def post(self, request):
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key or len(key) > 100:
            raise ValidationError(
                {"Idempotency-Key": "Send an Idempotency-Key header (1–100 chars)."}
            )
        body = IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scoped_key = f"api:{request.user.pk}:{key}"
        replay = Certificate.objects.filter(idempotency_key=scoped_key).exists()
        try:
            cert = services.certificate_create_pending(
                user_id=None,
                created_by_id=request.user.pk,
                idempotency_key=scoped_key,
                **body.validated_data,
            )
        except DjangoValidationError as exc:
            raise _django_error(exc) from exc
        return Response(
            CertificateSerializer(cert).data,
            status=status.HTTP_200_OK if replay else status.HTTP_201_CREATED,
        )


class LookupView(APIView):
    """Every certificate held under a national ID (sent in the body, never the URL)."""

    permission_classes = [HasRegistryScope]
    required_scopes = {"POST": ApiScope.READ}

    @extend_schema(
        request=LookupSerializer, responses=CertificateWithIdSerializer(many=True)
    )
    def post(self, request):
        body = LookupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            nid = parse_national_id(body.validated_data["national_id"]).value
        except DjangoValidationError as exc:
            raise ValidationError({"national_id": exc.messages}) from exc
        certs = certificate_list_for_holder(national_id=nid)
        return Response({"results": CertificateWithIdSerializer(certs, many=True).data})


class CertificateDetailView(APIView):
    permission_classes = [HasRegistryScope]
    required_scopes = {"GET": ApiScope.READ}

    @extend_schema(responses=CertificateSerializer)
    def get(self, request, serial: str):
        cert = certificate_get(serial=serial)
        if cert is None:
            raise Http404
        return Response(CertificateSerializer(certificate_data(cert)).data)


class RevokeView(APIView):
    permission_classes = [HasRegistryScope]
    required_scopes = {"POST": ApiScope.REVOKE}

    @extend_schema(request=RevokeSerializer, responses=CertificateSerializer)
    def post(self, request, serial: str):
        cert = certificate_get(serial=serial)
        if cert is None:
            raise Http404
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            revoked = services.certificate_revoke(
                certificate_id=cert.pk,
                actor_id=request.user.pk,
                reason=body.validated_data["reason"],
            )
        except DjangoValidationError as exc:
            raise _django_error(exc) from exc
        return Response(CertificateSerializer(revoked).data)


class StatisticsView(APIView):
    """Counts by status, occupation, level, governorate, gender and month."""

    permission_classes = [HasRegistryScope]
    required_scopes = {"GET": ApiScope.STATS}

    @extend_schema(parameters=[ListFilterSerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        filters = ListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        return Response(certificate_statistics(**filters.validated_data))
