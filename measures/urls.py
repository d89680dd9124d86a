from django.urls import path

from measures import views

app_name = "measures"
urlpatterns = [
    path("<slug:slug>/measures/", views.MeasureListView.as_view(), name="measure_list"),
    path("<slug:slug>/measures/<slug:code>/", views.MeasureDetailView.as_view(), name="measure_detail"),
]
