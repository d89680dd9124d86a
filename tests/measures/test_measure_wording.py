"""Measures read as the plan means them: no numeric target is not "no data", short names carry the plan's context,
a green figure still worse than its baseline says so and is counted as worse than baseline."""

import datetime
from decimal import Decimal

from django.urls import reverse

from measures.as_at import measures_at, slow_reasons
from measures.models import Figure, Measure, Rag
from plans.months import add_months

TODAY = datetime.date.today()
LAST_MONTH = add_months(TODAY.replace(day=1), -1)


def record(measure, *values):
    for back, value in enumerate(reversed(values)):
        Figure.objects.create(measure=measure, month=add_months(LAST_MONTH, -back), value=Decimal(value))


def test_a_target_of_na_reads_no_numeric_target_not_no_data(board_client, plan):
    vacancies = Measure.objects.get(plan=plan, code="VACANCIES-OFFER")
    record(vacancies, "5")
    page = board_client.get(reverse("measures:measure_detail", args=[plan.slug, vacancies.code])).content.decode()
    assert "NANA" not in page
    assert "No numeric target: 5, against a target of “NA”." in page
    assert "Not rated" in page and "No data" not in page


def test_continually_increasing_is_rated_on_its_trend_on_the_page(board_client, plan):
    survey = Measure.objects.get(plan=plan, code="STAFF-SURVEY-POSITIVE")
    record(survey, "58", "61")
    state = measures_at([survey], TODAY)[0]
    assert state.rag.rag == Rag.GREEN
    assert state.rag.reason == "Green: 61% is up on the previous figure (58%) (the target is to keep increasing)."
    page = board_client.get(reverse("measures:measure_detail", args=[plan.slug, survey.code])).content.decode()
    assert "Continually increasingContinually increasing" not in page
    assert "No numeric target: rated on the trend against the baseline and the previous figure." in page
    assert state.rag.reason in page


def test_a_green_figure_worse_than_its_baseline_is_counted_as_worse_than_baseline(plan):
    re_referrals = Measure.objects.get(plan=plan, code="RE-REFERRALS")
    record(re_referrals, "15.7")
    state = measures_at([re_referrals], TODAY)[0]
    assert state.rag.reason == "Green: 15.7% is within the 20% target but worse than the 15% baseline."
    assert state.worse_than_baseline()
    assert slow_reasons([], [state], TODAY) == [
        "1 of its 1 measures with figures are red or worse than their baseline (the flag is raised at 50%)."
    ]


def test_short_names_show_the_plans_context_and_twin_series_say_how_they_differ(board_client, plan):
    cin = Measure.objects.get(plan=plan, code="VISIT-CIN")
    assert cin.description.startswith("Statutory visits to Children in Need")
    page = board_client.get(reverse("measures:measure_detail", args=[plan.slug, cin.code])).content.decode()
    assert "Statutory visits to Children in Need" in page
    for code in ("VISIT-CP", "VISIT-CFC"):
        assert "Stat Visits" in Measure.objects.get(plan=plan, code=code).description
    twins = {code: Measure.objects.get(plan=plan, code=code).description for code in (
        "CEP-NEET-IMPROVED", "CEC-NEET", "CEYP-ACCOMMODATION", "CEC-ACCOMMODATION")}
    assert "“% of care experienced children who are NEET” under Permanency" in twins["CEP-NEET-IMPROVED"]
    assert "“% NEET Improved for Care Experienced People” under Partnerships" in twins["CEC-NEET"]
    assert "young people here, children there" in twins["CEYP-ACCOMMODATION"]
    assert "children here, young people there" in twins["CEC-ACCOMMODATION"]


def test_the_measure_list_shows_what_a_short_name_means(board_client, plan):
    page = board_client.get(reverse("measures:measure_list", args=[plan.slug])).content.decode()
    assert "% CIN<br><span class=\"govuk-hint app-hint--inline\">Statutory visits to Children in Need" in page
    assert page.count("they are kept as two measures, each with its own figures") == 4
