from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<slug:slug>/objectives/<int:number>/", views.ObjectiveDetailView.as_view(), name="objective_detail"),
    path("<slug:slug>/actions/", views.ActionListView.as_view(), name="action_list"),
    path("<slug:slug>/actions/<str:ref>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("<slug:slug>/areas-for-improvement/", views.AreaListView.as_view(), name="area_list"),
]
