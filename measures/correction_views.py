"""Pages where an admin puts figures right: the list of imports with undo, and correcting or deleting one figure."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from measures.correction_forms import FigureCorrectionForm, FigureDeleteForm, ImportUndoForm
from measures.corrections import (
    StaleFigure,
    UndoRefused,
    correct_figure,
    delete_figure,
    latest_version,
    plan_undo,
    undo_import,
)
from measures.models import Figure, FigureImport
from plans.models import Plan
from plans.roles import admin_required


@require_GET
@admin_required
def import_list(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    imports = (
        plan.figure_imports.filter(state__in=[FigureImport.State.COMMITTED, FigureImport.State.UNDONE])
        .select_related("uploaded_by", "undone_by")
        .defer("content")
    )
    return render(request, "measures/import_list.html", {"plan": plan, "imports": imports})


@admin_required
def import_undo(request, slug, pk):
    batch = get_object_or_404(
        FigureImport.objects.select_related("plan", "uploaded_by", "undone_by").defer("content"), pk=pk, plan__slug=slug
    )
    form = ImportUndoForm(request.POST or None)
    refusal, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            undo = undo_import(
                batch=batch,
                admin=request.user,
                reason=form.cleaned_data["reason"],
                skip_changed=form.cleaned_data["skip_changed"],
            )
        except UndoRefused as refused:
            refusal, status = refused.message, 409
            batch.refresh_from_db()
        else:
            kept = f"; {len(undo.blocked)} changed since were left as they are" if undo.blocked else ""
            messages.success(
                request, f"Undid the import of {batch.file_name}: {len(undo.safe)} figures put back{kept}."
            )
            return redirect("measures:import_list", slug=slug)
    context = {
        "plan": batch.plan,
        "batch": batch,
        "form": form,
        "refusal": refusal,
        "undo": plan_undo(batch) if batch.state == FigureImport.State.COMMITTED else None,
    }
    return render(request, "measures/import_undo.html", context, status=status)


def _figure(slug, code, pk):
    """The figure, or, if it has been deleted, what it was last (the change is then refused as stale)."""
    lookup = {"pk": pk, "measure__plan__slug": slug, "measure__code": code}
    figure = Figure.objects.select_related("measure__plan").filter(**lookup).first()
    if figure is None:
        record = Figure.history.filter(id=pk, measure__plan__slug=slug, measure__code=code).exclude(
            history_type="-"
        ).order_by("-history_id").first()
        if record is None:
            raise Http404("No such figure.")
        figure = record.instance
    return figure


def _figure_page(request, template, figure, form_class, change):
    form = form_class(request.POST or None, initial=_initial(figure), **_figure_kwargs(form_class, figure))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            change(form.cleaned_data)
        except StaleFigure as stale:
            # Keep what was typed, and take the version now shown, so a deliberate second try goes through.
            data = request.POST.copy()
            data["version"] = latest_version(figure.pk) or ""
            form = form_class(data, **_figure_kwargs(form_class, stale.current or figure))
            form.is_valid()
            form.add_error(None, stale.message)
            figure, status = stale.current or figure, 409
        else:
            return redirect(figure.measure)
    return render(
        request,
        template,
        {"plan": figure.measure.plan, "measure": figure.measure, "figure": figure, "form": form,
         "exists": Figure.objects.filter(pk=figure.pk).exists()},
        status=status,
    )


def _initial(figure):
    return {
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "note": figure.note,
        "version": latest_version(figure.pk),
    }


def _figure_kwargs(form_class, figure):
    return {"figure": figure} if form_class is FigureCorrectionForm else {}


@admin_required
def figure_correct(request, slug, code, pk):
    figure = _figure(slug, code, pk)

    def change(data):
        correct_figure(
            figure=figure,
            admin=request.user,
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            note=data["note"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        messages.success(request, f"Corrected the figure for {figure.month:%B %Y}.")

    return _figure_page(request, "measures/figure_correct.html", figure, FigureCorrectionForm, change)


@admin_required
def figure_delete(request, slug, code, pk):
    figure = _figure(slug, code, pk)

    def change(data):
        delete_figure(figure=figure, admin=request.user, reason=data["reason"], expected_version=data["version"])
        messages.success(request, f"Deleted the figure for {figure.month:%B %Y}. Its history keeps every value it had.")

    return _figure_page(request, "measures/figure_delete.html", figure, FigureDeleteForm, change)
