"""Load test (issue 17 item 5): gunicorn serving the demo province, a closed loop of logged-in users.

    make loadtest                                      # PostgreSQL named by DATABASE_URL, scale 10, 20/50/100 users
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach make loadtest LOAD_ARGS="--compare b489e68"

Seeds `<database>_load_s<scale>` beside the database named by DATABASE_URL at --scale (kept with --keep and
reused next time), starts gunicorn (--workers sync workers, DEBUG off, bench/load_settings.py) on
127.0.0.1 only, gives every simulated user a session of its own, and runs locust headless
(bench/locustfile.py: four clerks to one officer, think time 0.5–2 s) for --seconds at each number of
--users, one after another. Prints requests/s and p50/p95/p99 per page and for all pages.

--compare REF also serves git revision REF (a worktree under /tmp) against the same database in the
same run, so the two implementations are measured on one machine at one time (this machine is shared:
compare ratios, not absolute times). Never run by the tests; the figures go to docs/benchmarks.md.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only: this script never loads another machine
MAX_USERS, MAX_SECONDS = 200, 600


def database(base: str, scale: int, keep: bool) -> str:
    """`<name>_load_s<scale>` beside the PostgreSQL database `base`, migrated and seeded at `scale` (reused with keep)."""
    import psycopg2

    parts = urlparse(base)
    if parts.scheme not in ("postgres", "postgresql"):
        sys.exit(
            "make loadtest needs PostgreSQL: set DATABASE_URL=postgres://… (SQLite serialises the workers' writes)"
        )
    name = parts.path.lstrip("/") + f"_load_s{scale}"
    url = urlunparse(parts._replace(path=f"/{name}"))
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cur.fetchone() is not None
        if exists and keep and seeded(url):
            print(f"reusing {name} (--keep)")
            return url
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    started = time.perf_counter()
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--scale", str(scale), "-v", "0"], cwd=ROOT, env=env, check=True)
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("ANALYZE")  # fresh tables have no planner statistics until autovacuum runs
    print(f"seeded {name} at scale {scale} in {time.perf_counter() - started:.0f} s")
    return url


def seeded(url: str) -> bool:
    import psycopg2

    try:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM auth_user WHERE username = 'officer'")
            return cur.fetchone()[0] == 1
    except psycopg2.Error:
        return False


def sessions(checkout: Path, url: str, officers: int, clerks: int, path: Path) -> None:
    """One session a simulated user, made in the database as a login would (no password hashing under load)."""
    code = f"""
import json, django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
def session(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies["sessionid"].value
clerks = [f"staff-a{{n % 128 + 1:03d}}" for n in range({clerks})]
json.dump({{"officer": [session("officer") for _ in range({officers})], "clerk": [session(u) for u in clerks]}},
          open({str(path)!r}, "w"))
"""
    subprocess.run([sys.executable, "-c", code], cwd=checkout, env=server_env(url), check=True)


def worktree(ref: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"outreach-load-{ref}"
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), ref], cwd=ROOT, check=True)
    return path


def server_env(url: str) -> dict:
    """The server's environment, also the sessions' (their hashes are keyed by SECRET_KEY)."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "load-test-only-" + "x" * 50,
        "ALLOWED_HOSTS": HOST,
        "SITE_TODAY": "2014-12-31",
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": str(ROOT / "bench"),
    }


def serve(checkout: Path, url: str, port: int, workers: int) -> subprocess.Popen:
    env = server_env(url)
    for command in (["collectstatic", "--no-input"], ["compilemessages", "--ignore", ".venv/*"]):  # as deployed
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=checkout, env=env, check=True)
    command = [sys.executable, "-m", "gunicorn", "outreach.wsgi", "--workers", str(workers), "--bind", f"{HOST}:{port}"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=checkout, env=env, start_new_session=True)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    sys.exit("gunicorn did not answer /healthz")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def run_locust(port: int, users: int, seconds: int, sessions_file: Path, prefix: Path) -> list[dict]:
    command = [
        *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
        *("--host", f"http://{HOST}:{port}", "-u", str(users), "-r", str(max(1, users // 5))),
        *("-t", f"{seconds}s", "--reset-stats", "--only-summary", "--csv", str(prefix)),
        *("--loglevel", "WARNING", "--stop-timeout", "5"),
    ]
    env = {**os.environ, "LOAD_SESSIONS": str(sessions_file)}
    with open(f"{prefix}.log", "w", encoding="utf-8") as log:  # locust's own summary and errors
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(label: str, users: int, rows: list[dict]) -> dict:
    print(f"\n{label}, {users} users")
    print(f"  {'page':<30} {'requests':>8} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
    summary = {}
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        figures = {
            "requests": int(row["Request Count"]),
            "rps": float(row["Requests/s"]),
            "p50": row["50%"],
            "p95": row["95%"],
            "p99": row["99%"],
            "errors": int(row["Failure Count"]),
        }
        print(
            f"  {name:<30} {figures['requests']:>8} {figures['rps']:>7.1f} {figures['p50']:>6} "
            f"{figures['p95']:>6} {figures['p99']:>6} {figures['errors']:>6}"
        )
        summary[name] = figures
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="20,50,100", help="comma-separated numbers of users, run in turn")
    parser.add_argument("--seconds", type=int, default=60, help="seconds of each run (after all users arrived)")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the seeded database and reuse it next time")
    parser.add_argument("--compare", metavar="REF", help="also serve git revision REF, in the same run")
    parser.add_argument("--json", metavar="FILE", help="write every figure to FILE")
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",")]
    if max(levels) > MAX_USERS or args.seconds > MAX_SECONDS:
        sys.exit(f"bounded: at most {MAX_USERS} users and {MAX_SECONDS} s a run")

    url = database(os.environ.get("DATABASE_URL", ""), args.scale, args.keep)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the start")
    implementations = [("this checkout", ROOT)]
    if args.compare:
        implementations.insert(0, (f"revision {args.compare}", worktree(args.compare)))
    results = {}
    workdir = Path(tempfile.mkdtemp(prefix="outreach-load-"))
    try:
        for label, checkout in implementations:
            server = serve(checkout, url, args.port, args.workers)
            try:
                for users in levels:
                    sessions_file = workdir / "sessions.json"
                    sessions(checkout, url, officers=max(1, users // 4), clerks=users, path=sessions_file)
                    rows = run_locust(args.port, users, args.seconds, sessions_file, workdir / f"{users}")
                    results[f"{label}, {users} users"] = report(label, users, rows)
            finally:
                stop(server)
    finally:
        print(f"\nlocust's logs: {workdir}")
        if not args.keep:
            drop(url)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


def drop(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


if __name__ == "__main__":
    main()
