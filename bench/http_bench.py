"""Requests per second for article pages, against the static-file limit.

    .venv/bin/python bench/http_bench.py [--duration 20] [--connections 8] [--rounds 3]

What it does, end to end:

1. installs what it needs from Debian's packages if missing (nginx, wrk,
   the nginx cache-purge module) when run as root;
2. builds a throwaway database (PostgreSQL ``nr_bench_http`` at
   127.0.0.1:5432 when a server answers, else SQLite in a temporary folder)
   with three articles: 50 comments (20 threads), 500 comments (200 threads,
   replies at depths 2–5, 20–80 words each) and 5,000 comments (2,000
   threads);
3. serves the app production-style: gunicorn, ``DEBUG=False``
   (``newsroom.settings.bench``), 2 × cores + 1 sync workers, WhiteNoise for
   static files; in two app states: *cold* (the app's own caches disabled: a
   dummy cache backend, every request does all the work) and *warm* (the
   app's caches in Redis when it runs, else the default file-based cache, filled first);
4. puts nginx in front: ``proxy_cache`` to the warm app, and a plain static
   server that returns each page's HTML from a file (the physical limit);
5. measures each with ``wrk -t2 -c8 -d<duration>s --latency``, after a
   3-second run that is not counted (the steady state, not start-up), in
   ``--rounds`` whole rounds (default 3) whose medians it reports, and prints one
   table with requests/s, p50, p99, SQL queries per view, and the ratios
   app/static and cached/static, so machines can be compared.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZES = [(50, 20), (500, 200), (5000, 2000)]
APP_COLD, APP_WARM, NGINX_CACHE, NGINX_STATIC = 8211, 8212, 8213, 8214
WARM_UP_SECONDS = 3


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float


def ensure_tools() -> None:
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    purge_module = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
    packages = [{"nginx": "nginx", "wrk": "wrk"}[tool] for tool in missing]
    if not purge_module.exists():
        packages.append("libnginx-mod-http-cache-purge")
    if not packages:
        return
    if os.geteuid() != 0:
        sys.exit(f"Please install: apt-get install {' '.join(packages)}")
    print(f"installing {' '.join(packages)} …", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True)


def postgres_available() -> bool:
    return (
        shutil.which("pg_isready") is not None
        and subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False
        ).returncode
        == 0
    )


def redis_available() -> bool:
    return (
        shutil.which("redis-cli") is not None
        and subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, check=False
        ).returncode
        == 0
    )


def build_database(env: dict[str, str], workdir: Path) -> list[tuple[int, str]]:
    """Create the data in a child process (Django set up there, not here)."""
    script = r"""
import os, sys
sys.path.insert(0, os.environ["BENCH_ROOT"])
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.core.cache import cache
call_command("migrate", verbosity=0, interactive=False)
from bench.fixtures import build_discussion
from tests.factories import ArticleFactory
client = Client()
built = []
for total, top in [(50, 20), (500, 200), (5000, 2000)]:
    article = ArticleFactory(title=f"Bench article with {total} comments", slug=f"bench-{total}")
    build_discussion(article, comments=total, top_level=top)
    cache.clear()
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url(), HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    built.append(f"{total} {len(queries)} {article.get_absolute_url()}")
    if total == 50:
        from comments.models import Comment
        from tests.factories import make_comment
        for n in range(2):
            make_comment(article, body=f"Freshness probe {n}", status=Comment.Status.PENDING)
# The steady state of a live site, where autovacuum has run since the
# comments arrived: planner statistics and no dead rows from building.
if connection.vendor == "postgresql":
    connection.cursor().execute("VACUUM ANALYZE")
