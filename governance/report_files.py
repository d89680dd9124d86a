"""A board report as PDF (A4, tagged PDF/UA), Excel and Word, built from its snapshot only.

The PDF is the page's own HTML (governance/includes/_report_body.html) laid out by WeasyPrint with a print
stylesheet: one template for the screen and for paper.
"""

import copy
import datetime
import io

from django.template.loader import render_to_string

from governance.models import BoardReport
from governance.reports import render_report_body
from plans.bounds import clean_text

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NARRATIVE = [
    ("analysis", "Analysis"),
    ("recommendations", "Recommendations"),
    ("evidence_of_impact", "Evidence of impact"),
    ("views_of_staff_and_children", "Views of frontline staff, children and young people"),
]


# Left-to-right and right-to-left overrides draw letters backwards ("evil" printed as "live"): on paper text
# keeps its own order (marks and isolates, which only order whole words, stay).
OVERRIDES = str.maketrans("", "", "\u202d\u202e")


def _text(value: str) -> str:
    return clean_text(value).translate(OVERRIDES)


def cleaned(value):
    """The snapshot without control characters: an issued report's is frozen with whatever text it was issued with."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    return value


def _cleaned_report(report):
    report = copy.copy(report)
    for field in BoardReport.TEXT:
        setattr(report, field, _text(getattr(report, field) or ""))
    return report


def report_html(report, snap) -> str:
    """The whole report as one HTML document for print: running header, page numbers, the page's body."""
    report, snap = _cleaned_report(report), cleaned(snap)
    return render_to_string(
        "governance/report_print.html", {"report": report, "snap": snap, "body": render_report_body(report, snap)}
    )


def report_pdf(report, snap) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    return HTML(string=report_html(report, snap)).write_pdf(pdf_variant="pdf/ua-1")


def _month(label):
    """A month as a date for Excel: the snapshot holds ISO dates ("2025-03-01") or labels ("March 2025")."""
    if not label:
        return None
    for parse in (datetime.date.fromisoformat, lambda text: datetime.datetime.strptime(text, "%B %Y").date()):
        try:
            return parse(label)
        except ValueError:
            continue
    return None


def _unit(measure):
    shown = " ".join(str(measure.get(key) or "") for key in ("value", "target", "baseline"))
    if "%" in shown:
        return "percent"
    return "days" if "days" in shown else "number"


NUMBER_FORMATS = {"percent": "0.0#%", "days": '0.0# "days"', "number": "#,##0.##"}


def _figure(value, unit):
    return None if value is None else (value / 100 if unit == "percent" else value)


def _latest(measure):
    for month, value in reversed(measure.get("series") or []):
        if month == measure.get("month"):
            return value
    return None


