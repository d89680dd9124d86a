"""Load test: gunicorn on PostgreSQL, 50 simulated users browsing and posting action updates.

    .venv/bin/pip install -e ".[load]"
    .venv/bin/python bench/load.py [--users 50] [--minutes 2] [--workers 4] [--servers 2]

Builds a fresh PostgreSQL database (`improvement_load`, dropped first) with the Knowsley plan and its
demo data, and 50 service managers sharing the plan's posts, so several people update the same
actions at once. Serves it with gunicorn (production settings, DEBUG off) and runs locust headless
on loopback. Each user signs in, then browses the dashboard, the action list, actions and measures
and posts updates to the actions its post owns, through the real form with its CSRF token and edit
version. Afterwards it checks: no request failed (a 409 "someone else updated this" is a correct
answer, counted apart), and no update was lost: every update the app accepted is stored exactly once
and each action's edit version moved by exactly the number of accepted updates.

With --servers 2 it starts two gunicorn servers (--workers each) sharing the database and a Redis cache
(REDIS_URL, database 14 of 127.0.0.1:6379, flushed first) behind one address: a round-robin TCP load balancer in
this script, which hands each new connection to the next server (gunicorn's sync workers close the connection
after each response, so consecutive requests of one user go to alternate servers).

This file is also the locustfile (locust imports it; the runner below is skipped then).
"""

import itertools
import json
import os
import random
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

from locust import HttpUser, between, events, task

ROOT = Path(__file__).resolve().parent.parent
PLAN = "knowsley-improvement-plan-2025"
PASSWORD = "load-test-password-1"
RESULTS_FILE = os.environ.get("LOAD_RESULTS_FILE", "/tmp/improvement-load-results.json")

accepted = []  # (action key, marker) for every update the app saved
conflicts = []  # action keys where the app answered 409: someone else had updated it first
user_numbers = itertools.count(1)


class ServiceManager(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.username = f"load{next(user_numbers):02d}"
        self.posts = 0
        login = self.client.get("/accounts/login/", name="sign in page")
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(login.text)},
            name="sign in",
        )
        my_actions = self.client.get("/my-actions/", name="my actions")
        self.my_actions = sorted(set(re.findall(rf"/plans/{PLAN}/actions/([\w.-]+)/update/", my_actions.text)))
        self.all_actions = []

    @task(4)
    def dashboard(self):
        self.client.get(f"/plans/{PLAN}/dashboard/", name="dashboard")

    @task(3)
    def action_list(self):
        page = self.client.get(f"/plans/{PLAN}/actions/", name="action list")
        self.all_actions = sorted(set(re.findall(rf'href="/plans/{PLAN}/actions/([\w.-]+)/"', page.text)))

    @task(3)
    def action(self):
        if self.all_actions:
            self.client.get(f"/plans/{PLAN}/actions/{random.choice(self.all_actions)}/", name="action")

    @task(2)
    def measures(self):
        page = self.client.get(f"/plans/{PLAN}/measures/", name="measure list")
        codes = re.findall(rf'href="/plans/{PLAN}/measures/([\w-]+)/"', page.text)
        if codes:
            self.client.get(f"/plans/{PLAN}/measures/{random.choice(codes)}/", name="measure")

    @task(3)
    def post_update(self):
        if not self.my_actions:
            return
        key = random.choice(self.my_actions)
        url = f"/plans/{PLAN}/actions/{key}/update/"
        form = self.client.get(url, name="update form")
        version = re.search(r'name="version" value="(\d+)"', form.text)
        self.posts += 1
        marker = f"load-{self.username}-{self.posts}-{secrets.token_hex(4)}"
        with self.client.post(
            url,
            {
                "csrfmiddlewaretoken": csrf_token(form.text),
                "version": version.group(1) if version else "",
                "status": random.choice(["on_track", "complete", "on_track"]),
                "commentary": f"Monthly update under load ({marker}).",
                "evidence_of_impact": "",
                "next_steps": "",
            },
            name="post update",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 302:
                accepted.append((key, marker))
                response.success()
            elif response.status_code == 409:
                conflicts.append(key)
                response.success()
            else:
                response.failure(f"update not saved: HTTP {response.status_code}")


def csrf_token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


@events.quitting.add_listener
def write_results(environment, **kwargs):
    def figures(entry):
        return {
            "count": entry.num_requests,
            "failures": entry.num_failures,
            **{f"p{int(p * 100)}": entry.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)},
            "max": entry.max_response_time,
        }

    stats = {name: figures(entry) for (name, _), entry in sorted(environment.stats.entries.items())}
    stats["all requests"] = figures(environment.stats.total)
    Path(RESULTS_FILE).write_text(json.dumps({"accepted": accepted, "conflicts": conflicts, "stats": stats}))


