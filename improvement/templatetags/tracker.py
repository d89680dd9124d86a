import datetime

from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    return mapping.get(key, 0)


@register.filter
def iso_date(value):
    """A date stored as text in a JSON snapshot, back as a date for the date filter."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
