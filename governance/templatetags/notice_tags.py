"""Hooks that show the Notice's duties on pages other helpers own: the dashboard and My actions."""

from django import template
from django.utils import timezone

from governance.models import Notice, Voice
from governance.notice import Register, duties_for

register = template.Library()


@register.inclusion_tag("governance/includes/_notice_cadence.html")
def notice_cadence(plan, on=None):
    """Each Notice's cadence duties for the plan, with their next due dates (the dashboard)."""
    on = on or timezone.localdate()
    rows = []
    for notice in Notice.objects.filter(plan=plan).select_related("plan"):
        states = Register(notice, on).states()
        rows.append((notice, [s for s in states if s.next_due]))
    return {"rows": rows}


@register.inclusion_tag("governance/includes/_my_notice_duties.html")
def my_notice_duties(user, on=None):
    return {"states": duties_for(user, on or timezone.localdate())}


@register.inclusion_tag("governance/includes/_voices.html")
def voices_heard(plan, start=None, end=None):
    """Views of staff and children heard between two days (a board report, a self-assessment)."""
    voices = Voice.objects.filter(plan=plan)
    if start:
        voices = voices.filter(date__gte=start)
    if end:
        voices = voices.filter(date__lte=end)
    return {"voices": voices, "plan": plan}


@register.inclusion_tag("governance/includes/_voices.html")
def voices_for_report(report):
    """A board report's views heard: since the board's previous meeting, up to the report's data date."""
    previous = report.meeting.previous() if report.meeting_id else None
    return voices_heard(report.plan, previous.date if previous else None, report.as_at)


@register.inclusion_tag("governance/includes/_notice_duties.html")
def notice_duties(plan, on):
    """Where each of the plan's Notice duties stood on a day (a self-assessment, Notice 10)."""
    return {"rows": [(notice, Register(notice, on).states()) for notice in Notice.objects.filter(plan=plan)]}
