"""The Notice as a register of duties: for each paragraph, where it stands on a day and the records that show it.

Cadence duties (board meetings, DfE reviews, adviser's reports, self-assessments, voices) have a next due date:
due soon within ACTION_DUE_SOON_DAYS of it, overdue after it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.urls import reverse

from governance.models import (
    BoardMember,
    BoardReport,
    Meeting,
    NoticeDuty,
    PartnerContribution,
    Review,
    SelfAssessment,
    Voice,
)
from plans.models import Action, ActionUpdate, DeadlineRevision, Status
from plans.months import add_months as first_of_month_after
from plans.months import end_of_month


class DutyStatus(models.TextChoices):
    MET = "met", "Met"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"
    NOT_EVIDENCED = "not_evidenced", "Not yet evidenced"


TAG = {
    DutyStatus.MET: "govuk-tag--green",
    DutyStatus.DUE_SOON: "govuk-tag--yellow",
    DutyStatus.OVERDUE: "govuk-tag--red",
    DutyStatus.NOT_EVIDENCED: "govuk-tag--grey",
}
WARN = {DutyStatus.DUE_SOON, DutyStatus.OVERDUE}


@dataclass
class Evidence:
    label: str
    url: str = ""


@dataclass
class DutyState:
    duty: NoticeDuty
    status: DutyStatus
    reason: str
    next_due: datetime.date | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def tag(self):
        return TAG[self.status]

    @property
    def label(self):
        return self.status.label

    @property
    def warns(self):
        return self.status in WARN


def add_months(day, months):
    """The same day `months` later, or that month's last day when it is shorter (31 August + 6 = 28 February)."""
    first = first_of_month_after(day, months)
    return first.replace(day=min(day.day, end_of_month(first).day))


def cadence_status(next_due, on):
    if on > next_due:
        return DutyStatus.OVERDUE
    if (next_due - on).days <= settings.ACTION_DUE_SOON_DAYS:
        return DutyStatus.DUE_SOON
    return DutyStatus.MET


def _cadence(duty, on, *, last, base, months=0, weeks=0, what, evidence):
    start = last or base
    next_due = add_months(start, months) if months else start + datetime.timedelta(weeks=weeks)
    status = cadence_status(next_due, on)
    since = f"last on {_long(last)}" if last else f"none recorded since {_long(base)}"
    words = {
        DutyStatus.OVERDUE: f"{what} overdue since {_long(next_due)} ({since}).",
        DutyStatus.DUE_SOON: f"{what} due by {_long(next_due)} ({since}).",
        DutyStatus.MET: f"{what} next due by {_long(next_due)} ({since}).",
    }
    return DutyState(duty, status, words[status], next_due, evidence)


def _long(day):
    return f"{day.day} {day:%B %Y}"


def _day(value):
    return value.date() if isinstance(value, datetime.datetime) else value


