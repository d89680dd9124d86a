from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

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
