"""Import time of a 10,000-figure workbook beside openpyxl's raw read of the same file, and of a council's
wide scorecard (36 measures x 24 months, title rows and a year above month names).

    .venv/bin/python bench/import_figures.py [--runs 5] [--layout long|template]

Runs against a throwaway test database (SQLite by default; set DATABASE_URL for PostgreSQL) with a
plan of 200 measures and 50 months of figures. Prints medians of several runs; it is a benchmark,
not a test.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

MEASURES, MONTHS = 200, 50
TODAY = datetime.date(2026, 11, 15)


def build_plan():
    from measures.models import Measure, MeasurePlacement
    from plans.models import Objective, Plan

    plan = Plan.objects.create(slug="bench", title="Bench plan", organisation="Bench Council")
    objective = Objective.objects.create(plan=plan, number=1, name="Everything")
    for number in range(MEASURES):
        measure = Measure.objects.create(
            plan=plan, code=f"M{number:03d}", name=f"Measure {number}", unit="percent", direction="higher",
            baseline_value=50, target_value=90,
        )
        MeasurePlacement.objects.create(measure=measure, objective=objective, order=number)
    return plan


def months():
    month = datetime.date(2022, 9, 1)
    result = []
    for _ in range(MONTHS):
        result.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


def workbook_bytes(layout):
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    if layout == "long":
        sheet.append(["Code", "Month", "Value", "Note"])
        for number in range(MEASURES):
            for index, month in enumerate(months()):
                sheet.append([f"M{number:03d}", month, 50 + (number + index) % 40, ""])
    else:
        sheet.append(["Code", "Measure", *months()])
        for number in range(MEASURES):
            sheet.append([f"M{number:03d}", f"Measure {number}", *[50 + (number + i) % 40 for i in range(MONTHS)]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def scorecard_bytes():
    """36 measures x 24 months as councils keep them: title rows, a Ref column, financial years above month
    names, n/a and TBC, a Total row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Scorecard"
    sheet.append(["Children's Services Performance Scorecard"])
    sheet.append(["Produced", TODAY])
    sheet.append([])
    sheet.append(["Ref", "Measure", "2023/24", *[None] * 11, "2024/25", *[None] * 11])
    sheet.append(
        [None, None, *["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"] * 2]
    )
    for number in range(36):
        values = [50 + (number + i) % 20 for i in range(24)]
        values[number % 24] = "n/a" if number % 2 else "TBC"
        sheet.append([f"{number // 6 + 1}.{number % 6 + 1}", f"Measure {number}", *values])
    sheet.append([None, "Total", *[1000] * 24])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def raw_read(content):
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        for row in sheet.iter_rows():
            for cell in row:
                cell.value  # noqa: B018
    book.close()


def timed(function, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), max(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--layout", choices=["long", "template"], default="long")
    args = parser.parse_args()

    from measures.importing import commit_import, preview_file, save_upload
    from measures.models import Figure

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        plan = build_plan()
        user = get_user_model().objects.create_user("bench")
        content = workbook_bytes(args.layout)
        raw_median, raw_max = timed(lambda: raw_read(content), args.runs)
        preview_median, preview_max = timed(
            lambda: preview_file(plan=plan, content=content, file_name="bench.xlsx", today=TODAY), args.runs
        )

        def commit_fresh():
            Figure.objects.all().delete()
            upload = save_upload(plan=plan, content=content, file_name="bench.xlsx", user=user)
            commit_import(upload=upload, user=user, today=TODAY, confirmed=True)

        commit_median, commit_max = timed(commit_fresh, max(1, args.runs // 2))
        figures = Figure.objects.count()

        def reimport():
            upload = save_upload(plan=plan, content=content, file_name="bench.xlsx", user=user)
            commit_import(upload=upload, user=user, today=TODAY, confirmed=True)

        reimport_median, _ = timed(reimport, max(1, args.runs // 2))

        scorecard = scorecard_bytes()
        scorecard_median, scorecard_max = timed(
            lambda: preview_file(plan=plan, content=scorecard, file_name="scorecard.xlsx", today=TODAY), args.runs
        )
        scorecard_preview = preview_file(plan=plan, content=scorecard, file_name="scorecard.xlsx", today=TODAY)
        assert not scorecard_preview.errors, scorecard_preview.errors[:3]
        scorecard_figures = len(scorecard_preview.changes)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"database: {connection.vendor}; layout: {args.layout}; file: {len(content) / 1024:.0f} KB; "
          f"figures: {figures}; runs: {args.runs}")
    print(f"openpyxl raw read (read-only, every cell)     median {raw_median:6.2f} s   max {raw_max:6.2f} s")
    print(f"import preview (read + check + diff)          median {preview_median:6.2f} s   max {preview_max:6.2f} s   "
          f"{preview_median / raw_median:4.2f}x raw read")
    print(f"import commit, all new (preview + write)      median {commit_median:6.2f} s   max {commit_max:6.2f} s   "
          f"{commit_median / raw_median:4.2f}x raw read")
    print(f"re-import, nothing changed (no writes)        median {reimport_median:6.2f} s")
    print(f"scorecard preview, 36 x 24 ({scorecard_figures} figures)   median {scorecard_median:6.2f} s   "
          f"max {scorecard_max:6.2f} s")


if __name__ == "__main__":
    main()
