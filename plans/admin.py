from django.contrib import admin
from django.db.models import Count

from plans.audited_admin import AuditedAdmin
from plans.models import (
    Action,
    ActionOwner,
    ActionUpdate,
    AreaForImprovement,
    DeadlineRevision,
    Evidence,
    Judgement,
    Objective,
    Plan,
    PlanVersion,
    Post,
    PostHolder,
    SubObjective,
    SuccessIndicator,
)


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


class AreaInline(admin.TabularInline):
    model = AreaForImprovement
    extra = 0


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["title", "organisation", "kind", "published", "delivery_deadline", "public_progress"]
    list_filter = ["kind", "organisation", "public_progress"]
    search_fields = ["title", "organisation", "slug"]
    inlines = [JudgementInline, AreaInline]


class SubObjectiveInline(admin.TabularInline):
    model = SubObjective
    extra = 0


class SuccessIndicatorInline(admin.TabularInline):
    model = SuccessIndicator
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(AuditedAdmin):
    list_display = ["number", "name", "plan", "lead_post"]
    list_display_links = ["number", "name"]
    list_filter = ["plan"]
    list_select_related = ["plan", "lead_post"]
    search_fields = ["name"]
    autocomplete_fields = ["lead_post"]
    filter_horizontal = ["areas"]
    inlines = [SubObjectiveInline, SuccessIndicatorInline]


class ActionOwnerInline(admin.TabularInline):
    model = ActionOwner
    extra = 0
    autocomplete_fields = ["post"]


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = [
        "ref", "short_priority", "objective", "deadline", "revised_deadline", "status", "owner_list", "withdrawn_at"
    ]
    list_filter = [
        "objective__plan", "objective", "status", "owners", "internal", ("withdrawn_at", admin.EmptyFieldListFilter)
    ]
    list_select_related = ["objective"]
    search_fields = ["ref", "priority", "outcomes"]
    ordering = ["objective__plan", "sort_key"]
    readonly_fields = ["sort_key", "status", "last_update_at", "replan_count", "version", "withdrawn_at"]
    filter_horizontal = ["areas"]
    autocomplete_fields = ["measures"]
    inlines = [ActionOwnerInline]
    history_list_display = ["status", "revised_deadline"]

    def get_queryset(self, request):
        # Withdrawn actions stay visible here, with their history.
        return Action.all_objects.prefetch_related("owners").order_by(*self.ordering)

    @admin.display(description="What we will do")
    def short_priority(self, action):
        return action.priority[:80]

    @admin.display(description="Owners")
    def owner_list(self, action):
        return action.owner_names()


class PostHolderInline(admin.TabularInline):
    model = PostHolder
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ["name", "organisation", "action_count"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    inlines = [PostHolderInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(action_count=Count("actions", distinct=True))

    @admin.display(description="Actions owned", ordering="action_count")
    def action_count(self, post):
        return post.action_count


@admin.register(PostHolder)
class PostHolderAdmin(AuditedAdmin):
    list_display = ["user", "post", "started", "ended"]
    list_filter = ["post"]
    list_select_related = ["user", "post"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "post__name"]
    autocomplete_fields = ["user", "post"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(ActionUpdate)
class ActionUpdateAdmin(AuditedAdmin):
    list_display = ["action", "created_at", "author", "status"]
    list_filter = ["status", "action__objective__plan", "action__objective"]
    list_select_related = ["action", "author"]
    search_fields = ["action__ref", "commentary", "evidence_of_impact", "next_steps"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(AuditedAdmin):
    list_display = ["plan", "number", "title", "state", "issued_at", "issued_by"]
    list_filter = ["plan", "state"]
    readonly_fields = ["content", "edit_count", "issued_at", "issued_by", "created_by"]


@admin.register(DeadlineRevision)
class DeadlineRevisionAdmin(AuditedAdmin):
    list_display = ["action", "previous_deadline", "new_deadline", "decision", "requested_by", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["action", "requested_by", "decided_by"]
    search_fields = ["action__ref", "reason"]


for model, fields in [
    (AreaForImprovement, ["number", "text", "plan"]),
    (Judgement, ["judgement", "grade", "plan"]),
    (SubObjective, ["text", "objective"]),
    (ActionOwner, ["action", "post", "order"]),
    (Evidence, ["title", "update", "url", "file", "size"]),
]:
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (AuditedAdmin,),
            {"list_display": fields, "search_fields": [fields[0] if fields[0] != "action" else "action__ref"]},
        ),
    )
