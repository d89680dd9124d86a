"""/health/live and /health/ready: open to a load balancer's probes, saying only which checks passed."""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

from tests.services import ROOT, free_port, postgres_bin, wait_for_port


def test_it_answers_live_to_anyone_without_a_session(client, db):
    response = client.get(reverse("health_live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies
    assert client.post(reverse("health_live")).status_code == 405
    assert client.head(reverse("health_live")).status_code == 200


def test_it_answers_ready_with_the_database_checked(client, db):
    response = client.get(reverse("health_ready"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_it_answers_probes_by_address_over_plain_http_even_behind_https(client, db, settings):
    # A platform probes each instance at its own address, over HTTP, whatever the public host and scheme.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["tracker.council.example"]
    response = client.get("/health/ready", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert client.get("/health/live", HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="10.1.2.3:8000").status_code == 400  # the rest still checks


def test_it_checks_the_shared_cache_when_there_is_one(client, db, settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    assert client.get("/health/ready").json()["checks"] == {"database": "ok", "cache": "ok"}
    closed = f"redis://127.0.0.1:{free_port()}/13"
    settings.REDIS_URL = closed
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": closed,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "unavailable"}}
    assert str(closed.split(":")[-1].split("/")[0]) not in response.content.decode()  # nothing about where


def test_it_checks_the_blob_container_when_files_go_there(client, db, settings, azurite, blob_container):
    def use(container):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.azure_storage.AzureStorage",
                "OPTIONS": {"connection_string": azurite["connection_string"], "azure_container": container},
            },
        }

    use(blob_container)
    assert client.get("/health/ready").json()["checks"] == {"database": "ok", "storage": "ok"}
    use("no-such-container")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "unavailable"}
    assert "devstoreaccount1" not in response.content.decode()


# --- /health/ready against a PostgreSQL server that stops and comes back ------------------------------------


class ThrowawayPostgres:
    """A PostgreSQL cluster of this test's own, in a temporary folder, on a free port (never the machine's)."""

    def __init__(self, folder):
        self.folder, self.port = folder, free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.mkdir()
        if self.as_postgres:
            shutil.chown(folder, "postgres")
        self.run(postgres_bin("initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "--no-sync")

    def run(self, *cmd):
        done = subprocess.run([*self.as_postgres, *cmd], check=False, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{cmd[0]} failed: {done.stdout} {done.stderr}"

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(postgres_bin("pg_ctl"), "-D", str(self.folder / "data"), "-o", options, "-l",
                 str(self.folder / "log"), "-w", "start")

    def stop(self):
        self.run(postgres_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")


@pytest.fixture
def throwaway_postgres():
    # Its own folder under /tmp: the postgres user (as whom a root session runs it) cannot enter pytest's.
    folder = Path(tempfile.mkdtemp(prefix="improvement-health-pg-"))
    os.chmod(folder, 0o755)
    cluster = ThrowawayPostgres(folder / "pg")
    cluster.start()
    yield cluster
    subprocess.run([*cluster.as_postgres, postgres_bin("pg_ctl"), "-D", str(cluster.folder / "data"), "-m",
                    "immediate", "stop"], check=False, capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_it_fails_ready_while_postgresql_is_stopped_and_recovers_when_it_returns(throwaway_postgres):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_STORAGE", "S3_", "REDIS_URL"))},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{throwaway_postgres.port}/postgres",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen([gunicorn, "improvement.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process=server)
        ready, live = f"http://127.0.0.1:{port}/health/ready", f"http://127.0.0.1:{port}/health/live"
        assert get(ready) == (200, {"status": "ok", "checks": {"database": "ok"}})

        throwaway_postgres.stop()
        started = time.monotonic()
        assert get(ready) == (503, {"status": "unavailable", "checks": {"database": "unavailable"}})
        assert time.monotonic() - started < 10
        assert get(ready)[0] == 503  # still down: no cached answer
        assert get(live) == (200, {"status": "ok"})  # the process itself is fine: no restart

        throwaway_postgres.start()
        assert get(ready) == (200, {"status": "ok", "checks": {"database": "ok"}})

        # Restarted between two requests (a failover or maintenance): the worker's kept connection is dead, but
        # the next request reconnects instead of failing (CONN_HEALTH_CHECKS).
        throwaway_postgres.stop()
        throwaway_postgres.start()
        assert get(ready) == (200, {"status": "ok", "checks": {"database": "ok"}})
    finally:
        server.terminate()
        server.wait(timeout=30)
