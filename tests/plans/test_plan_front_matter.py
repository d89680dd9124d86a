"""The plan's foreword, its signatories and its key of abbreviations are held as the source gives them and shown."""

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from plans.loading import PlanFileError, load_plan
from plans.models import Plan
from plans.versions import dump_plan
from tests.plans.test_load_plan import edited_copy

SOURCE = (settings.BASE_DIR / "fixtures" / "sources" / "knowsley-improvement-plan-2025-04.txt").read_text("utf-8")


def test_it_holds_the_key_foreword_and_signatories_as_the_source_gives_them(plan):
    assert len(plan.abbreviations) == 21
    for short, meaning in plan.abbreviations:
        assert f"{short}\t{meaning}" in SOURCE
    assert ["CIN", "Children in Need"] in plan.abbreviations
    for paragraph in plan.foreword.split("\n\n"):
        assert paragraph in SOURCE
    assert plan.foreword.startswith("Children and families in Knowsley deserve the very best services")
    assert [person["name"] for person in plan.signatories] == [
        "Cllr Graham Morgan", "Cllr David Lonergan", "James Duncan", "Hilary Brooks"]
    assert plan.signatories[2]["role"] == "Chief Executive"
    assert dump_plan(plan)["abbreviations"] == plan.abbreviations


def test_abbreviations_are_explained_where_they_appear():
    plan = Plan(
        abbreviations=[["CIN", "Children in Need"], ["CP", "Child Protection"], ["CSC", "Children's Social Care"]]
    )
    html = Template("{% load plan_text %}{{ text|abbreviate:plan }}").render(
        Context({"text": "% CIN & CP <b> CSCX CIN-ish", "plan": plan}))
    assert html == ('% <abbr title="Children in Need">CIN</abbr> &amp; <abbr title="Child Protection">CP</abbr> '
                    "&lt;b&gt; CSCX CIN-ish")


def test_pages_show_the_foreword_the_key_and_abbr_where_an_abbreviation_appears(board_client, plan):
    page = board_client.get(reverse("plans:plan_detail", args=[plan.slug])).content.decode()
    assert "Foreword, signed by Cllr Graham Morgan, Cllr David Lonergan, James Duncan, Hilary Brooks" in page
    assert "Key of abbreviations (21)" in page and '<abbr title="Not in Employment, Education or Training">NEET' in page
    measure = board_client.get(reverse("measures:measure_detail", args=[plan.slug, "VISIT-CIN"])).content.decode()
    assert '% <abbr title="Children in Need">CIN</abbr></h1>' in measure


def test_it_refuses_a_key_with_a_blank_meaning(plan, tmp_path):
    with pytest.raises(PlanFileError, match="abbreviations must be a list of"):
        load_plan(edited_copy(tmp_path, lambda data: data["abbreviations"].append(["XYZ", ""])))
    plan.refresh_from_db()
    assert len(plan.abbreviations) == 21


STRATEGY_SOURCE = (
    settings.BASE_DIR / "fixtures" / "sources" / "knowsley-cared-for-children-strategy-2023-2026.txt"
).read_text("utf-8")


def test_the_strategy_holds_and_shows_its_headline_figures_in_its_words(board_client, strategy_rows):
    strategy = strategy_rows.restore()
    figures = strategy.headline_figures
    assert [item["figure"] for item in figures] == ["100%", "6.9%", "100%", "51%", "10%", "56% 44%", "76.4%", "29"]
    for item in figures:
        assert item["text"] in STRATEGY_SOURCE and item["figure"].split()[0] in STRATEGY_SOURCE
    page = board_client.get(reverse("plans:plan_detail", args=[strategy.slug])).content.decode()
    assert "Headline figures the" in page
    assert "In 2022/23 only 6.9% of our Cared for Children have had 3 or more placements." in page
