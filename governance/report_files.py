"""A board report as PDF (A4) and as Excel, built from its snapshot only."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from governance.report_charts import pdf_trend
from plans.bounds import clean_text, shorten
from plans.exports import xlsx_bytes

NARRATIVE = [
    ("analysis", "Analysis"),
    ("recommendations", "Recommendations"),
    ("evidence_of_impact", "Evidence of impact"),
    ("views_of_staff_and_children", "Views of frontline staff, children and young people"),
]
COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c", "blue": "#1d70b8", "grey": "#505a5f"}


def _trend(measure):
    drawing = pdf_trend(measure)
    if drawing is None:
        return ""
    drawing.scale(0.58, 0.58)
    drawing.width, drawing.height = drawing.width * 0.58, drawing.height * 0.58
    return drawing


def _p(text, style):
    # Cleaned here too: an issued report's snapshot is frozen with whatever text it was issued with.
    return Paragraph(escape(clean_text(str(text or ""))).replace("\n", "<br/>"), style)


def report_pdf(report, snap) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
        title=report.title, author=snap["organisation"],
    )
    state = f"Issued {report.issued_at:%d %B %Y}" if report.is_issued else "DRAFT: not yet issued"
    story = [
        _p(report.title, styles["Title"]),
        _p(f"{snap['plan']} · data as at {snap['as_at']} · {state}", body),
        Spacer(1, 4 * mm),
        _p("Headline", styles["Heading2"]),
        _p("Actions: " + ", ".join(f"{count} {label}" for _, label, count in snap["brag_counts"]), body),
        _p("Measures: " + ", ".join(f"{count} {label}" for _, label, count in snap["rag_counts"]), body),
    ]
    if snap["days_to_deadline"] is not None:
        days = snap["days_to_deadline"]
        story.append(_p(f"Delivery deadline {snap['delivery_deadline']}: "
                        + (f"{days} days left." if days >= 0 else f"{-days} days past."), body))
    story.append(_p("Objectives slow to progress", styles["Heading2"]))
    for slow in snap["slow"] or [{"objective": "None", "reasons": []}]:
        story.append(_p(f"{slow['objective']}: {' '.join(slow['reasons'])}", body))
    changes = snap["changes"]
    story += [
        _p(f"Changes since {snap['since']}", styles["Heading2"]),
        _p(f"{changes['updates']} updates posted; {len(changes['status_moves'])} status moves; "
           f"{len(changes['revisions'])} revised deadlines; {changes['figures_added']} figures added and "
           f"{changes['figures_corrected']} corrected; {len(changes['rag_moves'])} measures changed RAG.", body),
    ]
    for field, heading in NARRATIVE:
        if getattr(report, field):
            story += [_p(heading, styles["Heading2"]), _p(getattr(report, field), body)]
    for objective in snap["objectives"]:
        story.append(_p(f"Objective {objective['number']}: {objective['name']} (lead: {objective['lead']})",
                        styles["Heading2"]))
        rows = [[_p(h, small) for h in ("Ref", "Action", "Status", "By when", "Latest commentary")]]
        styles_list = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1"))]
        for index, action in enumerate(objective["actions"], start=1):
            deadline = action["revised_deadline"] and f"{action['revised_deadline']} (was {action['deadline']})"
            # Cut to fit the table, with an ellipsis saying so: the Excel and the page have the whole text.
            rows.append([_p(action["ref"], small), _p(shorten(action["priority"], 220), small),
                         _p(action["status"], small), _p(deadline or action["deadline"], small),
                         _p(shorten(action["commentary"], 300), small)])
            styles_list.append(("TEXTCOLOR", (2, index), (2, index), colors.HexColor(COLOURS[action["brag"]])))
        # splitInRow: a cell taller than a page (many short lines) goes on over the page instead of failing.
        table = Table(rows, colWidths=[12 * mm, 62 * mm, 22 * mm, 24 * mm, 60 * mm], repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle(styles_list))
        story.append(table)
        if objective["measures"]:
            story.append(Spacer(1, 3 * mm))
            rows = [[_p(h, small) for h in ("Measure", "Latest", "Target", "Baseline", "RAG", "Trend")]]
            for measure in objective["measures"]:
                rows.append([_p(measure["name"], small), _p(measure["value"] or "No figure", small),
                             _p(measure["target"], small), _p(measure["baseline"], small),
                             _p(measure["reason"], small), _trend(measure)])
            table = Table(
                rows, colWidths=[40 * mm, 17 * mm, 17 * mm, 17 * mm, 43 * mm, 46 * mm], repeatRows=1, splitInRow=1
            )
            table.setStyle(TableStyle(styles_list[:3]))
            story.append(table)
    document.build(story)
    return buffer.getvalue()


def report_xlsx(report, snap) -> bytes:
    rows = [["Ref", "Objective", "Action", "Status", "By when", "Revised", "Owners", "Latest commentary",
             "Evidence of impact", "Updated"]]
    for objective in snap["objectives"]:
        for action in objective["actions"]:
            rows.append([action["ref"], objective["name"], action["priority"], action["status"], action["deadline"],
                         action["revised_deadline"], "; ".join(action["owners"]), action["commentary"],
                         action["evidence_of_impact"], action["updated"] or ""])
    rows.append([])
    rows.append(["Code", "Objective", "Measure", "RAG", "Latest", "Month", "Target", "Baseline", "Reason"])
    for objective in snap["objectives"]:
        for measure in objective["measures"]:
            rows.append([measure["code"], objective["name"], measure["name"], measure["rag_label"], measure["value"],
                         measure["month"] or "", measure["target"], measure["baseline"], measure["reason"]])
    return xlsx_bytes(rows, title=f"Report {snap['as_at']}")


