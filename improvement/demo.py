"""Demo accounts, one per role, for trying the tracker. Never created by a production set-up."""

import datetime
from dataclasses import dataclass
from random import Random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from measures.models import Measure, MeasurePlacement
from plans.models import Action, ActionOwner, ActionUpdate, Objective, Plan, Post, PostHolder, Status
from plans.months import add_months
from plans.services import decide_revision, post_update


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    full_name: str


DEMO_USERS = [
    DemoUser("board", "demo-board-member", "Board member", "Bola Member"),
    DemoUser("manager", "demo-service-manager", "Service manager", "Sam Manager"),
    DemoUser("admin", "demo-performance-admin", "Admin", "Ada Admin"),
]


def create_demo_users():
    User = get_user_model()
    for demo in DEMO_USERS:
        first, last = demo.full_name.split(" ", 1)
        user, _ = User.objects.get_or_create(username=demo.username, defaults={"first_name": first, "last_name": last})
        user.set_password(demo.password)
        user.is_staff = user.is_superuser = demo.role == "Admin"
        user.save()
        user.groups.set([Group.objects.get_or_create(name=demo.role)[0]])


# Posts the demo service manager holds: they own a mix of on-time, late and open actions.
DEMO_MANAGER_POSTS = ["Head of Workforce", "Head of Permanence and Sufficiency"]
# Which measures each action is meant to move (the plan does not say: illustrative).
DEMO_ACTION_MEASURES = {
    "1.2": ["ASSESS-TIME", "VISIT-CIN"],
    "2.6": ["SW-20-CASES"],
    "3.5": ["AUDIT-RI"],
    "4.1": ["SW-VACANCY", "SW-AGENCY"],
    "4.4": ["SUPERVISION"],
    "4.5": ["SICKNESS"],
    "6.4": ["CEC-PA"],
    "6.6": ["CL-PATHWAY"],
    "6.7": ["PEP-TIME"],
    "6.9": ["FOSTER-APPROVED"],
}
# Objectives whose actions the story makes slip more often, so the board has something to see.
SLOW_OBJECTIVES = {4: 0.45, 6: 0.5}
COMMENTARY = {
    Status.ON_TRACK: "Work is progressing to plan; this month's milestones were met.",
    Status.AT_RISK: "Progress has slowed: capacity in the team is stretched and a milestone slipped.",
    Status.OFF_TRACK: "Off track: recruitment has not delivered the staff this depends on.",
    Status.COMPLETE: "Delivered. Audits and feedback from staff show the change is in place.",
}