# --- the runner ------------------------------------------------------------------------------------


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def prepare_database(env, users):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS improvement_load WITH (FORCE)")
        conn.execute("CREATE DATABASE improvement_load")
    python = [sys.executable, "manage.py"]
    run([*python, "migrate", "--no-input", "-v0"], env)
    run([*python, "setup_demo"], {**env, "DEMO_MODE": "1"}, stdout=subprocess.DEVNULL)
    run([*python, "collectstatic", "--no-input", "-v0"], env)
    # Users share posts round-robin, so each action has several people updating it at once.
    script = f"""
from django.contrib.auth import get_user_model
from plans.roles import Role, give_role
from plans.models import Action, Post, PostHolder
posts = list(Post.objects.filter(actions__isnull=False).distinct().order_by("name"))
User = get_user_model()
for n in range(1, {users} + 1):
    user = User.objects.create_user(username=f"load{{n:02d}}", password="{PASSWORD}")
    give_role(user, Role.SERVICE_MANAGER)
    PostHolder.objects.create(post=posts[n % len(posts)], user=user)
print(len(posts), "posts owning actions shared by", {users}, "users")
"""
    run([*python, "shell", "--no-imports", "-c", script], env)


def versions(env):
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "import json; from plans.models import Action; "
         "print(json.dumps({a.key: a.version for a in Action.objects.filter(objective__plan__slug='%s')}))" % PLAN],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def stored_markers(env):
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "import json, re; from plans.models import ActionUpdate; "
         "print(json.dumps([[u.action.key, m] for u in ActionUpdate.objects.select_related('action') "
         "for m in re.findall(r'load-load\\d+-\\d+-\\w+', u.commentary)]))"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def round_robin_proxy(port, backends):
    """A load balancer on 127.0.0.1:port: each new connection goes to the next backend port in turn."""
    import asyncio
    import threading

    turn = itertools.cycle(backends)

    async def pipe(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", next(turn))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
        async with server:
            await server.serve_forever()

    threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()


def main():
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--servers", type=int, default=1, help="app servers behind one round-robin address")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "improvement.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/improvement_load",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "AXES_FAILURE_LIMIT": "1000",
    }
    print(f"Preparing PostgreSQL database improvement_load with {args.users} users ...", flush=True)
    prepare_database(env, args.users)
    before = versions(env)

    bin_dir = Path(sys.executable).parent
    if args.servers > 1:
        import redis

        env["REDIS_URL"] = "redis://127.0.0.1:6379/14"
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    ports = [args.port] if args.servers == 1 else [args.port + n for n in range(1, args.servers + 1)]
    servers = [
        subprocess.Popen(
            [str(bin_dir / "gunicorn"), "improvement.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--log-level", "warning"],
            env=env, cwd=ROOT,
        )
        for port in ports
    ]
    if args.servers > 1:
        round_robin_proxy(args.port, ports)
    try:
        time.sleep(3)
        locust = subprocess.run(
            [str(bin_dir / "locust"), "-f", __file__, "--headless", "--users", str(args.users),
             "--spawn-rate", "10", "--run-time", f"{int(args.minutes * 60)}s", "--host",
             f"http://127.0.0.1:{args.port}", "--only-summary", "--loglevel", "WARNING"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait()

    results = json.loads(Path(RESULTS_FILE).read_text())
    layout = f"gunicorn {args.workers} sync workers"
    if args.servers > 1:
        layout = f"{args.servers} gunicorn servers of {args.workers} sync workers behind one round-robin address, Redis"
    print(f"\n{args.users} users, {args.minutes:g} minutes, {layout}, "
          f"PostgreSQL, {os.cpu_count()} CPUs shared by servers, database and locust\n")
    print(f"{'request':<16} {'count':>6} {'failures':>8} {'median ms':>9} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for name, row in results["stats"].items():
        print(f"{name:<16} {row['count']:>6} {row['failures']:>8} {row['p50']:>9.0f} {row['p95']:>7.0f} "
              f"{row['p99']:>7.0f} {row['max']:>7.0f}")
    total = results["stats"]["all requests"]
    print(f"\nthroughput: {total['count'] / (args.minutes * 60):.1f} requests/s")

    accepted_updates = [tuple(pair) for pair in results["accepted"]]
    stored = [tuple(pair) for pair in stored_markers(env)]
    after = versions(env)
    moved = sum(after[key] - before.get(key, 0) for key in after)
    per_action = {}
    for key, _ in accepted_updates:
        per_action[key] = per_action.get(key, 0) + 1
    versions_match = all(after[key] - before.get(key, 0) == per_action.get(key, 0) for key in after)
    lost = set(accepted_updates) - set(stored)
    extra = len(stored) - len(set(stored))
    print(f"updates posted: {len(accepted_updates) + len(results['conflicts'])}; accepted: {len(accepted_updates)}, "
          f"refused as conflicting (409, kept for the person to resubmit): {len(results['conflicts'])}")
    print(f"accepted updates stored: {len(stored)}, lost: {len(lost)}, duplicated: {extra}; "
          f"edit versions moved {moved} (equal to accepted updates per action: {versions_match})")
    failures = total["failures"]
    ok = locust.returncode == 0 and failures == 0 and not lost and not extra and versions_match
    print("RESULT:", "zero errors, no lost update" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
