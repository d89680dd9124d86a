"""RAG is a pure function of (measure, value): every boundary, without the database."""

from decimal import Decimal

import pytest

from measures.models import Direction, Measure, Rag, RagResult, Unit


def measure(target, baseline, direction=Direction.HIGHER, unit=Unit.PERCENT, tolerance=Decimal("2"), target_text=""):
    return Measure(
        code="M",
        name="M",
        unit=unit,
        direction=direction,
        target_value=None if target is None else Decimal(target),
        target_text=target_text or (f"{target}%" if target is not None else ""),
        baseline_value=None if baseline is None else Decimal(baseline),
        baseline_text=f"{baseline}%",
        tolerance=tolerance,
    )


@pytest.mark.parametrize(
    "value, rag",
    [
        ("90", Rag.GREEN),  # at the target
        ("95", Rag.GREEN),
        ("89.99", Rag.AMBER),  # short of it but better than the baseline
        ("82", Rag.AMBER),  # level with the baseline
        ("81.99", Rag.RED),  # worse than the baseline, outside tolerance
        ("70", Rag.RED),
    ],
)
def test_it_rates_a_higher_is_better_measure(value, rag):
    assert measure("90", "82").rag_for(Decimal(value)).rag == rag


@pytest.mark.parametrize(
    "value, rag",
    [
        ("20", Rag.GREEN),  # re-referrals: target 20%, baseline 15%, lower is better: a ceiling to hold
        ("15", Rag.GREEN),
        ("22", Rag.AMBER),  # misses, worse than baseline, but within the tolerance of 2
        ("22.01", Rag.RED),
        ("30", Rag.RED),
    ],
)
def test_it_rates_a_target_already_beaten_at_baseline(value, rag):
    assert measure("20", "15", direction=Direction.LOWER).rag_for(Decimal(value)).rag == rag


def test_it_uses_tolerance_when_worse_than_baseline():
    # target 90, baseline 92 (already beaten): 88 is worse than the baseline but within 2 of target
    rated = measure("90", "92").rag_for(Decimal("88"))
    assert rated.rag == Rag.AMBER
    assert measure("90", "92").rag_for(Decimal("87.9")).rag == Rag.RED


def test_it_gives_the_reason_in_words():
    assert measure("90", "82").rag_for(Decimal("84")).reason == (
        "Amber: 84% is short of the 90% target but better than the 82% baseline."
    )
    assert measure("90", "82").rag_for(Decimal("92")).reason == "Green: 92% meets the 90% target."
    assert "Red: 70% misses the 90% target, worse than the 82% baseline" in measure("90", "82").rag_for(70).reason


def test_it_is_grey_with_no_figure_or_no_numeric_target():
    assert measure("90", "82").rag_for(None).reason == "No data: no figure yet."
    rated = measure(None, "3", unit=Unit.COUNT, target_text="NA").rag_for(Decimal("5"))
    assert rated == RagResult(Rag.GREY, "No numeric target: 5, against a target of “NA”.")
    assert Rag.GREY.label == "Not rated"  # not "No data": the figure is there
    rated = measure(None, None, target_text="Continually increasing").rag_for(Decimal("50"))
    assert rated.rag == Rag.GREY and rated.reason.startswith("No numeric target: 50% is to be continually increasing")


def test_a_figure_inside_a_held_target_but_worse_than_the_baseline_says_so():
    re_referrals = measure("20", "15", direction=Direction.LOWER)
    assert re_referrals.rag_for(Decimal("15.7")) == RagResult(
        Rag.GREEN, "Green: 15.7% is within the 20% target but worse than the 15% baseline.")
    assert re_referrals.worse_than_baseline(Decimal("15.7"))
    assert re_referrals.rag_for(Decimal("14")).reason == "Green: 14% meets the 20% target."
    assert measure("90", "97").rag_for(Decimal("96")).reason == (
        "Green: 96% is within the 90% target but worse than the 97% baseline.")


@pytest.mark.parametrize(
    "value, previous, rag, words",
    [
        ("55", "52", Rag.GREEN, "Green: 55% is up on the 50% baseline and the previous figure (52%)"),
        ("55", "57", Rag.AMBER, "Amber: 55% is up on the 50% baseline; down on the previous figure (57%)"),
        ("50", "49", Rag.AMBER, "Amber: 50% is up on the previous figure (49%); level with the 50% baseline"),
        ("45", "47", Rag.RED, "Red: 45% is down on the 50% baseline and the previous figure (47%)"),
        ("55", None, Rag.GREEN, "Green: 55% is up on the 50% baseline (the target is to keep increasing)."),
    ],
)
def test_continually_increasing_is_rated_on_the_trend_with_the_reason_in_words(value, previous, rag, words):
    rising = measure(None, "50", target_text="Continually increasing")
    rated = rising.rag_for(Decimal(value), None if previous is None else Decimal(previous))
    assert rated.rag == rag
    assert rated.reason.startswith(words)
    assert rising.target_description.startswith("No numeric target: rated on the trend")


def test_continually_increasing_with_no_baseline_is_rated_on_the_previous_figure():
    rising = measure(None, None, target_text="Continually increasing")
    assert rising.rag_for(Decimal("61"), Decimal("58")).rag == Rag.GREEN
    assert rising.rag_for(Decimal("57"), Decimal("58")).rag == Rag.RED


def test_it_uses_the_default_tolerance_from_settings(settings):
    settings.MEASURE_RAG_TOLERANCE_DEFAULT = 5
    lenient = measure("90", "92", tolerance=None)
    assert lenient.rag_for(Decimal("85.5")).rag == Rag.AMBER
