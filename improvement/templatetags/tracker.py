import datetime

from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    return mapping.get(key, 0)


@register.simple_tag
def trend_chart(measure, objective_number):
    """A measure's trend from a report snapshot, as inline SVG with its description as the title."""
    from governance.report_charts import svg_trend

    return svg_trend(measure, f"trend-{objective_number}-{measure['code']}")


@register.filter
def iso_date(value):
    """A date stored as text in a JSON snapshot, back as a date for the date filter."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def person(user):
    """Who did something: their full name, else their username; a record with no user (a script, a
    deleted account) says so instead of failing the page."""
    if user is None:
        return "unknown (no user recorded)"
    return user.get_full_name() or user.get_username()
