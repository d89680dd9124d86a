from django.urls import path

from improvement.api import openapi, views

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi.openapi, name="openapi"),
    path("plans/", views.plans, name="plans"),
    path("objectives/", views.objectives, name="objectives"),
    path("actions/", views.actions, name="actions"),
    path("measures/", views.measures, name="measures"),
    path("figures/", views.figures, name="figures"),
]
