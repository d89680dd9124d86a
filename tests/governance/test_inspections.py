import datetime

from django.core.management import call_command
from django.test import Client
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
    # No document maps an earlier recommendation to today's plan: the file links none.
    earlier = Recommendation.objects.filter(inspection__in=[report, visit])
    assert earlier.count() == 29
    assert not earlier.filter(objectives__isnull=False).exists() and not earlier.filter(actions__isnull=False).exists()


def test_loading_removes_links_no_one_made_and_keeps_a_persons(plan, admin_user):
    load_inspections()
    guessed = Recommendation.objects.get(number=49)  # an electronic information system, once "answered" by Leadership
    guessed.objectives.set([Objective.objects.get(plan=plan, number=2)])
    made = Recommendation.objects.get(number=29)
    made._history_user = admin_user
    made.save()
    made.objectives.set([Objective.objects.get(plan=plan, number=1)])
    assert load_inspections().changed
    assert not guessed.objectives.exists()
    assert list(made.objectives.values_list("number", flat=True)) == [1]


def test_it_loads_twice_without_changing_anything(plan):
    load_inspections()
    history = Recommendation.history.count()
    assert not load_inspections().changed
    assert Recommendation.history.count() == history


def test_it_shows_inspections_and_what_answers_each_recommendation(board_client, plan, admin_user):
    call_command("load_inspections")
    html = board_client.get(reverse("governance:inspection_detail", args=["knowsley-sif-2014"])).content.decode()
    assert html.count("No link recorded") == 26 and "Objective 2" not in html
    recommendation = Recommendation.objects.get(number=29)
    admin = Client()
    admin.force_login(admin_user)
    form = {"inspection": recommendation.inspection_id, "order": recommendation.order, "number": 29,
            "category": recommendation.category, "text": recommendation.text,
            "objectives": [Objective.objects.get(plan=plan, number=2).pk]}
    response = admin.post(reverse("admin:governance_recommendation_change", args=[recommendation.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(recommendation.objectives.values_list("number", flat=True)) == [2]
    html = board_client.get(reverse("governance:inspection_detail", args=["knowsley-sif-2014"])).content.decode()
    assert html.count("No link recorded") == 25
    assert "Objective 2" in html
    assert f"Linked by {admin_user.get_full_name() or admin_user.username}, {datetime.date.today():%-d %B %Y}" in html
    assert "Focused visit" in board_client.get(reverse("governance:inspection_list")).content.decode()
    current = board_client.get(reverse("governance:inspection_detail", args=["knowsley-ilacs-2025"])).content.decode()
    assert "Requires improvement to be good" in current and "personal advisers (PAs)" in current
