"""Plotly figures for measures: the monthly series against baseline and target."""

import plotly.graph_objects as go

from measures.models import Rag

# One look for every chart: GOV.UK type and colours, no plotly template.
LAYOUT = dict(
    font=dict(family="arial, sans-serif", size=14, color="#0b0c0c"),
    margin=dict(l=10, r=10, t=10, b=10),
    yaxis=dict(automargin=True),
    xaxis=dict(automargin=True),
    plot_bgcolor="#ffffff",
    paper_bgcolor="#ffffff",
    legend=dict(orientation="h", y=-0.2),
    template="none",
)
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


def objective_trends(states):
    """A small chart per measure of an objective, from their states (measures.as_at): no further query."""
    trends = []
    for state in states:
        figures = list(state.figures)
        for figure in figures:
            figure.measure = state.measure  # already loaded: no query per figure
        trends.append(
            {
                "measure": state.measure,
                "rag": state.rag,
                "figures": figures[-6:],
                "chart": measure_chart(state.measure, figures, state.rag, height=180, compact=True)
                if figures
                else None,
            }
        )
    return trends