print("\n".join(built), flush=True)
"""
    out = subprocess.run(
        [PYTHON, "-c", script],
        env={**env, "BENCH_ROOT": str(ROOT), "NEWSROOM_DISABLE_APP_CACHE": "1"},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode:
        sys.exit(f"building the database failed:\n{out.stderr[-3000:]}")
    rows = []
    for line in out.stdout.strip().splitlines():
        _total, queries, url = line.split()
        rows.append((int(queries), url))
    return rows


def start_gunicorn(env: dict[str, str], port: int, workdir: Path, *, cold: bool):
    workers = 2 * (os.cpu_count() or 2) + 1
    app_env = {**env}
    if cold:
        app_env["NEWSROOM_DISABLE_APP_CACHE"] = "1"
    log = open(workdir / f"gunicorn-{port}.log", "w")  # noqa: SIM115 -- closed with the process
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        env=app_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{port}/healthz")
    return process


def start_worker(env: dict[str, str], workdir: Path):
    """The task worker: it sends the purges the app enqueues."""
    log = open(workdir / "worker.log", "w")  # noqa: SIM115 -- closed with the process
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 -- local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} did not come up")


NGINX_CONF = """
load_module /usr/lib/nginx/modules/ngx_http_cache_purge_module.so;
worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    # tcp_nopush (TCP_CORK) with sendfile stalls some cached responses on
    # the delayed-ACK timer (about 40 ms each: measured here on the
    # 87 kB page, about 190 requests/s instead of 50,000), so it is off for
    # both servers.
    tcp_nopush off;
    keepalive_requests 100000;
    default_type text/html;
    client_body_temp_path {workdir}/nginx-body;
    proxy_temp_path {workdir}/nginx-proxy;
    fastcgi_temp_path {workdir}/nginx-fastcgi;
    uwsgi_temp_path {workdir}/nginx-uwsgi;
    scgi_temp_path {workdir}/nginx-scgi;
    proxy_cache_path {workdir}/nginx-cache levels=1:2 keys_zone=pages:10m
                     max_size=200m inactive=10m;
    upstream app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{cache_port};
        # Purges from the app (NEWSROOM_PURGE_URLS=http://127.0.0.1:{cache_port}/purge).
        location ~ ^/purge(/.*)$ {{
            allow 127.0.0.1;
            deny all;
            proxy_cache_purge pages $scheme$host$1$is_args$args;
        }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_cache pages;
            proxy_cache_key $scheme$host$request_uri;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            proxy_cache_revalidate on;
            add_header X-Cache $upstream_cache_status;
        }}
    }}
    server {{
        listen 127.0.0.1:{static_port};
        root {workdir}/static-html;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


def start_nginx(workdir: Path, app_port: int) -> None:
    conf = workdir / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            workdir=workdir, app_port=app_port, cache_port=NGINX_CACHE, static_port=NGINX_STATIC
        )
    )
    subprocess.run(["nginx", "-c", str(conf)], check=True)


def stop_nginx(workdir: Path) -> None:
    subprocess.run(["nginx", "-c", str(workdir / "nginx.conf"), "-s", "stop"], check=False)


def save_static_copy(workdir: Path, url: str) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{APP_WARM}{url}") as response:
        html = response.read()
    target = workdir / "static-html" / url.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(html)


APPROVE = r"""
import os, sys
sys.path.insert(0, os.environ["BENCH_ROOT"])
import django
django.setup()
from django.db import transaction
from comments import services
from comments.models import Comment
import time
with transaction.atomic():
    services.comment_approve(comment=Comment.objects.get(body=sys.argv[1]))
print(time.time())  # the moment the approval is committed
"""


