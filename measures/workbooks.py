"""Open an uploaded figures file safely and read every cell, with where it was and its format.

Checks happen before anything is parsed: size, old or encrypted Excel files, OpenDocument files, zip
bombs, XML with a document type declaration (entity tricks: openpyxl parses with lxml, which accepts
them, whenever lxml is installed); the sheet's dimension record is not trusted.
CSV files are read in whatever encoding, line ending and delimiter they were saved with.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileProblem(Exception):
    """The whole file cannot be read: one clear sentence, never a traceback."""


class Cell:
    """A value read from a sheet, with where it was and how it was formatted."""

    __slots__ = ("value", "sheet", "row", "column", "number_format")

    def __init__(self, value, sheet, row, column, number_format="General"):
        self.value, self.sheet, self.row, self.column, self.number_format = value, sheet, row, column, number_format

    @property
    def where(self):
        return f"{self.sheet}!{get_column_letter(self.column)}{self.row}"

    def __repr__(self):
        return f"Cell({self.value!r} at {self.where})"


@dataclass
class Sheet:
    """One sheet's rows, and how its text writes numbers (a decimal comma only where the file says so)."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    decimal_comma: bool | None = False  # None: the file writes decimals both ways


def read_rows(content: bytes, file_name: str) -> list[Sheet]:
    """Every sheet's rows of cells, after checking the file is a spreadsheet it is safe to open."""
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
    if file_name.lower().endswith((".csv", ".txt", ".tsv")) or _looks_like_text(content):
        return [_read_csv(content, file_name)]
    raise FileProblem("This file is not a spreadsheet: upload an Excel Workbook (.xlsx) or a CSV file.")


BOMS = [(b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")]


def _looks_like_text(content):
    if any(content.startswith(bom) for bom, _ in BOMS):
        return True
    try:
        content[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in content[:4096]


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without a BOM), UTF-16 and Windows-1252, as Excel and LibreOffice save CSV files."""
    for bom, encoding in BOMS:
        if content.startswith(bom):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" not in content:
        try:
            return content.decode("cp1252")  # what Excel on Windows saves as "CSV" in the UK
        except UnicodeDecodeError:
            pass
    best = from_bytes(content).best()
    if best is None:
        raise FileProblem("This file's text could not be read: save it from Excel as “CSV UTF-8” and upload that.")
    return str(best)


DELIMITERS = [",", ";", "\t", "|"]
COMMA_DECIMAL = re.compile(r"^[-+]?\d+,\d+\s*%?$")
POINT_DECIMAL = re.compile(r"^[-+]?\d+\.\d+\s*%?$")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of fields most often (comma on a tie)."""
    sample = text[:65536].splitlines()[:50]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        counts = [len(fields) for fields in csv.reader(sample, delimiter=delimiter)]
        counts = [count for count in counts if count > 1]
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        score = counts.count(modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(content, file_name):
    text = decode_text(content).replace("\x00", "")
    delimiter = sniff_delimiter(text)
    sheet = Sheet(file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "CSV")
    # newline="": the csv module then ends a line at CR, LF or CRLF, and keeps line breaks inside quotes.
    for row_number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        sheet.rows.append([Cell(value.strip() or None, sheet.name, row_number, column)
                           for column, value in enumerate(row, start=1)])
    # A decimal comma only where the file's locale says so: a semicolon or tab between fields and decimals
    # written with commas, never with points.
    # Both in one such file: neither can be read safely (None).
    if delimiter != ",":
        texts = [cell.value for row in sheet.rows for cell in row if cell.value]
        commas = any(COMMA_DECIMAL.match(value) for value in texts)
        points = any(POINT_DECIMAL.match(value) for value in texts)
        sheet.decimal_comma = None if commas and points else commas
    return sheet


UNSAFE_XML = ("This workbook contains XML that could be unsafe, so it was not opened: open it in Excel, save it as "
              "an Excel Workbook (.xlsx) and upload that.")
XML_PARTS = (".xml", ".rels", ".vml")
# Excel never writes a document type declaration; entities are declared in one. In any encoding XML allows.
DOCTYPE_MARKS = tuple(b"<!DOCTYPE".decode().encode(encoding) for encoding in
                      ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"))
SCAN_CHUNK = 1024 * 1024


def _declares_a_document_type(archive, member):
    """Whether an XML part of the workbook holds <!DOCTYPE, read in chunks (its size is already bounded)."""
    if not member.filename.lower().endswith(XML_PARTS):
        return False
    overlap = max(len(mark) for mark in DOCTYPE_MARKS) - 1
    tail = b""
    with archive.open(member) as part:
        while chunk := part.read(SCAN_CHUNK):
            window = tail + chunk
            if any(mark in window for mark in DOCTYPE_MARKS):
                return True
            tail = window[-overlap:]
    return False


def _read_workbook(content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise FileProblem(
            "This file is damaged or is not an Excel workbook: open it in Excel and save it again."
        ) from None
    unzipped = sum(member.file_size for member in members)
    if unzipped > settings.FIGURES_IMPORT_MAX_UNZIPPED_BYTES or unzipped > settings.FIGURES_IMPORT_MAX_ZIP_RATIO * len(
        content
    ):
        raise FileProblem("This workbook expands to far more data than a figures file holds, so it was not opened.")
    names = archive.namelist()
    if "xl/workbook.xml" not in names:
        if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
            raise FileProblem("This is an OpenDocument spreadsheet (.ods): open it in LibreOffice Calc or Excel, "
                              "save it as an Excel Workbook (.xlsx) and upload that.")
        raise FileProblem("This file is a zip archive but not an Excel workbook: upload an .xlsx file.")
    try:
        unsafe = any(_declares_a_document_type(archive, member) for member in members)
    except Exception:  # a damaged or unsupported member: zlib, CRC and compression errors alike
        raise FileProblem("This workbook could not be read: open it in Excel, save it again and upload it.") from None
    if unsafe:
        raise FileProblem(UNSAFE_XML)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds; all mean the same to the user
        if "Entit" in type(error).__name__ or "DTD" in type(error).__name__:
            raise FileProblem(UNSAFE_XML) from None
        raise FileProblem("This workbook could not be read: open it in Excel, save it again and upload it.") from None
    sheets = []
    try:
        for sheet in workbook.worksheets:
            unsaved = _formulas_without_values(archive, sheet)
            sheet.reset_dimensions()  # the dimension record may lie: read every row
            title = sheet.title
            read = Sheet(title)
            for row_number, row in enumerate(sheet.iter_rows(), start=1):
                # Cells sit at their column's position, so a gap in a row never shifts the cells after it.
                cells = [None] * len(row)
                for cell in row:
                    column = getattr(cell, "column", None)
                    if column is None:
                        continue  # an EmptyCell padding the row
                    value = cell.value
                    if unsaved and f"{title}!{cell.coordinate}" in unsaved:
                        value = "=formula"
                    elif value is None:
                        continue
                    # Only a number's format matters (a percentage); reading it costs, so only numbers do.
                    number_format = (cell.number_format or "General") if type(value) in (int, float) else "General"
                    cells[column - 1] = Cell(value, title, cell.row, column, number_format)
                read.rows.append([cell or Cell(None, title, row_number, column) for column, cell in
                                  enumerate(cells, start=1)])
            sheets.append(read)
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
