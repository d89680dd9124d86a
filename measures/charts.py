"""Plotly figures for measures: the monthly series against baseline and target."""

import plotly.graph_objects as go

from governance.charts import LAYOUT
from measures.models import Figure, Rag

RAG_COLOURS = {Rag.RED: "#d4351c", Rag.AMBER: "#f47738", Rag.GREEN: "#00703c", Rag.GREY: "#505a5f"}


def measure_chart(measure, figures, latest_rag, *, height=320, compact=False):
    months = [figure.month.strftime("%b %Y") for figure in figures]
    values = [float(figure.value) for figure in figures]
    traces = [
        go.Scatter(name="Monthly figure", x=months, y=values, mode="lines+markers", line=dict(color="#1d70b8"))
    ]
    if months and measure.baseline_value is not None:
        traces.append(
            go.Scatter(name=f"Baseline {measure.baseline_display}", x=[months[0], months[-1]],
                       y=[float(measure.baseline_value)] * 2, mode="lines", line=dict(color="#505a5f", dash="dot"))
        )
    if months and measure.target_value is not None:
        traces.append(
            go.Scatter(name=f"Target {measure.target_display}", x=[months[0], months[-1]],
                       y=[float(measure.target_value)] * 2, mode="lines", line=dict(color="#00703c", dash="dash"))
        )
    if months:
        traces.append(
            go.Scatter(name=f"Latest: {latest_rag.rag.label}", x=[months[-1]], y=[values[-1]], mode="markers",
                       marker=dict(size=16, color=RAG_COLOURS[latest_rag.rag], line=dict(color="#0b0c0c", width=2)))
        )
    figure = go.Figure(traces)
    figure.update_layout(height=height, showlegend=not compact, **LAYOUT)
    if measure.unit == "percent":
        figure.update_yaxes(ticksuffix="%", rangemode="tozero")
    return figure.to_plotly_json()


def objective_trends(measures):
    """A small chart per measure of an objective, from one query for all their figures."""
    measures = list(measures)
    by_measure = {}
    for figure in Figure.objects.filter(measure__in=measures).order_by("month"):
        by_measure.setdefault(figure.measure_id, []).append(figure)
    trends = []
    for measure in measures:
        figures = by_measure.get(measure.pk, [])
        for figure in figures:
            figure.measure = measure  # already loaded: no query per figure
        rag = measure.latest_rag()
        trends.append(
            {
                "measure": measure,
                "rag": rag,
                "figures": figures[-6:],
                "chart": measure_chart(measure, figures, rag, height=180, compact=True) if figures else None,
            }
        )
    return trends