def report_xlsx(report, snap) -> bytes:
    """Sheets for the summary, actions, measures and narrative, each under the report's title and "as at" row;
    numbers as numbers and dates as dates, with Excel number formats for how they read."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from plans.bounds import spreadsheet_text

    as_at = datetime.date.fromisoformat(snap["as_at"])
    state = (f"Issued {report.issued_at:%-d %B %Y}" if report.is_issued else "Draft: not yet issued")
    workbook = Workbook()

    def sheet(title, header, rows, widths):
        ws = workbook.active if workbook.active.title == "Sheet" else workbook.create_sheet()
        ws.title = title
        ws.append([spreadsheet_text(report.title)])
        ws.append(["Data as at", as_at, spreadsheet_text(snap["plan"]), state])
        ws["A1"].font = Font(bold=True, size=14)
        ws["B2"].number_format = "d mmmm yyyy"
        ws.append([])
        ws.append(header)
        for cell in ws[4]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([spreadsheet_text(value) if isinstance(value, str) else value for value in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever it starts with
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "d mmmm yyyy"
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "A5"
        return ws

    summary = [["Actions", label, count] for _, label, count in snap["brag_counts"]]
    summary += [["Measures", label, count] for _, label, count in snap["rag_counts"]]
    if snap["days_to_deadline"] is not None:
        summary.append(["Delivery deadline", _month(snap["delivery_deadline"]), snap["days_to_deadline"]])
    changes = snap["changes"]
    summary += [
        ["Changes since", _month(snap["since"]), None],
        ["Updates posted", None, changes["updates"]],
        ["Actions that changed status", None, len(changes["status_moves"])],
        ["Revised deadlines", None, len(changes["revisions"])],
        ["Figures added", None, changes["figures_added"]],
        ["Figures corrected", None, changes["figures_corrected"]],
        ["Measures that changed RAG", None, len(changes["rag_moves"])],
    ]
    summary += [["Slow to progress", slow["objective"], " ".join(slow["reasons"])] for slow in snap["slow"]]
    sheet("Summary", ["What", "Which", "How many"], summary, [30, 40, 60, 24])

    actions = []
    for objective in snap["objectives"]:
        for action in objective["actions"]:
            actions.append([
                action["ref"], f"{objective['number']}. {objective['name']}", action["priority"], action["status"],
                _month(action["deadline"]) or action["deadline"], _month(action["revised_deadline"]),
                "; ".join(action["owners"]), action["commentary"], action["evidence_of_impact"],
                _month(action["updated"]),
            ])
    ws = sheet("Actions", ["Ref", "Objective", "Action", "Status", "By when", "Revised to", "Owners",
                           "Latest commentary", "Evidence of impact", "Updated"],
               actions, [8, 30, 60, 14, 14, 14, 30, 80, 60, 16])
    for row in ws.iter_rows(min_row=5, min_col=5, max_col=6):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "mmmm yyyy"

    measures, seen = [], set()
    for objective in snap["objectives"]:
        for measure in objective["measures"]:
            if (objective["number"], measure["code"]) in seen:
                continue  # once per objective: a measure under two objectives has a row in each, labelled
            seen.add((objective["number"], measure["code"]))
            unit = _unit(measure)
            measures.append([
                measure["code"], f"{objective['number']}. {objective['name']}", measure["name"],
                measure["rag_label"], _figure(_latest(measure), unit), _month(measure["month"]),
                _figure(measure.get("target_value"), unit), _figure(measure.get("baseline_value"), unit),
                measure["reason"], unit,
            ])
    ws = sheet("Measures", ["Code", "Objective", "Measure", "RAG", "Latest", "Month", "Target", "Baseline",
                            "Reason", "Unit"], measures, [14, 30, 50, 12, 12, 14, 12, 12, 60, 10])
    for row in ws.iter_rows(min_row=5):
        unit = row[9].value
        for cell in (row[4], row[6], row[7]):
            if isinstance(cell.value, (int, float)):
                cell.number_format = NUMBER_FORMATS.get(unit, "General")
        if isinstance(row[5].value, datetime.date):
            row[5].number_format = "mmmm yyyy"

    narrative = [[heading, getattr(report, field) or None] for field, heading in NARRATIVE]
    ws = sheet("Narrative", ["Section", "Text"], narrative, [40, 120, 40, 24])
    for row in ws.iter_rows(min_row=5, min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()




def _header_row(table, headings):
    """The table's first row as its header: bold, and repeated at the top of each page (Word's "header row")."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    row = table.rows[0]
    for cell, heading in zip(row.cells, headings):
        cell.paragraphs[0].add_run(heading).bold = True
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def report_docx(report, snap) -> bytes:
    """The report as Word, for the board secretary to drop into the council's board-paper template: the page's
    headings as Word heading styles and its tables with header rows."""
    from docx import Document
    from docx.oxml.ns import qn

    report, snap = _cleaned_report(report), cleaned(snap)
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.author = snap["organisation"]
    document.core_properties.language = "en-GB"
    for style in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
        fonts = document.styles[style].element.get_or_add_rPr()
        language = fonts.find(qn("w:lang"))
        if language is None:
            language = fonts.makeelement(qn("w:lang"), {})
            fonts.append(language)
        language.set(qn("w:val"), "en-GB")

    def date(iso):
        return datetime.date.fromisoformat(iso).strftime("%-d %B %Y") if iso else ""

    state = f"Issued {report.issued_at:%-d %B %Y}" if report.is_issued else "Draft: not yet issued"
    document.add_heading(report.title, level=1)
    document.add_paragraph(f"{snap['plan']} ({snap['organisation']}). Data as at {date(snap['as_at'])}; changes "
                           f"since {date(snap['since'])}. {state}.")
    document.add_heading("Headline", level=2)
    document.add_paragraph("Actions: " + ", ".join(f"{count} {label}" for _, label, count in snap["brag_counts"]))
    document.add_paragraph("Measures: " + ", ".join(f"{count} {label}" for _, label, count in snap["rag_counts"]))
    if snap["days_to_deadline"] is not None:
        days = snap["days_to_deadline"]
        document.add_paragraph(f"Delivery deadline {date(snap['delivery_deadline'])}: "
                               + (f"{days} days left." if days >= 0 else f"{-days} days past."))
    document.add_heading("Objectives slow to progress", level=2)
    for slow in snap["slow"]:
        document.add_paragraph(f"{slow['objective']}: {' '.join(slow['reasons'])}", style="List Bullet")
    if not snap["slow"]:
        document.add_paragraph("None.")
    changes = snap["changes"]
    document.add_heading("Changes since the previous meeting", level=2)
    for line in (f"{changes['updates']} updates posted.",
                 f"{len(changes['status_moves'])} actions changed status.",
                 f"{len(changes['revisions'])} revised deadlines.",
                 f"{changes['figures_added']} figures added, {changes['figures_corrected']} corrected; "
                 f"{len(changes['rag_moves'])} measures changed RAG."):
        document.add_paragraph(line, style="List Bullet")
    for field, heading in NARRATIVE:
        if getattr(report, field):
            document.add_heading(heading, level=2)
            for line in getattr(report, field).split("\n"):
                document.add_paragraph(line)
    for objective in snap["objectives"]:
        document.add_heading(f"Objective {objective['number']}: {objective['name']}", level=2)
        document.add_paragraph(f"Lead officer: {objective['lead']}."
                               + (f" Slow to progress: {' '.join(objective['slow_reasons'])}"
                                  if objective["slow_reasons"] else ""))
        document.add_heading("Actions", level=3)
        headings = ["Ref", "Action", "Status", "By when", "Latest commentary and evidence"]
        table = document.add_table(rows=1, cols=len(headings), style="Table Grid")
        _header_row(table, headings)
        for action in objective["actions"]:
            when = (f"{action['revised_deadline']} (revised from {action['deadline']})" if action["revised_deadline"]
                    else action["deadline"])
            commentary = action["commentary"] or "No update yet."
            if action["evidence_of_impact"]:
                commentary += f"\nImpact: {action['evidence_of_impact']}"
            if action["evidence"]:
                commentary += f"\nEvidence: {', '.join(action['evidence'])}"
            cells = table.add_row().cells
            for cell, text in zip(cells, (action["ref"], action["priority"], action["status"], when, commentary)):
                cell.text = text
        if objective["measures"]:
            document.add_heading("Measures", level=3)
            headings = ["Measure", "Latest", "Target", "Baseline", "RAG"]
            table = document.add_table(rows=1, cols=len(headings), style="Table Grid")
            _header_row(table, headings)
            for measure in objective["measures"]:
                latest = measure["value"] or "No figure"
                if measure["month"]:
                    latest += f" ({datetime.date.fromisoformat(measure['month']):%B %Y})"
                cells = table.add_row().cells
                for cell, text in zip(cells, (measure["name"], latest, measure["target"], measure["baseline"],
                                              f"{measure['rag_label']}: {measure['reason']}")):
                    cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
