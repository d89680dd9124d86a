from django.urls import path

from governance import views

app_name = "governance"
urlpatterns = [
    path("plans/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("plans/<slug:slug>/changes/", views.changes, name="changes"),
]