class Register:
    """Every duty of one Notice as it stands on a day."""

    def __init__(self, notice, on):
        self.notice = notice
        self.plan = notice.plan
        self.on = on
        self.boards = list(self.plan.boards.all())
        self.reviews = list(Review.objects.filter(plan=self.plan, date__lte=on).order_by("-date", "-pk"))

    def states(self):
        return [self.state(duty) for duty in self.notice.duties.select_related("owner")]

    def state(self, duty):
        return getattr(self, f"_{duty.kind}")(duty)

    def _reviews(self, kind):
        return [review for review in self.reviews if review.kind == kind]

    def _review_evidence(self, reviews):
        return [Evidence(str(review), review.get_absolute_url()) for review in reviews]

    # Paragraph 4
    def _plan_submitted(self, duty):
        evidence = [Evidence(self.plan.title, self.plan.get_absolute_url())]
        issued = self.plan.versions.filter(issued_at__isnull=False).order_by("-number").first()
        if issued:
            evidence.append(Evidence(f"Plan version {issued.number}, issued {_long(issued.issued_at)}"))
        if self.plan.published:
            return DutyState(duty, DutyStatus.MET, f"Plan published {self.plan.published:%B %Y}.", None, evidence)
        return DutyState(duty, DutyStatus.NOT_EVIDENCED, "The plan has no publication date.", None, evidence)

    # Paragraph 5a: progress recorded every month.
    def _plan_up_to_date(self, duty):
        updates = ActionUpdate.objects.filter(action__objective__plan=self.plan, created_at__date__lte=self.on)
        last = updates.order_by("-created_at").values_list("created_at", flat=True).first()
        evidence = [Evidence(f"{updates.count()} action updates posted", reverse("plans:action_list",
                                                                                 args=[self.plan.slug]))]
        return _cadence(duty, self.on, last=_day(last), base=self.plan.published or self.notice.issued, months=1,
                        what="A monthly progress update", evidence=evidence)

    # Paragraph 5b: a board with an independent chair, meeting on the agreed timetable.
    def _board_meetings(self, duty):
        timed = [board for board in self.boards if board.meets_every_weeks]
        if not timed:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, "No board has a meeting timetable recorded "
                             "(“Meets every (weeks)” on the board).")
        board = timed[0]
        meetings = list(board.meetings.filter(date__lte=self.on).prefetch_related("attendees")[:3])
        members = board.members.count()
        evidence = [Evidence(f"{board.name}: members and roles", board.get_absolute_url())] + [
            Evidence(f"Meeting of {_long(m.date)} ({len(m.attendees.all())} of {members} members attended)",
                     m.get_absolute_url()) for m in meetings
        ]
        chair = board.members.filter(kind=BoardMember.Kind.INDEPENDENT_CHAIR).first()
        if chair is None:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, f"{board.name} has no independent chair recorded "
                             "among its members.", None, evidence)
        state = _cadence(duty, self.on, last=meetings[0].date if meetings else None, base=self.notice.issued,
                         weeks=board.meets_every_weeks,
                         what=f"A meeting of the {board.name} (every {board.meets_every_weeks} weeks)",
                         evidence=evidence)
        state.reason += f" Independent chair: {chair.name}."
        return state

    # Paragraph 5c
    def _board_reports(self, duty):
        reports = list(BoardReport.objects.filter(
            plan=self.plan, state=BoardReport.State.ISSUED, issued_at__date__lte=self.on
        ).select_related("meeting")[:5])
        evidence = [Evidence(f"{r.title} (issued {_long(r.issued_at)})", r.get_absolute_url()) for r in reports]
        if not reports:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, "No board report has been issued.")
        latest = reports[0]
        missing = [name for name, text in [("analysis", latest.analysis), ("recommendations", latest.recommendations),
                                           ("evidence of impact", latest.evidence_of_impact)] if not text.strip()]
        if missing:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED,
                             f"The latest issued report has no {', no '.join(missing)}.", None, evidence)
        return DutyState(duty, DutyStatus.MET, "The latest issued report has data, analysis, recommendations and "
                         "evidence of impact.", None, evidence)

    # Paragraph 5d (and 5b's updates from partners)
    def _contributions(self, duty):
        asked = list(PartnerContribution.objects.filter(board__in=self.boards, requested__lte=self.on)
                     .select_related("partner", "board"))
        evidence = [Evidence("Objectives slow to progress (dashboard)",
                             reverse("governance:dashboard", args=[self.plan.slug]))]
        evidence += [Evidence(f"{c.partner.organisation or c.partner.name}: {c.description[:80]} – "
                              f"{'Overdue' if c.is_overdue(self.on) else c.get_state_display()}",
                              c.board.get_absolute_url()) for c in asked]
        if not asked:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, "No contributions requested from partners recorded.",
                             None, evidence)
        late = [c for c in asked if c.is_overdue(self.on)]
        if late:
            return DutyState(duty, DutyStatus.OVERDUE, f"{len(late)} of {len(asked)} contributions requested from "
                             "partners are past their due date.", min(c.due for c in late), evidence)
        waiting = [c for c in asked if c.state == PartnerContribution.State.REQUESTED]
        if waiting:
            due = min(c.due for c in waiting)
            status = cadence_status(due, self.on)
            return DutyState(duty, status, f"{len(waiting)} contributions awaited, the first due {_long(due)}.",
                             due, evidence)
        weak = sum(c.state == PartnerContribution.State.TO_STRENGTHEN for c in asked)
        return DutyState(duty, DutyStatus.MET, f"{len(asked)} contributions received"
                         + (f", {weak} to be strengthened." if weak else "."), None, evidence)

    # Paragraph 5e: views heard at least each quarter.
    def _voices(self, duty):
        voices = list(Voice.objects.filter(plan=self.plan, date__lte=self.on)[:5])
        evidence = [Evidence(str(v), reverse("governance:voice_list", args=[self.plan.slug]) + f"#voice-{v.pk}")
                    for v in voices]
        if not voices:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, "No views of frontline staff or children and young "
                             "people recorded.", None,
                             [Evidence("Voices", reverse("governance:voice_list", args=[self.plan.slug]))])
        return _cadence(duty, self.on, last=voices[0].date, base=self.notice.issued, months=3,
                        what="Views heard (each quarter)", evidence=evidence)

    # Paragraph 6
    def _dfe_review(self, duty):
        reviews = self._reviews(Review.Kind.DFE_REVIEW)
        return _cadence(duty, self.on, last=reviews[0].date if reviews else None, base=self.notice.issued, months=6,
                        what="A DfE review", evidence=self._review_evidence(reviews))

    def next_review_due(self):
        reviews = self._reviews(Review.Kind.DFE_REVIEW)
        return add_months(reviews[0].date if reviews else self.notice.issued, 6)

    # Paragraphs 7 and 9: what happens at a review; shown by the reviews recorded.
    def _review_scope(self, duty):
        reviews = [r for r in self.reviews if r.kind in Review.NOTICE_KINDS]
        if not reviews:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, "No review recorded yet.")
        return DutyState(duty, DutyStatus.MET, f"{len(reviews)} reviews recorded with their findings.", None,
                         self._review_evidence(reviews))

    _review_access = _review_scope

    # Paragraph 8
    def _diagnostic_review(self, duty):
        reviews = self._reviews(Review.Kind.DIAGNOSTIC_REVIEW)
        if not reviews:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, "None recorded: one is needed only when the adviser "
                             "requires it.")
        return DutyState(duty, DutyStatus.MET, f"{len(reviews)} diagnostic reviews recorded.", None,
                         self._review_evidence(reviews))

    # Paragraph 10: an issued self-assessment since the last review, before the next is due.
    def _self_assessment(self, duty):
        assessments = list(SelfAssessment.objects.filter(plan=self.plan, as_at__lte=self.on)
                           .select_related("review"))
        evidence = [Evidence(f"{a.title} ({'issued' if a.is_issued else 'draft'})", a.get_absolute_url())
                    for a in assessments]
        reviews = self._reviews(Review.Kind.DFE_REVIEW)
        missed = [r for r in reviews if not any(a.review_id == r.pk and a.is_issued for a in assessments)]
        next_due = self.next_review_due()
        last_review = reviews[0].date if reviews else None
        ready = [a for a in assessments if a.is_issued and (last_review is None or a.as_at > last_review)]
        if ready:
            state = DutyState(duty, DutyStatus.MET, f"Issued for the next review, due by {_long(next_due)}.",
                              next_due, evidence)
        else:
            status = cadence_status(next_due, self.on)
            words = {DutyStatus.OVERDUE: "overdue: the next review was due by",
                     DutyStatus.DUE_SOON: "due soon: the next review is due by",
                     DutyStatus.MET: "next due before the review due by"}[status]
            state = DutyState(duty, status, f"A self-assessment is {words} {_long(next_due)}.", next_due, evidence)
        if missed:
            state.reason += " No issued self-assessment for " + "; ".join(
                f"{r.get_kind_display()}, {_long(r.date)}" for r in missed) + "."
        return state

    # Paragraph 11
    def _delivery_deadline(self, duty):
        deadline = self.notice.delivery_deadline
        late = self.open_after_deadline()
        beyond = self.revisions_past_deadline()
        evidence = [Evidence(f"{len(late)} actions open or due after {_long(deadline)}", "#delivery-deadline")]
        if beyond:
            evidence.append(Evidence(f"{len(beyond)} revised deadlines past the Notice deadline", "#delivery-deadline"))
        if not late:
            return DutyState(duty, DutyStatus.MET, f"Every action is complete or due by {_long(deadline)}.",
                             deadline, evidence)
        if self.on > deadline:
            return DutyState(duty, DutyStatus.OVERDUE, f"{len(late)} actions still open after the delivery deadline "
                             f"of {_long(deadline)}.", deadline, evidence)
        status = cadence_status(deadline, self.on)
        if status == DutyStatus.MET:
            status = DutyStatus.NOT_EVIDENCED
        return DutyState(duty, status, f"{len(late)} actions are due after the delivery deadline of "
                         f"{_long(deadline)}.", deadline, evidence)

    def open_after_deadline(self):
        """Open actions that the delivery deadline will not see done: past it and open, or due after it."""
        deadline = self.notice.delivery_deadline
        actions = Action.objects.for_plan(self.plan).exclude(status=Status.COMPLETE).for_list()
        if self.on <= deadline:
            return [a for a in actions if a.due_date and a.due_date > deadline]
        return list(actions)

    def revisions_past_deadline(self):
        return list(DeadlineRevision.objects.filter(
            action__objective__plan=self.plan, new_deadline__gt=self.notice.delivery_deadline,
        ).exclude(decision="rejected").select_related("action").order_by("action__sort_key"))

    # Paragraph 12
    def _adviser_report(self, duty):
        reports = self._reviews(Review.Kind.ADVISER_REPORT)
        return _cadence(duty, self.on, last=reports[0].date if reports else None, base=self.notice.issued, months=3,
                        what="The adviser's quarterly report", evidence=self._review_evidence(reports))

    # Paragraph 13
    def _dfe_represented(self, duty):
        members = list(BoardMember.objects.filter(board__in=self.boards, kind=BoardMember.Kind.DFE_REPRESENTATIVE)
                       .select_related("board"))
        if not members:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, "No DfE representative recorded among board members.")
        evidence = [Evidence(f"{m.name}, {m.board.name}", m.board.get_absolute_url()) for m in members]
        meetings = list(Meeting.objects.filter(board__in={m.board_id for m in members}, date__lte=self.on)
                        .prefetch_related("attendees")[:3])
        present = [m for m in meetings if any(a.kind == BoardMember.Kind.DFE_REPRESENTATIVE for a in m.attendees.all())]
        evidence += [Evidence(f"Meeting of {_long(m.date)}: DfE {'present' if m in present else 'absent'}",
                              m.get_absolute_url()) for m in meetings]
        if meetings and meetings[0] not in present:
            return DutyState(duty, DutyStatus.NOT_EVIDENCED, f"The DfE was not recorded at the meeting of "
                             f"{_long(meetings[0].date)}.", None, evidence)
        return DutyState(duty, DutyStatus.MET, f"{members[0].name} represents the DfE"
                         + (f"; present at {len(present)} of the last {len(meetings)} meetings." if meetings else "."),
                         None, evidence)


