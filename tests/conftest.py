import pytest
from django.contrib.auth.models import Group

from plans.loading import load_plan
from plans.models import Post, PostHolder


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


@pytest.fixture
def manager(plan, django_user_model):
    """A service manager holding the Head of Workforce post, which owns actions 4.1, 4.2 and 4.5."""
    user = _user(django_user_model, "sam", "Service manager", first_name="Sam", last_name="Manager")
    PostHolder.objects.create(post=Post.objects.get(name="Head of Workforce"), user=user)
    return user


@pytest.fixture
def other_manager(plan, django_user_model):
    """A service manager whose post (Head of Education) owns none of the Workforce actions."""
    user = _user(django_user_model, "otto", "Service manager")
    PostHolder.objects.create(post=Post.objects.get(name="Head of Education"), user=user)
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
