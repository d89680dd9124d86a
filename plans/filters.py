import django_filters
from django import forms
from django.db.models import Q

from plans.models import Action, Objective, Post


class ActionFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Ref or words", method="filter_search")
    objective = django_filters.ModelChoiceFilter(queryset=Objective.objects.none(), empty_label="All objectives")
    owner = django_filters.ModelChoiceFilter(
        field_name="owners", queryset=Post.objects.none(), label="Officer responsible", empty_label="All posts"
    )
    deadline_from = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label="Due from", widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_to = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label="Due by", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Action
        fields = ["search", "objective", "owner", "deadline_from", "deadline_to"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["objective"].queryset = plan.objectives.all()
        self.filters["owner"].queryset = Post.objects.filter(actions__objective__plan=plan).distinct()

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(ref=value) | Q(priority__icontains=value) | Q(outcomes__icontains=value))
