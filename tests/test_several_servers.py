"""Two app servers (gunicorn, production settings) behind one PostgreSQL, one Redis and one blob container.

What one server does, the other sees at once: evidence uploaded through one downloads through the other, an
action marked internal through one leaves the public page the other serves, and the daily reminders run on both
at once send each email once. PostgreSQL only: several servers need a database server (skipped on SQLite).
"""

import datetime
import email
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from azure.storage.blob import BlobServiceClient
from django.db import connection

from plans.loading import load_plan
from plans.models import Action, Evidence, Plan, Post, PostHolder
from plans.reminders import actions_needing_attention
from tests.services import ROOT, azure_storage_settings, free_port, postgres_url, wait_for_port

BIN = Path(sys.executable).parent
PASSWORD = "correct-horse-battery"  # the tests' users' (tests/conftest.py)
PDF = b"%PDF-1.4 audit of supervision, uploaded through server A"
REMINDER_DAY = datetime.date(2025, 6, 10)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not postgres_url(), reason="several app servers share a database server: DATABASE_URL=postgres://..."),
]


@pytest.fixture
def plan(transactional_db):
    """The Knowsley plan, committed, so the servers see it (the conftest's copy lives in a test's transaction)."""
    return load_plan().plan


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The hashed, compressed static files production serves (collected once)."""
    folder = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DEBUG": "0", "STATIC_ROOT": str(folder), "DJANGO_SETTINGS_MODULE": "improvement.settings"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True, env=env)
    return folder


@pytest.fixture
def production_env(static_root, redis_url, azurite, blob_container, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_STORAGE", "S3_", "REDIS_URL", "DEBUG"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "improvement.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(static_root),
        "REDIS_URL": redis_url,
        **azure_storage_settings(azurite, blob_container),
        "MEDIA_ROOT": str(tmp_path / "not-used"),  # nothing may land on a server's disk
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def two_servers(production_env):
    servers, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "improvement.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                env=production_env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            ))
            urls.append(f"http://127.0.0.1:{port}")
        for server, url in zip(servers, urls):
            wait_for_port(int(url.rsplit(":", 1)[1]), process=server)
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


class FormFields(HTMLParser):
    """Every form on a page: (its attributes, the (name, value) pairs a browser would send for it)."""

    def __init__(self):
        super().__init__()
        self.forms, self.fields = [], None
        self.select, self.select_multiple, self.options, self.textarea = None, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.fields = []
            self.forms.append((attrs, self.fields))
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in {"submit", "button", "file", "image", "reset"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            else:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select, self.select_multiple, self.options = name, "multiple" in attrs, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if self.fields is None:
            return
        if tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.select_multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields += [(self.select, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.fields = None


def form_fields(html, form_id=None, having="csrfmiddlewaretoken"):
    """The fields of the form with this id, or of the first form with a field named `having`."""
    parser = FormFields()
    parser.feed(html)
    for attrs, fields in parser.forms:
        if (form_id is None or attrs.get("id") == form_id) and any(name == having for name, _ in fields):
            return fields
    raise AssertionError(f"no form {form_id or ''} with a field {having} on the page")


def sign_in(base, user):
    """A browser session signed in as `user` on that server (its password hashed as production checks it)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    type(user).objects.filter(pk=user.pk).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
    )
    username = user.username
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = dict(form_fields(page.text, having="username"))["csrfmiddlewaretoken"]
    signed_in = session.post(f"{base}/accounts/login/", data={"csrfmiddlewaretoken": token, "username": username,
                                                               "password": PASSWORD}, allow_redirects=False)
    assert signed_in.status_code == 302, f"{username} could not sign in on {base}"
    return session


