from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from improvement import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/rag/", views.rag_help, name="rag_help"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("plans.urls")),
    path("plans/", include("measures.urls")),
    path("", include("governance.urls")),
    path("admin/", admin.site.urls),
]
