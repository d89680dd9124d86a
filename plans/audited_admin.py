"""The admin every app's models use: the change history on view only (the apps' admin modules import it)."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from plans.bounds import BoundedModelForm


class AuditedAdmin(SimpleHistoryAdmin):
    """Admin with the change history on view only: an old version can be looked at, never posted back.

    The history records themselves are not registered in the admin at all, so no one can edit or delete them.
    """

    form = BoundedModelForm  # text cleaned, lengths and dates bounded, every message naming its field, as in the app

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("The change history is a record: it cannot be edited or reverted here.")
        return super().history_form_view(request, object_id, version_id, extra_context)