def duties_for(user, on):
    """Duties owned by posts the user holds that are due soon or overdue, for My actions."""
    from plans.models import PostHolder

    posts = PostHolder.objects.current(on).filter(user=user).values_list("post_id", flat=True)
    duties = NoticeDuty.objects.filter(owner_id__in=list(posts)).select_related("notice__plan", "owner")
    registers = {}
    found = []
    for duty in duties:
        register = registers.setdefault(duty.notice_id, Register(duty.notice, on))
        state = register.state(duty)
        if state.warns:
            found.append(state)
    return found


def check_cadence(*, on):
    """For a scheduler: warn each duty's owner once when it turns due soon or overdue (or its due date moves).

    Returns the (duty, state) pairs warned. Running it again the same day, or any day with nothing changed, warns
    no one: the warning sent is kept on the duty.
    """
    from django.core.mail import send_mail
    from django.db import transaction

    from governance.models import Notice
    from plans.models import PostHolder

    warned = []
    for notice in Notice.objects.select_related("plan"):
        register = Register(notice, on)
        for duty in notice.duties.select_related("owner"):
            state = register.state(duty)
            key = f"{state.status}:{state.next_due or ''}" if state.warns else ""
            if key == duty.warned:
                continue
            with transaction.atomic():
                NoticeDuty.objects.filter(pk=duty.pk).update(warned=key)
                if not key or duty.owner is None:
                    continue
                emails = list(PostHolder.objects.current(on).filter(post=duty.owner, user__is_active=True)
                              .exclude(user__email="").values_list("user__email", flat=True))
                if emails:
                    send_mail(
                        subject=f"{notice.title}, paragraph {duty.paragraph}: {state.label.lower()}",
                        message=f"{duty.get_kind_display()}: {state.reason}\n\nThe register: "
                                f"{settings.SITE_URL}{notice.get_absolute_url()}#duty-{duty.paragraph}\n",
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        recipient_list=emails,
                    )
                warned.append((duty, state))
    return warned
