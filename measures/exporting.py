"""The figures workbook: the import template, and the export (the same layout, filled in).

Exporting then importing changes nothing: the export is exactly what the importer reads, values and
notes alike (notes on their own sheet, one row per figure that has one).
"""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from measures.models import Figure, Unit, latest_expected_month
from plans.exports import bold_header, keep_text_as_text
from plans.months import month_range

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
    "",
    "Notes: the Figure notes sheet has one row per figure with a note (Code, Measure, Month, Note). Change a note",
    "there; an empty Note cell removes the note. A figure not listed there keeps the note it has.",
    "Leave a cell empty, or write n/a, TBC or NYA, when there is no figure: nothing is stored and a figure already",
    "held is kept.",
]
NOTES_SHEET = "Figure notes"
NOTES_HEADERS = ["Code", "Measure", "Month", "Note"]


def figures_workbook(*, plan, today: datetime.date, with_figures: bool) -> bytes:
    measures = list(plan.measures.prefetch_related("placements__objective").order_by("code"))
    figures = {}
    if with_figures:
        figures = {(f.measure_id, f.month): f for f in Figure.objects.filter(measure__plan=plan)}
    first = min([plan.published or today] + [month for _, month in figures])
    months = month_range(first, max([latest_expected_month(today)] + [month for _, month in figures]))

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(HEADERS + months)
    for column in range(len(HEADERS) + 1, len(HEADERS) + len(months) + 1):
        sheet.cell(row=1, column=column).number_format = "mmm-yy"
    for measure in measures:
        objectives = "; ".join(str(placement.objective.number) for placement in measure.placements.all())
        row = [
            measure.code,
            objectives,
            _text(measure.name),
            measure.get_unit_display(),
            measure.get_direction_display(),
            measure.baseline_display,
            measure.target_display,
        ]
        for month in months:
            row.append(_cell_value(figures.get((measure.pk, month)), measure))
        sheet.append(row)
        for position, month in enumerate(months, start=len(HEADERS) + 1):
            figure = figures.get((measure.pk, month))
            if figure is not None and measure.unit == Unit.PERCENT and not _fraction_text(figure):
                sheet.cell(row=sheet.max_row, column=position).number_format = _percent_format(figure.value)
    for cells in sheet.iter_rows():
        keep_text_as_text(cells)
    bold_header(sheet)
    for cell in sheet[1]:
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    sheet.freeze_panes = sheet.cell(row=2, column=len(HEADERS) + 1)
    for column, width in zip("ABCDEFG", [20, 10, 50, 12, 16, 18, 22]):
        sheet.column_dimensions[column].width = width
    for position in range(len(HEADERS) + 1, len(HEADERS) + len(months) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 10

    noted = workbook.create_sheet(NOTES_SHEET)
    noted.append(NOTES_HEADERS)
    by_pk = {measure.pk: measure for measure in measures}
    for (measure_id, month), figure in sorted(figures.items(), key=lambda item: (by_pk[item[0][0]].code, item[0][1])):
        if figure.note:
            noted.append([by_pk[measure_id].code, _text(by_pk[measure_id].name), month, _text(figure.note)])
            noted.cell(row=noted.max_row, column=3).number_format = "mmm-yy"
    for cells in noted.iter_rows(min_row=2):
        keep_text_as_text((cells[0], cells[1], cells[3]))
    bold_header(noted)
    for column, width in zip("ABCD", [20, 50, 10, 80]):
        noted.column_dimensions[column].width = width

    notes = workbook.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 110
    for cells in notes.iter_rows():
        cells[0].alignment = Alignment(wrap_text=True)
        keep_text_as_text(cells[:1])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fraction_text(figure):
    """“3 of 4” where the figure was given as a fraction and its value is that fraction, as the importer reads it."""
    if not figure.denominator or figure.numerator is None:
        return ""
    scale = 100 if figure.measure.unit == Unit.PERCENT else 1
    computed = (Decimal(figure.numerator) * scale / Decimal(figure.denominator)).quantize(Decimal("0.01"))
    return f"{figure.numerator} of {figure.denominator}" if computed == figure.value else ""


def _cell_value(figure, measure):
    if figure is None:
        return None
    figure.measure = measure
    text = _fraction_text(figure)
    if text:
        return text
    if measure.unit == Unit.PERCENT:
        return float(figure.value / 100)  # with a % format: 0.5% stays 0.5%, never a "fraction"
    return int(figure.value) if figure.value == figure.value.to_integral_value() else float(figure.value)


def _percent_format(value):
    places = max(0, -value.normalize().as_tuple().exponent)
    return "0%" if places == 0 else f"0.{'0' * places}%"


def _text(value):
    """Stored text as a cell can hold it: control characters a worksheet refuses are left out."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)
