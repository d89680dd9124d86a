"""Evidence files in Azure Blob Storage (Azurite), reached only through the app by signed-in people."""

import os
import subprocess
import sys

import pytest
from azure.storage.blob import BlobServiceClient
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from plans.models import Action, Evidence, Status
from tests.services import ROOT

PDF = b"%PDF-1.4 workforce audit, Azure copy"


@pytest.fixture
def blob_storage(settings, azurite, blob_container):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.azure_storage.AzureStorage",
            "OPTIONS": {"connection_string": azurite["connection_string"], "azure_container": blob_container},
        },
    }
    return BlobServiceClient.from_connection_string(azurite["connection_string"]).get_container_client(blob_container)


def post_with_file(client, action):
    url = reverse("plans:action_update", args=[action.objective.plan.slug, action.ref])
    upload = SimpleUploadedFile("Workforce audit.pdf", PDF, content_type="application/pdf")
    return client.post(url, {"version": 0, "status": Status.ON_TRACK, "commentary": "Audit done.", "files": [upload]})


def test_it_keeps_an_uploaded_evidence_file_in_the_blob_container(manager_client, plan, blob_storage):
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    assert post_with_file(manager_client, action).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".pdf")
    assert [blob.name for blob in blob_storage.list_blobs()] == [evidence.file.name]
    assert blob_storage.download_blob(evidence.file.name).readall() == PDF
    assert type(default_storage._wrapped).__name__ == "AzureStorage"


def test_it_streams_the_file_to_a_signed_in_reader_and_to_nobody_else(
    client, manager, board_member, plan, blob_storage
):
    action = Action.objects.get(objective__plan=plan, ref="4.1")
    client.force_login(manager)
    post_with_file(client, action)
    url = Evidence.objects.get().get_absolute_url()
    client.logout()
    refused = client.get(url)
    assert refused.status_code == 302 and refused.url.startswith(reverse("login"))
    client.force_login(board_member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="Workforce audit.pdf"' in response["Content-Disposition"]
    # The page links to the app, never to the storage account.
    page = client.get(action.get_absolute_url()).content.decode()
    assert url in page and "127.0.0.1:" not in page and "blob" not in page.lower()


def test_it_leaves_the_container_private(plan, blob_storage):
    assert blob_storage.get_container_properties().public_access is None


def test_it_removes_the_blob_when_the_update_fails_after_the_file_was_written(
    manager_client, plan, blob_storage, monkeypatch
):
    def fail(*args, **kwargs):
        raise DatabaseError("the database went away")

    action = Action.objects.get(objective__plan=plan, ref="4.1")
    monkeypatch.setattr(Action, "save", fail)
    with pytest.raises(DatabaseError):
        post_with_file(manager_client, action)
    assert not Evidence.objects.exists()
    assert list(blob_storage.list_blobs()) == []


def settings_in_a_fresh_process(env):
    """The storage and cache a server started with this environment would use."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_STORAGE", "S3_", "REDIS_URL"))}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['default']['BACKEND']); print(settings.CACHES['default']['BACKEND'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**clean, "DJANGO_SETTINGS_MODULE": "improvement.settings", **env},
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()
    return out[-2:]


def test_it_uses_the_local_disk_and_cache_without_the_services():
    assert settings_in_a_fresh_process({}) == [
        "django.core.files.storage.FileSystemStorage",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_it_uses_blob_storage_s3_and_redis_when_they_are_set(azurite):
    assert settings_in_a_fresh_process({"AZURE_STORAGE_CONNECTION_STRING": azurite["connection_string"]})[0] == (
        "storages.backends.azure_storage.AzureStorage"
    )
    assert settings_in_a_fresh_process({"AZURE_STORAGE_ACCOUNT_NAME": "council", "AZURE_STORAGE_ACCOUNT_KEY": "a2V5"})[
        0
    ] == "storages.backends.azure_storage.AzureStorage"
    assert settings_in_a_fresh_process({"S3_BUCKET": "evidence"})[0] == "storages.backends.s3.S3Storage"
    assert settings_in_a_fresh_process({"REDIS_URL": "redis://127.0.0.1:6379/13"})[1] == (
        "django.core.cache.backends.redis.RedisCache"
    )
