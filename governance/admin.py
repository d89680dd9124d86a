from django.contrib import admin

from governance.models import (
    Board,
    BoardMember,
    BoardReport,
    Inspection,
    InspectionJudgement,
    Meeting,
    MeetingAction,
    Notice,
    NoticeDuty,
    PartnerContribution,
    Recommendation,
    Review,
    SelfAssessment,
    Voice,
)
from plans.audited_admin import AuditedAdmin


class EditCountAdmin(AuditedAdmin):
    """A record also edited on the app's pages (plans/editing.py): an admin save counts as an edit there too."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "edit_count"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.edit_count = type(obj).objects.values_list("edit_count", flat=True).get(pk=obj.pk) + 1
        super().save_model(request, obj, form, change)


class BoardMemberInline(admin.TabularInline):
    model = BoardMember
    extra = 0


@admin.register(Board)
class BoardAdmin(AuditedAdmin):
    list_display = ["name", "chair", "meets_every_weeks"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["plans"]
    inlines = [BoardMemberInline]


@admin.register(BoardMember)
class BoardMemberAdmin(AuditedAdmin):
    list_display = ["name", "kind", "role", "organisation", "board"]
    list_filter = ["board", "kind"]
    search_fields = ["name", "role", "organisation"]


class MeetingActionInline(admin.TabularInline):
    model = MeetingAction
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(EditCountAdmin):
    list_display = ["board", "date"]
    list_filter = ["board"]
    date_hierarchy = "date"
    search_fields = ["agenda", "minutes", "decisions"]
    filter_horizontal = ["attendees"]
    inlines = [MeetingActionInline]


@admin.register(MeetingAction)
class MeetingActionAdmin(AuditedAdmin):
    list_display = ["description", "owner", "due", "status", "meeting", "review"]
    list_filter = ["status", "meeting__board", "review__kind"]
    list_select_related = ["owner", "meeting__board", "review"]
    search_fields = ["description"]
    autocomplete_fields = ["owner"]


@admin.register(BoardReport)
class BoardReportAdmin(EditCountAdmin):
    list_display = ["title", "meeting", "as_at", "state", "issued_at"]
    list_filter = ["state"]
    list_select_related = ["meeting__board"]
    search_fields = ["title"]
    readonly_fields = ["state", "issued_at", "issued_by", "snapshot", "issued_html"]

    def has_change_permission(self, request, obj=None):
        # An issued report is the record of what the board was given: it cannot be edited.
        return super().has_change_permission(request, obj) and not (obj and obj.is_issued)


class InspectionJudgementInline(admin.TabularInline):
    model = InspectionJudgement
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(AuditedAdmin):
    list_display = ["title", "kind", "published", "overall"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]
    inlines = [InspectionJudgementInline]


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    list_display = ["number", "category", "text", "inspection"]
    list_filter = ["inspection", "category"]
    list_select_related = ["inspection"]
    search_fields = ["text"]
    autocomplete_fields = ["objectives", "actions"]


@admin.register(Review)
class ReviewAdmin(EditCountAdmin):
    list_display = ["title", "kind", "date", "plan"]
    list_filter = ["kind", "plan"]
    search_fields = ["title", "findings"]
    inlines = [MeetingActionInline]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(EditCountAdmin):
    list_display = ["title", "plan", "as_at", "state", "issued_at"]
    list_filter = ["state", "plan"]
    readonly_fields = ["state", "issued_at", "issued_by"]

    def has_change_permission(self, request, obj=None):
        # Once issued to the DfE, a self-assessment is a record: it cannot be edited.
        return super().has_change_permission(request, obj) and not (obj and obj.is_issued)


class NoticeDutyInline(admin.TabularInline):
    model = NoticeDuty
    extra = 0
    fields = ["paragraph", "kind", "text", "met_by", "owner"]
    readonly_fields = ["paragraph", "kind", "text"]  # the Notice's own words, from its file
    autocomplete_fields = ["owner"]
    can_delete = False


@admin.register(Notice)
class NoticeAdmin(AuditedAdmin):
    list_display = ["title", "plan", "issued", "delivery_deadline"]
    inlines = [NoticeDutyInline]


@admin.register(PartnerContribution)
class PartnerContributionAdmin(AuditedAdmin):
    list_display = ["partner", "description", "requested", "due", "state", "received", "board"]
    list_filter = ["state", "board"]
    list_select_related = ["partner", "board"]
    search_fields = ["description", "partner__name", "partner__organisation"]
    autocomplete_fields = ["partner"]


@admin.register(Voice)
class VoiceAdmin(AuditedAdmin):
    list_display = ["source", "heard_through", "date", "plan"]
    list_filter = ["source", "plan"]
    search_fields = ["heard_through", "summary", "what_changed"]