def test_it_serves_evidence_uploaded_through_one_server_from_the_other(two_servers, plan, manager, board_member,
                                                                          azurite, blob_container):
    server_a, server_b = two_servers
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    manager_on_a = sign_in(server_a, manager)
    form_url = f"{server_a}/plans/{plan.slug}/actions/{action.ref}/update/"
    fields = dict(form_fields(manager_on_a.get(form_url).text, having="version"))
    posted = manager_on_a.post(
        form_url,
        data={"csrfmiddlewaretoken": fields["csrfmiddlewaretoken"], "version": fields["version"],
              "status": "on_track", "commentary": "Supervision audit attached."},
        files={"files": ("Supervision audit.pdf", PDF, "application/pdf")},
        allow_redirects=False,
    )
    assert posted.status_code == 302, posted.text[:2000]
    evidence = Evidence.objects.get(update__action=action)
    container = BlobServiceClient.from_connection_string(azurite["connection_string"]).get_container_client(
        blob_container
    )
    assert [blob.name for blob in container.list_blobs()] == [evidence.file.name]  # in the shared container

    board_on_b = sign_in(server_b, board_member)
    downloaded = board_on_b.get(f"{server_b}{evidence.get_absolute_url()}")
    assert downloaded.status_code == 200 and downloaded.content == PDF
    # The session made on A is good on B (sessions are in the shared database).
    assert manager_on_a.get(f"{server_b}{evidence.get_absolute_url()}").content == PDF
    anonymous = requests.get(f"{server_b}{evidence.get_absolute_url()}", allow_redirects=False)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["Location"]


def test_it_drops_an_action_marked_internal_on_one_server_from_the_public_page_of_the_other(
    two_servers, plan, admin_user
):
    server_a, server_b = two_servers
    Plan.objects.filter(pk=plan.pk).update(public_progress=True)
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    public = f"{server_b}/public/{plan.slug}/"
    before = requests.get(public)
    assert before.status_code == 200 and action.priority.split("\n")[0][:60] in before.text
    count_before = int(re.search(r"(\d+) actions", before.text).group(1))
    assert requests.get(f"{server_a}/public/{plan.slug}/").text == before.text  # one rendering, from the shared cache

    admin_on_a = sign_in(server_a, admin_user)
    change_url = f"{server_a}/admin/plans/action/{action.pk}/change/"
    fields = [(name, value) for name, value in form_fields(admin_on_a.get(change_url).text, "action_form")
              if name != "internal"]
    saved = admin_on_a.post(change_url, data=[*fields, ("internal", "on"), ("_save", "Save")], allow_redirects=False)
    assert saved.status_code == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', saved.text, re.DOTALL)
    action.refresh_from_db()
    assert action.internal

    after = requests.get(public)
    assert action.priority.split("\n")[0][:60] not in after.text
    assert int(re.search(r"(\d+) actions", after.text).group(1)) == count_before - 1


def test_it_sends_each_reminder_once_when_both_servers_run_them_at_once(production_env, plan, django_user_model,
                                                                       tmp_path):
    posts = list(Post.objects.filter(actions__isnull=False).distinct().order_by("name"))
    for n in range(40):
        person = django_user_model.objects.create_user(username=f"holder{n}", email=f"holder{n}@council.example")
        PostHolder.objects.create(post=posts[n % len(posts)], user=person)
    people = sorted(user.email for user in actions_needing_attention(on=REMINDER_DAY))
    assert len(people) >= 30
    runs = []
    for server in ("a", "b"):
        outbox = tmp_path / f"mail-{server}"
        runs.append((outbox, subprocess.Popen(
            [sys.executable, "manage.py", "send_update_reminders", "--date", REMINDER_DAY.isoformat()],
            env={**production_env, "EMAIL_FILE_PATH": str(outbox)}, cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )))
    sent = []
    for outbox, run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        for message_file in sorted(outbox.glob("*")) if outbox.exists() else []:
            # The file backend writes each message followed by a line of dashes.
            for chunk in message_file.read_text().split("-" * 79):
                if chunk.strip():
                    sent.append(email.message_from_string(chunk.strip())["To"])
    assert sorted(sent) == people  # everyone once: none twice, none missed
