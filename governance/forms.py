from django import forms

from governance.models import BoardMember, BoardReport, Meeting, MeetingAction, Review, SelfAssessment
from plans.bounds import BoundedForm
from plans.models import Plan, Post


class DateInput(forms.DateInput):
    input_type = "date"


class EditCountField(forms.IntegerField):
    """The edit count the page was built from (plans/editing.py): checked when saving, never trusted as current."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)


class MeetingForm(BoundedForm, forms.ModelForm):
    edit_count = EditCountField()

    class Meta:
        model = Meeting
        fields = ["date", "attendees", "agenda", "minutes", "decisions"]
        widgets = {"date": DateInput, "attendees": forms.CheckboxSelectMultiple}

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = BoardMember.objects.filter(board=board)


class MeetingActionForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = MeetingAction
        fields = ["description", "owner", "due"]
        labels = {"owner": "Owner (post)"}
        widgets = {"due": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Post.objects.order_by("name")


class NewReportForm(BoundedForm, forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none())
    as_at = forms.DateField(label="Data as at", widget=DateInput, help_text="Usually a few days before the meeting.")

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = board.plans.order_by("pk")  # only the plans this board oversees


class ReportNarrativeForm(BoundedForm, forms.ModelForm):
    edit_count = EditCountField()

    class Meta:
        model = BoardReport
        fields = BoardReport.TEXT
        widgets = {name: forms.Textarea for name in fields[1:]}


class ReviewForm(BoundedForm, forms.ModelForm):
    kind = forms.ChoiceField(label="Kind of review", choices=Review.Kind.choices, widget=forms.RadioSelect)
    edit_count = EditCountField()

    class Meta:
        model = Review
        fields = ["plan", "kind", "date", "title", "carried_out_by", "findings"]
        widgets = {"date": DateInput}


class NewSelfAssessmentForm(BoundedForm, forms.Form):
    as_at = forms.DateField(
        label="Data as at", widget=DateInput, help_text="The draft is written from the data as it stood then."
    )


class SelfAssessmentForm(BoundedForm, forms.ModelForm):
    edit_count = EditCountField()

    class Meta:
        model = SelfAssessment
        fields = ["title", *SelfAssessment.SECTIONS]
        widgets = {name: forms.Textarea(attrs={"rows": 12}) for name in SelfAssessment.SECTIONS}


class VoiceForm(BoundedForm, forms.ModelForm):
    class Meta:
        from governance.models import Voice

        model = Voice
        fields = ["source", "heard_through", "date", "summary", "what_changed"]
        widgets = {"date": DateInput, "source": forms.RadioSelect}
