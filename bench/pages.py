"""Server time, SQL queries and page weight of the main pages, at the Knowsley size and at a large size.

    .venv/bin/python bench/pages.py [--size knowsley|large] [--runs 30]

Runs against a throwaway test database (SQLite by default; set DATABASE_URL for PostgreSQL).
"knowsley" is the shipped plan with the demo updates and figures; "large" adds a generated
deployment of 20 plans, 2,000 actions, 1,000 measures, 60 months of figures and 20,000 updates.
Each page is fetched through Django's test client as a board member (middleware, templates and
queries included; no network), after one warm-up. The trivial page (the accessibility statement)
is the floor for this stack. Garbage collection is tuned as in improvement/wsgi.py, as in production.
It is a benchmark, not a test.
"""

import argparse
import datetime
import gzip
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")
os.environ.setdefault("DEMO_MODE", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

LARGE = {"plans": 20, "actions_per_plan": 100, "measures_per_plan": 50, "months": 60, "updates_per_action": 10}


def build_large(today):
    """20 generated plans beside Knowsley's, written in bulk with their history rows (as-at needs them)."""
    from simple_history.utils import bulk_create_with_history

    from measures.models import Figure, Measure, MeasurePlacement
    from plans.models import Action, ActionUpdate, Objective, Plan, action_sort_key

    first_month = (today.replace(day=1) - datetime.timedelta(days=31 * LARGE["months"])).replace(day=1)
    months = []
    month = first_month
    while len(months) < LARGE["months"]:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    user = get_user_model().objects.get(username="manager")
    for number in range(LARGE["plans"]):
        plan = Plan.objects.create(slug=f"bench-{number}", title=f"Bench plan {number}", organisation="Bench Council",
                                   delivery_deadline=today + datetime.timedelta(days=200))
        objectives = [Objective.objects.create(plan=plan, number=n, name=f"Objective {n}") for n in range(1, 11)]
        actions = []
        for index in range(LARGE["actions_per_plan"]):
            objective = objectives[index % 10]
            ref = f"{objective.number}.{index // 10 + 1}"
            actions.append(Action(objective=objective, ref=ref, sort_key=action_sort_key(ref), priority=f"Action {ref}",
                                  deadline=months[index % len(months)], status="on_track"))
        actions = bulk_create_with_history(actions, Action)
        measures = bulk_create_with_history(
            [
                Measure(
                    plan=plan,
                    code=f"B{number}-{m}",
                    name=f"Measure {number}-{m}",
                    unit="percent",
                    direction="higher",
                    baseline_value=50,
                    target_value=90,
                )
                for m in range(LARGE["measures_per_plan"])
            ],
            Measure,
        )
        MeasurePlacement.objects.bulk_create(
            [MeasurePlacement(measure=m, objective=objectives[i % 10], order=i) for i, m in enumerate(measures)]
        )
        bulk_create_with_history(
            [Figure(measure=m, month=mo, value=40 + (i + j) % 55) for i, m in enumerate(measures)
             for j, mo in enumerate(months)],
            Figure, batch_size=5000,
        )
        ActionUpdate.objects.bulk_create(
            [ActionUpdate(action=a, author=user, status="on_track", commentary="Progress as planned")
             for a in actions for _ in range(LARGE["updates_per_action"])],
            batch_size=5000,
        )


def page_weight(html: bytes) -> int:
    """Bytes over the wire, gzip-compressed as served: the page and every CSS and JS file it names."""
    total = len(gzip.compress(html))
    for path in set(re.findall(rb'(?:href|src)="/static/([^"?#]+)"', html)):
        asset = Path(settings.BASE_DIR / "improvement" / "static" / path.decode())
        if asset.suffix in {".css", ".js"} and asset.exists():
            total += len(gzip.compress(asset.read_bytes()))
    return total


def measure(client, url, runs, headers):
    client.get(url, headers=headers)  # warm-up
    samples, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, headers=headers)
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, queries, page_weight(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["knowsley", "large"], default="knowsley")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from django.core.management import call_command

    from governance.models import Board, BoardReport, Meeting
    from plans.models import Plan

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    # Plain static URLs: the manifest needs collectstatic, which changes nothing the pages do.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("setup_demo", stdout=open(os.devnull, "w"))
        today = timezone.localdate()
        if args.size == "large":
            build_large(today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in a running database
        plan = Plan.objects.get(slug="knowsley-improvement-plan-2025")
        meeting = Meeting.objects.create(board=Board.objects.get(slug="knowsley-improvement-board"), date=today)
        report = BoardReport.objects.create(meeting=meeting, plan=plan, as_at=today, title="Bench report")
        client = Client()
        client.force_login(get_user_model().objects.get(username="board"))
        as_at = (today - datetime.timedelta(days=90)).isoformat()
        Plan.objects.filter(pk=plan.pk).update(public_progress=True)
        from improvement.models import ApiToken

        key = ApiToken.issue(user=get_user_model().objects.get(username="board"), name="bench", issued_by=None)[1]
        token = {"Authorization": f"Bearer {key}"}
        pages = [
            ("trivial page (accessibility statement)", reverse("accessibility")),
            ("dashboard", reverse("governance:dashboard", args=[plan.slug])),
            ("dashboard as at 90 days ago", reverse("governance:dashboard", args=[plan.slug]) + f"?as_at={as_at}"),
            ("objective", reverse("plans:objective_detail", args=[plan.slug, 4])),
            ("action list", reverse("plans:action_list", args=[plan.slug])),
            ("measure", reverse("measures:measure_detail", args=[plan.slug, "SICKNESS"])),
            ("board report (draft, built live)", report.get_absolute_url()),
            ("public progress page (signed out, cached)", reverse("public_progress", args=[plan.slug])),
            ("API: actions, all plans, 100 a page", "/api/v1/actions/"),
            ("API: actions as at 90 days ago", f"/api/v1/actions/?as_at={as_at}"),
            ("API: measures, all plans, 100 a page", "/api/v1/measures/"),
            ("API: figures, all plans, 1000 a page", "/api/v1/figures/?page_size=1000"),
            ("API: objectives, all plans, 100 a page", "/api/v1/objectives/"),
        ]
        anonymous = Client()
        from improvement.wsgi import tune_garbage_collection

        tune_garbage_collection()  # as gunicorn's workers run
        from measures.models import Figure, Measure
        from plans.models import Action, ActionUpdate

        print(f"database: {connection.vendor}; size: {args.size}; plans {Plan.objects.count()}, "
              f"actions {Action.objects.count()}, measures {Measure.objects.count()}, "
              f"figures {Figure.objects.count()}, updates {ActionUpdate.objects.count()}; runs: {args.runs}")
        print(f"{'page':42} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'weight KB (gzip)':>17}")
        floor = None
        for name, url in pages:
            if url.startswith("/public/"):
                median, p95, queries, weight = measure(anonymous, url, args.runs, {})
            else:
                median, p95, queries, weight = measure(client, url, args.runs, token if url.startswith("/api/") else {})
            floor = floor or median
            print(
                f"{name:42} {median:9.1f} {p95:8.1f} {queries:7d} {weight / 1024:17.0f}   {median / floor:4.1f}x floor"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
