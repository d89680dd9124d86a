"""Two people saving at once never interleave or overwrite each other (needs a real database server)."""

import threading

import pytest
from django.db import connection

from measures.importing import ImportRefused, commit_import, save_upload
from measures.models import Figure
from tests.measures.test_import import TODAY, long_file

pytestmark = pytest.mark.skipif(
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


def test_it_commits_the_same_upload_once_however_many_press_the_button(transactional_db, admin_user):
    from plans.loading import load_plan

    plan = load_plan().plan
    upload = save_upload(plan=plan, content=long_file(["SICKNESS", "2025-03", 9]), file_name="f.xlsx", user=admin_user)
    outcomes = run_together(*[lambda: commit_import(upload=upload, user=admin_user, today=TODAY)] * 2)
    assert sum(isinstance(outcome, ImportRefused) for outcome in outcomes) == 1
    assert Figure.objects.count() == 1 and Figure.history.count() == 1


def test_it_runs_two_files_one_after_the_other(transactional_db, admin_user):
    from plans.loading import load_plan

    plan = load_plan().plan
    rows_a = [["SICKNESS", f"2025-{month:02d}", 9] for month in range(1, 11)]
    rows_b = [["SICKNESS", f"2025-{month:02d}", 11] for month in range(1, 11)]
    uploads = [
        save_upload(plan=plan, content=long_file(*rows), file_name=name, user=admin_user)
        for name, rows in (("a.xlsx", rows_a), ("b.xlsx", rows_b))
    ]
    outcomes = run_together(*[lambda u=u: commit_import(upload=u, user=admin_user, today=TODAY) for u in uploads])
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
    values = set(Figure.objects.values_list("value", flat=True))
    assert len(values) == 1  # every figure from the file committed last, none mixed
    assert Figure.objects.count() == 10


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
