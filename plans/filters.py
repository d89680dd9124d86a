import django_filters
from django import forms
from django.db.models import Q

from plans.models import Action, Brag, Objective, Post


class ActionFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Ref or words", method="filter_search")
    objective = django_filters.ModelChoiceFilter(queryset=Objective.objects.none(), empty_label="All objectives")
    # These describe an action on a date, which the history holds rather than the table: the view applies
    # them to the actions as they stood on the as-at date (see ActionListView.get_table_data).
    owner = django_filters.ModelChoiceFilter(
        queryset=Post.objects.none(), label="Officer responsible", empty_label="All posts", method="keep"
    )
    deadline_from = django_filters.DateFilter(
        label="Due from", widget=forms.DateInput(attrs={"type": "date"}), method="keep"
    )
    deadline_to = django_filters.DateFilter(
        label="Due by", widget=forms.DateInput(attrs={"type": "date"}), method="keep"
    )
    brag = django_filters.ChoiceFilter(choices=Brag.choices, label="Status (BRAG)", empty_label="Any", method="keep")
    overdue = django_filters.BooleanFilter(label="Overdue only", method="keep", widget=forms.CheckboxInput)
    update_due = django_filters.BooleanFilter(label="Update due only", method="keep", widget=forms.CheckboxInput)
    as_at = django_filters.DateFilter(
        label="As at", method="keep", widget=forms.DateInput(attrs={"type": "date"}), help_text="Blank for today."
    )

    class Meta:
        model = Action
        fields = [
            "search", "objective", "owner", "deadline_from", "deadline_to", "brag", "overdue", "update_due", "as_at"
        ]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["objective"].queryset = plan.objectives.all()
        self.filters["owner"].queryset = Post.objects.filter(actions__objective__plan=plan).distinct()

    def keep(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(ref=value) | Q(priority__icontains=value) | Q(outcomes__icontains=value))
