"""Work on actions that spans several models: posting an update, deciding on a revised deadline."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from plans.bounds import date_problem, shorten
from plans.editing import Change, Stale
from plans.models import Action, ActionUpdate, DeadlineRevision, Evidence


class StaleAction(Stale):
    """Someone else updated the action after this person opened the form (plans/editing.py)."""

    def __init__(self, action, updates_since):
        changes = [
            Change("Update", "", update.commentary or update.get_status_display(),
                   (update.author.get_full_name() or update.author.get_username()) if update.author else "",
                   update.created_at)
            for update in updates_since
        ]
        super().__init__(action, changes, f"Action {action.ref} changed while it was being edited.")
        self.action = action
        self.updates_since = updates_since


@dataclass(frozen=True)
class EvidenceLink:
    title: str
    url: str


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
    if revised_deadline and (problem := date_problem(revised_deadline, "The revised deadline")):
        raise ValueError(problem)
    stored = []  # evidence whose file is written
    try:
        with transaction.atomic():
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
            title_length = Evidence._meta.get_field("title").max_length
            for link in links:
                title = shorten(link.title or link.url, title_length)
                Evidence.objects.create(update=update, title=title, url=link.url)
            for upload in files:
                evidence = Evidence(
                    update=update,
                    title=shorten(upload.name, title_length),
                    content_type=(upload.content_type or "")[: Evidence._meta.get_field("content_type").max_length],
                    size=upload.size,
                )
                evidence.file.save(upload.name, upload, save=False)
                stored.append(evidence)
                evidence.save()
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
    except BaseException:
        # The rows are gone with the rollback: so must the files written for them, or they are left with no row.
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise


@transaction.atomic
def decide_revision(*, revision: DeadlineRevision, admin, approve: bool, note: str = "") -> DeadlineRevision:
    revision = DeadlineRevision.objects.select_for_update().select_related("action").get(pk=revision.pk)
    if revision.decision != DeadlineRevision.Decision.PENDING:
        raise ValueError(f"This revised deadline was already {revision.get_decision_display().lower()}.")
    # Requests stored before dates were checked may hold any year: approving one would break every date sum.
    problem = date_problem(revision.new_deadline, f"The revised deadline for action {revision.action.ref}")
    if approve and problem:
        raise ValueError(f"{problem} It cannot be approved: choose do not approve, and ask for a new date.")
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
