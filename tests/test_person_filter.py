"""Pages name who did something, and a record with no user (a script, a load) never breaks the page."""

from django.template import Context, Template

PERSON = Template("{% load tracker %}{{ who|person }}")


def test_it_names_a_person_by_full_name_else_username(django_user_model, db):
    named = django_user_model(username="ada", first_name="Ada", last_name="Lovelace")
    plain = django_user_model(username="bola")
    assert PERSON.render(Context({"who": named})) == "Ada Lovelace"
    assert PERSON.render(Context({"who": plain})) == "bola"


def test_it_says_no_user_was_recorded_instead_of_failing():
    assert PERSON.render(Context({"who": None})) == "unknown (no user recorded)"
