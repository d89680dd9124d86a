from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from measures.models import FigureImport, Rag
from plans.bounds import BoundedForm, clean_text, shorten_file_name

# .xls and .ods are let through to be refused with what to do, once the file's content says what it is.
FIGURE_FILE_EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ".xls", ".ods")


def figures_upload_limit():
    return filesizeformat(settings.FIGURES_IMPORT_MAX_BYTES).replace("\xa0", " ")


class FigureUploadForm(forms.Form):
    file = forms.FileField(label="Upload a file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "An Excel workbook (.xlsx) in the template's layout or with Measure, Month, Value and Note columns, or a "
            f"CSV file, up to {figures_upload_limit()}. You will see every change before anything is saved."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # upload.size is known from the upload handler before anything reads the file.
        if upload.size > settings.FIGURES_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than the {figures_upload_limit()} limit: "
                "split it, or remove sheets it does not need."
            )
        name = clean_text(upload.name).replace("\n", " ").replace("\t", " ").strip()
        if not name.lower().endswith(FIGURE_FILE_EXTENSIONS):
            raise forms.ValidationError(
                "The file's name must end .xlsx or .csv, as an Excel workbook or a CSV file saved from a spreadsheet "
                "does: save the file as one of those and upload it again."
            )
        upload.name = shorten_file_name(name, FigureImport._meta.get_field("file_name").max_length)
        return upload


class FigureCommitForm(forms.Form):
    """What the admin saw: when the preview was built, and whether they accepted its warnings."""

    previewed_at = forms.DateTimeField(widget=forms.HiddenInput)
    confirm_warnings = forms.BooleanField(
        required=False, label="I have checked the warnings above and these figures are right"
    )


class RagOverrideForm(BoundedForm, forms.Form):
    month = forms.DateField(widget=forms.HiddenInput)
    rag = forms.ChoiceField(choices=Rag.choices, label="RAG for this month", widget=forms.RadioSelect)
    reason = forms.CharField(widget=forms.Textarea, label="Reason for overriding the computed RAG")
    # When the month's override was last set, as the page showed it ("" for none): checked, never trusted.
    seen = forms.CharField(widget=forms.HiddenInput, required=False, strip=True)

    def __init__(self, *args, offered_month, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered_month = offered_month  # the measure's latest month with a figure: the only one the page offers

    def clean(self):
        cleaned = super().clean()
        month = cleaned.get("month")
        if self.offered_month is None:
            self.add_error(None, "This measure has no figure yet: import one before overriding its RAG.")
        elif month != self.offered_month:
            # The hidden month is the page's, not the user's: anything else is a stale page or a forged post.
            self.add_error(
                None,
                f"Only the RAG of the latest month with a figure, {self.offered_month:%B %Y}, can be overridden: "
                "check its figure below and override again.",
            )
        return cleaned
