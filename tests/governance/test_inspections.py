import datetime

from django.core.management import call_command
from django.urls import reverse

from governance.loading import load_inspections
from governance.models import Inspection, Recommendation
from plans.models import Objective


def test_it_loads_every_2014_recommendation_and_the_2024_visit(plan):
    load_inspections()
    report = Inspection.objects.get(slug="knowsley-sif-2014")
    numbers = list(report.recommendations.values_list("number", flat=True))
    assert numbers == list(range(27, 53))
    assert report.recommendations.filter(category="Priority and immediate action").count() == 9
    assert report.recommendations.get(number=36).text.startswith("Improve the take-up of common assessments (CAF)")
    assert report.recommendations.get(number=52).text == (
        "Ensure that social care is represented on all key planning forums such as the Health and Wellbeing Board."
    )
    assert [j.grade for j in report.judgements.all()].count("Inadequate") == 4
    visit = Inspection.objects.get(slug="knowsley-focused-visit-2024")
    assert visit.published == datetime.date(2024, 3, 6)
    assert [r.text for r in visit.recommendations.all()][0] == "The quality and review of pathway plans."
    current = Inspection.objects.get(slug="knowsley-ilacs-2025")
    assert current.plan == plan and current.plan.areas.count() == 11
    # Every earlier recommendation is linked to the objectives of today's plan that answer it.
    for recommendation in Recommendation.objects.filter(inspection__in=[report, visit]):
        assert recommendation.objectives.exists(), recommendation
    assert sorted(report.recommendations.get(number=29).objectives.values_list("number", flat=True)) == [1, 3]
    assert list(report.recommendations.get(number=45).objectives.values_list("name", flat=True)) == ["Permanency"]


def test_it_loads_twice_without_changing_anything(plan):
    load_inspections()
    history = Recommendation.history.count()
    assert not load_inspections().changed
    assert Recommendation.history.count() == history


def test_it_shows_inspections_and_what_answers_each_recommendation(board_client, plan):
    call_command("load_inspections")
    Recommendation.objects.get(number=29).objectives.set([Objective.objects.get(plan=plan, number=2)])
    Recommendation.objects.get(number=30).objectives.clear()
    html = board_client.get(reverse("governance:inspection_detail", args=["knowsley-sif-2014"])).content.decode()
    assert "Objective 2" in html and "Not linked" in html
    assert "Focused visit" in board_client.get(reverse("governance:inspection_list")).content.decode()
    current = board_client.get(reverse("governance:inspection_detail", args=["knowsley-ilacs-2025"])).content.decode()
    assert "Requires improvement to be good" in current and "personal advisers (PAs)" in current
