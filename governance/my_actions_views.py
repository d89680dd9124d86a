"""My actions: a service manager's plan actions and the actions arising from meetings and reviews that their
posts own, in one list (it keeps its plans: URL name, added in improvement/urls.py)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance.models import MeetingAction
from plans.as_at import action_state
from plans.models import Action, PostHolder, Status


@require_GET
def my_actions(request):
    today = timezone.localdate()
    actions = [action_state(action, today) for action in Action.objects.owned_by(request.user, on=today).for_list()]
    # Overdue first, then due soonest; complete actions last.
    actions.sort(key=lambda state: (
        not state.overdue, state.action.status == "complete", state.action.due_date or today.max, state.action.sort_key
    ))
    holdings = PostHolder.objects.current(today).filter(user=request.user)
    posts = holdings.select_related("post")
    arising = list(
        MeetingAction.objects.filter(owner__holders__in=holdings)
        .exclude(status=Status.COMPLETE)
        .select_related("owner", "meeting__board", "review")
        .distinct()
    )
    for item in arising:
        item.state = item.brag_state(today)
    return render(
        request,
        "plans/my_actions.html",
        {"actions": actions, "posts": posts, "today": today, "arising": arising, "statuses": Status.choices},
    )
