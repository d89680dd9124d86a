"""How a sheet of figures is laid out, and what each row of it gives: a measure, a month, a value, a note.

Layouts: the template's and councils' scorecards (one row per measure, one column per month, with title
rows, two-row headings and Ref columns), the long one (one row per measure and month) and a notes sheet
(measure, month, note). Whatever is not read as a figure is listed as skipped, with the reason.
"""

import datetime
import re
from dataclasses import dataclass

from measures.import_cells import (
    NOTE_LENGTH,
    Heading,
    MeasureIndex,
    clean_note,
    normalise,
    numeric_month,
    read_heading,
    read_year,
    resolve_numeric_dates,
)
from measures.models import Measure
from measures.workbooks import Cell, Sheet

KEY_HEADINGS = {
    "code": "code", "measure code": "code", "kpi code": "code", "indicator code": "code",
    "measure": "any", "kpi": "any", "ref": "any", "reference": "any", "ref no": "any", "id": "any", "no": "any",
    "measure name": "name", "name": "name", "indicator": "name", "performance indicator": "name",
    "description": "name", "metric": "name", "performance measure": "name", "title": "name", "measure title": "name",
}
MONTH_HEADINGS = {"month", "period", "month of figure"}
VALUE_HEADINGS = {"value", "figure"}
NOTE_HEADINGS = {"note", "notes", "comment", "comments"}
TOTAL_ROW = re.compile(r"^(grand )?totals?\b|^notes?\b|^sources?\b|^key\b|^footnotes?\b|^average\b|^sum\b|^\*")
HEADER_SEARCH_ROWS = 30


