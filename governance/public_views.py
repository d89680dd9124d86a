"""The public progress page: a published plan's summary for anyone, signed in or not.

Only what a council would print in a public progress report: objectives, each action's status and
deadline, and measure trends. No commentary, evidence, owners, names or anything marked internal.
The page is rendered without the request (so nothing about the visitor can leak into it) and cached
under the plan's last change: every request checks, in one query, that the plan is still published and
what the latest recorded change is, so an action marked internal or a plan unpublished is gone at once.
Browsers and proxies must ask again each time (no-cache), and get a 304 while nothing has changed.
"""

import hashlib
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from governance.report_charts import svg_trend, trend_data
from measures.as_at import BRAG_ORDER, RAG_ORDER, PlanState
from measures.models import format_value
from plans.as_at import Known
from plans.models import Plan

CACHE_SECONDS = 300
# Everything the page shows is recorded in these apps' change history (simple-history), so the newest
# history row of each says whether anything the page shows may have changed.
SHOWN_FROM_APPS = ("plans", "measures")

logger = logging.getLogger(__name__)


def site_context():
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "demo_mode": settings.DEMO_MODE,
    }


def last_changes():
    """{name: SQL for the newest change recorded in each history table the page reads from}."""
    quote = connection.ops.quote_name
    tables = [
        (model._meta.db_table, model._meta.pk.column)
        for app in SHOWN_FROM_APPS
        for model in apps.get_app_config(app).get_models()
        if model.__name__.startswith("Historical")
    ]
    return {
        f"last_change_{n}": RawSQL(f"SELECT MAX({quote(column)}) FROM {quote(table)}", [])
        for n, (table, column) in enumerate(tables)
    }


@login_not_required
@require_GET
@cache_control(public=True, no_cache=True)
def public_index(request):
    plans = Plan.objects.filter(public_progress=True).order_by("title")
    return render(request, "public/index.html", {"public_plans": plans, **site_context()})


@login_not_required
@require_GET
def public_progress(request, slug):
    changes = last_changes()
    plan = Plan.objects.filter(slug=slug, public_progress=True).annotate(**changes).first()
    if plan is None:
        raise Http404("No published progress page here.")
    today = timezone.localdate()
    version = ":".join(str(getattr(plan, name)) for name in changes)
    key = "public-progress:" + hashlib.sha256(f"{plan.pk}:{today.isoformat()}:{version}".encode()).hexdigest()
    etag = f'"{key[-32:]}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        cached_page(key, lambda: render_progress(plan, today))
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    return response


def cached_page(key, render):
    """The page from the cache, or rendered afresh; a cache that is down (Redis restarting) slows the page
    but never takes it down."""
    try:
        return cache.get_or_set(key, render, CACHE_SECONDS)
    except Exception:  # the backend's own connection errors differ (redis, memcached...)
        logger.warning("Cache unavailable: the public progress page was rendered without it", exc_info=True)
        return render()


def render_progress(plan, today):
    state = PlanState.at(plan, today, Known.NOW)
    objectives = []
    for summary in state.objectives:
        actions = [item for item in summary.actions if not item.action.internal]
        measures = [
            public_measure(item, f"trend-{summary.objective.number}-{item.code}")
            for item in summary.measures
            if not item.measure.internal
        ]
        objectives.append({"objective": summary.objective, "actions": actions, "measures": measures})
    actions = [item for item in state.actions if not item.action.internal]
    measures = [item for item in state.measures if not item.measure.internal]
    return render_to_string(
        "public/progress.html",
        {
            "public_plan": plan,
            "as_at": today,
            "objectives": objectives,
            "brag_rows": count_rows(BRAG_ORDER, [item.brag.brag for item in actions]),
            "rag_rows": count_rows(RAG_ORDER, [item.rag.rag for item in measures]),
            "action_count": len(actions),
            "measure_count": len(measures),
            **site_context(),
        },
    )


def count_rows(order, states):
    return [(state, states.count(state)) for state in order if states.count(state)]


def public_measure(state, chart_id):
    series = state.figures
    return {
        "measure": state.measure,
        "rag": state.rag,
        "figures": [(figure.month, format_value(figure.value, state.measure.unit)) for figure in series[-12:]],
        "chart": svg_trend(trend_data(state, series), chart_id),
    }
