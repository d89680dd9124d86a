"""Board reports: the data as at a date, gathered into one plain dict that can be stored as JSON.

A draft report is rendered from a fresh snapshot every time; an issued report from the snapshot
saved when it was issued, so later changes to the data never alter what the board was given.
"""

import datetime

from django.db import transaction
from django.template.loader import render_to_string

from governance.changes import changes_between
from governance.dashboard import build_dashboard
from governance.models import BoardReport
from governance.report_charts import trend_data
from measures.as_at import PlanState
from measures.models import format_value
from plans.as_at import Known, latest_updates
from plans.lifecycle import claim_draft, mark_issued
from plans.months import add_months


def report_snapshot(*, plan, as_at: datetime.date, since: datetime.date | None) -> dict:
    """The plan as at `as_at` as known when the report is drafted or issued (Known.NOW): issuing freezes it, so
    an issued report is what the board saw, whatever is recorded later. Read once, for the report and its
    changes (which start from what the board saw on `since`)."""
    state = PlanState.at(plan, as_at, Known.NOW)
    board = build_dashboard(plan, as_at, state=state)
    since = since or add_months(as_at.replace(day=1), -1)
    changes = changes_between(plan, since, as_at, after=state)
    latest = latest_updates([action.pk for action in board.actions], as_at, evidence=True)
    objectives = []
    for summary in board.objectives:
        objectives.append(
            {
                "number": summary.objective.number,
                "name": summary.objective.name,
                "lead": str(summary.objective.lead_post or ""),
                "slow_reasons": summary.slow_reasons,
                "brag_counts": {brag.value: count for brag, count in summary.brag_counts.items()},
                "actions": [_action(action, latest.get(action.pk)) for action in summary.actions],
                "measures": [_measure(measure) for measure in summary.measures],
            }
        )
    return {
        "plan": plan.title,
        "organisation": plan.organisation,
        "as_at": as_at.isoformat(),
        "since": since.isoformat(),
        "delivery_deadline": plan.delivery_deadline.isoformat() if plan.delivery_deadline else None,
        "days_to_deadline": board.days_to_deadline,
        "brag_counts": [[brag.value, brag.label, count] for brag, count in board.brag_rows],
        "rag_counts": [[rag.value, rag.label, count] for rag, count in board.rag_rows],
        "slow": [
            {"objective": f"{s.objective.number}. {s.objective.name}", "reasons": s.slow_reasons}
            for s in board.slow_objectives
        ],
        "changes": {
            "updates": len(changes.updates),
            "status_moves": [
                [now.ref, then.brag.label, then.brag.brag.value, now.brag.label, now.brag.brag.value]
                for then, now in changes.status_moves
            ],
            "rag_moves": [
                [now.name, then.rag.rag.label, then.rag.rag.value, now.rag.rag.label, now.rag.rag.value]
                for then, now in changes.rag_moves
            ],
            "revisions": [[r.action.ref, r.previous_deadline_label, r.new_deadline_label, r.get_decision_display()]
                          for r in changes.revisions],
            "figures_added": len(changes.figures_added),
            "figures_corrected": len(changes.figures_corrected),
            "figures_deleted": len(changes.figures_deleted),
            "notes_changed": len(changes.notes_changed),
        },
        "no_impact": [action.ref for action, _ in board.no_impact],
        "objectives": objectives,
    }


def _action(state, update):
    action = state.action
    return {
        "ref": action.ref,
        "priority": action.priority,
        "deadline": action.deadline_label,
        "revised_deadline": action.revised_deadline_label,
        "deadline_inferred": action.inferred_deadline,  # "not stated in the plan: taken from 5.12's row"
        "brag": state.brag.brag.value,
        "status": state.brag.label,
        "owners": list(state.owners),
        "commentary": update.commentary if update else "",
        "evidence_of_impact": update.evidence_of_impact if update else "",
        "evidence": [item.title for item in update.evidence.all()] if update else [],
        "updated": update.created_at.date().isoformat() if update else None,
    }


def _measure(state):
    measure = state.measure
    return {
        **trend_data(state, state.figures[-12:]),  # the last 12 months, for the report's trend chart
        "code": measure.code,
        "value": format_value(state.latest_value, measure.unit) if state.latest_value is not None else "",
        "month": state.latest_month.isoformat() if state.latest_month else None,
        "target": measure.target_display,
        "baseline": measure.baseline_display,
        "rag_label": state.rag.rag.label,
        "reason": state.rag.reason,
    }


def render_report_body(report, snapshot) -> str:
    return render_to_string("governance/includes/_report_body.html", {"report": report, "snap": snapshot})


@transaction.atomic
def issue_report(*, report, user, seen: int | None = None) -> None:
    """Freeze the report as the admin last saw it (edit count `seen`): its data and page are stored, never rebuilt."""
    report = claim_draft(BoardReport, report.pk, seen=seen, compare=BoardReport.TEXT)
    previous = report.meeting.previous()
    snapshot = report_snapshot(plan=report.plan, as_at=report.as_at, since=previous.date if previous else None)
    report.snapshot = snapshot
    report.issued_html = render_report_body(report, snapshot)
    mark_issued(report, user=user)
