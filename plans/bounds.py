"""What the app accepts from people and writes to files: clean text, sane dates, lengths the database holds.

One place for every form (through `BoundedForm`) and every export, so SQLite and PostgreSQL accept
the same things and a pasted control character can never break a download later.
"""

import datetime
import re
from pathlib import Path

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

# Word pastes a manual line break as a vertical tab (and a page break as a form feed): keep them as line breaks.
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Every other control character except tab and newline, and what XML cannot hold at all. NUL is among them:
# PostgreSQL refuses it; openpyxl refuses the rest (IllegalCharacterError).
CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Text without control characters (tab and newline kept; Word's line breaks made newlines)."""
    return CONTROL.sub("", LINE_BREAKS.sub("\n", value))


def shorten(text: str, limit: int) -> str:
    """Text that fits in `limit` characters, an ellipsis saying where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


EXCEL_CELL_LIMIT = 32767


def spreadsheet_text(value):
    """A value any spreadsheet writer can write and Excel open: text cleaned (old rows may hold anything)
    and within a cell's 32,767 characters, saying where it was cut."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if len(value) <= EXCEL_CELL_LIMIT:
        return value
    note = " … [cut here: the full text is in the Improvement Tracker]"
    return value[: EXCEL_CELL_LIMIT - len(note)] + note


def shorten_file_name(name: str, limit: int) -> str:
    """A file name that fits in `limit` characters, keeping its extension."""
    if len(name) <= limit:
        return name
    suffix = Path(name).suffix[:10]
    return shorten(name[: len(name) - len(suffix)], limit - len(suffix)) + suffix


def date_problem(value: datetime.date, label: str) -> str | None:
    """Why a date is refused, naming the field; None when it is between 2000 and 2100."""
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return f"{label} must be between {EARLIEST_DATE.year} and {LATEST_DATE.year}: check the year."


def cleaned_data_of(data):
    """A copy of submitted form data with every text value cleaned."""
    if hasattr(data, "lists"):  # a QueryDict
        copy = data.copy()
        for key, values in data.lists():
            copy.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in values])
        return copy
    return {
        key: clean_text(value) if isinstance(value, str)
        else [clean_text(v) if isinstance(v, str) else v for v in value] if isinstance(value, (list, tuple))
        else value
        for key, value in data.items()
    }


class LengthValidator(MaxLengthValidator):
    def __init__(self, limit, label):
        super().__init__(limit, message=f"{label} must be {limit} characters or fewer: it has %(show_value)d.")


class DateRangeValidator:
    def __init__(self, label):
        self.label = label

    def __call__(self, value):
        problem = date_problem(value, self.label)
        if problem:
            raise forms.ValidationError(problem, code="date_range")


def name_the_field(field, label):
    """Django's own messages ("This field is required.", "Enter a valid date.") rewritten to say which field."""
    label = label.split(" (")[0]  # without "(optional)"
    messages, defaults = field.error_messages, {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    choose = isinstance(field, forms.ChoiceField)
    month = getattr(field.widget, "input_type", "") == "month"
    ours = {
        "required": f"{label} is required: {'choose one' if choose else 'enter it'}.",
        "invalid_choice": f"{label}: choose one of the options shown.",
        "invalid": (
            f"Enter a valid date in “{label}”: a month and year, for example 2026-03." if month
            else f"Enter a valid date in “{label}”, for example 2025-06-30." if isinstance(field, forms.DateField)
            else f"{label} must be a full web address, for example https://example.org/page." if isinstance(
                field, forms.URLField)
            else f"{label} must be a number, for example 12." if isinstance(field, (forms.IntegerField,
                                                                                   forms.DecimalField))
            else None
        ),
    }
    for key, sentence in ours.items():
        if sentence and key in messages and messages[key] == defaults.get(key):
            messages[key] = sentence


class BoundedForm:
    """Form mixin: text cleaned of control characters before any field sees it; every date between 2000 and
    2100; every length limit (the model's, for a ModelForm) says which field and by how much, and so do
    Django's own messages."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(None if data is None else cleaned_data_of(data), *args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or pretty_name(name))
            name_the_field(field, label)
            if isinstance(field, forms.CharField) and field.max_length:
                field.validators = [
                    LengthValidator(field.max_length, label) if isinstance(v, MaxLengthValidator) else v
                    for v in field.validators
                ]
            if isinstance(field, forms.DateField):
                field.validators = [*field.validators, DateRangeValidator(label)]


class BoundedModelForm(BoundedForm, forms.ModelForm):
    """A ModelForm bounded like every form of the app: the Django admin's forms are made from it."""
