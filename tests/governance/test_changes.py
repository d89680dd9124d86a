"""What changed and the board report's change summary: a value saved again unchanged is not a correction."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from governance.changes import changes_between
from governance.models import BoardReport
from governance.reports import render_report_body, report_snapshot
from measures.as_at import PlanState
from measures.corrections import delete_figure
from measures.models import Figure
from plans.as_at import Known

MONTH = datetime.date(2025, 9, 1)


@pytest.fixture
def days():
    """A week ago (figures first entered), yesterday (the period starts), today (the changes)."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=7), today - datetime.timedelta(days=1), today


def entered(plan, code, value, note, day):
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))), tick=False):
        return Figure.objects.create(measure=plan.measures.get(code=code), month=MONTH, value=value, note=note)


def test_a_note_changed_on_an_unchanged_figure_is_a_note_change_not_a_correction(board_client, plan, days):
    week_ago, since, today = days
    figure = entered(plan, "SW-20-CASES", Decimal("26"), "", week_ago)
    figure.note = "Provisional: two teams not yet returned"
    figure.save()

    changes = changes_between(plan, since, today)
    assert changes.figures_corrected == []
    assert [(record.measure.code, shown, old, new) for record, shown, old, new in changes.notes_changed] == [
        ("SW-20-CASES", "26", "", "Provisional: two teams not yet returned")
    ]
    page = board_client.get(
        reverse("governance:changes", args=[plan.slug]), {"since": since.isoformat(), "as_at": today.isoformat()}
    ).content.decode()
    assert "corrected from 26 to 26" not in page
    assert "Notes changed, figures unchanged (1)" in page
    assert "SW-20-CASES Sep 2025, 26 (unchanged): note “Provisional: two teams not yet returned” added" in page


def test_the_same_value_in_other_decimal_places_is_not_a_correction(plan, days):
    week_ago, since, today = days
    figure = entered(plan, "SUPERVISION", Decimal("82.6"), "Audit sample", week_ago)
    figure.value = Decimal("82.60")
    figure.save()
    figure.refresh_from_db()
    assert figure.value == Decimal("82.6")

    changes = changes_between(plan, since, today)
    assert (changes.figures_corrected, changes.notes_changed) == ([], [])


def test_a_real_correction_beside_a_note_change_is_still_listed(plan, days):
    week_ago, since, today = days
    figure = entered(plan, "SUPERVISION", Decimal("82.6"), "", week_ago)
    figure.value, figure.note = Decimal("80.1"), "Recounted"
    figure.save()

    changes = changes_between(plan, since, today)
    assert [(old, new) for _, old, new in changes.figures_corrected] == [("82.6%", "80.1%")]
    assert changes.notes_changed == []


def test_the_board_report_counts_deleted_figures_and_note_changes_as_what_changed_does(plan, admin_user, days):
    week_ago, since, today = days
    entered(plan, "SICKNESS", Decimal("10.8"), "", week_ago)
    renoted = entered(plan, "SW-20-CASES", Decimal("26"), "", week_ago)
    delete_figure(figure=Figure.objects.get(measure__code="SICKNESS", month=MONTH), admin=admin_user,
                  reason="Month not closed yet")
    renoted.note = "Provisional"
    renoted.save()

    changes = changes_between(plan, since, today)
    assert (len(changes.figures_deleted), len(changes.notes_changed), len(changes.figures_corrected)) == (1, 1, 0)
    snapshot = report_snapshot(plan=plan, as_at=today, since=since)
    summary = snapshot["changes"]
    assert (summary["figures_added"], summary["figures_corrected"]) == (0, 0)
    assert (summary["figures_deleted"], summary["notes_changed"]) == (1, 1)
    html = render_report_body(BoardReport(title="Report", as_at=today, plan=plan), snapshot)
    assert "0 figures added, 0 corrected, 1 deleted, 1 with only their note changed;" in html


def test_a_figure_saved_again_unchanged_later_is_not_counted_as_corrected_later(plan, days):
    week_ago, since, today = days
    renoted = entered(plan, "SW-20-CASES", Decimal("26"), "", week_ago)
    corrected = entered(plan, "SUPERVISION", Decimal("82.6"), "", week_ago)
    renoted.note = "Provisional"
    renoted.save()
    corrected.value = Decimal("80.1")
    corrected.save()
    resaved = Figure.objects.get(pk=corrected.pk)
    resaved.save()  # the corrected value saved again: still one figure corrected

    assert PlanState.at(plan, since, Known.NOW).figures_later == 1
