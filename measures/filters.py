import django_filters
from django.db.models import Q

from measures.models import Direction, Measure, Unit
from plans.models import Objective


class MeasureFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Code or words", method="filter_search")
    objective = django_filters.ModelChoiceFilter(
        field_name="objectives", queryset=Objective.objects.none(), empty_label="All objectives"
    )
    unit = django_filters.ChoiceFilter(choices=Unit.choices, empty_label="All units")
    direction = django_filters.ChoiceFilter(choices=Direction.choices, empty_label="Either direction")

    class Meta:
        model = Measure
        fields = ["search", "objective", "unit", "direction"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["objective"].queryset = plan.objectives.all()

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(code__iexact=value) | Q(name__icontains=value) | Q(group__icontains=value))
