"""One way to catch two people editing the same record, for every editable record in the app.

Each editable record has a counter that every write bumps (`edit_count`; an action's is `version`).
A form carries the count the person saw in a hidden field. Saving claims the record with one
conditional UPDATE (… SET edit_count = edit_count + 1 WHERE pk = … AND edit_count = seen), so of two
people saving at once exactly one wins, on SQLite and PostgreSQL alike, with no read-then-write gap.
The other gets `Stale`: it carries the record as it is now and, from its history, what changed since
they opened the form and who changed it, so the page can keep what they typed and show theirs
(`templates/includes/_conflict.html`). A record that may no longer change at all (an issued report)
is claimed with `editable=`; it then raises `Frozen` instead.

Use it inside `transaction.atomic()`:

    report = claim(BoardReport, pk, seen=seen_count(request.POST), editable=Q(state="draft"),
                   frozen="This report has been issued: it can no longer be changed.", compare=FIELDS)
    report.title = …; report._history_user = user; report.save()      # one history row per edit

or `save_edit(record, seen=…, values={…}, user=…)` for "write these fields", and in the view:

    except Stale as stale:
        keep_typed(form, stale)                  # error on the form, hidden count moved on
        return render(…, {"conflict": stale}, status=409)

A change with no counter of its own (a figures commit whose preview is older than figures committed
since) raises `Stale(record, changes=[Change(what, before, now, by, at), …])` itself, with the
changes it found, and its view renders the same include.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models, transaction
from django.db.models import F, Q


@dataclass(frozen=True)
class Change:
    """One thing someone else changed: what, from what, to what, by whom, when."""

    what: str
    before: str
    now: str
    by: str = ""
    at: datetime | None = None


class Stale(Exception):
    """Someone else saved the record after this person opened the form; nothing of theirs was saved."""

    def __init__(self, record, changes=(), message=""):
        self.record = record
        self.changes = list(changes)
        super().__init__(message or f"{record} changed while it was being edited.")

    @property
    def by(self):
        return ", ".join(dict.fromkeys(change.by for change in self.changes if change.by)) or "Someone else"

    @property
    def at(self):
        return max((change.at for change in self.changes if change.at), default=None)


class Frozen(ValueError):
    """The record may no longer change (issued): refused whatever the edit count."""


def seen_count(data, name="edit_count") -> int:
    """The count a form says its person saw; missing or garbled counts as stale (-1), never as current."""
    value = str(data.get(name, "")).strip()
    return int(value) if value.isdigit() else -1


def claim(model, pk, *, seen: int, field: str = "edit_count", editable: Q | None = None, frozen: str = "",
          compare=()) -> models.Model:
    """Claim the record for one write if it is still at `seen` (and `editable`); return it as stored now.

    Must run inside transaction.atomic: the UPDATE holds the row until commit, so the caller's save
    follows the claim with nothing in between. `compare` names the fields Stale reports changes of.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() must run inside transaction.atomic()")
    manager = model._default_manager
    rows = manager.filter(pk=pk, **{field: seen})
    if editable is not None:
        rows = rows.filter(editable)
    if rows.update(**{field: F(field) + 1}):
        return manager.get(pk=pk)
    current = manager.get(pk=pk)
    if editable is not None and not manager.filter(editable, pk=pk).exists():
        raise Frozen(frozen or f"{current} can no longer be changed.")
    raise Stale(current, changes_since(current, seen=seen, field=field, compare=compare))


@transaction.atomic
def save_edit(record, *, seen: int, values: dict, user, field: str = "edit_count", editable: Q | None = None,
              frozen: str = "", m2m: dict | None = None) -> models.Model:
    """Write `values` (and many-to-many `m2m`) onto `record` if nobody saved it since `seen`; return it."""
    current = claim(type(record), record.pk, seen=seen, field=field, editable=editable, frozen=frozen,
                    compare=[*values, *(m2m or {})])
    for name, value in values.items():
        setattr(current, name, value)
    current._history_user = user
    current.save()
    for name, value in (m2m or {}).items():
        getattr(current, name).set(value)
    return current


def keep_typed(form, stale, message="", field="edit_count"):
    """After a refused save: what they typed stays in the form, with the error; a resubmission goes through."""
    form.data = form.data.copy()
    form.data[field] = getattr(stale.record, field)
    form.add_error(
        None,
        message
        or f"{stale.by} saved this while you were editing it, "
        "so your changes were not saved. What they changed is shown below and your text is kept in the form: "
        "check it against theirs and save again.",
    )


def _shown(record, name, value):
    model_field = record._meta.get_field(name)
    if model_field.choices and value is not None:
        return str(dict(model_field.flatchoices).get(value, value))
    if value is None or value == "":
        return "(blank)"
    if hasattr(value, "strftime"):
        return value.strftime("%d %B %Y")
    return str(value)


def changes_since(record, *, seen: int, field: str = "edit_count", compare=()) -> list[Change]:
    """What differs between the record at edit count `seen` (from its history) and now, field by field."""
    history = getattr(record, "history", None)
    if history is None:
        return []
    later = list(history.filter(**{f"{field}__gt": seen}).select_related("history_user").order_by("history_date"))
    seen_row = history.filter(**{field: seen}).order_by("-history_date").first() if seen >= 0 else None
    latest = later[-1] if later else None
    by = ", ".join(dict.fromkeys(_who(row.history_user) for row in later)) if later else ""
    at = latest.history_date if latest else None
    changes = []
    for name in compare:
        model_field = record._meta.get_field(name)
        if model_field.many_to_many:
            now_items = list(getattr(record, name).all())
            now = "; ".join(str(item) for item in now_items) or "(none)"
            if seen_row is None or latest is None:
                changes.append(Change(model_field.verbose_name.capitalize(), "", now, by, at))
                continue
            delta = latest.diff_against(seen_row, included_fields=[name])
            if delta.changes:
                before_ids = {row[model_field.m2m_reverse_field_name()] for row in delta.changes[0].old}
                before = "; ".join(str(item) for item in model_field.related_model.objects.filter(pk__in=before_ids))
                changes.append(Change(model_field.verbose_name.capitalize(), before or "(none)", now, by, at))
            continue
        now = getattr(record, model_field.attname)
        before = getattr(seen_row, model_field.attname) if seen_row is not None else None
        if seen_row is None or before != now:
            changes.append(
                Change(model_field.verbose_name.capitalize(),
                       _shown(record, name, before) if seen_row is not None else "", _shown(record, name, now), by, at)
            )
    if not changes and later:
        changes.append(Change("Saved", "", f"edit {getattr(record, field)}", by, at))
    return changes


def _who(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
