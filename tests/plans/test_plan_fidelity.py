"""The Knowsley plan in the database, checked against the source document (fixtures/sources/).

EXPECTED is transcribed by hand from the source's tables, applying the rule that a blank By When,
Officer(s) Responsible or Outcomes cell means the same as the action above it in the same table.
"""

import datetime
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings

from measures.models import Measure, MeasurePlacement
from plans.models import Action, AreaForImprovement, Objective

SOURCE = settings.BASE_DIR / "fixtures" / "sources" / "knowsley-improvement-plan-2025-04.txt"
T = "AED (Transformation, Family Help and Protection)"
Q = "AED (Quality, Permanence and Sufficiency)"
ED = "ED – Children’s Services"
SQA = "Safeguarding and Quality Assurance Service Manager"
HPS = "Head of Permanence and Sufficiency"
HFHP = "Head of Family Help and Protection"
HPI = "Head of Prevention and Interventions"

EXPECTED = {
    "1.1": ("2026-06", [T, Q]),
    "1.2": ("2025-09", [SQA]),
    "1.3": ("2026-06", [SQA]),
    "1.4": ("2025-09", [SQA]),
    "2.1": ("2025-04", [ED]),
    "2.2": ("2025-03", [ED]),
    "2.3": ("2025-02", ["Chief Executive", ED]),
    "2.4": ("2025-03", ["Chief Executive", ED]),
    "2.5": ("2025-02", [Q]),
    "2.6": ("2025-05", [Q, T]),
    "2.7": ("2025-06", [ED, "Chair of Safeguarding Partnership Board"]),
    "2.8": ("2025-02", [ED, "DfE Adviser"]),
    "3.1": ("2025-05", [T, "HoS – SEND", HPS]),
    "3.2": ("2025-06", [SQA]),
    "3.3": ("2025-09", [SQA]),
    "3.4": ("2025-09", [T, Q, "Intelligence and Insight Manager"]),
    "3.5": ("2025-07", [SQA]),
    "3.6": ("2025-07", ["QA Team Manager"]),
    "3.7": ("2025-07", ["QA Team Manager"]),
    "3.8": ("2025-07", ["QA Team Manager"]),
    "3.9": ("2025-04", ["QA Team Manager"]),
    "4.1": ("2025-06", ["Head of Workforce"]),
    "4.2": ("2025-04", ["Head of Workforce"]),
    "4.3": ("2025-10", [Q]),
    "4.4": ("2025-07", [Q]),
    "4.5": ("2026-04", ["Head of Workforce"]),
    "4.6": ("2025-12", [Q]),
    "4.7": ("2025-02", [Q]),
    "4.8": ("2025-05", [T, Q, "QA Team Manager"]),
    "4.9": ("2026-04", [T, Q, "QA Team Manager"]),
    "5.1": ("2025-11", [T, Q]),
    "5.2": ("2025-12", [HFHP, "Head of Community Safety"]),
    "5.3": ("2025-12", ["Domestic Abuse Strategic and Commissioning Lead"]),
    "5.4": ("2025-11", [HPS]),
    "5.5": ("2025-06", ["Corporate Parenting Board", ED, "Children’s Safeguarding Partnership"]),
    "5.6": ("2025-09", ["Corporate Parenting Board", ED, "Children’s Safeguarding Partnership"]),
    "5.7": ("2025-06", [HFHP, "Head of Housing and Property"]),
    "5.8": ("2025-09", [HFHP, "Head of Housing and Property"]),
    "5.9": ("2025-05", [HPI, HFHP]),
    "5.10": ("2025-07", [HPI, HFHP]),
    "5.11": ("2025-06", [HPI, "Service Manager Prevention and Transformation"]),
    "5.12": ("2025-09", ["Head of Education", "Head of Inclusion", "Head of the Virtual School"]),
    "5.13": ("2025-09", ["Head of Education", "Head of Inclusion", "Head of the Virtual School"]),
    "6.1": ("2025-12", [HPS]),
    "6.2": ("2025-12", [HPS]),
    "6.3": ("2025-12", [HPS]),
    "6.4": ("2025-07", [HPS]),
    "6.5": ("2025-07", [HPS]),
    "6.6": ("2025-09", [HPS]),
    "6.7": ("2026-03", ["Head of Education", "Head of the Virtual School"]),
    "6.8": ("2026-03", [HPS]),
    "6.9": ("2026-03", [HPS]),
    "6.10": ("2025-12", [HPS]),
}

