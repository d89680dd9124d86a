"""Work on actions that spans several models: posting an update, deciding on a revised deadline."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from plans.models import Action, ActionUpdate, DeadlineRevision, Evidence


class StaleAction(Exception):
    """Someone else updated the action after this person opened the form."""

    def __init__(self, action, updates_since):
        super().__init__(f"Action {action.ref} changed while it was being edited.")
        self.action = action
        self.updates_since = updates_since


@dataclass(frozen=True)
class EvidenceLink:
    title: str
    url: str


@transaction.atomic
def post_update(
    *,
    action: Action,
    author,
    expected_version: int,
    status: str,
    commentary: str = "",
    evidence_of_impact: str = "",
    next_steps: str = "",
    links: list[EvidenceLink] = (),
    files: list[UploadedFile] = (),
    revised_deadline: datetime.date | None = None,
    revision_reason: str = "",
) -> ActionUpdate:
    # The version check and bump is one UPDATE, so of two people saving at once exactly one wins.
    claimed = Action.objects.filter(pk=action.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        action.refresh_from_db()
        # Each update bumps the version once, so the updates this person has not seen are the newest ones.
        unseen = action.updates.timeline()[: max(action.version - expected_version, 0)]
        raise StaleAction(action, list(unseen))

    update = ActionUpdate.objects.create(
        action=action,
        author=author,
        status=status,
        commentary=commentary,
        evidence_of_impact=evidence_of_impact,
        next_steps=next_steps,
    )
    for link in links:
        Evidence.objects.create(update=update, title=link.title or link.url, url=link.url)
    for upload in files:
        Evidence.objects.create(
            update=update,
            title=upload.name,
            file=upload,
            content_type=upload.content_type or "",
            size=upload.size,
        )
    if revised_deadline:
        DeadlineRevision.objects.create(
            action=action,
            update=update,
            previous_deadline=action.current_deadline,
            new_deadline=revised_deadline,
            reason=revision_reason,
            requested_by=author,
        )

    action.version = expected_version + 1
    action.status = status
    action.last_update_at = update.created_at
    action._history_user = author
    action.save(update_fields=["version", "status", "last_update_at"])
    return update


@transaction.atomic
def decide_revision(*, revision: DeadlineRevision, admin, approve: bool, note: str = "") -> DeadlineRevision:
    revision = DeadlineRevision.objects.select_for_update().select_related("action").get(pk=revision.pk)
    if revision.decision != DeadlineRevision.Decision.PENDING:
        raise ValueError(f"This revised deadline was already {revision.get_decision_display().lower()}.")
    revision.decision = DeadlineRevision.Decision.APPROVED if approve else DeadlineRevision.Decision.REJECTED
    revision.decided_by = admin
    revision.decided_at = timezone.now()
    revision.decision_note = note
    revision._history_user = admin
    revision.save()
    if approve:
        action = revision.action
        action.revised_deadline = revision.new_deadline
        action.replan_count += 1
        action._history_user = admin
        action.save(update_fields=["revised_deadline", "replan_count"])
    return revision
