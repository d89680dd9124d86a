"""The README's backup and restore, done for real: pg_dump and backup_files, then into an empty database and an
empty blob container with pg_restore and restore_files; every row and every evidence file comes back.
PostgreSQL only (the backup of a PostgreSQL deployment; skipped on SQLite)."""

import datetime
import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from azure.storage.blob import BlobServiceClient
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from measures.models import Figure, Measure
from plans.loading import load_plan
from plans.models import Action, Evidence
from plans.services import EvidenceLink, post_update
from tests.services import ROOT, azure_storage_settings, postgres_bin, postgres_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not postgres_url(), reason="pg_dump and pg_restore back up PostgreSQL: DATABASE_URL=postgres://..."),
]
FILES = {"Supervision audit.pdf": b"%PDF-1.4 supervision audit", "Caseloads.csv": b"team,caseload\nA,18\n"}


@pytest.fixture
def plan(transactional_db):
    return load_plan().plan


@pytest.fixture
def blob_storage(settings, azurite, blob_container):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.azure_storage.AzureStorage",
            "OPTIONS": {"connection_string": azurite["connection_string"], "azure_container": blob_container},
        },
    }


def conninfo(name):
    db = connection.settings_dict
    return f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname={name}"


def table_contents(name):
    """{table: sorted rows as text} for every table of the app's models in database `name`."""
    tables = sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})
    with psycopg.connect(conninfo(name)) as conn:
        return {
            table: sorted(str(row) for row in conn.execute(f'SELECT * FROM "{table}"').fetchall()) for table in tables
        }


@pytest.fixture
def restored_database():
    name = connection.settings_dict["NAME"] + "_restored"
    admin = conninfo("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_restores_every_action_update_figure_history_row_and_evidence_file(
    plan, manager, blob_storage, azurite, restored_database, tmp_path
):
    for ref, (title, content) in zip(("4.1", "4.2"), FILES.items()):
        action = Action.objects.get(objective__plan=plan, ref=ref)
        post_update(action=action, author=manager, expected_version=action.version, status="on_track",
                    commentary=f"Update on {ref}", links=[EvidenceLink("Board paper", "https://intranet.example/p")],
                    files=[SimpleUploadedFile(title, content)])
    measure = Measure.objects.filter(plan=plan).order_by("code").first()
    figure = Figure.objects.create(measure=measure, month=datetime.date(2025, 4, 1), value=12, entered_by=manager)
    figure.value = 13
    figure.save()  # a correction: two history rows
    source = table_contents(connection.settings_dict["NAME"])
    assert all(source[table] for table in ("plans_action", "plans_actionupdate", "measures_figure",
                                           "plans_historicalaction", "measures_historicalfigure", "plans_evidence"))

    # Back up: the database, then the files it refers to.
    db = connection.settings_dict
    dump = tmp_path / "tracker.dump"
    subprocess.run([postgres_bin("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}",
                    "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]],
                   check=True)
    call_command("backup_files", str(tmp_path / "files"))

    # Restore into an empty database and an empty container, as after losing both.
    subprocess.run([postgres_bin("pg_restore"), "--no-owner", "--exit-on-error", "-h", db["HOST"] or "127.0.0.1",
                    "-p", str(db["PORT"] or 5432), "-U", db["USER"], "-d", restored_database, str(dump)], check=True)
    service = BlobServiceClient.from_connection_string(azurite["connection_string"])
    new_container = service.create_container(f"restored-{restored_database[-20:].replace('_', '-')}"[:63].lower())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "improvement.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{restored_database}",
        **azure_storage_settings(azurite, new_container.container_name),
    }
    try:
        def manage(*command):
            done = subprocess.run([sys.executable, "manage.py", *command], env=env, cwd=ROOT, capture_output=True,
                                  text=True, check=False)
            assert done.returncode == 0, done.stderr
            return done.stdout

        assert "Restored 2 files; 0 already there." in manage("restore_files", str(tmp_path / "files"))
        assert "Restored 0 files; 2 already there." in manage("restore_files", str(tmp_path / "files"))
        manage("migrate", "--check")  # the restored schema is the code's: nothing left to migrate

        assert table_contents(restored_database) == source  # every row of every table, history included
        for evidence in Evidence.objects.exclude(file=""):
            stored = new_container.download_blob(evidence.file.name).readall()
            assert stored == FILES[evidence.title]
    finally:
        new_container.delete_container()
        shutil.rmtree(tmp_path / "files", ignore_errors=True)
