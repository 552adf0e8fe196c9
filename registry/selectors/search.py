"""Registry search for ministry staff: by serial, national ID, name (Arabic folded),
occupation, level, governorate, status and issue dates; newest first, by keyset pages.

Scoped: a directorate's staff search their governorate only; the head office all.
Each criterion uses an index (serial: unique; national ID: the record key's leading
column; name: the trigram index of migration 0010 over `maharat_fold`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Func, QuerySet
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.accounts.national_id import parse_national_id
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, Invalid
from lms.kernel.text import normalise_query
from registry.data import CertificatePageData, CertificateSearchData
from registry.models import Certificate, CertificateStatus, Occupation, SkillLevel
from registry.selectors.filtering import keyset_page
from registry.serials import InvalidSerial, serial_normalize

SEARCH_PAGE_SIZE = 50
MIN_WORD = 2  # a one-letter word matches half the registry and no index helps

# SQLite has no regexp_replace: the letters and marks people actually type.
_SQLITE_FOLDS = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ة", "ه"),
    ("ى", "ي"),
    *((chr(code), "") for code in range(0x064B, 0x0653)),  # tashkeel
    ("\u0670", ""),
    ("\u0640", ""),  # tatweel
)


class FoldedNames(Func):
    """`maharat_fold(full_name_ar || ' ' || full_name_en)`: the indexed expression
    (written as migration 0010 writes it, so PostgreSQL uses the index)."""

    function = "maharat_fold"
    arg_joiner = " || ' ' || "
    output_field = CharField()

    def __init__(self, **extra: Any) -> None:
        super().__init__(F("full_name_ar"), F("full_name_en"), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(
            compiler, connection, function="", arg_joiner=" || ' ' || ", **extra
        )
        for letter, replacement in _SQLITE_FOLDS:
            sql = f"REPLACE({sql}, '{letter}', '{replacement}')"
        return f"LOWER({sql})", params


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, code=f"invalid_{field}", fields={field: [message]})


def _occupation_id(code: str) -> int:
    found = Occupation.objects.filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise _invalid("occupation", _("Unknown occupation code."))
    return found


def _level_id(code: str) -> int:
    found = SkillLevel.objects.filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise _invalid("level", _("Unknown skill level."))
    return found


def _scoped(qs: QuerySet[Certificate], scope: StaffScope, governorate: str) -> Any:
    if governorate:
        if not scope.covers(governorate):
            raise Forbidden(
                _("That governorate belongs to another directorate's registry."),
                code="outside_directorate",
            )
        return qs.filter(governorate_code=governorate)
    if scope.head_office:
        return qs
    return qs.filter(governorate_code__in=sorted(scope.governorate_codes))


def _text_filter(qs: QuerySet[Certificate], text: str) -> QuerySet[Certificate]:
    """A serial in any typed form finds that certificate; anything else is words
    of a name, each of which must appear (folded) in the Arabic or English name."""
    try:
        return qs.filter(serial=serial_normalize(text))
    except InvalidSerial:
        pass
    words = [w for w in normalise_query(text).split() if len(w) >= MIN_WORD]
    if not words:
        raise _invalid(
            "text", _("Type a serial number or at least two letters of a name.")
        )
    qs = qs.annotate(folded_names=FoldedNames())
    for word in words:
        qs = qs.filter(folded_names__contains=word)
    return qs


def certificate_search_query(
    *, viewer_id: int | None, criteria: CertificateSearchData
) -> QuerySet[Certificate]:
    """The validated, scoped query (for the selectors and exports of this app)."""
    scope = staff_scope(user_id=viewer_id)
    qs = _scoped(
        Certificate.objects.select_related("occupation", "skill_level"),
        scope,
        criteria.governorate,
    )
    if criteria.national_id:
        try:
            nid = parse_national_id(criteria.national_id).value
        except ValidationError as exc:
            raise Invalid(
                " ".join(exc.messages),
                code="invalid_national_id",
                fields={"national_id": exc.messages},
            ) from None
        qs = qs.filter(national_id=nid)
    if criteria.text.strip():
        qs = _text_filter(qs, criteria.text.strip())
    if criteria.occupation:
        qs = qs.filter(occupation_id=_occupation_id(criteria.occupation))
    if criteria.level:
        qs = qs.filter(skill_level_id=_level_id(criteria.level))
    if criteria.status:
        if criteria.status not in CertificateStatus.values:
            raise _invalid("status", _("Unknown status."))
        qs = qs.filter(status=criteria.status)
    if criteria.issued_from and criteria.issued_to:
        if criteria.issued_from > criteria.issued_to:
            raise _invalid("issued_to", _("The end of the period is before its start."))
    if criteria.issued_from:
        qs = qs.filter(issue_date__gte=criteria.issued_from)
    if criteria.issued_to:
        qs = qs.filter(issue_date__lte=criteria.issued_to)
    return qs


def certificate_search(
    *,
    viewer_id: int | None,
    criteria: CertificateSearchData,
    before_id: int | None = None,
    after_id: int | None = None,
    size: int = SEARCH_PAGE_SIZE,
) -> CertificatePageData:
    """One page of a staff search, newest first (keyset: constant time at any depth).

    Refuses (Forbidden) anyone but ministry staff and a governorate outside the
    viewer's directorate; a malformed criterion is Invalid naming its field."""
    qs = certificate_search_query(viewer_id=viewer_id, criteria=criteria)
    return keyset_page(qs, before_id=before_id, after_id=after_id, size=size)


def search_criteria(
    *,
    text: str = "",
    national_id: str = "",
    occupation: str = "",
    level: str = "",
    governorate: str = "",
    status: str = "",
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
) -> CertificateSearchData:
    return CertificateSearchData(
        text=text,
        national_id=national_id,
        occupation=occupation,
        level=level,
        governorate=governorate,
        status=status,
        issued_from=issued_from,
        issued_to=issued_to,
    )
