import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from plans.models import Action


def page_urls(plan):
    slug = plan.slug
    return [
        reverse("home"),
        reverse("plans:plan_detail", args=[slug]),
        reverse("plans:objective_detail", args=[slug, 1]),
        reverse("plans:action_list", args=[slug]),
        reverse("plans:action_detail", args=[slug, "5.10"]),
        reverse("plans:area_list", args=[slug]),
        reverse("measures:measure_list", args=[slug]),
        reverse("measures:measure_detail", args=[slug, "RE-REFERRALS"]),
    ]


def test_it_sends_anonymous_visitors_to_sign_in(client, plan):
    for url in page_urls(plan):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_it_shows_every_page_to_a_signed_in_board_member(board_client, plan):
    for url in page_urls(plan):
        response = board_client.get(url, follow=True)
        assert response.status_code == 200, url
        assert b"Knowsley Council" in response.content


def test_it_redirects_home_to_the_only_plans_dashboard(board_client, plan):
    response = board_client.get(reverse("home"))
    assert response.url == reverse("governance:dashboard", args=[plan.slug])


def test_it_lists_plans_when_there_are_several(board_client, plan):
    plan.pk = None
    plan.slug, plan.title = "another-plan", "Another plan"
    plan.save()
    response = board_client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Another plan" in response.content
    assert b"Knowsley Children&#x27;s Services Improvement Plan" in response.content


def test_it_shows_objectives_with_lead_officer_and_counts_on_the_overview(board_client, plan):
    response = board_client.get(plan.get_absolute_url())
    objectives = {objective.number: objective for objective in response.context["objectives"]}
    assert objectives[5].action_count == 13
    assert objectives[1].measure_count == 10
    assert objectives[3].measure_count == 2
    assert "Head of Workforce" in response.content.decode()
    assert "31 July 2026" in response.content.decode()


def test_it_shows_an_objective_with_sub_objectives_areas_actions_and_measures(board_client, plan):
    response = board_client.get(reverse("plans:objective_detail", args=[plan.slug, 3]))
    html = response.content.decode()
    assert "QA and reflective learnings provide opportunities" in html
    assert "The quality of social work practice and management oversight for disabled children" in html
    assert [row.record.ref for row in response.context["actions_table"].rows] == [f"3.{n}" for n in range(1, 10)]
    assert [row.record.code for row in response.context["measures_table"].rows] == ["AUDIT-ACTIONS", "AUDIT-RI"]


def test_it_sorts_an_objectives_actions_by_deadline(board_client, plan):
    response = board_client.get(reverse("plans:objective_detail", args=[plan.slug, 2]), {"actions-sort": "deadline"})
    deadlines = [row.record.action.deadline for row in response.context["actions_table"].rows]
    assert deadlines == sorted(deadlines)


def test_it_shows_an_action_with_deadline_owners_and_outcomes(board_client, plan):
    response = board_client.get(reverse("plans:action_detail", args=[plan.slug, "5.1"]))
    html = response.content.decode()
    assert "November 2025 (after full consultation" in html
    assert "AED (Quality, Permanence and Sufficiency)" in html
    assert "Improved understanding of safeguarding" in html


def test_it_returns_404_for_an_unknown_action(board_client, plan):
    assert board_client.get(reverse("plans:action_detail", args=[plan.slug, "9.9"])).status_code == 404


def test_it_shows_a_measure_with_unit_direction_baseline_and_target(board_client, plan):
    response = board_client.get(reverse("measures:measure_detail", args=[plan.slug, "RE-REFERRALS"]))
    html = response.content.decode()
    assert "Lower is better" in html
    assert "15%" in html and "20%" in html
    assert "Hold at or below 20%" in html


def test_it_shows_a_shared_measure_under_both_objectives(board_client, plan):
    response = board_client.get(reverse("measures:measure_detail", args=[plan.slug, "AUDIT-RI"]))
    html = response.content.decode()
    assert "1. Putting Children First" in html and "3. Quality of Practice" in html


