"""Pages where admins bring in monthly figures from Excel: template, upload, preview, commit, export."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from measures.exporting import figures_workbook
from measures.forms import FigureCommitForm, FigureUploadForm, figures_upload_limit
from measures.importing import ImportRefused, commit_import, preview_file, save_upload
from measures.models import FigureImport
from plans.exports import XLSX_TYPE
from plans.models import Plan
from plans.roles import admin_required


def _workbook_response(plan, *, with_figures):
    content = figures_workbook(plan=plan, today=timezone.localdate(), with_figures=with_figures)
    name = f"{plan.slug}-{'figures' if with_figures else 'template'}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@admin_required
def figures_template(request, slug):
    return _workbook_response(get_object_or_404(Plan, slug=slug), with_figures=False)


@require_GET
def figures_export(request, slug):
    return _workbook_response(get_object_or_404(Plan, slug=slug), with_figures=True)


# The form's other fields and the multipart framing around the file fit in this.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


@csrf_exempt  # checked below, once the body is known to be small enough to read
@admin_required
def figures_upload(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    if request.method == "POST":
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit() or int(declared) > settings.FIGURES_IMPORT_MAX_BYTES + UPLOAD_OVERHEAD_BYTES:
            # Refused before the body is read: nothing is parsed, buffered or stored.
            form = FigureUploadForm()
            form.cleaned_data = {}  # an unbound form, given the one error it has
            form.add_error("file", f"The file is larger than the {figures_upload_limit()} limit: split it, or remove "
                                   "sheets it does not need.")
            return _upload_page(request, plan, form, status=413)
        try:
            request.POST  # noqa: B018  parsed here, before the CSRF check reads it, so a refusal names the field
        except MultiPartParserError:
            form = FigureUploadForm()
            form.cleaned_data = {}
            form.add_error("file", "The file could not be read from the upload (its name may be too long): rename it "
                                   "with a shorter name and upload it again.")
            return _upload_page(request, plan, form, status=400)
    return _figures_upload(request, plan)


@csrf_protect
def _figures_upload(request, plan):
    form = FigureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload_record = save_upload(plan=plan, content=upload.read(), file_name=upload.name, user=request.user)
        return redirect("measures:figures_preview", slug=plan.slug, pk=upload_record.pk)
    return _upload_page(request, plan, form)


def _upload_page(request, plan, form, status=200):
    recent = plan.figure_imports.select_related("uploaded_by").defer("content")[:10]
    return render(
        request, "measures/figures_upload.html", {"plan": plan, "form": form, "recent": recent}, status=status
    )


def _preview_page(request, upload, preview, *, commit_form=None, stale=(), status=200):
    commit_form = commit_form or FigureCommitForm(initial={"previewed_at": timezone.now().isoformat()})
    return render(
        request,
        "measures/figures_preview.html",
        {"plan": upload.plan, "upload": upload, "preview": preview, "commit_form": commit_form, "stale": stale},
        status=status,
    )


@require_GET
@admin_required
def figures_preview(request, slug, pk):
    upload = get_object_or_404(FigureImport.objects.select_related("plan"), pk=pk, plan__slug=slug)
    # Taken before the figures are read, so anything written while the preview is built counts as after it.
    commit_form = FigureCommitForm(initial={"previewed_at": timezone.now().isoformat()})
    preview = preview_file(plan=upload.plan, content=bytes(upload.content), file_name=upload.file_name)
    return _preview_page(request, upload, preview, commit_form=commit_form)


@require_POST
@admin_required
def figures_commit(request, slug, pk):
    upload = get_object_or_404(FigureImport.objects.select_related("plan"), pk=pk, plan__slug=slug)
    form = FigureCommitForm(request.POST)
    form.is_valid()
    # A commit that does not say when its preview was built is checked against the upload's own time.
    previewed_at = form.cleaned_data.get("previewed_at") or upload.uploaded_at
    fresh_form = FigureCommitForm(initial={"previewed_at": timezone.now().isoformat()})
    try:
        preview = commit_import(upload=upload, user=request.user, previewed_at=previewed_at,
                                confirmed=bool(form.cleaned_data.get("confirm_warnings")))
    except ImportRefused as refused:
        if refused.unconfirmed:
            fresh_form = FigureCommitForm(initial={"previewed_at": previewed_at.isoformat()})
            fresh_form.cleaned_data = {}
            fresh_form.add_error("confirm_warnings", "Tick the box to say you have checked the warnings, or correct "
                                                     "the file and upload it again.")
        return _preview_page(request, upload, refused.preview, commit_form=fresh_form, stale=refused.stale, status=409)
    counts = preview.counts
    messages.success(
        request,
        f"Imported {upload.file_name}: {counts['new']} new, {counts['changed']} changed, {counts['note']} with only "
        f"the note changed, {counts['unchanged']} unchanged figures.",
    )
    return redirect("measures:measure_list", slug=slug)
