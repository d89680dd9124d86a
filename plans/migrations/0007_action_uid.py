"""Every action gets a uid: what names it in plan files and versions, whatever its ref or place.

Actions that exist are given the identity the loader matched them by until now: their ref, or for a plan
without refs "<objective>-<place>", so the shipped plan files (which carry the same uids) load onto an
existing database without changing anything. Drafts started before this get the uids of the actions
their rows stand for; issued versions are left as they were stored (plans.versions reads them the same way).
"""

import secrets

from django.db import migrations, models


def derived_uid(action):
    return action.ref or f"{action.objective.number}-{action.order}"


def give_actions_uids(apps, schema_editor):
    Action = apps.get_model("plans", "Action")
    HistoricalAction = apps.get_model("plans", "HistoricalAction")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.all():
        actions = Action.objects.filter(objective__plan=plan).select_related("objective")
        taken = set()
        # Actions in the plan first: a withdrawn action that shares a place with one of them gets a random uid.
        for action in sorted(actions, key=lambda a: (a.withdrawn_at is not None, a.objective.number, a.order, a.pk)):
            uid = derived_uid(action)
            if uid in taken or len(uid) > 20:
                uid = secrets.token_hex(4)
            taken.add(uid)
            Action.objects.filter(pk=action.pk).update(uid=uid)
            HistoricalAction.objects.filter(id=action.pk).update(uid=uid)
        for draft in PlanVersion.objects.filter(plan=plan, state="draft"):
            _give_draft_uids(draft, Action.objects.filter(objective__plan=plan, withdrawn_at__isnull=True))
            PlanVersion.objects.filter(pk=draft.pk).update(content=draft.content)


def _give_draft_uids(draft, actions):
    """A draft row is the action with its ref or, in a plan without refs, its very words; else it is new."""
    for objective in draft.content.get("objectives", []):
        live = [action for action in actions if action.objective.number == objective.get("number")]
        claimed = set()
        for row in objective.get("actions", []):
            if row.get("uid"):
                continue
            for action in live:
                same = action.ref == row.get("ref") if row.get("ref") else (
                    not action.ref and action.priority == row.get("priority"))
                if same and action.pk not in claimed:
                    claimed.add(action.pk)
                    row["uid"] = action.uid
                    break


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0006_public_progress"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="uid",
            field=models.CharField(default="", editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="uid",
            field=models.CharField(default="", editable=False, max_length=20),
        ),
        migrations.RunPython(give_actions_uids, migrations.RunPython.noop),
    ]
