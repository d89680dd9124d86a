from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from improvement.models import EntraIdentity

admin.site.site_header = "Improvement Tracker administration"
admin.site.site_title = "Improvement Tracker admin"
admin.site.index_title = "Plan, posts, users and history"


class AuditedAdmin(SimpleHistoryAdmin):
    """Admin with the change history on view only: an old version can be looked at, never posted back.

    The history records themselves are not registered in the admin at all, so no one can edit or delete them.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("The change history is a record: it cannot be edited or reverted here.")
        return super().history_form_view(request, object_id, version_id, extra_context)


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
