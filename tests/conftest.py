import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from plans.loading import DEFAULT_PLAN_FILE, PLAN_DIR, load_plan
from plans.models import Post, PostHolder
from tests.loaded_rows import built_once
from tests.services import azurite, blob_container, redis_url  # noqa: F401 (one Azurite for the whole session)

STRATEGY_FILE = PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher():
    """Tests hash passwords with MD5: the production hasher is slow on purpose (about a second a user here).
    tests/test_passwords.py checks that production still uses a strong one."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session")
def knowsley_rows(django_db_setup, django_db_blocker):
    """The Knowsley plan's rows, loaded once a session (see tests/loaded_rows.py)."""
    return built_once("knowsley", django_db_blocker, lambda: load_plan(DEFAULT_PLAN_FILE).plan)


@pytest.fixture(scope="session")
def strategy_rows(django_db_setup, django_db_blocker):
    """The Cared for Children Strategy's rows on their own (no Knowsley plan), loaded once a session."""
    return built_once("strategy", django_db_blocker, lambda: load_plan(STRATEGY_FILE).plan)


@pytest.fixture
def plan(db, knowsley_rows):
    """The Knowsley plan as shipped in fixtures/plans/ (as load_plan() leaves it; loaded once a session)."""
    return knowsley_rows.restore()


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
