"""The outside services a multi-server deployment uses, started or found for the tests that need them.

Locally a test needing a service that is not there is skipped; in CI (`REQUIRE_SERVICES=1`, set by .ci/run)
it fails instead, so a green CI always means the tests ran against the real thing.
"""

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AZURITE_CACHE = ROOT / ".cache" / "azurite"
# Azurite's single, published development account (not a secret).
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
# Redis on the machine, in a database number of the tests' own (flushed by them, never another's).
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/13")


def missing(reason):
    """Skip locally; fail in CI, where every service must be there."""
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
    pytest.skip(reason)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=60, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout} s")


def postgres_bin(name):
    """PostgreSQL's own program (initdb, pg_ctl, pg_dump, pg_restore), newest version installed."""
    import glob

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found[-1]:
        missing(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")
    return found[-1]


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        missing(f"Redis is not reachable at {REDIS_TEST_URL} ({error})")
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


def azurite_command():
    found = shutil.which("azurite-blob")
    if found:
        return found
    installed = AZURITE_CACHE / "node_modules" / ".bin" / "azurite-blob"
    if installed.exists():
        return str(installed)
    if not shutil.which("npm"):
        missing("Azurite is not installed and npm is not available to install it (apt-get install npm)")
    AZURITE_CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["npm", "install", "--prefix", str(AZURITE_CACHE), "--no-audit", "--no-fund", "--silent", "azurite@3.37.0"],
            check=True, timeout=600,
        )
    except (subprocess.SubprocessError, OSError) as error:
        missing(f"npm could not install Azurite ({error})")
    return str(installed)


@pytest.fixture(scope="session")
def azurite(tmp_path_factory):
    """Azurite's blob service on a free loopback port: {"port", "connection_string"}."""
    port = free_port()
    folder = tmp_path_factory.mktemp("azurite")
    process = subprocess.Popen(
        [azurite_command(), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", str(folder),
         "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process=process)
        yield {
            "port": port,
            "connection_string": (
                f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
                f"BlobEndpoint=http://127.0.0.1:{port}/{AZURITE_ACCOUNT};"
            ),
        }
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def blob_container(azurite):
    """A new private container in Azurite, for one test: its name."""
    from azure.storage.blob import BlobServiceClient

    name = f"evidence-{uuid.uuid4().hex[:12]}"
    service = BlobServiceClient.from_connection_string(azurite["connection_string"])
    service.create_container(name)  # private: no public access level
    yield name
    service.delete_container(name)


def azure_storage_settings(azurite, container):
    """The environment a server gets to keep its files in this Azurite container."""
    return {"AZURE_STORAGE_CONNECTION_STRING": azurite["connection_string"], "AZURE_STORAGE_CONTAINER": container}