P, C, D, H, L = "percent", "count", "days", "higher", "lower"
# (objective numbers, code, name as in the source, group, unit, direction, target text, baseline text)
EXPECTED_MEASURES = [
    ((1, 3), "AUDIT-RI", "Audits showing Requires Improvement or better", "", P, H, "90%", "82%"),
    ((1,), "ASSESS-TIME", "% of assessments in timescale.", "", P, H, "90%", "82%"),
    ((1,), "VISIT-CIN", "% CIN", "Stat Visits", P, H, "90%", "61%"),
    ((1,), "VISIT-CP", "% CP", "Stat Visits", P, H, "90%", "81%"),
    ((1,), "VISIT-CFC", "% CfC", "Stat Visits", P, H, "90%", "92%"),
    ((1,), "ICPC-TIME", "% of Initial Child Protection Conferences within timescales", "", P, H, "90%", "97%"),
    ((1,), "CP-REVIEW-TIME", "% of Child Protection reviews within timescales", "", P, H, "90%", "98%"),
    ((1,), "RE-REFERRALS", "% of re-referrals", "", P, L, "20%", "15%"),
    ((1,), "MGMT-OVERSIGHT", "% of cases with management oversight", "", P, H, "90%", "73%"),
    ((1,), "SUPERVISION", "% of cases with supervisions undertaken", "", P, H, "80%", "62%"),
    ((2,), "STAFF-FORUMS", "Number of staff engagements / forums held in a year", "", C, H, "12", "2"),
    ((2,), "WELLBEING-SURVEYS", "Undertaking staff wellbeing surveys in a year", "", C, H, "3", "0"),
    (
        (2,),
        "STAFF-SURVEY-POSITIVE",
        "% of positive responses to staff surveys",
        "",
        P,
        H,
        "Continually increasing",
        "Data not available",
    ),
    ((3,), "AUDIT-ACTIONS", "Actions completed following audits", "", P, H, "90%", "84%"),
    ((4,), "VACANCIES-OFFER", "Vacancies under offer", "", C, H, "NA", "3"),
    ((4,), "SICKNESS", "Sickness – average working days lost", "", D, L, "8.5", "10.8"),
    ((4,), "TURNOVER", "Turnover Rate – percentage of workforce leaving", "", P, L, "12%", "11.5%"),
    ((4,), "ASYE-PROGRESS", "% of ASYE progressing in planned timescales", "", P, H, "90%", "81%"),
    ((4,), "SW-EXPERIENCED", "Experienced Social Workers in post", "", C, H, "64", "27"),
    ((4,), "SW-AGENCY", "Social Worker agency rate", "", P, L, "15%", "38%"),
    ((4,), "SW-VACANCY", "Social Worker vacancy rate", "", P, L, "15%", "30%"),
    ((4,), "SW-20-CASES", "Social Workers holding 20+ cases", "", C, L, "0", "24"),
    ((5,), "CEP-NEET-IMPROVED", "% NEET Improved for Care Experienced People", "", P, L, "45%", "46%"),
    (
        (5,),
        "CEYP-ACCOMMODATION",
        "% of care experienced young people in suitable accommodation",
        "",
        P,
        H,
        "95%",
        "97%",
    ),
    ((5,), "SDQ-TIME", "% SDQs completed in time.", "", P, H, "95%", "73%"),
    ((5,), "DENTAL", "% Of Dental checks", "", P, H, "95%", "63%"),
    ((5,), "IMMUNISATIONS", "% Of immunisations", "", P, H, "95%", "56%"),
    ((5,), "HEALTH-ASSESS", "% Of Health assessments", "", P, H, "95%", "91%"),
    ((6,), "PLACEMENT-SHORT", "% Placement stability short term - placement moves", "", P, L, "10%", "8%"),
    ((6,), "PLACEMENT-LONG", "% Placement stability long term - placed 2yrs+", "", P, H, "70%", "65%"),
    ((6,), "CEC-PA", "% of care experienced children with a PA allocated", "", P, H, "100%", "99%"),
    ((6,), "CL-PATHWAY", "% of care leavers with a pathway plan in place", "", P, H, "95%", "90%"),
    ((6,), "PEP-TIME", "PEPS are done within required timescales", "", P, H, "95%", "75%"),
    ((6,), "CEC-ACCOMMODATION", "% of care experienced children in suitable accommodation", "", P, H, "95%", "97%"),
    ((6,), "CEC-NEET", "% of care experienced children who are NEET", "", P, L, "45%", "46%"),
    ((6,), "FOSTER-APPROVED", "Number of foster carers approved at panel", "", C, H, "15", "4"),
]
HELD = {"VISIT-CFC", "ICPC-TIME", "CP-REVIEW-TIME", "RE-REFERRALS", "TURNOVER", "CEYP-ACCOMMODATION",
        "CEC-ACCOMMODATION", "PLACEMENT-SHORT"}


