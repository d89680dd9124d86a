"""The Notice's register of duties, and the views of staff and children heard (Notice 5e)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance.forms import VoiceForm
from governance.models import Notice, Voice
from governance.notice import Register
from plans.models import Plan
from plans.roles import admin_required


@require_GET
def notice_list(request):
    return render(request, "governance/notice_list.html", {"notices": Notice.objects.select_related("plan")})


@require_GET
def notice_detail(request, slug):
    notice = get_object_or_404(Notice.objects.select_related("plan"), slug=slug)
    today = timezone.localdate()
    register = Register(notice, today)
    return render(request, "governance/notice_detail.html", {
        "notice": notice, "today": today, "states": register.states(),
        "open_after": register.open_after_deadline(), "revisions": register.revisions_past_deadline(),
    })


@require_GET
def voice_list(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    return render(request, "governance/voice_list.html", {"plan": plan, "voices": Voice.objects.filter(plan=plan)})


@admin_required
def voice_create(request, slug):
    plan = get_object_or_404(Plan, slug=slug)
    form = VoiceForm(request.POST or None, instance=Voice(plan=plan))
    if request.method == "POST" and form.is_valid():
        voice = form.save(commit=False)
        voice._history_user = request.user
        voice.save()
        messages.success(request, f"Views recorded: {voice}.")
        return redirect("governance:voice_list", slug=plan.slug)
    return render(request, "governance/voice_form.html", {"plan": plan, "form": form})