def freshness(env: dict[str, str], url: str, probe: str, *, purge: bool) -> float:
    """Seconds from a moderator's approval until readers of the cached page see it."""
    run_env = {**env, "BENCH_ROOT": str(ROOT)}
    if not purge:
        run_env["NEWSROOM_PURGE_URLS"] = ""
    approved = subprocess.run(
        [PYTHON, "-c", APPROVE, probe],
        env=run_env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    committed = float(approved.stdout.strip().splitlines()[-1])
    while time.time() - committed < 60:
        with urllib.request.urlopen(f"http://127.0.0.1:{NGINX_CACHE}{url}") as response:
            if probe.encode() in response.read():
                return time.time() - committed
        time.sleep(0.1)
    return float("inf")


def median_of(results: list[Result]) -> Result:
    """Each figure's median over the rounds."""
    return Result(
        statistics.median(r.rps for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
    )


def wrk(url: str, duration: int, connections: int) -> Result:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
        return float(value) * factor

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"warning: {errors.group(1)} error responses from {url}", file=sys.stderr)
    return Result(rps, percentile("50"), percentile("99"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--rounds", type=int, default=3, help="measure everything this many times (median)"
    )
    args = parser.parse_args()

    ensure_tools()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-http-bench-"))
    workdir.chmod(0o755)  # nginx's workers (www-data) read the static copies from here
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.bench",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT),
        "NEWSROOM_SITE_URL": f"http://127.0.0.1:{NGINX_CACHE}",
        "NEWSROOM_PURGE_URLS": f"http://127.0.0.1:{NGINX_CACHE}/purge",
    }
    if postgres_available():
        name = "nr_bench_http"
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    env["REDIS_URL"] = "redis://127.0.0.1:6379/3" if redis_available() else ""
    if env["REDIS_URL"]:
        subprocess.run(["redis-cli", "-n", "3", "flushdb"], capture_output=True, check=False)
    database = env["DATABASE_URL"].split(":")[0]
    print(
        f"database: {database}; app cache: {'redis' if env['REDIS_URL'] else 'files'}; "
        f"wrk -t2 -c{args.connections} -d{args.duration}s",
        flush=True,
    )

    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    pages = build_database(env, workdir)
    processes = []
    try:
        processes.append(start_gunicorn(env, APP_COLD, workdir, cold=True))
        processes.append(start_gunicorn(env, APP_WARM, workdir, cold=False))
        processes.append(start_worker(env, workdir))
        start_nginx(workdir, APP_WARM)
        targets = (
            ("cold", APP_COLD),
            ("warm", APP_WARM),
            ("cached", NGINX_CACHE),
            ("static", NGINX_STATIC),
        )
        for _queries, url in pages:
            save_static_copy(workdir, url)
            for port in (APP_WARM, NGINX_CACHE):  # fill the app's and nginx's caches
                for _ in range(3):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{url}").read()
            for _name, port in targets:
                # Steady state only: a few seconds first (not counted) let every
                # worker compile its templates and queries and open its
                # connections, which the first page measured would otherwise pay.
                wrk(f"http://127.0.0.1:{port}{url}", WARM_UP_SECONDS, args.connections)
        # Whole rounds, one after the other, and the median of each figure: on
        # a shared machine a neighbour's burst then spoils one round of a
        # figure, not the figure.
        runs: dict[tuple[int, str], list[Result]] = {}
        for round_number in range(1, args.rounds + 1):
            for (_queries, url), (total, _threads) in zip(pages, SIZES, strict=True):
                for name, port in targets:
                    runs.setdefault((total, name), []).append(
                        wrk(f"http://127.0.0.1:{port}{url}", args.duration, args.connections)
                    )
            print(f"  round {round_number} of {args.rounds} measured", flush=True)
        rows = [
            (total, queries, {name: median_of(runs[(total, name)]) for name, _port in targets})
            for (queries, _url), (total, _threads) in zip(pages, SIZES, strict=True)
        ]
        fresh_purged = freshness(env, pages[0][1], "Freshness probe 0", purge=True)
        fresh_micro = freshness(env, pages[0][1], "Freshness probe 1", purge=False)
    finally:
        stop_nginx(workdir)
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)

    print()
    print(
        f"{'comments':>8} {'queries':>7} | {'cold r/s':>9} {'p50':>7} {'p99':>7} | "
        f"{'warm r/s':>9} {'p50':>7} {'p99':>7} | {'nginx cache':>11} {'p99':>7} | "
        f"{'static':>8} | {'cold/st':>7} {'warm/st':>7} {'cache/st':>8}"
    )
    for total, queries, m in rows:
        static = m["static"].rps
        print(
            f"{total:>8} {queries:>7} | {m['cold'].rps:>9.0f} {m['cold'].p50_ms:>5.1f}ms "
            f"{m['cold'].p99_ms:>5.1f}ms | {m['warm'].rps:>9.0f} {m['warm'].p50_ms:>5.1f}ms "
            f"{m['warm'].p99_ms:>5.1f}ms | {m['cached'].rps:>11.0f} {m['cached'].p99_ms:>5.1f}ms | "
            f"{static:>8.0f} | {m['cold'].rps / static:>7.3f} {m['warm'].rps / static:>7.3f} "
            f"{m['cached'].rps / static:>8.3f}"
        )
    print(
        f"\nAn approved comment reached readers of the cached page in {fresh_purged:.1f} s with "
        f"purging, {fresh_micro:.1f} s by micro-caching alone (s-maxage)."
    )
    first, last = rows[0][2], rows[-1][2]
    print(
        f"\n5,000-comment first page vs 50-comment page (cold p50): "
        f"{last['cold'].p50_ms / first['cold'].p50_ms:.2f}×"
    )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
