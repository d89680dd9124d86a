from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from governance import my_actions_views, public_views
from improvement import health, sso, views
from measures import plan_views
from plans.urls import urlpatterns as plan_urlpatterns

# A plan's pages keep their plans: names and paths wherever their views live: My actions lists actions arising
# from meetings (governance); an objective's and an action's pages show measures (measures).
plan_pages = [
    *plan_urlpatterns,
    path("my-actions/", my_actions_views.my_actions, name="my_actions"),
    path(
        "plans/<slug:slug>/objectives/<int:number>/", plan_views.ObjectiveDetailView.as_view(), name="objective_detail"
    ),
    path("plans/<slug:slug>/actions/<str:key>/", plan_views.ActionDetailView.as_view(), name="action_detail"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("help/rag/", views.rag_help, name="rag_help"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/sso/", login_not_required(sso.SignInWithEntraID.as_view()), name="oidc_authentication_init"),
    path(
        "accounts/sso/callback/",
        login_not_required(sso.EntraIDCallback.as_view()),
        name="oidc_authentication_callback",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include((plan_pages, "plans"))),
    path("plans/", include("measures.urls")),
    path("", include("governance.urls")),
    path("api/v1/", include("improvement.api.urls")),
    path("public/", public_views.public_index, name="public_index"),
    path("public/<slug:slug>/", public_views.public_progress, name="public_progress"),
    path("admin/", admin.site.urls),
    # Answered by improvement.health.HealthCheckMiddleware before these are reached; named here for reverse().
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
]

handler500 = "improvement.api.views.server_error"  # JSON under /api/, the site's page elsewhere