def source_lines():
    return SOURCE.read_text(encoding="utf-8").splitlines()


def source_action_rows():
    """(ref, priority, by when, owners cell, outcomes cell) with the merged-cell rule applied."""
    rows, previous = [], None
    for line in source_lines():
        cells = [cell.strip() for cell in line.split("\t")]
        if re.fullmatch(r"\d\.\d+", cells[0]):
            cells += [""] * (5 - len(cells))
            ref, priority, when, owners, outcomes = cells[:5]
            row = [ref, priority, when or previous[2], owners or previous[3], outcomes or previous[4]]
            rows.append(row)
            previous = row
        elif previous and line.startswith("\t\t\t\t") and line.strip():
            previous[4] += "\n" + line.strip()  # a continuation row of the outcomes cell
    return rows


def source_inferred():
    """{ref: {field: ref of the row that states it}} for every blank By When, Officer(s) or Outcomes cell."""
    inferred, stated_by = {}, None
    for line in source_lines():
        cells = [cell.strip() for cell in line.split("\t")]
        if re.fullmatch(r"\d\.\d+", cells[0]):
            cells += [""] * (5 - len(cells))
            row = {field: cells[i] and cells[0] for i, field in ((2, "deadline"), (3, "owners"), (4, "outcomes"))}
            blank = {field: stated_by[field] for field, ref in row.items() if not ref}
            if blank:
                inferred[cells[0]] = blank
            stated_by = {**row, **blank}
    return inferred


def test_it_flags_every_value_the_plan_leaves_blank_with_the_row_it_came_from(plan):
    loaded = {action.ref: action.inferred for action in Action.objects.for_plan(plan) if action.inferred}
    assert loaded == source_inferred()
    counts = Counter(field for flags in loaded.values() for field in flags)
    assert counts == {"deadline": 4, "owners": 21, "outcomes": 18}
    assert {ref for ref, flags in loaded.items() if "deadline" in flags} == {"5.13", "6.2", "6.3", "6.5"}
    assert loaded["5.5"] == {"outcomes": "5.4"}  # care-leaver outcomes carried into a partnership action
    assert Action.objects.get(ref="5.13").inferred_deadline == "not stated in the plan: taken from 5.12’s row"
    assert Action.objects.get(ref="5.12").inferred_deadline == ""


def test_it_loads_every_objective_action_measure_and_area(plan):
    assert [(o.number, o.name) for o in plan.objectives.all()] == [
        (1, "Putting Children First"), (2, "Leadership"), (3, "Quality of Practice"), (4, "Workforce"),
        (5, "Partnerships and Engagement"), (6, "Permanency"),
    ]
    assert Action.objects.for_plan(plan).count() == 53 == len(source_action_rows())
    assert plan.measures.count() == 36
    assert MeasurePlacement.objects.filter(measure__plan=plan).count() == 37
    assert plan.areas.count() == 11
    assert list(plan.areas.filter(is_additional=True).values_list("number", flat=True)) == [11]
    assert [(j.judgement, j.grade) for j in plan.judgements.all()][2] == (
        "The experiences and progress of children in care", "Requires improvement to be good")
    assert [j.grade for j in plan.judgements.all()].count("Inadequate") == 4
    assert plan.delivery_deadline == datetime.date(2026, 7, 31)
    assert plan.published == datetime.date(2025, 4, 1)


def test_it_has_every_action_with_its_deadline_and_owners(plan):
    loaded = {
        action.ref: (
            action.deadline.strftime("%Y-%m"),
            [post.name for post in action.owners.order_by("ownerships__order")],
        )
        for action in Action.objects.for_plan(plan)
    }
    assert loaded == EXPECTED
    assert Action.objects.get(ref="5.1").deadline_note.startswith("after full consultation")


