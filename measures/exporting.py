"""The figures workbook: the import template, and the export (the same layout, filled in).

Exporting then importing changes nothing: the export is exactly what the importer reads.
"""

import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from measures.models import Figure, latest_expected_month

HEADERS = ["Code", "Objective", "Measure", "Unit", "Direction", "Baseline", "Target"]
INSTRUCTIONS = [
    "How to fill in this workbook",
    "",
    "1. Enter each month's figure in the column for that month, on the measure's row.",
    "2. Percentages: type 82 or 82% (or 0.82 formatted as a percentage). A bare 0.82 is refused as a fraction.",
    "3. Small cohorts: you may type '3 of 4' or '3/4'; the importer keeps the numerator and denominator.",
    "4. Leave a cell empty when there is no figure. Do not add formulas without letting Excel calculate them.",
    "5. Do not change the Code column: it is how each row is matched to its measure.",
    "6. Upload the file on the Import figures page: you will see every change before anything is saved.",
    "",
    "You can also use one row per figure, with columns Measure (or Code), Month, Value and Note.",
]


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def figures_workbook(*, plan, today: datetime.date, with_figures: bool) -> bytes:
    measures = list(plan.measures.prefetch_related("placements__objective").order_by("code"))
    figures = {}
    if with_figures:
        figures = {(f.measure_id, f.month): f for f in Figure.objects.filter(measure__plan=plan)}
    first = min([plan.published or today] + [month for _, month in figures])
    months = month_range(first, latest_expected_month(today))

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(HEADERS + months)
    for column in range(len(HEADERS) + 1, len(HEADERS) + len(months) + 1):
        sheet.cell(row=1, column=column).number_format = "mmm-yy"
    for measure in measures:
        objectives = "; ".join(str(placement.objective.number) for placement in measure.placements.all())
        row = [measure.code, objectives, measure.name, measure.get_unit_display(), measure.get_direction_display(),
               measure.baseline_display, measure.target_display]
        for month in months:
            figure = figures.get((measure.pk, month))
            if figure is None:
                row.append(None)
            elif figure.denominator:
                row.append(f"{figure.numerator} of {figure.denominator}")
            else:
                row.append(float(figure.value))
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: never a formula, whatever it starts with
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    sheet.freeze_panes = sheet.cell(row=2, column=len(HEADERS) + 1)
    for column, width in zip("ABCDEFG", [20, 10, 50, 12, 16, 18, 22]):
        sheet.column_dimensions[column].width = width
    for position in range(len(HEADERS) + 1, len(HEADERS) + len(months) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 10

    notes = workbook.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    for cells in notes.iter_rows():
        cells[0].alignment = Alignment(wrap_text=True)
        cells[0].data_type = "s"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
