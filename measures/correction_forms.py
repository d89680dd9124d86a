from decimal import Decimal

from django import forms

from measures.models import Unit
from plans.bounds import BoundedForm

LARGEST_COUNT = 2_147_483_647  # what the numerator and denominator columns hold on PostgreSQL


def reason_field(label, hint):
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=2000,
        widget=forms.Textarea,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "max_length": "Keep the reason to %(limit_value)d characters or fewer (it has %(show_value)d).",
        },
    )


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class FigureCorrectionForm(BoundedForm, forms.Form):
    value = forms.DecimalField(
        label="Figure",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.TextInput,
        error_messages={
            "required": "Enter the figure, e.g. 82.5",
            "invalid": "Enter the figure as a number, e.g. 82.5 (no % sign, no commas)",
            "min_value": "Enter a figure of 0 or more",
            "max_decimal_places": "Enter the figure with no more than 2 decimal places",
            "max_digits": "Enter a figure under 10,000,000,000",
            "max_whole_digits": "Enter a figure under 10,000,000,000",
        },
    )
    numerator = forms.IntegerField(
        label="Numerator (optional)",
        required=False,
        min_value=0,
        max_value=LARGEST_COUNT,
        widget=forms.TextInput,
        help_text="How many of the denominator, e.g. 41 of 50 children. Leave both blank if the figure has none.",
        error_messages={"invalid": "Enter the numerator as a whole number, e.g. 41"},
    )
    denominator = forms.IntegerField(
        label="Denominator (optional)",
        required=False,
        min_value=1,
        max_value=LARGEST_COUNT,
        widget=forms.TextInput,
        error_messages={"invalid": "Enter the denominator as a whole number, e.g. 50",
                        "min_value": "Enter a denominator of 1 or more"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500,
                           error_messages={"max_length": "Keep the note to %(limit_value)d characters or fewer "
                                                         "(it has %(show_value)d)."})
    reason = reason_field("Reason for the correction", "The board and auditors will see it in the figure's history.")
    version = VersionField()

    def __init__(self, *args, figure, **kwargs):
        self.figure = figure
        super().__init__(*args, **kwargs)
        self.fields["value"].label = f"Figure ({figure.measure.get_unit_display().lower()})"

    def clean_value(self):
        value = self.cleaned_data["value"]
        unit = self.figure.measure.unit
        if unit == Unit.PERCENT and value > 100:
            raise forms.ValidationError(f"Enter a percentage of 100 or less (you entered {value.normalize():f})")
        if unit == Unit.COUNT and value != value.to_integral_value():
            raise forms.ValidationError(
                f"Enter a whole number: this measure is a count, so {value.normalize():f} cannot be right"
            )
        return value

    def clean(self):
        data = super().clean()
        numerator, denominator, value = data.get("numerator"), data.get("denominator"), data.get("value")
        if (numerator is None) != (denominator is None):
            missing = "denominator" if denominator is None else "numerator"
            self.add_error(missing, f"Enter the {missing} too, or leave both blank")
        elif numerator is not None and value is not None:
            if self.figure.measure.unit == Unit.PERCENT:
                if numerator > denominator:
                    self.add_error("numerator", "Enter a numerator no larger than the denominator")
                    return data
                expected = (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.01"))
            else:
                expected = (Decimal(numerator) / denominator).quantize(Decimal("0.01"))
            if value != expected:
                self.add_error(
                    "value",
                    f"Enter a figure that matches the numerator and denominator: {numerator} of {denominator} is "
                    f"{expected.normalize():f}, not {value.normalize():f}",
                )
        figure = self.figure
        if not self.errors and (value, numerator, denominator, data.get("note", "")) == (
            figure.value, figure.numerator, figure.denominator, figure.note
        ):
            self.add_error("value", "Change the figure or its note: both are the same as now")
        return data


class FigureDeleteForm(BoundedForm, forms.Form):
    reason = reason_field(
        "Reason for deleting this figure", "The board and auditors will see it in the figure's history."
    )
    version = VersionField()


class ImportUndoForm(BoundedForm, forms.Form):
    reason = reason_field("Reason for undoing this import", "It is kept with the import and in each figure's history.")
    skip_changed = forms.BooleanField(
        required=False,
        label="Undo the other figures and leave those changed since the import as they are now",
    )
