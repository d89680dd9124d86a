"""The read API: plans, objectives, actions, measures and monthly figures, as at any date.

Every list answers from the same core as the dashboard (measures.as_at, plans.as_at), so a figure here
equals the figure on the dashboard for the same as-at date and question (`known=now`, the default: what
we know now about the date; `known=then`: only what had been recorded by it). Each request makes a fixed number of
queries whatever the page size: rows are fetched per page, never per row.
"""

import datetime
from decimal import Decimal

from django.core.validators import slug_re
from django.http import JsonResponse
from django.utils import timezone
from django.views import defaults

from improvement.api.auth import ApiError, api_view
from measures.as_at import BRAG_ORDER, RAG_ORDER, figure_rows, measures_at, summarise
from measures.models import Measure
from plans.as_at import Known, actions_at, first_loads, latest_updates, never_after_today
from plans.bounds import EARLIEST_DATE
from plans.models import Objective, Plan

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class Query:
    """The query string every list shares, checked: bad values are a 400 naming the parameter."""

    def __init__(self, request):
        self.request = request
        self.as_at = never_after_today(self.date("as_at") or timezone.localdate())
        self.known = self.question()
        self.page = self.integer("page", 1, minimum=1)
        self.page_size = self.integer("page_size", PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE)
        self.plan = self.find_plan()
        self.objective_number = self.integer("objective", None, minimum=1)
        self.objectives = self.find_objectives()

    def date(self, name):
        value = self.request.GET.get(name, "")
        if not value:
            return None
        try:
            chosen = datetime.date.fromisoformat(value)
        except ValueError:
            raise ApiError(400, f"{name}: “{value}” is not a date; use YYYY-MM-DD.") from None
        if chosen < EARLIEST_DATE:
            raise ApiError(400, f"{name}: “{value}” is too far back; use a date from {EARLIEST_DATE} on.")
        return chosen

    def question(self):
        value = self.request.GET.get("known", Known.NOW)
        if value not in Known.__members__.values():
            raise ApiError(400, f"known: “{value}” is neither “now” (what we know now about as_at) nor “then” "
                                "(what had been recorded by it).")
        return Known(value)

    def integer(self, name, default, minimum, maximum=None):
        value = self.request.GET.get(name, "")
        if not value:
            return default
        if not value.isascii() or not value.isdigit() or int(value) < minimum or (maximum and int(value) > maximum):
            upper = f" and at most {maximum}" if maximum else ""
            raise ApiError(400, f"{name}: “{value}” is not a whole number of at least {minimum}{upper}.")
        return int(value)

    def find_plan(self):
        slug = self.request.GET.get("plan", "")
        if not slug:
            return None
        plan = Plan.objects.filter(slug=slug).first() if slug_re.match(slug) else None
        if plan is None:
            raise ApiError(404, f"plan: there is no plan “{slug}”.")
        return plan

    def find_objectives(self):
        """The objectives asked for: by number within the plan, or that number in every plan."""
        objectives = Objective.objects.select_related("plan", "lead_post").order_by("plan__slug", "number")
        if self.plan:
            objectives = objectives.filter(plan=self.plan)
        number = self.objective_number
        if number is not None:
            objectives = objectives.filter(number=number)
            if not objectives.exists():
                where = f"plan “{self.plan.slug}” has no" if self.plan else "no plan has an"
                raise ApiError(404, f"objective: {where} objective {number}.")
        return objectives

    def measures(self):
        measures = Measure.objects.select_related("plan").order_by("plan__slug", "code")
        if self.objective_number is not None:
            return measures.filter(placements__objective__in=self.objectives).distinct()
        if self.plan:
            return measures.filter(plan=self.plan)
        return measures

    def page_of(self, rows):
        """The requested page of a queryset, and the envelope that goes round it."""
        count = rows.count()
        last = max((count + self.page_size - 1) // self.page_size, 1)
        if self.page > last:
            raise ApiError(404, f"page: there are {last} pages of {self.page_size}.")
        start = (self.page - 1) * self.page_size
        return list(rows[start : start + self.page_size]), self.envelope(count, last)

    def envelope(self, count, last):
        return {
            "count": count,
            "page": self.page,
            "page_size": self.page_size,
            "next": self.link(self.page + 1) if self.page < last else None,
            "previous": self.link(self.page - 1) if self.page > 1 else None,
            "as_at": self.as_at.isoformat(),
            "known": self.known.value,
        }

    def page_of_list(self, rows: list):
        """The requested page of a list already read through the core (states, not a queryset)."""
        count = len(rows)
        last = max((count + self.page_size - 1) // self.page_size, 1)
        if self.page > last:
            raise ApiError(404, f"page: there are {last} pages of {self.page_size}.")
        start = (self.page - 1) * self.page_size
        return rows[start : start + self.page_size], self.envelope(count, last)

    def link(self, page):
        query = self.request.GET.copy()
        query["page"] = page
        return f"{self.request.build_absolute_uri(self.request.path)}?{query.urlencode()}"

    def url(self, obj):
        return self.request.build_absolute_uri(obj.get_absolute_url())


def number(value):
    return float(value) if isinstance(value, Decimal) else value


def day(value):
    return value.isoformat() if value else None


def respond(envelope, results):
    return JsonResponse({**envelope, "results": results}, json_dumps_params={"ensure_ascii": False})


@api_view
def plans(request):
    query = Query(request)
    rows, envelope = query.page_of(Plan.objects.order_by("slug"))
    return respond(
        envelope,
        [
            {
                "slug": plan.slug,
                "title": plan.title,
                "organisation": plan.organisation,
                "kind": plan.kind,
                "published": day(plan.published),
                "delivery_deadline": day(plan.delivery_deadline),
                "url": query.url(plan),
            }
            for plan in rows
        ],
    )


@api_view
def objectives(request):
    query = Query(request)
    page, envelope = query.page_of(query.objectives)
    loads = first_loads({objective.plan for objective in page}, query.as_at, query.known)
    actions = actions_at(page, query.as_at, query.known, loads=loads)
    measures = measures_at(
        Measure.objects.filter(placements__objective__in=page).distinct().select_related("plan"),
        query.as_at, query.known, last=2, loads=loads,
    )
    actions_by_objective, measures_by_objective = {}, {}
    for state in actions:
        actions_by_objective.setdefault(state.action.objective_id, []).append(state)
    for state in measures:
        for objective_id in state.objective_ids:
            measures_by_objective.setdefault(objective_id, []).append(state)
    results = []
    for objective in page:
        summary = summarise(
            objective, actions_by_objective.get(objective.pk, []), measures_by_objective.get(objective.pk, []),
            query.as_at,
        )
        results.append(
            {
                "plan": objective.plan.slug,
                "number": objective.number,
                "name": objective.name,
                "lead_post": objective.lead_post.name if objective.lead_post else None,
                "actions": len(summary.actions),
                "actions_by_brag": {state.value: summary.brag_counts[state] for state in BRAG_ORDER},
                "measures": len(summary.measures),
                "measures_by_rag": {state.value: summary.rag_counts[state] for state in RAG_ORDER},
                "slow_to_progress": summary.is_slow,
                "slow_reasons": summary.slow_reasons,
                "url": query.url(objective),
            }
        )
    return respond(envelope, results)


@api_view
def actions(request):
    query = Query(request)
    page, envelope = query.page_of_list(actions_at(query.objectives, query.as_at, query.known))
    latest = latest_updates([state.pk for state in page], query.as_at)
    return respond(envelope, [action_json(state, latest, query) for state in page])


def action_json(state, latest, query):
    action = state.action
    update = latest.get(action.pk)
    return {
        "plan": action.objective.plan.slug,
        "objective": action.objective.number,
        "ref": action.ref,
        "key": action.key,
        "title": action.title,
        "priority": action.priority,
        "status": action.status,
        "brag": state.brag.brag.value,
        "brag_label": state.brag.label,
        "deadline": day(action.deadline),
        "deadline_note": action.deadline_note,
        "revised_deadline": day(action.revised_deadline),
        "due_date": day(action.due_date),
        "overdue": state.overdue,
        "update_due": state.update_due,
        "owners": list(state.owners),
        "latest_update": {
            "date": update.created_at.date().isoformat(),
            "status": update.status,
            "commentary": update.commentary,
            "evidence_of_impact": update.evidence_of_impact,
            "next_steps": update.next_steps,
        }
        if update
        else None,
        "url": query.url(action),
    }


@api_view
def measures(request):
    query = Query(request)
    objectives = dict(Objective.objects.values_list("pk", "number"))
    states = measures_at(query.measures(), query.as_at, query.known, last=2)
    page, envelope = query.page_of_list(states)
    return respond(
        envelope,
        [
            {
                "plan": state.measure.plan.slug,
                "code": state.code,
                "name": state.name,
                "group": state.measure.group,
                "objectives": sorted(objectives[objective_id] for objective_id in state.objective_ids),
                "unit": state.measure.unit,
                "direction": state.measure.direction,
                "baseline": number(state.measure.baseline_value),
                "baseline_text": state.measure.baseline_text,
                "baseline_period": state.measure.baseline_period,
                "target": number(state.measure.target_value),
                "target_text": state.measure.target_text,
                "latest_month": day(state.latest_month),
                "latest_value": number(state.latest_value),
                "previous_value": number(state.previous_value),
                "rag": state.rag.rag.value,
                "rag_reason": state.rag.reason,
                "rag_overridden": state.overridden,
                "stale": state.stale,
                "url": query.url(state),
            }
            for state in page
        ],
    )


@api_view
def figures(request):
    query = Query(request)
    code = request.GET.get("measure", "")
    filters = {}
    if code:
        filters["measure__in"] = query.measures().filter(code=code)
        if not slug_re.match(code) or not filters["measure__in"].exists():
            raise ApiError(404, f"measure: no measure “{code}” in the plans and objectives asked for.")
    else:
        filters["measure__in"] = query.measures()
    rows = figure_rows(query.as_at, query.known, **filters).select_related("measure__plan")
    page, envelope = query.page_of(rows.order_by("measure__plan__slug", "measure__code", "month"))
    return respond(
        envelope,
        [
            {
                "plan": figure.measure.plan.slug,
                "measure": figure.measure.code,
                "month": day(figure.month),
                "value": number(figure.value),
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "note": figure.note,
            }
            for figure in page
        ],
    )


def server_error(request):
    """The site's error page, except under /api/, whose clients read JSON whatever goes wrong."""
    if request.path.startswith("/api/"):
        message = "Something went wrong on our side: try again later, and tell the performance team if it goes on."
        return JsonResponse({"error": message}, status=500)
    return defaults.server_error(request)
