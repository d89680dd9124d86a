from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from improvement.demo import DEMO_USERS
from improvement.sso import sso_enabled
from plans.models import Plan


def home(request):
    plans = list(Plan.objects.with_counts())
    if len(plans) == 1:
        return redirect("governance:dashboard", slug=plans[0].slug)
    return render(request, "plans/plan_list.html", {"plans": plans})


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            demo_users=DEMO_USERS if settings.DEMO_MODE else [],
            sso_enabled=sso_enabled(),
            sso_failed=self.request.GET.get("sso") == "failed",
            sso_disabled=self.request.GET.get("sso") == "disabled",
            **kwargs,
        )


@require_GET
def rag_help(request):
    return render(
        request,
        "help/rag.html",
        {"tolerance": settings.MEASURE_RAG_TOLERANCE_DEFAULT, "update_days": settings.ACTION_UPDATE_DUE_DAYS},
    )


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "help/accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT})
