from django.contrib import admin

from measures.models import Measure, MeasurePlacement
from plans.audited_admin import AuditedAdmin


class MeasurePlacementInline(admin.TabularInline):
    model = MeasurePlacement
    extra = 0
    autocomplete_fields = ["objective"]


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ["code", "name", "plan", "unit", "direction", "baseline_text", "target_text"]
    list_filter = ["plan", "unit", "direction", "group", "internal"]
    list_select_related = ["plan"]
    search_fields = ["code", "name"]
    inlines = [MeasurePlacementInline]


@admin.register(MeasurePlacement)
class MeasurePlacementAdmin(AuditedAdmin):
    list_display = ["measure", "objective", "order"]
    list_select_related = ["measure", "objective"]
    search_fields = ["measure__name", "measure__code"]
