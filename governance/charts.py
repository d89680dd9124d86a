"""Plotly figures for the dashboard, as JSON the page draws with the app's own plotly.js."""

import plotly.graph_objects as go

from measures.charts import LAYOUT
from plans.models import Brag

# GOV.UK Design System colours, so the charts match the tags beside them.
BRAG_COLOURS = {
    Brag.RED: "#d4351c",
    Brag.AMBER: "#f47738",
    Brag.GREEN: "#00703c",
    Brag.BLUE: "#1d70b8",
    Brag.GREY: "#505a5f",
}
BRAG_NAMES = {
    Brag.RED: "Red (overdue or off track)",
    Brag.AMBER: "Amber (at risk)",
    Brag.GREEN: "Green (on track)",
    Brag.BLUE: "Blue (complete)",
    Brag.GREY: "Grey (not started)",
}


def objectives_brag_chart(summaries, brag_order):
    names = [f"{summary.objective.number}. {summary.objective.name}" for summary in summaries]
    figure = go.Figure(
        [
            go.Bar(
                name=BRAG_NAMES[brag],
                y=names,
                x=[summary.brag_counts.get(brag, 0) for summary in summaries],
                orientation="h",
                marker_color=BRAG_COLOURS[brag],
            )
            for brag in brag_order
        ]
    )
    figure.update_layout(barmode="stack", height=60 + 45 * len(names), **LAYOUT)
    figure.update_yaxes(autorange="reversed")
    return figure.to_plotly_json()


def burn_up_chart(months, due, complete):
    labels = [month.strftime("%b %Y") for month in months]
    figure = go.Figure(
        [
            go.Scatter(
                name="Actions due", x=labels, y=due, mode="lines+markers", line=dict(color="#505a5f", dash="dash")
            ),
            go.Scatter(name="Actions complete", x=labels, y=complete, mode="lines+markers", line=dict(color="#1d70b8")),
        ]
    )
    figure.update_layout(height=320, **LAYOUT)
    figure.update_yaxes(title_text="Actions", rangemode="tozero")
    return figure.to_plotly_json()