def test_it_keeps_the_source_words_and_the_merged_cell_rule(plan):
    actions = {action.ref: action for action in Action.objects.for_plan(plan)}
    for ref, priority, when, owners_cell, outcomes in source_action_rows():
        action = actions[ref]
        assert action.priority == priority, ref
        assert action.outcomes == outcomes, ref
        month, year = when.split()[:2]
        assert action.deadline == datetime.datetime.strptime(f"{month} {year}", "%B %Y").date(), ref
        cell = owners_cell.replace("&", "and").replace(" - ", " – ").replace("HOS", "HoS")
        cell = cell.replace("ED – Children’s Children’s", "ED – Children’s Services Children’s")
        rest = cell
        for post in action.owners.all():
            assert post.name in cell, (ref, post.name, cell)
            rest = rest.replace(post.name, " ")
        assert not rest.replace(" and ", " ").strip(), (ref, rest)


def test_it_has_every_measure_with_its_baseline_and_target(plan):
    for numbers, code, name, group, unit, direction, target, baseline in EXPECTED_MEASURES:
        measure = Measure.objects.get(plan=plan, code=code)
        assert (measure.name, measure.group, measure.unit, measure.direction) == (name, group, unit, direction), code
        assert (measure.target_text, measure.baseline_text, measure.baseline_period) == (target, baseline, "Feb 2025")
        number = re.compile(r"^(\d+(?:\.\d+)?)%?$")
        for text, value in ((target, measure.target_value), (baseline, measure.baseline_value)):
            match = number.match(text)
            assert value == (Decimal(match.group(1)) if match else None), (code, text)
        assert sorted(p.objective.number for p in measure.placements.all()) == list(numbers), code
        assert measure.target_is_held == (code in HELD), code
    assert Measure.objects.get(code="RE-REFERRALS").target_description == "Hold at or below 20%"
    assert Measure.objects.get(code="VISIT-CIN").target_description == "Rise to 90%"


def test_it_matches_every_measure_row_of_the_source(plan):
    objective, in_table, seen = 0, False, set()
    headings = ["PUTTING CHILDREN FIRST –", "LEADERSHIP –", "QUALITY OF PRACTICE –", "WORKFORCE –",
                "PARTNERSHIPS AND ENGAGEMENT –", "PERMANENCY –"]
    for line in source_lines():
        for number, heading in enumerate(headings, start=1):
            if line.startswith(heading):
                objective = number
        if line.startswith("Measure\tTarget\tBaseline"):
            in_table = True
            continue
        cells = line.split("\t")
        if in_table and len(cells) == 3 and cells[0] and cells[1]:
            name, target, baseline = (cell.strip() for cell in cells)
            measure = Measure.objects.get(plan=plan, name=name)
            assert (measure.target_text, measure.baseline_text) == (target, baseline), name
            assert measure.placements.filter(objective__number=objective).exists(), (name, objective)
            seen.add((objective, name))
        elif in_table and not line.startswith("Stat Visits"):
            in_table = bool(line.strip()) and len(cells) == 3
    assert len(seen) == 37  # the Quality of Practice table is printed twice in the source: counted once


def test_it_links_each_objective_to_the_areas_it_answers(plan):
    expected = {1: [2, 4, 7], 2: [1, 10], 3: [3, 4, 7, 10], 4: [11], 5: [3, 5, 6, 8], 6: [7, 8, 9, 10]}
    leads = {1: T, 2: ED, 3: Q, 4: "Head of Workforce", 5: T, 6: Q}
    source = source_lines()
    for objective in Objective.objects.filter(plan=plan):
        assert sorted(area.number for area in objective.areas.all()) == expected[objective.number]
        assert objective.lead_post.name == leads[objective.number]
        for sub in objective.sub_objectives.all():
            assert any(sub.text in line for line in source), sub.text
    for area in AreaForImprovement.objects.filter(plan=plan, is_additional=False):
        assert f"{area.number}. {area.text}" in source


@pytest.mark.parametrize("number, count", [(1, 6), (2, 5), (3, 5), (4, 6), (5, 5), (6, 6)])
def test_it_has_each_objectives_sub_objectives(plan, number, count):
    assert plan.objectives.get(number=number).sub_objectives.count() == count
