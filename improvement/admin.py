from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from improvement.models import ApiToken, ApiTokenUse, EntraIdentity
from plans.audited_admin import AuditedAdmin

admin.site.site_header = "Improvement Tracker administration"
admin.site.site_title = "Improvement Tracker admin"
admin.site.index_title = "Plan, posts, users and history"


class EntraIdentityInline(admin.StackedInline):
    model = EntraIdentity
    can_delete = True
    readonly_fields = ["last_sign_in"]
    extra = 0
    max_num = 1


@admin.register(EntraIdentity)
class EntraIdentityAdmin(AuditedAdmin):
    list_display = ["user", "tenant_id", "object_id", "last_sign_in"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "object_id"]
    readonly_fields = ["last_sign_in"]


class UserAdminWithSignIn(UserAdmin):
    inlines = [*UserAdmin.inlines, EntraIdentityInline]


User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, UserAdminWithSignIn)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.new_key(request.user)
            obj.save()
            messages.warning(
                request, f"Copy the key for “{obj.name}” now: it is not kept and cannot be shown again. {key}"
            )
        else:
            super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the use log refers to it

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token.revoke(request.user)
        self.message_user(request, f"{len(tokens)} token(s) revoked: they stop working at once.")


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(admin.ModelAdmin):
    list_display = ["at", "token", "path", "status", "address"]
    list_filter = ["status"]
    search_fields = ["token__name", "token__key_prefix", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
