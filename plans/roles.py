"""The three roles and the one place where the app decides who may do what.

Board members read everything and change nothing; service managers update the actions owned by the
posts they hold; admins (the performance team) change everything. A signed-in user with no role
reads like a board member.
"""

from functools import wraps

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404

from plans.models import PostHolder


class Role(models.TextChoices):
    BOARD_MEMBER = "Board member"
    SERVICE_MANAGER = "Service manager"
    ADMIN = "Admin"


def has_role(user, role):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Cached per request on the user object: pages ask this several times.
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return role in user._role_names


def is_admin(user):
    return has_role(user, Role.ADMIN)


def is_service_manager(user):
    return has_role(user, Role.SERVICE_MANAGER) or is_admin(user)


def admin_required(view):
    """For views only the performance team may use: 403 for everyone else (sign-in is already required)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Only admins can do this.")
        return view(request, *args, **kwargs)

    return wrapped


def give_role(user, role):
    user.groups.add(Group.objects.get_or_create(name=role)[0])


def can_update_action(user, action):
    """Admins update any action; a service manager only those owned by a post they hold now."""
    if is_admin(user):
        return True
    if not has_role(user, Role.SERVICE_MANAGER):
        return False
    return action.owners.filter(holders__in=PostHolder.objects.current().filter(user=user)).exists()


def get_action_for_update(request, queryset, **lookup):
    """Fetch an action the signed-in person may update, or raise 404/403."""
    action = get_object_or_404(queryset, **lookup)
    if not can_update_action(request.user, action):
        raise PermissionDenied("You can only update actions owned by a post you hold.")
    return action
