import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from plans.models import Action, ActionUpdate, PostHolder, Status
from plans.services import EvidenceLink, post_update

APPS = {"plans", "measures"}


@pytest.fixture
def with_progress(plan, manager):
    action = Action.objects.get(ref="4.1")
    post_update(
        action=action,
        author=manager,
        expected_version=0,
        status=Status.ON_TRACK,
        commentary="ok",
        links=[EvidenceLink("Plan", "https://intranet.example/plan")],
        revised_deadline=datetime.date(2025, 9, 1),
        revision_reason="Waiting for HR.",
    )
    return action


def registered_models():
    return [model for model in admin.site._registry if model._meta.app_label in APPS]


def test_it_opens_every_changelist_search_and_change_page(admin_client, with_progress):
    assert len(registered_models()) >= 14
    for model in registered_models():
        info = model._meta.app_label, model._meta.model_name
        assert admin_client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200, model
        assert admin_client.get(reverse("admin:%s_%s_changelist" % info), {"q": "a"}).status_code == 200, model
        obj = model.objects.first()
        assert obj is not None, model
        assert admin_client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200, model
        assert admin_client.get(reverse("admin:%s_%s_history" % info, args=[obj.pk])).status_code == 200, model


def test_it_records_an_admin_edit_with_who_and_what_changed(admin_client, admin_user, plan):
    action = Action.objects.get(ref="2.8")
    url = reverse("admin:plans_action_change", args=[action.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"priority": "Establish the Improvement Board (reworded).", "areas": [], "measures": []})
    data.update(
        {
            "ownerships-TOTAL_FORMS": str(action.ownerships.count()),
            "ownerships-INITIAL_FORMS": str(action.ownerships.count()),
            "ownerships-MIN_NUM_FORMS": "0",
            "ownerships-MAX_NUM_FORMS": "1000",
        }
    )
    for index, ownership in enumerate(action.ownerships.all()):
        data.update(
            {
                f"ownerships-{index}-id": ownership.pk,
                f"ownerships-{index}-action": action.pk,
                f"ownerships-{index}-post": ownership.post_id,
                f"ownerships-{index}-order": ownership.order,
            }
        )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.priority == "Establish the Improvement Board (reworded)."
    latest = action.history.latest()
    assert latest.history_user == admin_user
    change = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert change["priority"] == (
        "Establishment of an Improvement Board.",
        "Establish the Improvement Board (reworded).",
    )
    history_page = admin_client.get(reverse("admin:plans_action_history", args=[action.pk])).content.decode()
    assert "ada" in history_page


def test_it_lists_actions_in_a_fixed_number_of_queries(admin_client, plan, django_assert_max_num_queries):
    # session, user, count, count (all), page of actions, owners prefetch, list filter choices
    # (plans, objectives, posts), plus the admin's own bookkeeping
    with django_assert_max_num_queries(15):
        admin_client.get(reverse("admin:plans_action_changelist"))


def test_it_keeps_post_holders_editable_through_the_post(admin_client, manager):
    holding = PostHolder.objects.get(user=manager)
    assert admin_client.get(reverse("admin:plans_post_change", args=[holding.post_id])).status_code == 200
    assert ActionUpdate.objects.count() == 0
