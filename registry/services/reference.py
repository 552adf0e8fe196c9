"""Reference data and API clients: the occupation classification, other systems."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from lms.kernel.errors import Invalid
from registry.audit import audit_append
from registry.converters import api_client_data
from registry.data import ApiClientData
from registry.models import ApiClient, ApiScope, Occupation
from registry.reference_data import read_occupations


@transaction.atomic
def occupations_load_csv(*, path: Path, actor_id: int | None = None) -> dict[str, int]:
    """Insert or update occupations from a CSV shaped like data/occupations.csv:
    {"created": n, "updated": n}."""
    try:
        rows = read_occupations(path)
    except (KeyError, UnicodeDecodeError) as exc:
        raise Invalid(
            _(
                "The occupations file needs the columns code, title_en and title_ar "
                "(UTF-8)."
            ),
            code="columns",
        ) from exc
    created = updated = 0
    for row in rows:
        code = row.pop("code")
        if not code or not row["title_ar"] or not row["title_en"]:
            raise Invalid(
                _("Every occupation needs a code and Arabic and English titles."),
                code="incomplete",
            )
        _obj, was_created = Occupation.objects.update_or_create(code=code, defaults=row)
        created += was_created
        updated += not was_created
    audit_append(
        action="occupation.load",
        actor_id=actor_id,
        object_ref=path.name,
        data={"created": created, "updated": updated},
    )
    return {"created": created, "updated": updated}


@transaction.atomic
def api_client_create(*, name: str, scopes: list[str]) -> tuple[ApiClientData, str]:
    """A service account for another system: (client, DRF token key)."""
    from rest_framework.authtoken.models import Token

    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise Invalid(
            _("Unknown scope(s): %(scopes)s") % {"scopes": ", ".join(sorted(unknown))},
            code="scope",
        )
    user, _created = get_user_model().objects.get_or_create(
        username=f"api:{name}"[:150], defaults={"full_name_en": name}
    )
    user.set_unusable_password()
    user.save()
    client, _created = ApiClient.objects.update_or_create(
        name=name, defaults={"user": user, "scopes": sorted(set(scopes))}
    )
    token, _created = Token.objects.get_or_create(user=user)
    audit_append(
        action="api_client.save",
        actor_id=None,
        object_ref=name[:60],
        data={"scopes": client.scopes},
    )
    return api_client_data(client), token.key
