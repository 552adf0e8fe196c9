from django import template
from django.utils.html import format_html

from lms.accounts.roles import user_has_role
from lms.accounts.selectors import national_id_for_viewer

register = template.Library()


@register.simple_tag(takes_context=True)
def national_id(context, value):
    """`{% national_id user.national_id %}`: masked unless the viewer is ministry staff,
    isolated left-to-right inside Arabic text."""
    viewer = context.get("request").user if context.get("request") else None
    shown = national_id_for_viewer(national_id=value, viewer=viewer)
    if not shown:
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', shown)


@register.filter
def has_role(user, role: str) -> bool:
    return user_has_role(user, role)
