import django_filters
from django import forms
from django.db.models import Q

from measures.models import Direction, Measure, Rag, Unit
from plans.models import Objective


class MeasureFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Code or words", method="filter_search")
    objective = django_filters.ModelChoiceFilter(
        field_name="objectives", queryset=Objective.objects.none(), empty_label="All objectives"
    )
    unit = django_filters.ChoiceFilter(choices=Unit.choices, empty_label="All units")
    direction = django_filters.ChoiceFilter(choices=Direction.choices, empty_label="Either direction")

    # RAG is worked out from the latest figure in Python: the view applies it (MeasureListView.get_table_data).
    rag = django_filters.ChoiceFilter(choices=Rag.choices, label="RAG", empty_label="Any", method="keep")
    as_at = django_filters.DateFilter(
        label="As at", method="keep", widget=forms.DateInput(attrs={"type": "date"}), help_text="Blank for today."
    )

    class Meta:
        model = Measure
        fields = ["search", "objective", "unit", "direction", "rag", "as_at"]

    def keep(self, queryset, name, value):
        return queryset

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["objective"].queryset = plan.objectives.all()

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(code__iexact=value) | Q(name__icontains=value) | Q(group__icontains=value))
