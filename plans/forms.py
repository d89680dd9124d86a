import datetime
import mimetypes
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat

from plans.bounds import BoundedForm, clean_text, shorten_file_name
from plans.models import Evidence, Post, Status
from plans.models.plan import past_delivery_deadline
from plans.models.status import NEEDS_REASON

# The first bytes of each allowed kind of file: a renamed .exe is refused whatever its name says.
SIGNATURES = {
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "pptx": [b"PK\x03\x04"],
    "odt": [b"PK\x03\x04"],
    "ods": [b"PK\x03\x04"],
}


def evidence_limits():
    return (
        f"Up to {settings.EVIDENCE_MAX_FILES} files in one update, {filesizeformat(settings.EVIDENCE_MAX_BYTES)} each "
        f"and {filesizeformat(settings.EVIDENCE_MAX_TOTAL_BYTES)} in all: {', '.join(settings.EVIDENCE_EXTENSIONS)}."
    )


def too_big(name):
    return f"{name} is too big: evidence files must be smaller than {filesizeformat(settings.EVIDENCE_MAX_BYTES)}."


class EvidenceUploadLimits(FileUploadHandler):
    """Applies the evidence limits while the request is read, before any later handler stores a file.

    A file past a limit is skipped, never stored; the sentences in `refused` say why, and the form shows them
    with everything else that was typed.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.count = self.total = self.this_file = 0
        self.refused = []

    def refuse(self, sentence):
        if sentence not in self.refused:
            self.refused.append(sentence)
        raise SkipFile

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Known from the request's length before a byte of it is read.
        if content_length > settings.EVIDENCE_MAX_TOTAL_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            self.total = content_length

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count += 1
        self.this_file = 0

    def receive_data_chunk(self, raw_data, start):
        # Refused at the first chunk, not in new_file: skipping there would close the previous, accepted file.
        self.this_file += len(raw_data)
        self.total += len(raw_data)
        if self.count > settings.EVIDENCE_MAX_FILES:
            self.refuse(f"Choose up to {settings.EVIDENCE_MAX_FILES} evidence files in one update.")
        if self.this_file > settings.EVIDENCE_MAX_BYTES:
            self.refuse(too_big(clean_text(self.file_name or "A file")))
        if self.total > settings.EVIDENCE_MAX_TOTAL_BYTES:
            self.refuse(self.total_sentence())
        return raw_data

    def file_complete(self, file_size):
        return None

    def total_sentence(self):
        return (
            f"The evidence files add up to more than {filesizeformat(settings.EVIDENCE_MAX_TOTAL_BYTES)}: "
            "upload some of them with this update and the rest with another."
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        # Also checked as the request is read (EvidenceUploadLimits); here for any caller without that handler.
        if len(files) > settings.EVIDENCE_MAX_FILES:
            raise forms.ValidationError(f"Choose up to {settings.EVIDENCE_MAX_FILES} evidence files in one update.")
        if sum(upload.size or 0 for upload in files) > settings.EVIDENCE_MAX_TOTAL_BYTES:
            raise forms.ValidationError(EvidenceUploadLimits().total_sentence())
        return [self.check(super(EvidenceFilesField, self).clean(upload, initial)) for upload in files]

    def check(self, upload):
        # The name becomes the evidence's title: cleaned, and cut to the column's length keeping its extension.
        upload.name = shorten_file_name(clean_text(upload.name), Evidence._meta.get_field("title").max_length)
        extension = Path(upload.name).suffix.lower().lstrip(".")
        allowed = settings.EVIDENCE_EXTENSIONS
        if extension not in allowed:
            raise forms.ValidationError(
                f"{upload.name} is a .{extension or '?'} file: evidence must be one of {', '.join(allowed)}."
            )
        if upload.size > settings.EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(too_big(upload.name))
        head = upload.read(8)
        upload.seek(0)
        if extension in SIGNATURES and not any(head.startswith(magic) for magic in SIGNATURES[extension]):
            raise forms.ValidationError(f"{upload.name} is not a real .{extension} file.")
        # What the browser claims is not stored (it can be any length): the type follows from the checked extension.
        upload.content_type = mimetypes.guess_type(upload.name)[0] or "application/octet-stream"
        return upload


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%B %Y", "%b %Y"]

    def prepare_value(self, value):
        # What the page shows (includes/_field.html prints the bound value): a month input takes only 2026-03, and
        # a browser empties one given 2026-03-01, so saving a draft action unchanged used to lose its deadline.
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value


class ActionUpdateForm(BoundedForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Status.choices, widget=forms.RadioSelect, label="Status")
    commentary = forms.CharField(
        label="Progress commentary",
        widget=forms.Textarea,
        required=False,
        help_text="What has happened since the last update. Say why if the action is at risk or off track.",
    )
    evidence_of_impact = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="What difference it has made to children, families or practice.",
    )
    next_steps = forms.CharField(widget=forms.Textarea, required=False)
    link_title = forms.CharField(label="Evidence link title", required=False, max_length=200)
    link_url = forms.URLField(
        assume_scheme="https",
        label="Evidence link", required=False, max_length=500, help_text="For example a SharePoint or report link."
    )
    files = EvidenceFilesField(label="Evidence files", required=False)
    revised_deadline = MonthField(
        label="Revised deadline (optional)",
        required=False,
        help_text="Month and year, for example 2026-03. It takes effect once an admin approves it.",
    )
    revision_reason = forms.CharField(label="Reason for the revised deadline", widget=forms.Textarea, required=False)

    def __init__(self, *args, action, upload_refusals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.upload_refusals = upload_refusals
        self.fields["files"].help_text = evidence_limits()

    def clean(self):
        data = super().clean()
        for sentence in self.upload_refusals:
            self.add_error("files", sentence)
        if data.get("status") in NEEDS_REASON and not data.get("commentary", "").strip():
            label = Status(data["status"]).label.lower()
            self.add_error("commentary", f"Say why the action is {label}.")
        revised = data.get("revised_deadline")
        if revised:
            revised = data["revised_deadline"] = revised.replace(day=1)
            if revised == self.action.current_deadline:
                self.add_error("revised_deadline", "The revised deadline is the same as the current one.")
            plan_deadline = self.action.objective.plan.delivery_deadline
            if not data.get("revision_reason", "").strip():
                if past_delivery_deadline(revised, self.action):
                    self.add_error("revision_reason", (
                        f"{revised:%B %Y} is past the Notice delivery deadline of {plan_deadline:%d %B %Y}: give the "
                        "reason the action cannot be delivered by then."
                    ))
                else:
                    self.add_error("revision_reason", "Give a reason for the revised deadline.")
        elif data.get("revision_reason", "").strip() and "revised_deadline" not in self.errors:
            self.add_error("revised_deadline", "Enter the revised deadline, or remove the reason.")
        if data.get("link_title") and not data.get("link_url") and "link_url" not in self.errors:
            self.add_error("link_url", "Enter the link's address, or remove its title.")
        return data


class RevisionDecisionForm(BoundedForm, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Do not approve")])
    note = forms.CharField(required=False, widget=forms.Textarea, label="Note (optional)")


class NewVersionForm(BoundedForm, forms.Form):
    title = forms.CharField(
        max_length=200, help_text="For example, October 2025 refresh after the first monitoring visit."
    )


class DraftActionForm(BoundedForm, forms.Form):
    """One action of a draft plan version, in the plan's own words."""

    edit_count = forms.IntegerField(widget=forms.HiddenInput)
    ref = forms.CharField(
        label="Ref", max_length=20, required=False, help_text="For example 4.10. Leave blank if the plan has no refs."
    )
    priority = forms.CharField(label="What we will do", widget=forms.Textarea)
    deadline = MonthField(label="By when", required=False, help_text="Month and year, for example 2026-03.")
    deadline_note = forms.CharField(label="Deadline note", max_length=300, required=False)
    owners = forms.CharField(
        label="Officer(s) responsible", widget=forms.Textarea, required=False, help_text="One post per line."
    )
    outcomes = forms.CharField(label="Outcomes", widget=forms.Textarea, required=False)

    def __init__(self, *args, objective, taken_refs, needs_ref, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective, self.taken_refs, self.needs_ref = objective, taken_refs, needs_ref

    def clean_ref(self):
        ref = self.cleaned_data["ref"].strip()
        if not ref and self.needs_ref:
            raise forms.ValidationError("Enter the action's ref, for example 4.10.")
        if ref and not ref.startswith(f"{self.objective}."):
            raise forms.ValidationError(f"The ref must start with {self.objective}. (the objective's number).")
        if ref in self.taken_refs:
            raise forms.ValidationError(f"Action {ref} already exists in this version.")
        return ref

    def clean_owners(self):
        limit = Post._meta.get_field("name").max_length
        for line in self.cleaned_data["owners"].splitlines():
            if len(line.strip()) > limit:
                raise forms.ValidationError(
                    f"Each post must be {limit} characters or fewer: “{line.strip()[:40]}…” has {len(line.strip())}."
                )
        return self.cleaned_data["owners"]

    def as_row(self):
        data = self.cleaned_data
        return {
            "ref": data["ref"],
            "priority": data["priority"].strip(),
            "deadline": data["deadline"].strftime("%Y-%m") if data["deadline"] else "",
            "deadline_note": data["deadline_note"].strip(),
            "owners": [line.strip() for line in data["owners"].splitlines() if line.strip()],
            "outcomes": data["outcomes"].strip(),
        }


class DraftMeasureForm(BoundedForm, forms.Form):
    edit_count = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(max_length=300)
    baseline = forms.CharField(max_length=100, required=False, help_text="As the plan writes it, for example 82%.")
    target = forms.CharField(max_length=100, required=False, help_text="As the plan writes it, for example 90%.")
