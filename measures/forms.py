from django import forms

from measures.models import Rag


class FigureUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="An Excel workbook (.xlsx) in the template's layout or with Measure, Month, Value and Note "
        "columns, or a CSV file. You will see every change before anything is saved.",
    )


class RagOverrideForm(forms.Form):
    month = forms.DateField(widget=forms.HiddenInput)
    rag = forms.ChoiceField(choices=Rag.choices, label="RAG for this month", widget=forms.RadioSelect)
    reason = forms.CharField(widget=forms.Textarea, label="Reason for overriding the computed RAG")
