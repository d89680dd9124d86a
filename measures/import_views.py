"""Pages where admins bring in monthly figures from Excel: template, upload, preview, commit, export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from improvement.exports import XLSX_TYPE
from improvement.roles import admin_required
from measures.exporting import figures_workbook
from measures.forms import FigureUploadForm
from measures.importing import ImportRefused, commit_import, preview_file, save_upload
from measures.models import FigureImport
from plans.models import Plan


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


@admin_required
def figures_upload(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    form = FigureUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        upload_record = save_upload(plan=plan, content=upload.read(), file_name=upload.name, user=request.user)
        return redirect("measures:figures_preview", slug=plan.slug, pk=upload_record.pk)
    recent = plan.figure_imports.select_related("uploaded_by").defer("content")[:10]
    return render(request, "measures/figures_upload.html", {"plan": plan, "form": form, "recent": recent})


@require_GET
@admin_required
def figures_preview(request, slug, pk):
    upload = get_object_or_404(FigureImport.objects.select_related("plan"), pk=pk, plan__slug=slug)
    preview = preview_file(plan=upload.plan, content=bytes(upload.content), file_name=upload.file_name)
    return render(request, "measures/figures_preview.html", {"plan": upload.plan, "upload": upload, "preview": preview})


@require_POST
@admin_required
def figures_commit(request, slug, pk):
    upload = get_object_or_404(FigureImport.objects.select_related("plan"), pk=pk, plan__slug=slug)
    try:
        preview = commit_import(upload=upload, user=request.user)
    except ImportRefused as refused:
        return render(
            request,
            "measures/figures_preview.html",
            {"plan": upload.plan, "upload": upload, "preview": refused.preview},
            status=409,
        )
    counts = preview.counts
    messages.success(
        request,
        f"Imported {upload.file_name}: {counts['new']} new, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged figures.",
    )
    return redirect("measures:measure_list", slug=slug)
