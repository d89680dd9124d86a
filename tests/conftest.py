import pytest
from django.contrib.auth.models import Group

from plans.loading import load_plan


@pytest.fixture
def plan(db):
    """The Knowsley plan as shipped in fixtures/plans/."""
    return load_plan().plan


def _user(django_user_model, username, role, **extra):
    user = django_user_model.objects.create_user(username=username, password="correct-horse-battery", **extra)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def board_member(db, django_user_model):
    return _user(django_user_model, "bola", "Board member")


@pytest.fixture
def admin_user(db, django_user_model):
    return _user(django_user_model, "ada", "Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def board_client(client, board_member):
    client.force_login(board_member)
    return client
