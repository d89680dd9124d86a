from django.urls import path

from plans import progress_views, views

app_name = "plans"
urlpatterns = [
    path("my-actions/", progress_views.my_actions, name="my_actions"),
    path("evidence/<int:pk>/", progress_views.evidence_file, name="evidence_file"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<slug:slug>/objectives/<int:number>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("plans/<slug:slug>/actions/", views.ActionListView.as_view(), name="action_list"),
    path("plans/<slug:slug>/actions/<str:key>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("plans/<slug:slug>/actions/<str:key>/update/", progress_views.action_update, name="action_update"),
    path("plans/<slug:slug>/revised-deadlines/", progress_views.revision_list, name="revision_list"),
    path(
        "plans/<slug:slug>/revised-deadlines/<int:pk>/decide/",
        progress_views.revision_decide,
        name="revision_decide",
    ),
    path("plans/<slug:slug>/areas-for-improvement/", views.AreaListView.as_view(), name="area_list"),
]
