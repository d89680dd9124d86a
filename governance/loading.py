"""Load inspection history from a JSON file in fixtures/inspections/, idempotently; and a plan file's boards."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from governance.models import Board, Inspection, InspectionJudgement, Recommendation
from plans.loading import Loader, LoadResult, PlanFileError, Section
from plans.models import Plan

FORMAT = "improvement-tracker-inspections/1"
DEFAULT_INSPECTIONS_FILE = settings.BASE_DIR / "fixtures" / "inspections" / "knowsley-inspections.json"


def load_inspections(path=DEFAULT_INSPECTIONS_FILE) -> LoadResult:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as error:
        raise PlanFileError(f"Cannot read {path.name}: {error}.") from None
    if data.get("format") != FORMAT:
        raise PlanFileError(f"{path.name} is not an inspections file (expected format {FORMAT!r}).")
    result = LoadResult()
    loader = Loader(result)
    with transaction.atomic():
        for row in data["inspections"]:
            plan = Plan.objects.filter(slug=row["plan"]).first() if row.get("plan") else None
            inspection = loader.sync(
                Inspection,
                {"slug": row["slug"]},
                {
                    "organisation": data["organisation"],
                    "kind": row["kind"],
                    "title": row["title"],
                    "visited": row.get("visited", ""),
                    "published": datetime.date.fromisoformat(row["published"]),
                    "overall": row.get("overall", ""),
                    "summary": row.get("summary", ""),
                    "source_document": row.get("source_document", ""),
                    "plan": plan,
                },
            )
            kept = [
                loader.sync(InspectionJudgement, {"inspection": inspection, "order": order}, judgement).pk
                for order, judgement in enumerate(row.get("judgements", []), start=1)
            ]
            loader.prune(inspection.judgements.all(), kept)
            kept = []
            for order, item in enumerate(row.get("recommendations", []), start=1):
                recommendation = loader.sync(
                    Recommendation,
                    {"inspection": inspection, "order": order},
                    {"number": item.get("number"), "category": item.get("category", ""), "text": item["text"]},
                )
                kept.append(recommendation.pk)
                _drop_unattributed_links(loader, recommendation)
            loader.prune(inspection.recommendations.all(), kept)
    return result


def _drop_unattributed_links(loader, recommendation):
    """No document maps a recommendation to the plan's objectives or actions: only links a person made are kept.
    Links an earlier file made (no user on any of the recommendation's history) are removed on loading."""
    if recommendation.history.filter(history_user__isnull=False).exists():
        return
    loader.set_m2m(recommendation.objectives, [], "recommendation objectives")
    loader.set_m2m(recommendation.actions, [], "recommendation actions")


def load_boards(loader, plan, data, objectives):
    """The boards that oversee the plan; meetings and members are kept in the app, not the file."""
    for row in data.get("boards", []):
        board = loader.sync(
            Board,
            {"slug": row["slug"]},
            {"name": row["name"], "chair": row.get("chair", ""), "purpose": row.get("purpose", "")},
        )
        if not board.plans.filter(pk=plan.pk).exists():
            board.plans.add(plan)


def dump_boards(plan, content):
    content["boards"] = [
        {"slug": b.slug, "name": b.name, "chair": b.chair, "purpose": b.purpose} for b in plan.boards.order_by("pk")
    ]


PLAN_SECTION = Section(load=load_boards, dump=dump_boards)


NOTICE_FORMAT = "improvement-tracker-notice/1"
NOTICE_DIR = settings.BASE_DIR / "fixtures" / "notices"


def load_notice(path) -> LoadResult:
    """A Notice and the duties its paragraphs impose; idempotent. Waits for its plan (loaded by load_plan)."""
    from governance.models import Notice, NoticeDuty
    from plans.models import Post

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as error:
        raise PlanFileError(f"Cannot read {path.name}: {error}.") from None
    if data.get("format") != NOTICE_FORMAT:
        raise PlanFileError(f"{path.name} is not a Notice file (expected format {NOTICE_FORMAT!r}).")
    plan = Plan.objects.filter(slug=data["plan"]).first()
    if plan is None:
        raise PlanFileError(f"{path.name}: load the plan {data['plan']!r} first (load_plan).")
    result = LoadResult()
    loader = Loader(result)
    with transaction.atomic():
        notice = loader.sync(
            Notice,
            {"slug": data["slug"]},
            {
                "plan": plan,
                "title": data["title"],
                "issued": datetime.date.fromisoformat(data["issued"]),
                "issued_by": data.get("issued_by", ""),
                "delivery_deadline": datetime.date.fromisoformat(data["delivery_deadline"]),
                "source_document": data.get("source_document", ""),
            },
        )
        kept = []
        for order, row in enumerate(data["duties"], start=1):
            owner = Post.objects.filter(organisation=plan.organisation, name=row["owner"]).first() if row.get(
                "owner") else None
            values = {"order": order, "kind": row["kind"], "text": row["text"], "met_by": row.get("met_by", "")}
            duty = NoticeDuty.objects.filter(notice=notice, paragraph=row["paragraph"]).first()
            if duty is None or duty.owner_id is None:
                values["owner"] = owner  # the file names a first owner; one changed in the app is kept
            kept.append(loader.save(NoticeDuty, duty, {"notice": notice, "paragraph": row["paragraph"]}, values).pk)
        loader.prune(notice.duties.all(), kept)
    return result
