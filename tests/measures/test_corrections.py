"""Undoing an import, and correcting or deleting one figure: always with a reason, never over later work."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from simple_history.manager import HistoryManager

from governance.changes import changes_between
from governance.dashboard import build_dashboard
from measures.as_at import measures_at
from measures.corrections import StaleFigure, UndoRefused, correct_figure, delete_figure, latest_version, undo_import
from measures.importing import commit_import, save_upload
from measures.models import Figure, FigureImport, Measure
from tests.test_concurrency import needs_postgresql, run_together

TODAY = datetime.date(2025, 11, 15)
AUG, SEP, OCT = datetime.date(2025, 8, 1), datetime.date(2025, 9, 1), datetime.date(2025, 10, 1)


def imported(plan, user, text, name="figures.csv"):
    upload = save_upload(plan=plan, content=text.encode(), file_name=name, user=user)
    commit_import(upload=upload, user=user, today=TODAY)
    upload.refresh_from_db()
    assert upload.state == FigureImport.State.COMMITTED
    return upload


def figure(code, month):
    return Figure.objects.get(measure__code=code, month=month)


def history(code, month):
    return list(Figure.history.filter(measure__code=code, month=month).order_by("history_id"))


@pytest.fixture
def sickness(plan):
    return Measure.objects.get(plan=plan, code="SICKNESS")


@pytest.fixture
def two_imports(plan, admin_user):
    """A first import of August and September, then a second that changes September and adds October."""
    first = imported(plan, admin_user, "Code,Month,Value,Note\nSICKNESS,2025-08,10,first\nSICKNESS,2025-09,11,first\n")
    second = imported(
        plan, admin_user, "Code,Month,Value,Note\nSICKNESS,2025-09,12,second\nSICKNESS,2025-10,13,second\n", "b.csv"
    )
    return first, second


# -- undoing an import ------------------------------------------------------------------------


def test_it_puts_back_every_figure_an_import_wrote_and_removes_those_it_added(two_imports, admin_user):
    first, second = two_imports
    undo = undo_import(batch=second, admin=admin_user, reason="Sent the draft file by mistake")

    september = figure("SICKNESS", SEP)
    assert (september.value, september.note, september.source_import) == (Decimal("11"), "first", first)
    assert not Figure.objects.filter(measure__code="SICKNESS", month=OCT).exists()
    assert figure("SICKNESS", AUG).value == Decimal("10")  # not the second import's: untouched
    assert len(undo.safe) == 2 and not undo.blocked
    second.refresh_from_db()
    assert second.state == FigureImport.State.UNDONE
    assert (second.undone_by, second.undo_reason, second.restored_count, second.kept_count) == (
        admin_user, "Sent the draft file by mistake", 2, 0)
    assert second.undone_at is not None


def test_it_records_the_undo_in_each_figures_history_by_whom_and_why(two_imports, admin_user):
    _, second = two_imports
    undo_import(batch=second, admin=admin_user, reason="Sent the draft file by mistake")

    september = history("SICKNESS", SEP)
    assert [record.history_type for record in september] == ["+", "~", "~"]
    assert [record.value for record in september] == [Decimal("11"), Decimal("12"), Decimal("11")]
    assert september[-1].history_user == admin_user
    assert "Sent the draft file by mistake" in september[-1].history_change_reason
    assert "b.csv" in september[-1].history_change_reason
    october = history("SICKNESS", OCT)
    assert [record.history_type for record in october] == ["+", "-"]
    assert october[-1].history_user == admin_user and "Sent the draft" in october[-1].history_change_reason


def test_it_restores_numerator_denominator_and_note_exactly(plan, admin_user):
    imported(plan, admin_user, "Code,Month,Value,Note\nVISIT-CIN,2025-09,41/50,checked by team\n")
    second = imported(plan, admin_user, "Code,Month,Value,Note\nVISIT-CIN,2025-09,90,\n", "b.csv")
    assert figure("VISIT-CIN", SEP).denominator is None

    undo_import(batch=second, admin=admin_user, reason="Wrong month")

    restored = figure("VISIT-CIN", SEP)
    assert (restored.value, restored.numerator, restored.denominator, restored.note) == (
        Decimal("82.00"), 41, 50, "checked by team")


def test_it_refuses_to_undo_an_import_twice(two_imports, admin_user):
    _, second = two_imports
    undo_import(batch=second, admin=admin_user, reason="Wrong file")
    with pytest.raises(UndoRefused, match="already undone"):
        undo_import(batch=second, admin=admin_user, reason="Again")
    second.refresh_from_db()
    assert second.undo_reason == "Wrong file"
    assert len(history("SICKNESS", SEP)) == 3


def test_it_refuses_an_undo_that_would_overwrite_a_later_import_and_changes_nothing(two_imports, admin_user):
    first, _ = two_imports
    with pytest.raises(UndoRefused) as refused:
        undo_import(batch=first, admin=admin_user, reason="Wrong file")

    assert [(restore.month, restore.blocked_by) for restore in refused.value.undo_plan.blocked] == [
        (SEP, "changed since the import")]
    assert figure("SICKNESS", AUG).value == Decimal("10") and figure("SICKNESS", SEP).value == Decimal("12")
    first.refresh_from_db()
    assert first.state == FigureImport.State.COMMITTED and first.undone_by is None
    assert len(history("SICKNESS", AUG)) == 1


def test_it_undoes_only_the_safe_figures_when_the_admin_ticks_to_confirm(two_imports, admin_user):
    first, _ = two_imports
    undo = undo_import(batch=first, admin=admin_user, reason="Wrong file", skip_changed=True)

    assert not Figure.objects.filter(measure__code="SICKNESS", month=AUG).exists()
    assert figure("SICKNESS", SEP).value == Decimal("12")  # the later import's, kept
    assert len(history("SICKNESS", SEP)) == 2
    assert [restore.month for restore in undo.blocked] == [SEP]
    first.refresh_from_db()
    assert (first.state, first.restored_count, first.kept_count) == (FigureImport.State.UNDONE, 1, 1)


def test_it_refuses_an_undo_over_a_later_correction(plan, admin_user):
    batch = imported(plan, admin_user, "Code,Month,Value\nSICKNESS,2025-09,11\n")
    correct_figure(figure=figure("SICKNESS", SEP), admin=admin_user, value=Decimal("9"), note="", reason="Typo")
    with pytest.raises(UndoRefused):
        undo_import(batch=batch, admin=admin_user, reason="Wrong file")
    assert figure("SICKNESS", SEP).value == Decimal("9")


def test_it_undoes_imports_newest_first_back_to_the_start(two_imports, admin_user):
    first, second = two_imports
    undo_import(batch=second, admin=admin_user, reason="Wrong file")
    undo_import(batch=first, admin=admin_user, reason="Wrong file too")
    assert not Figure.objects.filter(measure__code="SICKNESS").exists()


def test_it_leaves_every_figure_as_it_was_if_the_undo_fails_part_way(two_imports, admin_user, monkeypatch):
    _, second = two_imports

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(HistoryManager, "bulk_history_create", fail)  # after the deletion and the updates
    with pytest.raises(RuntimeError):
        undo_import(batch=second, admin=admin_user, reason="Wrong file")
    assert figure("SICKNESS", OCT).value == Decimal("13")  # its deletion was rolled back
    assert figure("SICKNESS", SEP).value == Decimal("12")  # and its restore
    assert len(history("SICKNESS", OCT)) == 1
    second.refresh_from_db()
    assert second.state == FigureImport.State.COMMITTED


def test_it_requires_a_reason_to_undo(two_imports, admin_user):
    _, second = two_imports
    with pytest.raises(UndoRefused, match="reason"):
        undo_import(batch=second, admin=admin_user, reason="  ")
    second.refresh_from_db()
    assert second.state == FigureImport.State.COMMITTED


# -- one figure -------------------------------------------------------------------------------


def test_it_corrects_a_figure_with_the_reason_in_its_history(two_imports, admin_user):
    september = figure("SICKNESS", SEP)
    correct_figure(figure=september, admin=admin_user, value=Decimal("11.5"), note="recounted", reason="HR recount",
                   expected_version=latest_version(september.pk))
    september.refresh_from_db()
    assert (september.value, september.note, september.entered_by, september.source_import) == (
        Decimal("11.5"), "recounted", admin_user, None)
    last = history("SICKNESS", SEP)[-1]
    assert (last.history_type, last.value, last.history_user, last.history_change_reason) == (
        "~", Decimal("11.5"), admin_user, "HR recount")


def test_it_refuses_the_second_of_two_admins_correcting_at_once(two_imports, admin_user, django_user_model):
    other = django_user_model.objects.create_user(username="otis")
    september = figure("SICKNESS", SEP)
    seen = latest_version(september.pk)
    correct_figure(figure=september, admin=other, value=Decimal("14"), note="", reason="First", expected_version=seen)
    with pytest.raises(StaleFigure):
        correct_figure(figure=september, admin=admin_user, value=Decimal("15"), note="", reason="Second",
                       expected_version=seen)
    september.refresh_from_db()
    assert september.value == Decimal("14")
    assert [record.history_change_reason for record in history("SICKNESS", SEP)][-1] == "First"


def test_it_deletes_a_figure_keeping_its_history_and_the_reason(two_imports, admin_user):
    october = figure("SICKNESS", OCT)
    delete_figure(figure=october, admin=admin_user, reason="Month not closed yet",
                  expected_version=latest_version(october.pk))
    assert not Figure.objects.filter(pk=october.pk).exists()
    records = history("SICKNESS", OCT)
    assert [(record.history_type, record.value) for record in records] == [("+", Decimal("13")), ("-", Decimal("13"))]
    assert (records[-1].history_user, records[-1].history_change_reason) == (admin_user, "Month not closed yet")


def test_it_no_longer_counts_a_deleted_figure_for_rag(plan, admin_user, sickness):
    # Sickness: lower is better. September meets no target; October would.
    imported(plan, admin_user, f"Code,Month,Value\nSICKNESS,2025-09,30\nSICKNESS,2025-10,{sickness.target_value}\n")
    delete_figure(figure=figure("SICKNESS", OCT), admin=admin_user, reason="Wrong")

    [state] = measures_at([sickness], timezone.localdate())
    assert (state.latest_month, state.latest_value) == (SEP, Decimal("30"))
    assert state.rag == sickness.rag_for(Decimal("30"))
    on_dashboard = next(m for m in build_dashboard(plan, timezone.localdate()).measures if m.pk == sickness.pk)
    assert on_dashboard.rag == sickness.rag_for(Decimal("30"))


def test_it_shows_corrections_and_deletions_with_their_reasons_under_what_changed(two_imports, admin_user, plan):
    september = figure("SICKNESS", SEP)
    correct_figure(figure=september, admin=admin_user, value=Decimal("11.5"), note="", reason="HR recount")
    delete_figure(figure=figure("SICKNESS", OCT), admin=admin_user, reason="Month not closed yet")
    today = timezone.localdate()
    changes = changes_between(plan, today - datetime.timedelta(days=1), today)

    corrected = [(record.month, old, new, record.history_change_reason)
                 for record, old, new in changes.figures_corrected]
    assert corrected[-1] == (
        SEP, "12 days", "11.5 days", "HR recount")
    assert [(record.month, shown, record.history_change_reason) for record, shown in changes.figures_deleted] == [
        (OCT, "13 days", "Month not closed yet")]


# -- pages ------------------------------------------------------------------------------------


def test_it_lists_imports_with_an_undo_link_for_admins(two_imports, admin_client, plan):
    first, second = two_imports
    response = admin_client.get(reverse("measures:import_list", args=[plan.slug]))
    assert response.status_code == 200
    assert reverse("measures:import_undo", args=[plan.slug, second.pk]) in response.content.decode()
    listing = reverse("measures:import_list", args=[plan.slug])
    assert listing in admin_client.get(reverse("measures:measure_list", args=[plan.slug])).content.decode()
    assert listing in admin_client.get(reverse("measures:figures_upload", args=[plan.slug])).content.decode()


def test_it_undoes_an_import_from_its_page(two_imports, admin_client, admin_user, plan):
    _, second = two_imports
    url = reverse("measures:import_undo", args=[plan.slug, second.pk])
    page = admin_client.get(url).content.decode()
    assert "2 figures to put back" in page
    response = admin_client.post(url, {"reason": "Wrong file"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.state, second.undone_by) == (FigureImport.State.UNDONE, admin_user)
    assert "Undone" in admin_client.get(reverse("measures:import_list", args=[plan.slug])).content.decode()


def test_it_lists_the_figures_changed_since_and_keeps_the_reason_when_refusing(two_imports, admin_client, plan):
    first, _ = two_imports
    url = reverse("measures:import_undo", args=[plan.slug, first.pk])
    response = admin_client.post(url, {"reason": "My typed reason"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "1 figure changed since the import" in page and "12 days" in page
    assert "My typed reason" in page
    assert figure("SICKNESS", AUG).value == Decimal("10")
    response = admin_client.post(url, {"reason": "My typed reason", "skip_changed": "on"})
    assert response.status_code == 302
    assert not Figure.objects.filter(measure__code="SICKNESS", month=AUG).exists()


def test_it_asks_for_a_reason_before_undoing(two_imports, admin_client, plan):
    _, second = two_imports
    response = admin_client.post(reverse("measures:import_undo", args=[plan.slug, second.pk]), {"reason": ""})
    assert response.status_code == 200 and "Enter the reason for undoing this import" in response.content.decode()
    second.refresh_from_db()
    assert second.state == FigureImport.State.COMMITTED


def test_it_corrects_a_figure_from_the_measure_page(two_imports, admin_client, admin_user, plan):
    september = figure("SICKNESS", SEP)
    measure_page = admin_client.get(september.measure.get_absolute_url()).content.decode()
    url = reverse("measures:figure_correct", args=[plan.slug, "SICKNESS", september.pk])
    assert url in measure_page
    form = admin_client.get(url).context["form"]
    response = admin_client.post(url, {"value": "11.5", "note": "recounted", "reason": "HR recount",
                                       "version": form.initial["version"]})
    assert response.status_code == 302
    september.refresh_from_db()
    assert (september.value, september.note) == (Decimal("11.5"), "recounted")
    assert "Corrected" in admin_client.get(september.measure.get_absolute_url()).content.decode()


def test_it_keeps_what_was_typed_when_a_correction_is_refused(two_imports, admin_client, plan):
    september = figure("SICKNESS", SEP)
    url = reverse("measures:figure_correct", args=[plan.slug, "SICKNESS", september.pk])
    response = admin_client.post(url, {"value": "12,5", "note": "typed note", "reason": "typed reason",
                                       "version": latest_version(september.pk)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the figure as a number" in page
    assert 'value="12,5"' in page and "typed note" in page and "typed reason" in page
    september.refresh_from_db()
    assert september.value == Decimal("12")


@pytest.mark.parametrize("data, message", [
    ({"value": "5", "reason": ""}, "Enter the reason for the correction"),
    ({"value": "5.5", "numerator": "11", "reason": "r"}, "Enter the denominator too"),
    ({"value": "5", "numerator": "1", "denominator": "2", "reason": "r"}, "1 of 2 is 0.5, not 5"),
    ({"value": "12", "note": "second", "reason": "r"}, "both are the same as now"),
    ({"value": "5.123", "reason": "r"}, "no more than 2 decimal places"),
    ({"value": "5", "numerator": "99999999999", "denominator": "2", "reason": "r"}, "Ensure this value"),
])
def test_it_refuses_a_correction_that_cannot_be_right_naming_the_field(two_imports, admin_client, plan, data, message):
    september = figure("SICKNESS", SEP)
    url = reverse("measures:figure_correct", args=[plan.slug, "SICKNESS", september.pk])
    response = admin_client.post(url, {"version": latest_version(september.pk), **data})
    assert response.status_code == 200 and message in response.content.decode()
    assert len(history("SICKNESS", SEP)) == 2


def test_it_refuses_a_fraction_of_a_count_and_a_percentage_over_100(plan, admin_client, admin_user):
    imported(plan, admin_user, "Code,Month,Value\nSTAFF-FORUMS,2025-09,3\nVISIT-CIN,2025-09,80\n")
    for code, value, message in [("STAFF-FORUMS", "0.5", "Enter a whole number"), ("VISIT-CIN", "101", "100 or less")]:
        target = figure(code, SEP)
        url = reverse("measures:figure_correct", args=[plan.slug, code, target.pk])
        response = admin_client.post(url, {"value": value, "reason": "r", "version": latest_version(target.pk)})
        assert message in response.content.decode(), code
        target.refresh_from_db()
        assert target.value != Decimal(value)


def test_it_refuses_a_stale_correction_on_the_page_keeping_what_was_typed(two_imports, admin_client, admin_user, plan):
    september = figure("SICKNESS", SEP)
    url = reverse("measures:figure_correct", args=[plan.slug, "SICKNESS", september.pk])
    seen = latest_version(september.pk)
    correct_figure(figure=september, admin=admin_user, value=Decimal("14"), note="", reason="Other admin")
    response = admin_client.post(url, {"value": "15", "note": "", "reason": "my reason", "version": seen})
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else" in page and "my reason" in page and 'value="15"' in page
    september.refresh_from_db()
    assert september.value == Decimal("14")
    # Having seen the figure as it is now, the admin may save again.
    response = admin_client.post(url, response.context["form"].data)
    assert response.status_code == 302
    september.refresh_from_db()
    assert september.value == Decimal("15")


def test_it_asks_to_confirm_before_deleting_and_then_deletes(two_imports, admin_client, admin_user, plan):
    october = figure("SICKNESS", OCT)
    url = reverse("measures:figure_delete", args=[plan.slug, "SICKNESS", october.pk])
    page = admin_client.get(url).content.decode()
    assert "Are you sure you want to delete the October 2025 figure?" in page
    assert Figure.objects.filter(pk=october.pk).exists()
    response = admin_client.post(url, {"reason": "", "version": latest_version(october.pk)})
    assert response.status_code == 200 and "Enter the reason for deleting this figure" in response.content.decode()
    assert Figure.objects.filter(pk=october.pk).exists()
    response = admin_client.post(url, {"reason": "Month not closed", "version": latest_version(october.pk)})
    assert response.status_code == 302
    assert not Figure.objects.filter(pk=october.pk).exists()
    measure_page = admin_client.get(october.measure.get_absolute_url()).content.decode()
    assert "Figures deleted" in measure_page and "Month not closed" in measure_page


def test_it_refuses_to_delete_a_figure_deleted_meanwhile(two_imports, admin_client, admin_user, plan):
    october = figure("SICKNESS", OCT)
    url = reverse("measures:figure_delete", args=[plan.slug, "SICKNESS", october.pk])
    seen = latest_version(october.pk)
    delete_figure(figure=october, admin=admin_user, reason="First")
    response = admin_client.post(url, {"reason": "Second", "version": seen})
    assert response.status_code == 409 and "deleted after you opened it" in response.content.decode()
    assert [record.history_change_reason for record in history("SICKNESS", OCT)] == [None, "First"]


def test_it_shows_correct_and_delete_links_to_admins_only(two_imports, client, board_member, manager, plan):
    september = figure("SICKNESS", SEP)
    url = reverse("measures:figure_correct", args=[plan.slug, "SICKNESS", september.pk])
    for user in (board_member, manager):
        client.force_login(user)
        assert url not in client.get(september.measure.get_absolute_url()).content.decode()


@pytest.mark.parametrize("name", ["figure_correct", "figure_delete"])
def test_it_forbids_board_members_and_service_managers_to_change_a_figure(
    two_imports, client, board_member, manager, plan, name
):
    september = figure("SICKNESS", SEP)
    url = reverse(f"measures:{name}", args=[plan.slug, "SICKNESS", september.pk])
    for user in (board_member, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
        data = {"value": "1", "reason": "r", "version": latest_version(september.pk)}
        assert client.post(url, data).status_code == 403
    september.refresh_from_db()
    assert september.value == Decimal("12") and len(history("SICKNESS", SEP)) == 2


def test_it_forbids_board_members_and_service_managers_to_undo_an_import(
    two_imports, client, board_member, manager, plan
):
    _, second = two_imports
    for user in (board_member, manager):
        client.force_login(user)
        assert client.get(reverse("measures:import_list", args=[plan.slug])).status_code == 403
        url = reverse("measures:import_undo", args=[plan.slug, second.pk])
        assert client.post(url, {"reason": "r"}).status_code == 403
    second.refresh_from_db()
    assert second.state == FigureImport.State.COMMITTED


# -- at the same time (PostgreSQL: real row locks, two connections) ----------------------------


def _two_imports_committed(admin_user):
    from plans.loading import load_plan

    plan = load_plan().plan
    imported(plan, admin_user, "Code,Month,Value\nSICKNESS,2025-08,10\nSICKNESS,2025-09,11\n")
    return plan, imported(plan, admin_user, "Code,Month,Value\nSICKNESS,2025-09,12\nSICKNESS,2025-10,13\n", "b.csv")


@needs_postgresql
def test_it_lets_only_one_of_two_admins_correcting_at_once_through(transactional_db, admin_user):
    _two_imports_committed(admin_user)
    september = figure("SICKNESS", SEP)
    seen = latest_version(september.pk)
    outcomes = run_together(*[
        lambda value=value: correct_figure(figure=september, admin=admin_user, value=Decimal(value), note="",
                                           reason=f"to {value}", expected_version=seen)
        for value in ("14", "15")
    ])
    assert sum(isinstance(outcome, StaleFigure) for outcome in outcomes) == 1, outcomes
    winner = next(outcome for outcome in outcomes if isinstance(outcome, Figure))
    assert figure("SICKNESS", SEP).value == winner.value
    assert [record.history_type for record in history("SICKNESS", SEP)] == ["+", "~", "~"]


@needs_postgresql
def test_it_undoes_an_import_once_however_many_press_the_button(transactional_db, admin_user):
    _, second = _two_imports_committed(admin_user)
    outcomes = run_together(*[lambda: undo_import(batch=second, admin=admin_user, reason="Wrong file")] * 2)
    assert sum(isinstance(outcome, UndoRefused) for outcome in outcomes) == 1, outcomes
    assert [record.history_type for record in history("SICKNESS", SEP)] == ["+", "~", "~"]
    assert [record.history_type for record in history("SICKNESS", OCT)] == ["+", "-"]


@needs_postgresql
def test_it_never_applies_both_an_undo_and_a_correction_made_at_once(transactional_db, admin_user):
    _, second = _two_imports_committed(admin_user)
    september = figure("SICKNESS", SEP)
    seen = latest_version(september.pk)
    undo, correction = run_together(
        lambda: undo_import(batch=second, admin=admin_user, reason="Wrong file"),
        lambda: correct_figure(figure=september, admin=admin_user, value=Decimal("20"), note="", reason="Recount",
                               expected_version=seen),
    )
    second.refresh_from_db()
    if isinstance(undo, UndoRefused):  # the correction came first: the undo would have overwritten it
        assert isinstance(correction, Figure) and figure("SICKNESS", SEP).value == Decimal("20")
        assert second.state == FigureImport.State.COMMITTED
    else:  # the undo came first: the correction was made to a figure that has since changed
        assert isinstance(correction, StaleFigure), correction
        assert figure("SICKNESS", SEP).value == Decimal("11") and second.state == FigureImport.State.UNDONE
