import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from plans.loading import DEFAULT_PLAN_FILE, PLAN_DIR, load_plan
from plans.models import Plan, Post, PostHolder
from tests.services import azurite, blob_container, redis_url  # noqa: F401 (one Azurite for the whole session)

STRATEGY_FILE = PLAN_DIR / "knowsley-cared-for-children-strategy-2023.json"


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher():
    """Tests hash passwords with MD5: the production hasher is slow on purpose (about a second a user here).
    tests/test_passwords.py checks that production still uses a strong one."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


class LoadedRows:
    """The rows one load of a plan file adds, loaded once a session and kept beside their tables in the test
    database (a copy table each), so a test gets them back with one INSERT ... SELECT per table inside its own
    transaction (rolled back after it) instead of loading the file again (seconds per test).

    Rows are copied as they are, ids and history included. The ids stay free for them: the database never
    hands out an id twice (PostgreSQL sequences, SQLite AUTOINCREMENT), even after the rows are removed."""

    def __init__(self, name):
        self.name = name
        self.path = None
        self.copies = []  # (table, copy table)
        self.plan_slug = None

    @staticmethod
    def tables():
        existing = set(connection.introspection.table_names())
        return {
            model._meta.db_table: model._meta.pk.column
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy and model._meta.db_table in existing
        }

    def take(self, path):
        """Load `path` (committed) into the empty database, copy the rows it added, then remove them again."""
        if connection.in_atomic_block or Plan.objects.exists():
            # Inside a test's transaction the copy would be rolled back; on top of another plan it could miss rows
            # the load changed rather than added.
            raise RuntimeError("Plan rows are copied once, into the empty test database: request the fixture, do "
                               "not call getfixturevalue() for it inside a test.")
        quote = connection.ops.quote_name
        tables = self.tables()
        with connection.cursor() as cursor:
            before = {}
            for table, pk in tables.items():
                cursor.execute(f"SELECT {quote(pk)} FROM {quote(table)}")
                before[table] = [row[0] for row in cursor.fetchall()]
        result = load_plan(path)
        self.path = path
        self.plan_slug = result.plan.slug
        with connection.cursor() as cursor:
            for n, (table, pk) in enumerate(tables.items()):
                copy = f"loaded_{self.name}_{n}"  # short: PostgreSQL cuts names at 63 characters
                kept = before[table]
                where = f" WHERE {quote(pk)} NOT IN ({', '.join(['%s'] * len(kept))})" if kept else ""
                cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}{where}", kept)
                if cursor.fetchone()[0]:
                    cursor.execute(f"CREATE TABLE {quote(copy)} AS SELECT * FROM {quote(table)}{where}", kept)
                    self.copies.append((table, copy))
        self.remove()

    def restore(self):
        """Put the rows back: inside a test's transaction (rolled back after it), or committed for a live server."""
        loaded = Plan.objects.filter(slug=self.plan_slug).first()
        if loaded is not None:  # the test loaded the file itself already
            return loaded
        quote = connection.ops.quote_name
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for table, copy in self.copies:
                    cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(copy)}")
        except IntegrityError:  # another plan's board or post by the same name: the loader shares them
            return load_plan(self.path).plan
        return Plan.objects.get(slug=self.plan_slug)

    def remove(self):
        quote = connection.ops.quote_name
        pks = self.tables()
        with transaction.atomic(), connection.cursor() as cursor:
            for table, copy in self.copies:
                pk = quote(pks[table])
                cursor.execute(f"DELETE FROM {quote(table)} WHERE {pk} IN (SELECT {pk} FROM {quote(copy)})")


@pytest.fixture(scope="session")
def knowsley_rows(django_db_setup, django_db_blocker):
    """The Knowsley plan's rows, loaded once a session (see LoadedRows)."""
    rows = LoadedRows("knowsley")
    with django_db_blocker.unblock():
        rows.take(DEFAULT_PLAN_FILE)
    return rows


@pytest.fixture(scope="session")
def strategy_rows(django_db_setup, django_db_blocker):
    """The Cared for Children Strategy's rows on their own (no Knowsley plan), loaded once a session."""
    rows = LoadedRows("strategy")
    with django_db_blocker.unblock():
        rows.take(STRATEGY_FILE)
    return rows


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
