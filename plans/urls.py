from django.urls import path

from plans import progress_views, version_views, views

app_name = "plans"
# My actions, an objective's page and an action's page are plans: pages too, whose views live in higher apps:
# improvement/urls.py adds them to this namespace.
urlpatterns = [
    path("evidence/<int:pk>/", progress_views.evidence_file, name="evidence_file"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<slug:slug>/actions/", views.ActionListView.as_view(), name="action_list"),
    path("plans/<slug:slug>/actions/<str:key>/update/", progress_views.action_update, name="action_update"),
    path("plans/<slug:slug>/revised-deadlines/", progress_views.revision_list, name="revision_list"),
    path(
        "plans/<slug:slug>/revised-deadlines/<int:pk>/decide/",
        progress_views.revision_decide,
        name="revision_decide",
    ),
    path("plans/<slug:slug>/areas-for-improvement/", views.AreaListView.as_view(), name="area_list"),
    path("plans/<slug:slug>/versions/", version_views.version_list, name="version_list"),
    path("plans/<slug:slug>/versions/new/", version_views.version_create, name="version_create"),
    path("plans/<slug:slug>/versions/compare/", version_views.version_compare, name="version_compare"),
    path("plans/<slug:slug>/versions/<int:number>/", version_views.version_detail, name="version_detail"),
    path("plans/<slug:slug>/versions/<int:number>/issue/", version_views.version_issue, name="version_issue"),
    path(
        "plans/<slug:slug>/versions/<int:number>/objectives/<int:objective_number>/actions/new/",
        version_views.draft_action,
        name="draft_action_create",
    ),
    path(
        "plans/<slug:slug>/versions/<int:number>/objectives/<int:objective_number>/actions/<int:position>/",
        version_views.draft_action,
        name="draft_action_edit",
    ),
    path(
        "plans/<slug:slug>/versions/<int:number>/objectives/<int:objective_number>/actions/<int:position>/remove/",
        version_views.draft_action_remove,
        name="draft_action_remove",
    ),
    path("plans/<slug:slug>/versions/<int:number>/measures/<str:code>/", version_views.draft_measure,
         name="draft_measure_edit"),
]
