import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance.charts import burn_up_chart, objectives_brag_chart
from governance.dashboard import BRAG_ORDER, build_dashboard, burn_up
from plans.models import Plan


def as_at_date(request):
    """The `as_at` date from the query string; today when absent, in the future or not a date."""
    today = timezone.localdate()
    value = request.GET.get("as_at", "")
    if not value:
        return today
    try:
        as_at = datetime.date.fromisoformat(value)
    except ValueError:
        messages.error(request, f"“{value}” is not a date: showing today instead. Use the form YYYY-MM-DD.")
        return today
    return min(as_at, today)


@require_GET
def dashboard(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    as_at = as_at_date(request)
    board = build_dashboard(plan, as_at)
    months, due, complete = burn_up(plan, as_at)
    return render(
        request,
        "governance/dashboard.html",
        {
            "plan": plan,
            "as_at": as_at,
            "is_today": as_at == timezone.localdate(),
            "board": board,
            "burn_up": list(zip(months, due, complete)),
            "objectives_chart": objectives_brag_chart(board.objectives, BRAG_ORDER),
            "burn_up_chart": burn_up_chart(months, due, complete),
        },
    )
