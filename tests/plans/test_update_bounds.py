"""An action update is taken whole and fits the database, or is refused with the reason and what was typed kept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from plans.models import Action, ActionUpdate, DeadlineRevision, Evidence, Status
from plans.services import post_update


@pytest.fixture
def action(plan):
    return Action.objects.get(objective__plan=plan, ref="4.1")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def update_url(action):
    return reverse("plans:action_update", args=[action.objective.plan.slug, action.ref])


def form_data(**overrides):
    return {"version": 0, "status": Status.ON_TRACK, "commentary": "Workforce plan drafted.", **overrides}


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence", content_type="application/pdf")


def test_it_keeps_a_long_link_with_no_title_titled_by_its_address_cut_to_fit(manager_client, action):
    url = "https://intranet.example/sites/workforce/" + "a" * 300
    response = manager_client.post(update_url(action), form_data(link_url=url))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.url == url
    assert len(evidence.title) == 200
    assert evidence.title.startswith("https://intranet.example/") and evidence.title.endswith("…")


def test_it_keeps_a_file_with_a_long_name_shortened_keeping_its_extension(manager_client, action, media):
    name = "Workforce audit " + "x" * 230 + ".pdf"  # 250 characters: more than the title's 200
    response = manager_client.post(update_url(action), form_data(files=[pdf(name)]))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert len(evidence.title) == 200
    assert evidence.title.startswith("Workforce audit x") and evidence.title.endswith("….pdf")
    assert evidence.file.read() == b"%PDF-1.4 evidence"


def test_it_stores_the_type_its_checks_found_not_what_the_browser_claimed(manager_client, action, media):
    upload = SimpleUploadedFile("audit.pdf", b"%PDF-1.4 evidence", content_type="application/" + "x" * 200)
    assert manager_client.post(update_url(action), form_data(files=[upload])).status_code == 302
    assert Evidence.objects.get().content_type == "application/pdf"


def test_it_strips_control_characters_and_keeps_words_pasted_from_word_apart(manager_client, action):
    commentary = "Two posts filled.\x0bOne to go.\x00\x07 Done\r\nNext."
    response = manager_client.post(
        update_url(action), form_data(commentary=commentary, next_steps="Recruit\x1b seniors.", link_title="Plan\x00",
                                      link_url="https://intranet.example/plan")
    )
    assert response.status_code == 302
    update = ActionUpdate.objects.get()
    assert update.commentary == "Two posts filled.\nOne to go. Done\nNext."
    assert update.next_steps == "Recruit seniors."
    assert Evidence.objects.get().title == "Plan"


def test_it_names_the_field_when_a_link_title_is_too_long_and_keeps_what_was_typed(manager_client, action):
    response = manager_client.post(
        update_url(action),
        form_data(link_title="t" * 201, link_url="https://intranet.example/plan", next_steps="Carry on."),
    )
    html = response.content.decode()
    assert "Evidence link title must be 200 characters or fewer: it has 201." in html
    assert "Carry on." in html
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize("month", ["0001-01", "1999-12", "2101-01"])
def test_it_refuses_a_revised_deadline_outside_sane_years(manager_client, action, month):
    response = manager_client.post(update_url(action), form_data(revised_deadline=month, revision_reason="Because."))
    assert "Revised deadline (optional) must be between 2000 and 2100" in response.content.decode()
    assert not DeadlineRevision.objects.exists() and not ActionUpdate.objects.exists()


def test_it_will_not_approve_a_stored_revised_deadline_of_year_one(admin_client, manager, action, plan):
    revision = DeadlineRevision.objects.create(
        action=action, new_deadline=datetime.date(1, 1, 1), reason="typo", requested_by=manager
    )
    response = admin_client.post(
        reverse("plans:revision_decide", args=[plan.slug, revision.pk]), {"decision": "approve"}, follow=True
    )
    assert "must be between 2000 and 2100" in response.content.decode()
    revision.refresh_from_db()
    action.refresh_from_db()
    assert revision.decision == DeadlineRevision.Decision.PENDING
    assert (action.revised_deadline, action.replan_count) == (None, 0)
    admin_client.post(reverse("plans:revision_decide", args=[plan.slug, revision.pk]), {"decision": "reject"})
    revision.refresh_from_db()
    assert revision.decision == DeadlineRevision.Decision.REJECTED


def test_it_refuses_more_files_than_the_limit_and_stores_none_of_them(manager_client, action, media, settings):
    settings.EVIDENCE_MAX_FILES = 3
    files = [pdf(f"evidence-{n}.pdf") for n in range(4)]
    response = manager_client.post(update_url(action), form_data(files=files, next_steps="Carry on."))
    html = response.content.decode()
    assert "Choose up to 3 evidence files in one update." in html
    assert "Carry on." in html
    assert not ActionUpdate.objects.exists() and not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_files_adding_up_to_more_than_the_limit(manager_client, action, media, settings):
    settings.EVIDENCE_MAX_TOTAL_BYTES = 100
    files = [SimpleUploadedFile(f"part-{n}.pdf", b"%PDF" + b"x" * 60) for n in range(2)]
    response = manager_client.post(update_url(action), form_data(files=files))
    assert "The evidence files add up to more than 100" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_it_says_the_limits_on_the_form(manager_client, action):
    html = manager_client.get(update_url(action)).content.decode().replace("\xa0", " ")
    assert 'type="file" name="files" multiple' in html
    assert "Up to 10 files in one update, 10.0 MB each and 25.0 MB in all" in html


def test_it_still_checks_the_csrf_token(client, manager, action):
    client.handler.enforce_csrf_checks = True
    client.force_login(manager)
    assert client.post(update_url(action), form_data()).status_code == 403
    assert not ActionUpdate.objects.exists()


def test_it_leaves_no_file_on_disk_when_the_update_fails_after_writing_it(manager, action, media, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("the database went away")

    # The one part that cannot be made to fail for real: the database failing after the file is written.
    monkeypatch.setattr(DeadlineRevision.objects, "create", fail)
    with pytest.raises(DatabaseError):
        post_update(
            action=action, author=manager, expected_version=0, status=Status.ON_TRACK, files=[pdf("audit.pdf")],
            revised_deadline=datetime.date(2026, 3, 1), revision_reason="Waiting for cabinet.",
        )
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_the_error_page_says_the_update_may_not_be_saved_and_what_to_do(manager, action, monkeypatch, settings):
    from django.test import Client

    def fail(**kwargs):
        raise DatabaseError("the database went away")

    settings.DEBUG = False
    monkeypatch.setattr("plans.progress_views.post_update", fail)
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    response = client.post(update_url(action), form_data())
    body = response.content.decode()
    assert response.status_code == 500
    assert "Nothing you saved has been lost" not in body
    assert "may not have been saved" in body and "enter it again" in body
    assert not ActionUpdate.objects.exists()
