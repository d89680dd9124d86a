"""Two people saving at once never interleave, overwrite each other or fail with "database is locked"."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from measures.importing import ImportRefused, commit_import, save_upload
from measures.models import Figure
from tests.measures.test_import import TODAY, long_file

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs this on it"
)


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@needs_postgresql
def test_it_commits_the_same_upload_once_however_many_press_the_button(transactional_db, admin_user):
    from plans.loading import load_plan

    plan = load_plan().plan
    upload = save_upload(plan=plan, content=long_file(["SICKNESS", "2025-03", 9]), file_name="f.xlsx", user=admin_user)
    outcomes = run_together(*[lambda: commit_import(upload=upload, user=admin_user, today=TODAY)] * 2)
    assert sum(isinstance(outcome, ImportRefused) for outcome in outcomes) == 1
    assert Figure.objects.count() == 1 and Figure.history.count() == 1


@needs_postgresql
def test_it_runs_two_files_one_after_the_other(transactional_db, admin_user):
    from plans.loading import load_plan

    plan = load_plan().plan
    rows_a = [["SICKNESS", f"2025-{month:02d}", 9] for month in range(1, 11)]
    rows_b = [["SICKNESS", f"2025-{month:02d}", 11] for month in range(1, 11)]
    uploads = [
        save_upload(plan=plan, content=long_file(*rows), file_name=name, user=admin_user)
        for name, rows in (("a.xlsx", rows_a), ("b.xlsx", rows_b))
    ]
    # January and February 2025 come before the measure's baseline: a warning the admin confirms.
    outcomes = run_together(
        *[lambda u=u: commit_import(upload=u, user=admin_user, today=TODAY, confirmed=True) for u in uploads]
    )
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    values = set(Figure.objects.values_list("value", flat=True))
    assert len(values) == 1  # every figure from the file committed last, none mixed
    assert Figure.objects.count() == 10


@needs_postgresql
def test_it_lets_only_one_of_two_simultaneous_action_updates_through(transactional_db, admin_user):
    from plans.loading import load_plan
    from plans.models import Action
    from plans.services import StaleAction, post_update

    load_plan()
    action = Action.objects.get(ref="4.1")

    def update(status):
        return lambda: post_update(
            action=Action.objects.get(pk=action.pk), author=admin_user, expected_version=0, status=status,
            commentary=status,
        )

    outcomes = run_together(update("on_track"), update("off_track"))
    assert sum(isinstance(outcome, StaleAction) for outcome in outcomes) == 1
    action.refresh_from_db()
    assert action.version == 1 and action.updates.count() == 1


# Two requests writing at once on the database the suite runs on, SQLite included: each writer is a thread with
# its own connection in a separate process using the app's own settings, against a copy (SQLite) of the test
# database or the test database itself (PostgreSQL). "database is locked" (OperationalError) must never appear.


@pytest.fixture
def writers_database(transactional_db, tmp_path):
    from plans.loading import load_plan

    load_plan()
    if connection.vendor == "sqlite":
        path = tmp_path / "writers.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{path}"
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


def write_at_once(database_url, scenario):
    done = subprocess.run(
        [sys.executable, "-m", "tests.concurrent_writers", scenario],
        env={**os.environ, "DATABASE_URL": database_url, "CONN_MAX_AGE": "0"},
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any("OperationalError" in outcome for outcome in result["outcomes"]), result["outcomes"]
    return sorted(outcome.split(":")[0] for outcome in result["outcomes"]), result["state"]


def test_two_admins_starting_a_plan_version_at_once_get_one_draft_and_a_reason(writers_database):
    outcomes, state = write_at_once(writers_database, "start_version")
    assert outcomes == ["PlanFileError", "ok"] and state == {"drafts": 1}


def test_two_admins_saving_one_draft_at_once_one_is_told(writers_database):
    outcomes, state = write_at_once(writers_database, "save_draft")
    assert outcomes == ["StaleDraft", "ok"] and state["edit_count"] == 1 and state["priority"] in ("first", "second")


def test_two_admins_issuing_one_version_at_once_issue_it_once(writers_database):
    outcomes, state = write_at_once(writers_database, "issue_version")
    assert outcomes == ["PlanFileError", "ok"] and state == {"issued": 1}


def test_two_managers_updating_one_action_at_once_one_is_told(writers_database):
    outcomes, state = write_at_once(writers_database, "post_update")
    assert outcomes == ["StaleAction", "ok"] and state == {"updates": 1}


def test_two_admins_saving_one_meeting_at_once_one_is_told(writers_database):
    outcomes, state = write_at_once(writers_database, "save_meeting")
    assert outcomes == ["Stale", "ok"] and state["edit_count"] == 1


def test_a_report_saved_while_it_is_issued_is_either_saved_then_refused_issue_or_issued_then_frozen(writers_database):
    outcomes, state = write_at_once(writers_database, "save_while_issuing_report")
    assert len([outcome for outcome in outcomes if outcome == "ok"]) == 1, outcomes
    if state["state"] == "issued":  # the issue won: the save was refused, the snapshot stands
        assert outcomes == ["Frozen", "ok"] and state["has_snapshot"] and state["analysis"] == ""
    else:  # the save won: the issue was refused as stale, the report stays a draft with the words
        assert outcomes == ["Stale", "ok"] and state["analysis"] == "Late words" and not state["has_snapshot"]