@dataclass(slots=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message



@dataclass(slots=True)
class FileFigure:
    """One measure and month as a sheet gives it: a value cell, a note, or both."""

    measure: Measure
    month: datetime.date
    cell: Cell | None  # the value's cell; None when a notes sheet gives only the note
    note: str | None = None
    note_cell: Cell | None = None
    decimal_comma: bool | None = False



def read_sheet(sheet: Sheet, index: MeasureIndex, preview, *, only_sheet: bool) -> list[FileFigure]:
    """The figures one sheet gives, its skipped cells and problems added to the preview as they are met."""
    rows = [row for row in sheet.rows if any(cell.value not in (None, "") for cell in row)]
    if not rows:
        if only_sheet or normalise(sheet.name) == "figures":
            preview.errors.append(Problem(sheet.name, "this sheet is empty: there are no figures to import."))
        return []
    header_at, layout = _find_header(rows)
    if layout is None:
        preview.skipped.append(Problem(sheet.name, "this sheet has no month headings and no Month and Value "
                                                   "columns, so nothing on it was read as a figure."))
        return []
    for row in rows[:header_at - (1 if layout == "template" and _is_year_row(rows, header_at) else 0)]:
        first = next(cell for cell in row if cell.value not in (None, ""))
        preview.skipped.append(Problem(first.where, f"“{_short(first.value)}”: above the column headings, so "
                                                    "not read as a figure."))
    preview.layout = preview.layout or layout
    reader = _read_long if layout == "long" else _read_wide
    return reader(sheet, rows, header_at, index, preview)


def _short(value, length=40):
    text = str(value).strip()
    return text if len(text) <= length else text[: length - 1] + "…"


def _find_header(rows) -> tuple[int, str | None]:
    """The row of column headings: the first with Month and Value (or Note) headings, else the one with the
    most month headings (a code or name heading breaking a tie, then the lower row: titles sit above)."""
    best, best_score = 0, 0
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = {normalise(cell.value) for cell in row if isinstance(cell.value, str)}
        if texts & MONTH_HEADINGS and texts & (VALUE_HEADINGS | NOTE_HEADINGS):
            return position, "long"
        months = sum(1 for cell in row if cell.value is not None and read_heading(cell.value).is_monthish)
        score = months * 2 + (1 if texts & set(KEY_HEADINGS) else 0)
        if months and score >= best_score:
            best, best_score = position, score
    return (best, "template") if best_score else (0, None)


def _is_year_row(rows, header_at):
    return header_at > 0 and any(read_year(cell.value) for cell in rows[header_at - 1])


def _resolve_numeric(cells_and_dates, preview, what):
    """Months for cells holding dates like 01/03/2025, the order (day or month first) decided by the run."""
    if not cells_and_dates:
        return {}
    order, why = resolve_numeric_dates([date for _, date in cells_and_dates])
    if order is None:
        for cell, _ in cells_and_dates:
            preview.errors.append(Problem(cell.where, f"“{cell.value}” {why}."))
        return {}
    if why:
        first = cells_and_dates[0][0]
        preview.warnings.append(Problem(first.where, f"the {what} are read month first: “{first.value}” is "
                                                     f"{numeric_month(cells_and_dates[0][1], order):%B %Y}; {why}."))
    return {id(cell): numeric_month(date, order) for cell, date in cells_and_dates}


def _read_wide(sheet: Sheet, rows, header_at, index, preview) -> list[FileFigure]:
    header = rows[header_at]
    above = rows[header_at - 1] if _is_year_row(rows, header_at) else []
    years, year = {}, None
    for position in range(max(len(header), len(above))):
        if position < len(above) and above[position].value not in (None, ""):
            year = read_year(above[position].value)  # a merged year heading covers the columns to its right
        years[position] = year

    month_columns, numeric = {}, []
    label_positions = []
    for position, cell in enumerate(header):
        if cell.value in (None, ""):
            continue
        heading = read_heading(cell.value)
        if heading.month:
            month_columns[position] = heading.month
        elif heading.month_number:
            month = _with_year(heading, years.get(position))
            if month is None:
                preview.skipped.append(Problem(cell.where, f"“{cell.value}” has no year (in the heading or the row "
                                                           "above), so its cells were not imported: write it as e.g. "
                                                           "Apr-25."))
                continue
            month_columns[position] = month
        elif heading.numeric:
            numeric.append((cell, heading.numeric))
        else:
            label_positions.append(position)
            continue
        if heading.warning:
            preview.warnings.append(Problem(cell.where, f"heading “{cell.value}”: {heading.warning}."))
    resolved = _resolve_numeric(numeric, preview, "month headings")
    for cell, _ in numeric:
        if id(cell) in resolved:
            month_columns[cell.column - 1] = resolved[id(cell)]
    if not month_columns:
        preview.errors.append(Problem(sheet.name, "no column heading is a month, and there are no Month and Value "
                                                  "columns: use the template from the Import figures page."))
        return []

    roles = {}
    for position in label_positions:
        text = normalise(header[position].value)
        if text in KEY_HEADINGS:
            roles[position] = KEY_HEADINGS[text]
    if not roles:  # no Code or Measure heading: the columns before the first month name the measure
        roles = {position: "any" for position in range(min(month_columns)) if position not in month_columns}
    data = rows[header_at + 1:]
    for position in label_positions:
        if position in roles:
            continue
        cell = header[position]
        filled = sum(1 for row in data if position < len(row) and row[position].value not in (None, ""))
        reason = read_heading(cell.value).reason or "is not a month, so its cells were not read as figures"
        if filled or read_heading(cell.value).reason:
            preview.skipped.append(Problem(cell.where, f"column “{_short(cell.value)}” {reason} ({filled} filled "
                                                       f"cell{'s' if filled != 1 else ''})."))
    _skip_unheaded(data, set(month_columns) | set(roles) | set(label_positions), preview)

    found = []
    for row in data:
        values = [(row[position], month) for position, month in month_columns.items()
                  if position < len(row) and row[position].value not in (None, "")]
        if not values:
            continue  # a section heading, or a measure with no figures in this file
        keys = [(row[position], role) for position, role in roles.items()
                if position < len(row) and row[position].value not in (None, "")]
        measure = _row_measure(keys, row, values, index, preview)
        if measure:
            found += [FileFigure(measure, month, cell, decimal_comma=sheet.decimal_comma) for cell, month in values]
    return found


def _skip_unheaded(data, headed, preview):
    """Filled cells in columns with no heading: listed, so that every cell of the file is accounted for."""
    unheaded = {}
    for row in data:
        for cell in row:
            if cell.value not in (None, "") and cell.column - 1 not in headed:
                unheaded.setdefault(cell.column - 1, []).append(cell)
    for cells in unheaded.values():
        said = "its filled cell was" if len(cells) == 1 else f"its {len(cells)} filled cells were"
        preview.skipped.append(Problem(cells[0].where, f"this column has no heading, so {said} not read as figures."))


def _with_year(heading: Heading, year):
    if year is None:
        return None
    first, financial = year
    if financial and heading.month_number < 4:  # a financial year runs April to March
        first += 1
    return datetime.date(first, heading.month_number, 1)


def _row_measure(keys, row, values, index, preview):
    measure, disagreement, where = index.match(keys)
    if measure:
        return measure
    if disagreement:
        preview.errors.append(Problem(where.where, disagreement))
        return None
    label = next((cell for cell, _ in keys), None) or next((cell for cell in row if isinstance(cell.value, str)), None)
    if label is None:
        preview.errors.append(Problem(row[0].where, "this row has figures but no measure code or name."))
    elif TOTAL_ROW.match(normalise(label.value)):
        cells = "its filled cell was" if len(values) == 1 else f"its {len(values)} filled cells were"
        preview.skipped.append(Problem(label.where, f"“{_short(label.value)}” is a total or notes row, not a measure: "
                                                    f"{cells} not imported."))
    else:
        preview.errors.append(Problem(label.where, f"no measure in this plan is called “{label.value}”."
                                      + index.suggest(label.value)))
    return None


def _read_long(sheet: Sheet, rows, header_at, index, preview) -> list[FileFigure]:
    header = rows[header_at]
    columns, roles = {}, {}
    for position, cell in enumerate(header):
        text = normalise(cell.value) if isinstance(cell.value, str) else ""
        for name, headings in (("month", MONTH_HEADINGS), ("value", VALUE_HEADINGS), ("note", NOTE_HEADINGS)):
            if text in headings and name not in columns:
                columns[name] = position
                break
        else:
            if text in KEY_HEADINGS:
                roles[position] = KEY_HEADINGS[text]
            elif cell.value not in (None, ""):
                said = f"column “{_short(cell.value)}” is not Code, Measure, Month, Value or Note"
                preview.skipped.append(Problem(cell.where, f"{said}, so its cells were not read."))
    data = rows[header_at + 1:]
    _skip_unheaded(data, {position for position, cell in enumerate(header) if cell.value not in (None, "")}, preview)

    def cell_at(row, name):
        position = columns.get(name)
        return row[position] if position is not None and position < len(row) else None

    numeric = []
    for row in data:
        month_cell = cell_at(row, "month")
        if month_cell is not None and month_cell.value not in (None, ""):
            heading = read_heading(month_cell.value)
            if heading.numeric:
                numeric.append((month_cell, heading.numeric))
    resolved = _resolve_numeric(numeric, preview, "months")

    found = []
    for row in data:
        value_cell, note_cell, month_cell = cell_at(row, "value"), cell_at(row, "note"), cell_at(row, "month")
        has_value = value_cell is not None and value_cell.value not in (None, "")
        note = None if "note" not in columns else ""  # no note column: the held notes stay as they are
        if note_cell is not None and note_cell.value is not None:
            note = clean_note(note_cell.value)
            if len(note) > NOTE_LENGTH:
                preview.errors.append(Problem(note_cell.where, f"this note is {len(note)} characters long: a note can "
                                                               f"hold {NOTE_LENGTH}; shorten it."))
                continue
        if not has_value and not note:
            continue
        keys = [(row[position], role) for position, role in roles.items()
                if position < len(row) and row[position].value not in (None, "")]
        if not keys:
            where = row[0].where if row else sheet.name
            preview.errors.append(Problem(where, "this row has a value but no measure code or name."))
            continue
        measure = _row_measure(keys, row, [value_cell or note_cell], index, preview)
        if measure is None:
            continue
        if month_cell is None or month_cell.value in (None, ""):
            preview.errors.append(Problem(keys[0][0].where, "this row has no month."))
            continue
        heading = read_heading(month_cell.value)
        month = heading.month or resolved.get(id(month_cell))
        if month is None:
            if not heading.numeric:
                preview.errors.append(Problem(month_cell.where, f"“{month_cell.value}” is not a month (use e.g. Mar-25 "
                                                                "or 2025-03)."))
            continue
        if heading.warning:
            preview.warnings.append(Problem(month_cell.where, f"month “{month_cell.value}”: {heading.warning}."))
        found.append(FileFigure(measure, month, value_cell if has_value else None, note,
                                note_cell if note is not None else None, sheet.decimal_comma))
    return found


