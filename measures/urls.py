from django.urls import path

from measures import correction_views, import_views, views

app_name = "measures"
urlpatterns = [
    path("<slug:slug>/measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("<slug:slug>/figures/template.xlsx", import_views.figures_template, name="figures_template"),
    path("<slug:slug>/figures/export.xlsx", import_views.figures_export, name="figures_export"),
    path("<slug:slug>/figures/import/", import_views.figures_upload, name="figures_upload"),
    path("<slug:slug>/figures/import/<int:pk>/", import_views.figures_preview, name="figures_preview"),
    path("<slug:slug>/figures/import/<int:pk>/commit/", import_views.figures_commit, name="figures_commit"),
    path("<slug:slug>/measures/<slug:code>/", views.MeasureDetailView.as_view(), name="measure_detail"),
    path("<slug:slug>/figures/imports/", correction_views.import_list, name="import_list"),
    path("<slug:slug>/figures/imports/<int:pk>/undo/", correction_views.import_undo, name="import_undo"),
    path(
        "<slug:slug>/measures/<slug:code>/figures/<int:pk>/correct/",
        correction_views.figure_correct,
        name="figure_correct",
    ),
    path(
        "<slug:slug>/measures/<slug:code>/figures/<int:pk>/delete/",
        correction_views.figure_delete,
        name="figure_delete",
    ),
]
