"""The self-assessment before a DfE review (Improvement Notice 10), drafted from the data for the council to edit.

Each section is plain text the council rewrites in its own voice; the draft gives it the facts to start from.
"""

import datetime
import re

from django.db import transaction

from governance.dashboard import build_dashboard
from governance.models import BoardMember, BoardReport, Meeting, MeetingAction, SelfAssessment
from measures.models import format_value
from plans.as_at import Known, never_after_today
from plans.editing import Stale
from plans.lifecycle import claim_draft, mark_issued, save_draft_edit
from plans.models import Brag, Status
from plans.months import add_months

# Which measures speak to each section, by what they are called: plans name them differently.
STAFF_MEASURES = re.compile(r"survey|staff|forum|wellbeing", re.IGNORECASE)
SUPERVISION_MEASURES = re.compile(r"supervision|oversight", re.IGNORECASE)


class StaleSelfAssessment(Stale):
    """Someone else saved the self-assessment after this form was opened."""


def _percent(part, whole):
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _measure_line(state):
    measure = state.measure
    value = format_value(state.latest_value, measure.unit) if state.latest_value is not None else "no figure yet"
    month = f" ({state.latest_month:%B %Y})" if state.latest_month else ""
    return (
        f"- {measure.name}: {value}{month}; baseline {measure.baseline_display or 'none'}, "
        f"target {measure.target_display or 'none'}. {state.rag.rag.label}: {state.rag.reason}"
    )


def _progress(board):
    actions = board.actions
    complete = board.brag_counts.get(Brag.BLUE, 0)
    lines = [
        f"As at {board.as_at:%d %B %Y}, {complete} of {len(actions)} actions are complete "
        f"({_percent(complete, len(actions))}); {len(board.overdue)} are overdue and "
        f"{board.brag_counts.get(Brag.AMBER, 0)} at risk."
    ]
    if board.days_to_deadline is not None:
        lines.append(f"{board.days_to_deadline} days remain to the delivery deadline of "
                     f"{board.plan.delivery_deadline:%d %B %Y}.")
    rated = [m for m in board.measures if m.latest_value is not None]
    if board.measures:
        lines.append(
            f"{board.rag_counts.get('green', 0)} of {len(board.measures)} measures are on target, "
            f"{board.rag_counts.get('red', 0)} off target and {len(board.measures) - len(rated)} have no figure yet."
        )
    for summary in board.objectives:
        done = summary.brag_counts.get(Brag.BLUE, 0)
        line = (
            f"\n{summary.objective.number}. {summary.objective.name}"
            f"{f' (lead: {summary.objective.lead_post})' if summary.objective.lead_post else ''}: "
            f"{done} of {len(summary.actions)} actions complete, {summary.brag_counts.get(Brag.RED, 0)} red."
        )
        if summary.measures:
            line += f" {summary.rag_counts.get('green', 0)} of {len(summary.measures)} measures on target."
        if summary.slow_reasons:
            line += " Slow to progress: " + "; ".join(summary.slow_reasons) + "."
        lines.append(line)
    return "\n".join(lines)


def _partners_and_board(plan, as_at):
    since = add_months(as_at, -6)
    lines = []
    for board in plan.boards.order_by("name"):
        meetings = list(
            Meeting.objects.filter(board=board, date__gt=since, date__lte=as_at)
            .prefetch_related("attendees")
            .order_by("date")
        )
        members = BoardMember.objects.filter(board=board)
        organisations = sorted({m.organisation for m in members if m.organisation})
        if not meetings and not members.exists():
            continue
        line = f"{board.name}{f' (chair: {board.chair})' if board.chair else ''}: {len(meetings)} meeting"
        line += f"{'' if len(meetings) == 1 else 's'} in the six months to {as_at:%d %B %Y}"
        if meetings:
            line += " (" + ", ".join(f"{m.date:%d %B}" for m in meetings) + ")"
            attended = [len(m.attendees.all()) for m in meetings]
            line += f", with {round(sum(attended) / len(attended))} members attending on average"
        line += "."
        if organisations:
            line += " Members come from " + ", ".join(organisations) + "."
        arising = MeetingAction.objects.filter(meeting__in=meetings)
        if arising:
            done = arising.filter(status=Status.COMPLETE).count()
            line += f" {done} of {arising.count()} actions arising are complete."
        reports = BoardReport.objects.filter(meeting__in=meetings, state=BoardReport.State.ISSUED).count()
        if reports:
            line += f" {reports} board report{'' if reports == 1 else 's'} issued."
        lines.append(line)
    return "\n\n".join(lines) or "No board meetings are recorded for this period."


def _measures_section(board, pattern, missing):
    measures = [m for m in board.measures if pattern.search(m.name)]
    return "\n".join(_measure_line(m) for m in measures) if measures else missing


def _next_steps(board):
    lines = []
    for state in board.overdue:
        action = state.action
        due = f"due {action.due_date:%B %Y}" + (f"; {action.inferred_deadline}" if action.inferred_deadline else "")
        lines.append(f"- {action.label} is overdue ({due}): {action.priority[:120]}")
    for summary in board.slow_objectives:
        lines.append(f"- Objective {summary.objective.number} is slow to progress: {'; '.join(summary.slow_reasons)}.")
    return "\n".join(lines) or "No action is overdue and no objective is slow to progress."


def draft_sections(plan, as_at: datetime.date) -> dict[str, str]:
    """Drafted from what we know now about `as_at` (Known.NOW): the council writes it with today's figures."""
    board = build_dashboard(plan, as_at, Known.NOW)
    return {
        "progress": _progress(board),
        "partners_and_board": _partners_and_board(plan, as_at),
        "staff_surveys": _measures_section(board, STAFF_MEASURES, "The plan has no staff survey measure."),
        "supervision": _measures_section(board, SUPERVISION_MEASURES, "The plan has no supervision measure."),
        "next_steps": _next_steps(board),
    }


def start_self_assessment(*, plan, review=None, as_at, user) -> SelfAssessment:
    as_at = never_after_today(as_at)
    before = f" before the {review.get_kind_display()} of {review.date:%d %B %Y}" if review else ""
    assessment = SelfAssessment(
        plan=plan, review=review, as_at=as_at, title=f"Self-assessment{before}", **draft_sections(plan, as_at)
    )
    assessment._history_user = user
    assessment.save()
    return assessment


FROZEN = "An issued self-assessment cannot be changed."


def save_self_assessment(assessment, *, edit_count, values, user) -> SelfAssessment:
    try:
        return save_draft_edit(assessment, seen=edit_count, values=values, user=user, frozen=FROZEN)
    except Stale as stale:
        raise StaleSelfAssessment(stale.record, stale.changes) from None


@transaction.atomic
def issue_self_assessment(assessment, *, user, seen: int | None = None) -> SelfAssessment:
    """Issue the self-assessment as the admin last saw it (edit count `seen`; None: as it stands)."""
    try:
        assessment = claim_draft(SelfAssessment, assessment.pk, seen=seen, compare=["title", *SelfAssessment.SECTIONS])
    except Stale as stale:
        raise StaleSelfAssessment(stale.record, stale.changes) from None
    return mark_issued(assessment, user=user)
