import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from plans.models import Action


def test_it_exports_the_filtered_actions_to_excel(board_client, plan):
    response = board_client.get(
        reverse("plans:action_list", args=[plan.slug]), {"search": "homeless", "_export": "xlsx"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="actions-as-at-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Ref", "What we will do")
    assert [row[0] for row in rows[1:]] == ["5.7", "5.8"]
    assert "Overdue" in rows[1]


def test_it_writes_text_that_looks_like_a_formula_as_text(board_client, plan):
    Action.objects.filter(ref="1.1").update(priority='=HYPERLINK("http://evil.example","Click")')
    url = reverse("plans:action_list", args=[plan.slug])
    xlsx = board_client.get(url, {"search": "1.1", "_export": "xlsx"})
    cell = load_workbook(io.BytesIO(xlsx.content)).active["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example","Click")', "s")

    text = board_client.get(url, {"search": "1.1", "_export": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","Click")'


def test_it_exports_any_stored_text_cleaned_and_cut_to_what_a_cell_holds(board_client, plan):
    # Stored before input was cleaned: a vertical tab pasted from Word, an escape, and more than a cell holds.
    Action.objects.filter(ref="1.1").update(priority="Audit\x0bcases\x1b monthly. " + "y" * 40000)
    url = reverse("plans:action_list", args=[plan.slug])
    xlsx = board_client.get(url, {"search": "1.1", "_export": "xlsx"})
    assert xlsx.status_code == 200
    cell = load_workbook(io.BytesIO(xlsx.content)).active["B2"]
    assert cell.value.startswith("Audit\ncases monthly. yyy")
    assert len(cell.value) == 32767 and cell.value.endswith("[cut here: the full text is in the Improvement Tracker]")

    text = board_client.get(url, {"search": "1.1", "_export": "csv"}).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][1].startswith("Audit\ncases monthly.")
