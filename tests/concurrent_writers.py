"""Two requests writing at once, each on its own connection, against a real database (run by tests/test_concurrency.py).

Run as `python -m tests.concurrent_writers SCENARIO` with DATABASE_URL set to a database that holds the
Knowsley plan: prints the outcome of each writer (the name of its exception, or "ok") and the state after, as JSON.
"""

import json
import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")


def run_together(*jobs):
    from django.db import connection

    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            job()
            outcomes[index] = "ok"
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def scenario(name):
    import datetime

    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from governance.models import Board, BoardReport, Meeting
    from governance.reports import issue_report
    from plans.editing import save_edit
    from plans.models import Action, Plan, PlanVersion
    from plans.services import post_update
    from plans.versions import issue_version, save_draft, start_version

    plan = Plan.objects.get(slug="knowsley-improvement-plan-2025")
    user = get_user_model().objects.get_or_create(username="writer")[0]
    board = Board.objects.filter(plans=plan).order_by("pk").first()

    if name == "start_version":
        outcomes = run_together(*[lambda n=n: start_version(plan, title=f"V{n}", user=user) for n in range(2)])
        return outcomes, {"drafts": PlanVersion.objects.filter(plan=plan, state="draft").count()}
    if name == "save_draft":
        draft = start_version(plan, title="Draft", user=user)

        def edit(words):
            def change(content):
                content["objectives"][0]["actions"][0]["priority"] = words
            return lambda: save_draft(PlanVersion.objects.get(pk=draft.pk), edit_count=0, user=user, change=change)

        outcomes = run_together(edit("first"), edit("second"))
        draft.refresh_from_db()
        priority = draft.content["objectives"][0]["actions"][0]["priority"]
        return outcomes, {"edit_count": draft.edit_count, "priority": priority}
    if name == "issue_version":
        draft = start_version(plan, title="Draft", user=user)
        outcomes = run_together(*[lambda: issue_version(PlanVersion.objects.get(pk=draft.pk), user=user)] * 2)
        return outcomes, {"issued": PlanVersion.objects.filter(pk=draft.pk, state="issued").count()}
    if name == "post_update":
        action = Action.objects.filter(objective__plan=plan).order_by("pk").first()
        outcomes = run_together(*[
            lambda s=status: post_update(action=Action.objects.get(pk=action.pk), author=user, expected_version=0,
                                         status=s, commentary=s)
            for status in ("on_track", "off_track")
        ])
        return outcomes, {"updates": action.updates.count()}
    if name == "save_meeting":
        meeting = Meeting.objects.create(board=board, date=datetime.date(2025, 9, 15))
        outcomes = run_together(*[
            lambda m=minutes: save_edit(Meeting.objects.get(pk=meeting.pk), seen=0, values={"minutes": m}, user=user)
            for minutes in ("first", "second")
        ])
        meeting.refresh_from_db()
        return outcomes, {"edit_count": meeting.edit_count, "history": meeting.history.count()}
    if name == "save_while_issuing_report":
        meeting = Meeting.objects.create(board=board, date=datetime.date(2025, 9, 15))
        report = BoardReport.objects.create(meeting=meeting, plan=plan, as_at=datetime.date(2025, 9, 1), title="R")
        outcomes = run_together(
            lambda: issue_report(report=BoardReport.objects.get(pk=report.pk), user=user, seen=0),
            lambda: save_edit(BoardReport.objects.get(pk=report.pk), seen=0, values={"analysis": "Late words"},
                              user=user, editable=Q(state="draft")),
        )
        report.refresh_from_db()
        return outcomes, {"state": report.state, "has_snapshot": bool(report.snapshot), "analysis": report.analysis,
                          "issued_html_has_words": "Late words" in report.issued_html}
    raise SystemExit(f"no scenario {name}")


if __name__ == "__main__":
    import django

    django.setup()
    outcomes, state = scenario(sys.argv[1])
    print(json.dumps({"outcomes": outcomes, "state": state}))
