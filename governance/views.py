import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance.changes import changes_between
from governance.charts import burn_up_chart, objectives_brag_chart
from governance.dashboard import build_dashboard, burn_up
from measures.as_at import BRAG_ORDER
from plans.as_at import Known, never_after_today
from plans.bounds import EARLIEST_DATE
from plans.models import Plan
from plans.months import add_months


def date_param(request, name, default):
    """A date from the query string; the default when absent, not a date or before 2000; never after today."""
    value = request.GET.get(name, "")
    if not value:
        return default
    try:
        chosen = datetime.date.fromisoformat(value)
    except ValueError:
        messages.error(request, f"“{value}” is not a date: use the form YYYY-MM-DD.")
        return default
    if chosen < EARLIEST_DATE:
        messages.error(request, f"“{value}” is too far back: choose a date from {EARLIEST_DATE:%d %B %Y} on.")
        return default
    return never_after_today(chosen)


def as_at_date(request):
    return date_param(request, "as_at", timezone.localdate())


@require_GET
def dashboard(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    as_at = as_at_date(request)
    known = Known.parse(request.GET.get("known"))
    board = build_dashboard(plan, as_at, known)
    months, due, complete = burn_up(board.state)
    return render(
        request,
        "governance/dashboard.html",
        {
            "plan": plan,
            "as_at": as_at,
            "is_today": as_at == timezone.localdate(),
            "known": known,
            "due_soon_days": settings.ACTION_DUE_SOON_DAYS,
            "board": board,
            "burn_up": list(zip(months, due, complete)),
            "objectives_chart": objectives_brag_chart(board.objectives, BRAG_ORDER),
            "burn_up_chart": burn_up_chart(months, due, complete),
        },
    )


@require_GET
def changes(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    until = as_at_date(request)
    since = date_param(request, "since", add_months(until.replace(day=1), -1))
    if since >= until:
        messages.error(request, "The start date must be before the end date: showing the month before instead.")
        since = add_months(until.replace(day=1), -1)
    return render(
        request,
        "governance/changes.html",
        {"plan": plan, "changes": changes_between(plan, since, until), "is_today": until == timezone.localdate()},
    )
