"""Pages name who did something, and a record with no user (a script, a load) never breaks the page."""

import datetime

from django.template import Context, Template
from django.urls import reverse

from measures.models import Figure, Measure

PERSON = Template("{% load tracker %}{{ who|person }}")


def test_it_names_a_person_by_full_name_else_username(django_user_model, db):
    named = django_user_model(username="ada", first_name="Ada", last_name="Lovelace")
    plain = django_user_model(username="bola")
    assert PERSON.render(Context({"who": named})) == "Ada Lovelace"
    assert PERSON.render(Context({"who": plain})) == "bola"


def test_it_says_no_user_was_recorded_instead_of_failing():
    assert PERSON.render(Context({"who": None})) == "unknown (no user recorded)"


def test_a_measure_page_shows_a_correction_a_script_made_without_failing(board_client, plan):
    measure = Measure.objects.get(plan=plan, code="SUPERVISION")
    figure = Figure.objects.create(measure=measure, month=datetime.date(2025, 4, 1), value=66)
    figure.value = 67
    figure._change_reason = "Late return from the area team"
    figure.save()
    response = board_client.get(reverse("measures:measure_detail", args=[plan.slug, measure.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "by unknown (no user recorded): Late return from the area team" in page
