"""Rows built once a session and copied back into each test that needs them (see LoadedRows)."""

from django.apps import apps
from django.db import IntegrityError, connection, transaction

from plans.models import Plan


class LoadedRows:
    """The rows `build` adds to the empty database (loading a plan file, say), built once a session and kept beside
    their tables in the test database (a copy table each), so a test gets them back with one INSERT ... SELECT per
    table inside its own transaction (rolled back after it) instead of building them again (seconds per test).

    Rows are copied as they are, ids and history included. The ids stay free for them: the database never
    hands out an id twice (PostgreSQL sequences, SQLite AUTOINCREMENT), even after the rows are removed."""

    def __init__(self, name, build):
        self.name = name
        self.build = build  # () -> the plan it loaded
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

    def take(self):
        """Build (committed) in the empty database, copy the rows it added, then remove them again."""
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
        self.plan_slug = self.build().slug
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
            return self.build()
        return Plan.objects.get(slug=self.plan_slug)

    def remove(self):
        quote = connection.ops.quote_name
        pks = self.tables()
        with transaction.atomic(), connection.cursor() as cursor:
            for table, copy in self.copies:
                pk = quote(pks[table])
                cursor.execute(f"DELETE FROM {quote(table)} WHERE {pk} IN (SELECT {pk} FROM {quote(copy)})")


def built_once(name, django_db_blocker, build):
    """For a session fixture: the rows `build` adds to the empty test database, built now (see LoadedRows)."""
    rows = LoadedRows(name, build)
    with django_db_blocker.unblock():
        rows.take()
    return rows
