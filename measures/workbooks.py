"""Open an uploaded figures file safely and read every cell, with where it was and its format.

Checks happen before anything is parsed: size, old or encrypted Excel files, zip bombs; openpyxl
uses defusedxml against XML entity tricks; the sheet's dimension record is not trusted.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileProblem(Exception):
    """The whole file cannot be read: one clear sentence, never a traceback."""


@dataclass
class Cell:
    """A value read from a sheet, with where it was and how it was formatted."""

    value: object
    where: str
    number_format: str = "General"


def read_rows(content: bytes, file_name: str) -> dict[str, list[list[Cell]]]:
    """{sheet name: rows of cells}, after checking the file is a spreadsheet it is safe to open."""
    if len(content) > settings.FIGURES_IMPORT_MAX_BYTES:
        limit = settings.FIGURES_IMPORT_MAX_BYTES // (1024 * 1024)
        raise FileProblem(f"The file is larger than the {limit} MB limit: split it, or remove sheets it does not need.")
    if not content.strip():
        raise FileProblem("The file is empty.")
    if content.startswith(OLE_MAGIC):
        raise FileProblem(
            "This is an old-style Excel .xls file or a password-protected workbook: open it in Excel, remove any "
            "password and save it as an Excel Workbook (.xlsx), then upload that."
        )
    if content.startswith(b"PK"):
        return _read_workbook(content)
    if file_name.lower().endswith(".csv") or _looks_like_text(content):
        return _read_csv(content, file_name)
    raise FileProblem("This file is not a spreadsheet: upload an Excel Workbook (.xlsx) or a CSV file.")


def _looks_like_text(content):
    try:
        content[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in content[:4096]


def _read_csv(content, file_name):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sheet = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "CSV"
    rows = []
    for row_number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        rows.append(
            [Cell(value.strip() or None, f"{sheet}!{get_column_letter(column)}{row_number}") for column, value in
             enumerate(row, start=1)]
        )
    return {sheet: rows}


def _read_workbook(content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise FileProblem("This file is damaged or is not an Excel workbook: open it in Excel and save it again.") from None
    unzipped = sum(member.file_size for member in members)
    if unzipped > settings.FIGURES_IMPORT_MAX_UNZIPPED_BYTES or unzipped > settings.FIGURES_IMPORT_MAX_ZIP_RATIO * len(
        content
    ):
        raise FileProblem("This workbook expands to far more data than a figures file holds, so it was not opened.")
    if "xl/workbook.xml" not in archive.namelist():
        raise FileProblem("This file is a zip archive but not an Excel workbook: upload an .xlsx file.")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds; all mean the same to the user
        if "Entit" in type(error).__name__ or "DTD" in type(error).__name__:
            raise FileProblem("This workbook contains XML that could be unsafe, so it was not opened.") from None
        raise FileProblem("This workbook could not be read: open it in Excel, save it again and upload it.") from None
    sheets = {}
    try:
        for sheet in workbook.worksheets:
            unsaved = _formulas_without_values(archive, sheet)
            sheet.reset_dimensions()  # the dimension record may lie: read every row
            rows = []
            for row_number, row in enumerate(sheet.iter_rows(), start=1):
                # Cells sit at their column's position, so a gap in a row never shifts the cells after it.
                cells = [Cell(None, f"{sheet.title}!{get_column_letter(column)}{row_number}")
                         for column in range(1, len(row) + 1)]
                for cell in row:
                    if getattr(cell, "column", None) is None:
                        continue  # an EmptyCell padding the row
                    where = f"{sheet.title}!{get_column_letter(cell.column)}{cell.row}"
                    value = "=formula" if where in unsaved else cell.value
                    cells[cell.column - 1] = Cell(value, where, cell.number_format or "General")
                rows.append(cells)
            sheets[sheet.title] = rows
    except Exception:
        raise FileProblem("This workbook could not be read: open it in Excel, save it again and upload it.") from None
    finally:
        workbook.close()
    return sheets


CELL_XML = re.compile(rb'<c\b(?P<attrs>[^>]*?)(?<!/)>(?P<body>.*?)</c>', re.DOTALL)
REF_XML = re.compile(rb'\br="([A-Z]+[0-9]+)"')
VALUE_XML = re.compile(rb"<v>[^<]+</v>")


def _formulas_without_values(archive, sheet):
    """Cells holding a formula whose result was never saved (openpyxl reads them as empty)."""
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return set()
    xml = archive.read(path.lstrip("/"))
    if b"<f" not in xml:
        return set()
    found = set()
    for match in CELL_XML.finditer(xml):
        body = match.group("body")
        if b"<f" in body and not VALUE_XML.search(body):
            ref = REF_XML.search(match.group("attrs"))
            if ref:
                found.add(f"{sheet.title}!{ref.group(1).decode()}")
    return found
