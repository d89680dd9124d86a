import datetime

from django.urls import reverse

from plans.models import Action, Post


def test_my_actions_makes_the_same_number_of_queries_however_many_actions_a_post_owns(
    manager_client, plan, django_assert_num_queries
):
    url = reverse("plans:my_actions")
    # session, user, the actions of the posts held today with their objectives and plans, their owners,
    # the posts held, the actions arising they own, the user's roles, the posts held and the Notice duties they
    # own (governance/notice.py)
    with django_assert_num_queries(9):
        first = manager_client.get(url)
    objective = plan.objectives.get(number=4)
    workforce = Post.objects.get(name="Head of Workforce")
    for number in range(20, 60):
        Action.objects.create(
            objective=objective, ref=f"4.{number}", priority="More", deadline=datetime.date(2025, 5, 1)
        ).owners.add(workforce)
    with django_assert_num_queries(9):
        second = manager_client.get(url)
    assert len(second.context["actions"]) == len(first.context["actions"]) + 40
    assert second.context["actions"][0].overdue  # overdue first
