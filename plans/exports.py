"""Download a django-tables2 table exactly as filtered, as Excel or CSV, with text kept as text.

A cell starting with = + - @ would run as a formula when opened in Excel (CSV injection); in .xlsx
such cells are stored as strings, and in CSV they are prefixed with an apostrophe.
"""

import csv
import io
import re

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font

from plans.bounds import spreadsheet_text

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INVALID_TITLE = re.compile(r"[\\/*?:\[\]]")  # characters Excel refuses in a sheet's name
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    value = spreadsheet_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def keep_text_as_text(cells):
    """Text cells stored as strings: never a formula, whatever they start with (CSV injection)."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def bold_header(sheet):
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def xlsx_bytes(rows, title="Export"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = INVALID_TITLE.sub(" ", title)[:31] or "Export"
    for row in rows:
        sheet.append([spreadsheet_text(value) if value is not None else "" for value in row])
    for row in sheet.iter_rows():
        keep_text_as_text(row)
    bold_header(sheet)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue()


def export_response(rows, *, name, export_format):
    filename = slugify(name) or "export"
    if export_format == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, title=name), content_type=XLSX_TYPE)
    else:
        response = HttpResponse("\ufeff" + csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response


class TableExportMixin:
    """?_export=xlsx or ?_export=csv on a SingleTableMixin view downloads the table as filtered."""

    export_formats = ("xlsx", "csv")
    export_name = "export"

    def render_to_response(self, context, **kwargs):
        export_format = self.request.GET.get("_export")
        if export_format in self.export_formats:
            rows = list(context["table"].as_values())
            return export_response(rows, name=self.get_export_name(), export_format=export_format)
        return super().render_to_response(context, **kwargs)

    def get_export_name(self):
        return self.export_name
