"""The OpenAPI 3.0 description of the read API, served at /api/v1/openapi.json."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from improvement.api.views import MAX_PAGE_SIZE, PAGE_SIZE
from measures.models import Direction, Rag, Unit
from plans.as_at import Known
from plans.models import Brag, Plan, Status


def param(name, description, schema):
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


AS_AT = param(
    "as_at",
    "Answer as the dashboard did at the end of this day (default today; a later date means today). "
    "A date before 2000-01-01 is refused with a 400.",
    # OpenAPI 3.0 has no minimum for a date; the pattern keeps years from 2000 on.
    {"type": "string", "format": "date", "pattern": "^[2-9][0-9]{3}-"},
)
KNOWN = param(
    "known",
    "`now` (the default): what we know now about `as_at`, later corrections included; "
    "`then`: only what had been recorded by the end of that day, as the board saw it.",
    {"type": "string", "enum": list(Known), "default": Known.NOW.value},
)
PAGE = param("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1})
PAGE_SIZE_PARAM = param(
    "page_size", "Rows per page.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE}
)
PLAN = param("plan", "Only this plan (its slug, as in the plan's web address).", {"type": "string"})
OBJECTIVE = param(
    "objective",
    "Only objectives with this number (in the plan given, or in every plan).",
    {"type": "integer", "minimum": 1},
)
MEASURE = param("measure", "Only measures with this code (in the plan given, or in every plan).", {"type": "string"})

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": "string", "nullable": True}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": "string", "format": "date", "nullable": True}
NULLABLE_NUMBER = {"type": "number", "nullable": True}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}


def obj(properties):
    return {"type": "object", "required": list(properties), "properties": properties}


SCHEMAS = {
    "Error": obj({"error": TEXT}),
    "Plan": obj(
        {
            "slug": TEXT,
            "title": TEXT,
            "organisation": TEXT,
            "kind": {"type": "string", "enum": list(Plan.Kind.values)},
            "published": NULLABLE_DATE,
            "delivery_deadline": NULLABLE_DATE,
            "url": {"type": "string", "format": "uri"},
        }
    ),
    "Objective": obj(
        {
            "plan": TEXT,
            "number": {"type": "integer"},
            "name": TEXT,
            "lead_post": NULLABLE_TEXT,
            "actions": {"type": "integer"},
            "actions_by_brag": COUNTS,
            "measures": {"type": "integer"},
            "measures_by_rag": COUNTS,
            "slow_to_progress": {"type": "boolean"},
            "slow_reasons": {"type": "array", "items": TEXT},
            "url": {"type": "string", "format": "uri"},
        }
    ),
    "Update": {
        **obj(
            {
                "date": DATE,
                "status": {"type": "string", "enum": list(Status.values)},
                "commentary": TEXT,
                "evidence_of_impact": TEXT,
                "next_steps": TEXT,
            }
        ),
        "nullable": True,
    },
    "Action": obj(
        {
            "plan": TEXT,
            "objective": {"type": "integer"},
            "ref": {"type": "string", "description": "Empty for plans that do not number their actions."},
            "key": TEXT,
            "title": TEXT,
            "priority": TEXT,
            "status": {"type": "string", "enum": list(Status.values)},
            "brag": {"type": "string", "enum": list(Brag.values)},
            "brag_label": {"type": "string", "description": "The status in words, or Overdue."},
            "deadline": NULLABLE_DATE,
            "deadline_note": TEXT,
            "revised_deadline": NULLABLE_DATE,
            "due_date": NULLABLE_DATE,
            "overdue": {"type": "boolean"},
            "update_due": {"type": "boolean"},
            "owners": {"type": "array", "items": TEXT, "description": "Owner posts."},
            "latest_update": {"$ref": "#/components/schemas/Update"},
            "url": {"type": "string", "format": "uri"},
        }
    ),
    "Measure": obj(
        {
            "plan": TEXT,
            "code": TEXT,
            "name": TEXT,
            "group": TEXT,
            "objectives": {"type": "array", "items": {"type": "integer"}},
            "unit": {"type": "string", "enum": list(Unit.values)},
            "direction": {"type": "string", "enum": list(Direction.values)},
            "baseline": NULLABLE_NUMBER,
            "baseline_text": TEXT,
            "baseline_period": TEXT,
            "target": NULLABLE_NUMBER,
            "target_text": TEXT,
            "latest_month": NULLABLE_DATE,
            "latest_value": NULLABLE_NUMBER,
            "previous_value": NULLABLE_NUMBER,
            "rag": {"type": "string", "enum": list(Rag.values)},
            "rag_reason": TEXT,
            "rag_overridden": {"type": "boolean"},
            "stale": {"type": "boolean", "description": "No figure for the last month one was expected."},
            "url": {"type": "string", "format": "uri"},
        }
    ),
    "Figure": obj(
        {
            "plan": TEXT,
            "measure": TEXT,
            "month": DATE,
            "value": {"type": "number"},
            "numerator": {"type": "integer", "nullable": True},
            "denominator": {"type": "integer", "nullable": True},
            "note": TEXT,
        }
    ),
}


def page_of(schema):
    return obj(
        {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "as_at": DATE,
            "known": {"type": "string", "enum": list(Known)},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
        }
    )


def error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def list_operation(schema, summary, parameters):
    return {
        "get": {
            "summary": summary,
            "operationId": f"list{schema}s",
            "parameters": [*parameters, AS_AT, KNOWN, PAGE, PAGE_SIZE_PARAM],
            "responses": {
                "200": {"description": "One page", "content": {"application/json": {"schema": page_of(schema)}}},
                "400": error("A parameter is not valid; the message names it."),
                "401": error("No token, an unknown token, or a revoked one."),
                "404": error("No such plan, objective, measure or page."),
            },
        }
    }


def description(request):
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Improvement Tracker read API",
            "version": "1",
            "description": "Read-only. Send `Authorization: Bearer <token>`; an admin issues tokens. "
            "Every use is logged. Lists are paginated and take `as_at` to answer as the dashboard did on that date.",
        },
        "servers": [{"url": request.build_absolute_uri("/api/v1")}],
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/plans/": list_operation("Plan", "Plans", []),
            "/objectives/": list_operation(
                "Objective", "Objectives with action BRAG and measure RAG counts and slow-to-progress reasons",
                [PLAN, OBJECTIVE],
            ),
            "/actions/": list_operation(
                "Action", "Actions with status, BRAG, deadlines, owner posts and the latest update", [PLAN, OBJECTIVE]
            ),
            "/measures/": list_operation(
                "Measure", "Measures with baseline, target, latest figure and RAG with its reason", [PLAN, OBJECTIVE]
            ),
            "/figures/": list_operation("Figure", "Monthly figures", [PLAN, OBJECTIVE, MEASURE]),
        },
    }


@login_not_required
@require_GET
def openapi(request):
    return JsonResponse(description(request), json_dumps_params={"indent": 1})
