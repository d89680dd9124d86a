import datetime

from plans.months import add_months, end_of_month, month_range, months_between

D = datetime.date


def test_it_adds_months_across_years_to_the_first_of_the_month():
    assert add_months(D(2025, 1, 31), -1) == D(2024, 12, 1)
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 1)


def test_it_counts_calendar_months_between_two_days():
    assert months_between(D(2025, 11, 30), D(2026, 2, 1)) == 3
    assert months_between(D(2026, 2, 1), D(2025, 11, 30)) == -3


def test_it_lists_every_month_from_first_to_last_included():
    assert month_range(D(2025, 11, 15), D(2026, 2, 1)) == [D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]
    assert month_range(D(2025, 3, 1), D(2025, 2, 28)) == []


def test_it_ends_february_on_the_leap_day():
    assert end_of_month(D(2024, 2, 3)) == D(2024, 2, 29)
