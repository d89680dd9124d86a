"""Monthly nudges: one email per person listing their actions that need an update or fall due soon."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from plans.models import Action, PostHolder, ReminderLog, Status


def actions_needing_attention(*, on: datetime.date):
    """{user: [action, ...]} for every current post holder whose actions need an update or are due soon."""
    holders = PostHolder.objects.current(on).filter(user__is_active=True).exclude(user__email="")
    actions_by_post = defaultdict(list)
    for action in (
        Action.objects.exclude(status=Status.COMPLETE)
        .filter(owners__holders__in=holders)
        .select_related("objective__plan")
        .prefetch_related("owners")
        .distinct()
    ):
        if action.update_is_due(on) or action.is_due_soon(on) or action.is_overdue(on):
            for post in action.owners.all():
                actions_by_post[post.pk].append(action)
    by_user = defaultdict(dict)
    for holder in holders.select_related("user"):
        for action in actions_by_post.get(holder.post_id, []):
            by_user[holder.user][action.pk] = action
    return {user: sorted(actions.values(), key=lambda a: a.sort_key) for user, actions in by_user.items()}


def send_update_reminders(*, on: datetime.date) -> int:
    """Send today's reminders; a person already reminded today gets nothing more. Returns emails sent."""
    sent = 0
    for user, actions in actions_needing_attention(on=on).items():
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=user, day=on, action_count=len(actions))
                context = {"user": user, "actions": actions, "on": on, "site_url": settings.SITE_URL}
                send_mail(
                    subject=(
                        f"{len(actions)} improvement plan action{'s' if len(actions) != 1 else ''} need your update"
                    ),
                    message=render_to_string("plans/email/update_reminder.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[user.email],
                )
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent

