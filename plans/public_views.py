"""The public progress page: a published plan's summary for anyone, signed in or not.

Only what a council would print in a public progress report: objectives, each action's status and
deadline, and measure trends. No commentary, evidence, owners, names or anything marked internal.
The page is rendered without the request (so nothing about the visitor can leak into it) and cached;
whether the plan is still published is checked on every request.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from governance.dashboard import BRAG_ORDER, RAG_ORDER, build_dashboard
from governance.report_charts import svg_trend, trend_data
from measures.models import format_value
from plans.models import Plan

CACHE_SECONDS = 300


def site_context():
    return {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME, "demo_mode": settings.DEMO_MODE}


@login_not_required
@require_GET
@cache_control(public=True, max_age=CACHE_SECONDS)
def public_index(request):
    plans = Plan.objects.filter(public_progress=True).order_by("title")
    return render(request, "public/index.html", {"public_plans": plans, **site_context()})


@login_not_required
@require_GET
@cache_control(public=True, max_age=CACHE_SECONDS)
def public_progress(request, slug):
    plan = Plan.objects.filter(slug=slug, public_progress=True).first()
    if plan is None:
        raise Http404("No published progress page here.")
    today = timezone.localdate()
    html = cache.get_or_set(
        f"public-progress:{plan.pk}:{today.isoformat()}", lambda: render_progress(plan, today), CACHE_SECONDS
    )
    return HttpResponse(html)


def render_progress(plan, today):
    board = build_dashboard(plan, today)
    objectives = []
    for summary in board.objectives:
        actions = [action for action in summary.actions if not action.internal]
        measures = [
            public_measure(measure, board.figures, f"trend-{summary.objective.number}-{measure.code}")
            for measure in summary.measures
            if not measure.internal
        ]
        objectives.append({"objective": summary.objective, "actions": actions, "measures": measures})
    actions = [action for action in board.actions if not action.internal]
    measures = [measure for measure in board.measures if not measure.internal]
    return render_to_string(
        "public/progress.html",
        {
            "public_plan": plan,
            "as_at": today,
            "objectives": objectives,
            "brag_rows": count_rows(BRAG_ORDER, [action.state.brag for action in actions]),
            "rag_rows": count_rows(RAG_ORDER, [measure.rag_state.rag for measure in measures]),
            "action_count": len(actions),
            "measure_count": len(measures),
            **site_context(),
        },
    )


def count_rows(order, states):
    return [(state, states.count(state)) for state in order if states.count(state)]


def public_measure(measure, figures, chart_id):
    series = figures.get(measure.pk, [])
    return {
        "measure": measure,
        "figures": [(figure.month, format_value(figure.value, measure.unit)) for figure in series[-12:]],
        "chart": svg_trend(trend_data(measure, series), chart_id),
    }
