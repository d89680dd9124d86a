"""Small trend charts for board reports, drawn from the report's snapshot so issued reports never change.

One inline SVG serves the page and the PDF (WeasyPrint draws it): no script, axes with their values, the
first and last figures labelled, target and baseline told apart by dash and by label as well as by colour.
Its title (the chart's alternative text, also the PDF's Figure /Alt) says in words what it shows.
"""

import datetime

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT = 240, 110
LEFT, RIGHT, TOP, BOTTOM = 28, 66, 12, 20  # room for the y-axis values, the guide labels and the months
COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "blue": "#1d70b8", "grey": "#505a5f"}
GUIDES = (("target_value", "Target", "6 3"), ("baseline_value", "Baseline", "1.5 2.5"))


def trend_data(state, figures) -> dict:
    """What a trend chart needs of a measure's state (measures.as_at.MeasureState) and figures, oldest first."""
    measure = state.measure
    return {
        "name": measure.name,
        "series": [[figure.month.isoformat(), float(figure.value)] for figure in figures],
        "rag": state.rag.rag.value,
        "baseline_value": float(measure.baseline_value) if measure.baseline_value is not None else None,
        "target_value": float(measure.target_value) if measure.target_value is not None else None,
    }


def month_label(iso: str, short=False) -> str:
    month = datetime.date.fromisoformat(iso[:10])
    return month.strftime("%b %Y" if short else "%B %Y")


def _scale(measure):
    values = [value for _, value in measure["series"]]
    values += [measure[key] for key, _, _ in GUIDES if measure.get(key) is not None]
    low, high = min(values), max(values)
    if low >= 0 and high > 0:
        low = 0  # counts and percentages from zero: a y-axis cut short exaggerates a change
    if high == low:
        low, high = low - 1, high + 1
    count = len(measure["series"])

    def x(index):
        return LEFT + (WIDTH - LEFT - RIGHT) * (index / (count - 1) if count > 1 else 0.5)

    def y(value):  # SVG's y grows downwards
        return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / (high - low)

    return x, y, low, high


def describe(measure) -> str:
    series = measure["series"]
    first, last = series[0], series[-1]
    words = (f"{measure['name']}: {len(series)} months, from {first[1]:g} in {month_label(first[0])} "
             f"to {last[1]:g} in {month_label(last[0])}")
    if measure.get("target_value") is not None:
        words += f"; target {measure['target_value']:g} (dashed line)"
    if measure.get("baseline_value") is not None:
        words += f"; baseline {measure['baseline_value']:g} (dotted line)"
    return words + "."


def _f(number):
    return f"{number:.1f}"


def svg_trend(measure, chart_id) -> str:
    if not measure.get("series"):
        return ""
    x, y, low, high = _scale(measure)
    series = measure["series"]
    last = len(series) - 1
    points = " ".join(f"{_f(x(i))},{_f(y(value))}" for i, (_, value) in enumerate(series))
    axes = format_html(
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#0b0c0c" stroke-width="0.75"/>'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#0b0c0c" stroke-width="0.75"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="10">{}</text>'
        '<text x="{}" y="{}" text-anchor="end" font-size="10">{}</text>'
        '<text x="{}" y="{}" font-size="10">{}</text><text x="{}" y="{}" text-anchor="end" font-size="10">{}</text>',
        LEFT, LEFT, TOP, HEIGHT - BOTTOM, LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, HEIGHT - BOTTOM,
        LEFT - 3, _f(y(high) + 3), f"{high:g}", LEFT - 3, _f(y(low) + 3), f"{low:g}",
        LEFT, HEIGHT - 6, month_label(series[0][0], short=True),
        WIDTH - RIGHT, HEIGHT - 6, month_label(series[-1][0], short=True) if last else "",
    )
    guides = format_html_join("", (
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#505a5f" stroke-width="1.25" stroke-dasharray="{}"/>'
        '<text x="{}" y="{}" font-size="10">{} {}</text>'
    ), ((LEFT, WIDTH - RIGHT, _f(y(measure[key])), _f(y(measure[key])), dash, WIDTH - RIGHT + 3,
         _f(y(measure[key]) + 3), label, f"{measure[key]:g}")
        for key, label, dash in GUIDES if measure.get(key) is not None))
    labels = format_html(
        '<text x="{}" y="{}" font-size="10" font-weight="bold">{}</text>', _f(x(0) + 2), _f(y(series[0][1]) - 4),
        f"{series[0][1]:g}",
    )
    if last:
        labels += format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="10" font-weight="bold">{}</text>',
            _f(x(last) - 2), _f(y(series[-1][1]) - 5), f"{series[-1][1]:g}",
        )
    return format_html(
        '<svg class="app-trend" role="img" aria-labelledby="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="Arial, sans-serif"><title id="{}">{}</title>{}{}'
        '<polyline points="{}" fill="none" stroke="#0b0c0c" stroke-width="1.5"/>{}'
        '<circle cx="{}" cy="{}" r="3.5" fill="{}" stroke="#0b0c0c" stroke-width="0.5"/></svg>',
        chart_id, WIDTH, HEIGHT, WIDTH, HEIGHT, chart_id, describe(measure), axes, guides,
        points, labels, _f(x(last)), _f(y(series[-1][1])), COLOURS.get(measure["rag"], COLOURS["grey"]),
    )
