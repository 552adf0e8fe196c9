from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key, "") if isinstance(mapping, dict) else ""


@register.simple_tag
def rank_of(order, item_id):
    """1-based position of a step in the trainee's saved order, or ''."""
    if isinstance(order, list) and item_id in order:
        return order.index(item_id) + 1
    return ""
