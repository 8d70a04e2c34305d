"""Load benchmark: 50 concurrent clients on loopback against gunicorn (4 workers) for the home page,
a story page and a search page — SQLite + Whoosh and PostgreSQL + its search backend, side by side
in one run (a throwaway PostgreSQL cluster is started and stopped, as in .ci/stage-postgres.sh).

    .venv/bin/python bench/load.py [--clients 50] [--rounds 10] [--demo 1000] [--only sqlite|postgresql]

Each client requests home, story, search in turn, ``--rounds`` times (bounded). Prints one line per
figure: p50 / p95 per page and engine with the PostgreSQL/SQLite ratio, errors, throughput.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import pgtemp  # noqa: E402
from tests.ops.gunicorn_helpers import Gunicorn  # noqa: E402

PAGES = ("home", "story", "search")
QUERIES = ["ตัวชี้วัด", "การจัดการความรู้", "ผู้รับบริการ", "SP7", "บริการ", "การมีส่วนร่วม", "KM", "แผนยุทธศาสตร์"]


def flask(env, *args):
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "cop", *args],
                   cwd=ROOT, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def story_ids(url: str) -> list[int]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(sa.text(
            "SELECT id FROM stories WHERE published_at IS NOT NULL AND hidden_at IS NULL ORDER BY id"))]
    engine.dispose()
    return ids


def run_clients(base: str, ids: list[int], clients: int, rounds: int):
    times = {p: [] for p in PAGES}
    errors = {p: 0 for p in PAGES}
    lock = threading.Lock()
    start_gate = threading.Barrier(clients)

    def client(n):
        rng = random.Random(n)
        start_gate.wait()
        for _ in range(rounds):
            for page in PAGES:
                if page == "home":
                    path = "/"
                elif page == "story":
                    path = f"/stories/{rng.choice(ids)}"
                else:
                    path = "/search?q=" + urllib.parse.quote(rng.choice(QUERIES))
                t0 = time.perf_counter()
                ok = False
                try:
                    with urllib.request.urlopen(base + path, timeout=60) as r:
                        r.read()
                        ok = r.status == 200
                except Exception:  # noqa: BLE001 - counted
                    ok = False
                dt = (time.perf_counter() - t0) * 1000
                with lock:
                    if ok:
                        times[page].append(dt)
                    else:
                        errors[page] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return times, errors, wall


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def measure(engine: str, args) -> dict:
    tmp = tempfile.mkdtemp(prefix=f"cop-load-{engine}-")
    pg_handle = os.path.join(tmp, "pg")
    env = {"COP_DATA_DIR": os.path.join(tmp, "data"), "COP_SECRET_KEY": "bench", "COP_RATELIMIT_ENABLED": "false"}
    try:
        if engine == "postgresql":
            admin = pgtemp.start(pg_handle)
            import psycopg

            with psycopg.connect(admin.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
                conn.execute("CREATE DATABASE cop_load")
            env["COP_DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/cop_load"
            env["COP_SEARCH_BACKEND"] = "postgres"
            url = env["COP_DATABASE_URL"]
        else:
            env["COP_SEARCH_BACKEND"] = "whoosh"
            url = f"sqlite:///{env['COP_DATA_DIR']}/cop.sqlite3"
        t0 = time.perf_counter()
        flask(env, "db", "upgrade")
        flask(env, "seed", "--demo", str(args.demo))
        seeded = time.perf_counter() - t0
        ids = story_ids(url)
        with Gunicorn(env, workers=4, log=os.path.join(tmp, "gunicorn.log")) as server:
            run_clients(server.url, ids, min(args.clients, 10), 1)  # warm up every worker
            times, errors, wall = run_clients(server.url, ids, args.clients, args.rounds)
        return {"times": times, "errors": errors, "wall": wall, "seed": seeded, "stories": len(ids)}
    finally:
        if engine == "postgresql":
            pgtemp.stop(pg_handle)
        subprocess.run(["rm", "-rf", tmp])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--demo", type=int, default=1000, help="generated stories on top of the seed")
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    args = ap.parse_args()
    engines = [args.only] if args.only else ["sqlite", "postgresql"]
    results = {e: measure(e, args) for e in engines}
    label = {"sqlite": "SQLite+Whoosh", "postgresql": "PostgreSQL+pg-search"}
    n = args.clients * args.rounds
    print(f"load: {args.clients} clients x {args.rounds} rounds x {len(PAGES)} pages, gunicorn 4 workers, "
          f"{results[engines[0]]['stories']} stories")
    for page in PAGES:
        for q in (50, 95):
            vals = {e: pct(results[e]["times"][page], q) for e in engines}
            parts = " | ".join(f"{label[e]} {vals[e]:7.1f} ms" for e in engines)
            ratio = f" | ratio pg/sqlite {vals['postgresql'] / vals['sqlite']:.2f}" if len(engines) == 2 else ""
            print(f"{page:6s} p{q}: {parts}{ratio}")
    for page in PAGES:
        parts = " | ".join(f"{label[e]} {results[e]['errors'][page]}/{n}" for e in engines)
        print(f"{page:6s} errors: {parts}")
    parts = " | ".join(f"{label[e]} {3 * n / results[e]['wall']:6.1f} req/s" for e in engines)
    print(f"throughput: {parts}")
    parts = " | ".join(f"{label[e]} {results[e]['seed']:5.1f} s" for e in engines)
    print(f"migrate+seed --demo {args.demo}: {parts}")


if __name__ == "__main__":
    main()