def create_demo_updates(*, plan, today):
    """Monthly updates from May 2025 to last month that tell a plausible story. Runs once per plan."""
    if ActionUpdate.objects.filter(action__objective__plan=plan).exists():
        return 0
    # The story starts when the plan was published: it was loaded then, so both "as at" questions see it.
    published = timezone.make_aware(datetime.datetime.combine(plan.published, datetime.time(9)))
    Plan.history.filter(id=plan.pk, history_type="+").update(history_date=published)
    Objective.history.filter(plan_id=plan.pk, history_type="+").update(history_date=published)
    Action.history.filter(objective__plan=plan, history_type="+").update(history_date=published)
    ActionOwner.history.filter(action__objective__plan=plan, history_type="+").update(history_date=published)
    Measure.history.filter(plan_id=plan.pk, history_type="+").update(history_date=published)
    MeasurePlacement.history.filter(measure__plan=plan, history_type="+").update(history_date=published)
    plan.versions.filter(number=1).update(issued_at=published, created_at=published)
    User = get_user_model()
    manager = User.objects.get(username="manager")
    for name in DEMO_MANAGER_POSTS:
        PostHolder.objects.get_or_create(post=Post.objects.get(organisation=plan.organisation, name=name), user=manager)
    linking = timezone.now()
    for ref, codes in DEMO_ACTION_MEASURES.items():
        Action.objects.get(objective__plan=plan, ref=ref).measures.set(plan.measures.filter(code__in=codes))
    # The links come with the plan: recorded just after it was loaded (a minute on, so each action's latest record
    # on any day since is one).
    Action.history.filter(objective__plan=plan, history_date__gte=linking).update(
        history_date=published + datetime.timedelta(minutes=1)
    )
    random = Random(plan.slug)
    created = 0
    for action in Action.objects.for_plan(plan).select_related("objective"):
        slip_chance = SLOW_OBJECTIVES.get(action.objective.number, 0.15)
        if random.random() < slip_chance:
            finish = None  # still open: late, at risk or off track
        else:
            finish = add_months(action.deadline, random.choice([0, 0, 0, 1, 2]))
        month = datetime.date(2025, 5, 1)
        last_month = add_months(today.replace(day=1), -1)
        # Some open actions stopped being updated two months ago: "Update due".
        stop = add_months(last_month, -2) if finish is None and random.random() < 0.4 else last_month
        status = None
        while month <= stop:
            if finish and month >= finish:
                status = Status.COMPLETE
            elif finish is None and month > action.deadline:
                status = random.choice([Status.OFF_TRACK, Status.AT_RISK])
            elif month < add_months(action.deadline, -3) and random.random() < 0.3:
                status = Status.NOT_STARTED
            else:
                status = Status.ON_TRACK
            update = post_update(
                action=action,
                author=manager,
                expected_version=action.version,
                status=status,
                commentary=COMMENTARY.get(status, "Not started yet: planned to begin next quarter."),
                next_steps="" if status == Status.COMPLETE else "Report progress to the next Improvement Board.",
            )
            posted = timezone.make_aware(datetime.datetime.combine(month.replace(day=20), datetime.time(10)))
            _backdate(action, update, posted)
            action.refresh_from_db()
            created += 1
            if status == Status.COMPLETE:
                break
            month = add_months(month, 1)
    _replan_two_open_actions(plan=plan, today=today, manager=manager, admin=User.objects.get(username="admin"))
    return created


def _replan_two_open_actions(*, plan, today, manager, admin):
    """One revised deadline approved by the board, one waiting: re-planning shows on the pages."""
    open_actions = list(Action.objects.for_plan(plan).exclude(status=Status.COMPLETE).order_by("-sort_key")[:2])
    for action, approve in zip(open_actions, [True, False]):
        post_update(
            action=action,
            author=manager,
            expected_version=action.version,
            status=Status.AT_RISK,
            commentary="Recruitment has slipped; a realistic date is proposed for the board to agree.",
            revised_deadline=add_months(today.replace(day=1), 3 if approve else 2),
            revision_reason="Dependent on recruitment to vacant posts, now expected in the new year.",
        )
        if approve:
            decide_revision(revision=action.deadline_revisions.get(), admin=admin, approve=True)


def _backdate(action, update, posted):
    ActionUpdate.objects.filter(pk=update.pk).update(created_at=posted)
    ActionUpdate.history.filter(id=update.pk).update(history_date=posted)
    Action.objects.filter(pk=action.pk).update(last_update_at=posted)
    latest = action.history.order_by("-history_id").values_list("history_id", flat=True)[0]
    Action.history.filter(history_id=latest).update(history_date=posted, last_update_at=posted)


def create_demo_review(*, plan, today):
    """An illustrative DfE review six months into the plan, with a follow-up action and a drafted self-assessment."""
    from governance.models import MeetingAction, Review
    from governance.self_assessment import start_self_assessment

    date = min(add_months(plan.published or today, 6), today)
    review, created = Review.objects.get_or_create(
        plan=plan,
        kind=Review.Kind.DFE_REVIEW,
        title="DfE six-monthly review (demo)",
        defaults={
            "date": date,
            "carried_out_by": "DfE Improvement Adviser",
            "findings": (
                "Illustrative findings: early progress on practice standards; workforce stability is the main risk."
            ),
        },
    )
    if created:
        MeetingAction.objects.create(
            review=review, description="Report agency reduction plan to the next Improvement Board",
            owner=Post.objects.get(name="Head of Workforce"), due=add_months(date, 1),
        )
        start_self_assessment(plan=plan, review=review, as_at=date, user=None)
    return created
