"""Month arithmetic, in one place: figures are monthly, deadlines are months, and a month is its first day."""

import calendar
import datetime


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def end_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start`'s month to `end`'s (negative when `end` is earlier)."""
    return (end.year - start.year) * 12 + end.month - start.month


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    return [add_months(first, offset) for offset in range(months_between(first, last) + 1)]


def month_label(day: datetime.date | None) -> str:
    return day.strftime("%B %Y") if day else ""
