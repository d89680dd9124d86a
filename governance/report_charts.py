"""Small trend charts for board reports, drawn from the report's snapshot so issued reports never change.

The page gets inline SVG (no script, prints as drawn), the PDF a reportlab drawing of the same line.
Each chart sits beside the table of the same numbers, and says in words what it shows.
"""

from django.utils.html import format_html, format_html_join
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String

WIDTH, HEIGHT, PAD = 220, 56, 6
COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "blue": "#1d70b8", "grey": "#505a5f"}


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


def _scale(measure):
    values = [value for _, value in measure["series"]]
    values += [v for v in (measure.get("baseline_value"), measure.get("target_value")) if v is not None]
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    count = len(measure["series"])

    def x(index):
        return PAD + (WIDTH - 2 * PAD) * (index / (count - 1) if count > 1 else 0.5)

    def y(value):  # SVG's y grows downwards
        return PAD + (HEIGHT - 2 * PAD) * (high - value) / (high - low)

    return x, y


def describe(measure) -> str:
    series = measure["series"]
    first, last = series[0], series[-1]
    words = (
        f"{measure['name']}: {len(series)} months, from {first[1]:g} in {first[0][:7]} to {last[1]:g} in {last[0][:7]}"
    )
    if measure.get("target_value") is not None:
        words += f"; target {measure['target_value']:g} (dashed line)"
    if measure.get("baseline_value") is not None:
        words += f"; baseline {measure['baseline_value']:g} (dotted line)"
    return words + "."


def svg_trend(measure, chart_id) -> str:
    if not measure.get("series"):
        return ""
    x, y = _scale(measure)
    points = " ".join(f"{x(i):.1f},{y(value):.1f}" for i, (_, value) in enumerate(measure["series"]))
    guides = []
    for key, dash in (("target_value", "5 3"), ("baseline_value", "1 3")):
        if measure.get(key) is not None:
            guides.append((f"{y(measure[key]):.1f}", dash))
    last_x, last_y = x(len(measure["series"]) - 1), y(measure["series"][-1][1])
    return format_html(
        '<svg class="app-trend" role="img" aria-labelledby="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>{}'
        '<polyline points="{}" fill="none" stroke="#0b0c0c" stroke-width="1.5"/>'
        '<circle cx="{}" cy="{}" r="3.5" fill="{}"/></svg>',
        chart_id, WIDTH, HEIGHT, WIDTH, HEIGHT, chart_id, describe(measure),
        format_html_join(
            "", '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#505a5f" stroke-dasharray="{}"/>',
            ((PAD, WIDTH - PAD, level, level, dash) for level, dash in guides),
        ),
        points, f"{last_x:.1f}", f"{last_y:.1f}", COLOURS.get(measure["rag"], COLOURS["grey"]),
    )


def pdf_trend(measure) -> Drawing | None:
    if not measure.get("series"):
        return None
    x, y = _scale(measure)
    flip = lambda value: HEIGHT - y(value)  # noqa: E731 - reportlab's y grows upwards
    drawing = Drawing(WIDTH, HEIGHT)
    for key, dash in (("target_value", [5, 3]), ("baseline_value", [1, 3])):
        if measure.get(key) is not None:
            level = flip(measure[key])
            drawing.add(Line(PAD, level, WIDTH - PAD, level, strokeColor="#505a5f", strokeDashArray=dash))
    points = []
    for index, (_, value) in enumerate(measure["series"]):
        points += [x(index), flip(value)]
    drawing.add(PolyLine(points, strokeColor="#0b0c0c", strokeWidth=1.5))
    drawing.add(Circle(points[-2], points[-1], 3.5, fillColor=COLOURS.get(measure["rag"], COLOURS["grey"]),
                       strokeColor=None))
    drawing.add(String(PAD, 0, describe(measure)[:110], fontSize=5))
    return drawing