@pytest.mark.parametrize(
    "params, refs",
    [
        ({"search": "5.10"}, ["5.10"]),
        ({"search": "homeless"}, ["5.7", "5.8"]),
        ({"deadline_from": "2026-01-01"}, ["1.1", "1.3", "4.5", "4.9", "6.7", "6.8", "6.9"]),
    ],
)
def test_it_filters_the_action_list(board_client, plan, params, refs):
    response = board_client.get(reverse("plans:action_list", args=[plan.slug]), params)
    assert [row.record.ref for row in response.context["table"].rows] == refs


def test_it_filters_actions_by_owner_post(board_client, plan):
    post = plan.objectives.get(number=4).lead_post
    response = board_client.get(reverse("plans:action_list", args=[plan.slug]), {"owner": post.pk})
    assert [row.record.ref for row in response.context["table"].rows] == ["4.1", "4.2", "4.5"]


def test_it_filters_measures_by_objective_and_direction(board_client, plan):
    objective = plan.objectives.get(number=4)
    response = board_client.get(
        reverse("measures:measure_list", args=[plan.slug]), {"objective": objective.pk, "direction": "lower"}
    )
    codes = sorted(row.record.code for row in response.context["table"].rows)
    assert codes == ["SICKNESS", "SW-20-CASES", "SW-AGENCY", "SW-VACANCY", "TURNOVER"]


def test_it_shows_an_area_nothing_answers(board_client, plan):
    url = reverse("plans:area_list", args=[plan.slug])
    page = board_client.get(url).content.decode()
    assert "Every one of the 11 areas is answered by at least one action." in page
    # area 11, staffing: the 9 Workforce actions, none linked to it directly
    assert "Answered by 9 actions, 0 complete: 0 linked directly, 9 only sharing an objective that answers it." in page
    assert "11 of 11 areas have no action linked directly" in page
    area = plan.areas.get(number=11)
    area.actions.add(Action.objects.get(ref="4.1"))
    page = board_client.get(url).content.decode()
    assert "Answered by 9 actions, 0 complete: 1 linked directly, 8 only sharing an objective that answers it." in page
    assert "10 of 11 areas have no action linked directly" in page
    area.objectives.clear()
    assert "Answered by 1 action, 0 complete: 1 linked directly." in board_client.get(url).content.decode()
    area.actions.clear()
    page = board_client.get(url).content.decode()
    assert "1 of 11 areas has no action answering it" in page and 'href="#area-11"' in page


def test_it_lists_every_action_in_a_fixed_number_of_queries(
    board_client, board_member, plan, django_assert_num_queries
):
    # session, user, user's roles, plan, filtered ids, objectives, actions, owners,
    # filter choices (objectives, posts)
    with django_assert_num_queries(10):
        response = board_client.get(reverse("plans:action_list", args=[plan.slug]))
    assert len(response.context["table"].rows) == Action.objects.count() == 53
    # As at a past date the actions and their owners come from their history, the owners in one query: three
    # days on (the plan recorded three days before), as at the day before.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False):
        board_client.force_login(board_member)  # signed in again: the session would have timed out
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        # and the plan's first load (what we know now counts it from the plan's publication): one more
        with django_assert_num_queries(11):
            response = board_client.get(reverse("plans:action_list", args=[plan.slug]), {"as_at": yesterday})
    assert len(response.context["table"].rows) == 53 and "Head of Workforce" in response.content.decode()


def test_it_lists_every_measure_in_a_fixed_number_of_queries(board_client, plan, django_assert_num_queries):
    # session, user, user's roles, plan, measures, their placements, figures, overrides, objective names,
    # filter choices
    with django_assert_num_queries(10):
        response = board_client.get(reverse("measures:measure_list", args=[plan.slug]))
    assert len(response.context["table"].rows) == 36
