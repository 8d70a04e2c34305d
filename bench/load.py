"""Load benchmark: every main page under `wrk` against gunicorn (4 workers), each figure a ratio to
`/healthz` served by the same workers in the same run; SQLite + Whoosh and PostgreSQL side by side
(a throwaway PostgreSQL cluster is started and stopped with scripts/pgtemp.py).

    apt-get install wrk          # Debian's compiled load generator (a Python client eats the cores it measures)
    .venv/bin/python bench/load.py [--demo 1000] [--seconds 3] [--connections 16] [--only sqlite|postgresql]

Each page gets a 1-second run that is not counted (every worker's first copy of a cached page), then
the measured run. Pages: home, a story (every story in turn: all cache misses; and "popular": the same
stories drawn as real traffic comes, a few most of the time — Zipf, s = 1), /stories, /map, /clinics,
the other lists (questions, trainers, AARs, open actions, categories, the clinic calendar), every question,
a search (3,000 distinct queries in turn, and "popular" drawn the same way), each anonymous and, for
home / story / search, logged in as a member. /healthz runs first and last; the faster of the two is
the reference (a slow first run would flatter every page). Prints req/s, p50 and p99 and
their ratios to that /healthz, errors (non-2xx and socket errors), the time of the first search a freshly
started server answers, and `search check` after the load. Targets (DESIGN.md): pages ≥ 50% of
/healthz req/s, search ≥ 25%, p99 ≤ 300 ms, 0 errors; PostgreSQL within 1.5x of SQLite.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import pgtemp

from tests.ops.gunicorn_helpers import Gunicorn

MEMBER = ("bench.member@example.org", "ข้าวเหนียวมะม่วง ตอนบ่าย")
LUA = """
paths = {%s}
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("tid", threads) end
init = function(args) i = ((tid or 1) * 7919) %% #paths end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], %s)
end
"""


def flask(env, *args):
    subprocess.run([sys.executable, "-m", "flask", "--app", "cop", *args], cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": ROOT, **env}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def row_ids(url: str, sql: str) -> list[int]:
    """The ids a query lists (pages a visitor can open)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(sa.text(sql))]
    engine.dispose()
    return ids


def search_paths(n: int = 3000) -> list[str]:
    """Distinct searches: dictionary words from the seed stories, pairs, and some with a filter."""
    sys.path.insert(0, ROOT)
    from bench import corpus
    from cop.search import analysis
    from cop.text import thai

    words = sorted({t for text in corpus.seed_texts() for t in thai.segment(text)
                    if len(t) >= 3 and analysis.in_sub_vocabulary(t)})
    rng = random.Random(7)
    out = set()
    while len(out) < n:
        r = rng.random()
        q = rng.choice(words) if r < 0.6 else f"{rng.choice(words)} {rng.choice(words)}"
        extra = "" if rng.random() > 0.15 else rng.choice(["&code=SP7", "&category=2", "&type=story", "&province=ขอนแก่น"])
        out.add("/search?q=" + urllib.parse.quote(q) + urllib.parse.quote(extra, safe="&="))
    return sorted(out)


def popular(paths: list[str], n: int = 20000, seed: int = 11) -> list[str]:
    """``n`` requests drawn as real traffic comes: the k-th most wanted page 1/k as often as the first."""
    rng = random.Random(seed)
    ranked = paths[:]
    rng.shuffle(ranked)
    return rng.choices(ranked, weights=[1 / (k + 1) for k in range(len(ranked))], k=n)


def login_cookie(base: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": MEMBER[0], "password": MEMBER[1]}
    if token:
        data["csrf_token"] = token.group(1)
    opener.open(base + "/login", urllib.parse.urlencode(data).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(base: str, paths: list[str], seconds: float, connections: int, cookie: str | None, workdir: str) -> dict:
    script = os.path.join(workdir, "paths.lua")
    headers = f"{{Cookie = {lua_str(cookie)}}}" if cookie else "nil"
    with open(script, "w") as f:
        f.write(LUA % (",".join(lua_str(p) for p in paths), headers))
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                          "--timeout", "10s", "-s", script, base], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {m[0]: to_ms(m[1]) for m in re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE)}
    errors = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(x) for x in socket.groups())
    return {"rps": rps, "p50": lat.get("50", float("nan")), "p99": lat.get("99", float("nan")), "errors": errors}


def lua_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def first_search(base: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(base + "/search?q=" + urllib.parse.quote("ผู้รับบริการ ตัวชี้วัด"), timeout=60) as r:
        r.read()
    return (time.perf_counter() - t0) * 1000


def measure(engine: str, args) -> dict:
    tmp = tempfile.mkdtemp(prefix=f"cop-load-{engine}-")
    pg_handle = os.path.join(tmp, "pg")
    env = {"COP_DATA_DIR": os.path.join(tmp, "data"), "COP_SECRET_KEY": "bench", "COP_RATELIMIT_ENABLED": "false",
           "COP_CACHE_DIR": os.path.join(tempfile.gettempdir(), "cop-cache")}
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
        flask(env, "user", "create", MEMBER[0], "--name", "สมาชิกทดสอบโหลด (ตัวอย่าง)", "--role", "member",
              "--password", MEMBER[1])
        seeded = time.perf_counter() - t0
        ids = row_ids(url, "SELECT id FROM stories WHERE published_at IS NOT NULL AND hidden_at IS NULL ORDER BY id")
        pages = {
            "healthz": ["/healthz"],
            "home": ["/"],
            "story": [f"/stories/{i}" for i in ids],
            "stories": ["/stories", "/stories?page=2", "/stories?code=SP7", "/stories?category=2"],
            "map": ["/map"],
            "clinics": ["/clinics"],
            "other lists": ["/threads", "/trainers", "/aar", "/aar/actions", "/categories", "/clinics/calendar"],
            "question": [f"/threads/{i}" for i in row_ids(url, "SELECT id FROM threads WHERE NOT hidden ORDER BY id")],
            "search": search_paths(),
        }
        pages = {**pages, "story (popular)": popular(pages["story"]), "search (popular)": popular(pages["search"])}
        results = {}
        with Gunicorn(env, workers=4, log=os.path.join(tmp, "gunicorn.log")) as server:
            results["first search (ms)"] = first_search(server.url)
            cookie = login_cookie(server.url)
            runs = [(name, name, paths, None) for name, paths in pages.items()]
            runs += [(f"{name} (member)", name, pages[name], cookie) for name in ("home", "story", "search")]
            runs.append(("healthz (again)", "healthz", pages["healthz"], None))
            for label, _name, paths, ck in runs:
                wrk(server.url, paths, 1, args.connections, ck, tmp)  # not counted: each worker's first copies
                results[label] = wrk(server.url, paths, args.seconds, args.connections, ck, tmp)
        check = subprocess.run([sys.executable, "-m", "flask", "--app", "cop", "search", "check"], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": ROOT, **env}, capture_output=True, text=True, check=False)
        results["search check"] = "clean" if check.returncode == 0 else "DRIFT: " + check.stdout[-200:]
        results["seed (s)"] = seeded
        results["stories (count)"] = len(ids)
        return results
    finally:
        if engine == "postgresql":
            pgtemp.stop(pg_handle)
        shutil.rmtree(tmp, ignore_errors=True)


def reference(results: dict) -> dict:
    """The faster of the two /healthz runs (first and last): a slow first run must not flatter the pages."""
    return max(results["healthz"], results["healthz (again)"], key=lambda r: r["rps"])


def report(results: dict, engines: list[str], args) -> None:
    label = {"sqlite": "SQLite+Whoosh", "postgresql": "PostgreSQL+pg"}
    first = results[engines[0]]
    print(f"load: wrk -t2 -c{args.connections}, {args.seconds:g} s per page, gunicorn 4 workers, "
          f"{first['stories (count)']} stories; ratio = page / the faster /healthz run of the same workers")
    head = f"{'page':<18}" + "".join(f" | {label[e]:^44}" for e in engines)
    if len(engines) == 2:
        head += " | pg/sqlite req/s"
    print(head)
    for key, value in first.items():
        if not isinstance(value, dict):
            continue
        cells = []
        for e in engines:
            r, h = results[e][key], reference(results[e])
            cells.append(f"{r['rps']:7.0f} req/s {r['rps'] / h['rps']:5.0%} p50 {r['p50']:6.1f} p99 {r['p99']:6.1f} "
                         f"err {r['errors']}")
        line = f"{key:<18}" + "".join(f" | {c:<44}" for c in cells)
        if len(engines) == 2:
            line += f" | {results['postgresql'][key]['rps'] / max(results['sqlite'][key]['rps'], 1e-9):5.2f}"
        print(line)
    for key in ("first search (ms)", "seed (s)", "search check"):
        print(f"{key:<18}" + "".join(f" | {results[e][key]:<44.1f}" if isinstance(results[e][key], float)
                                     else f" | {results[e][key]:<44}" for e in engines))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--demo", type=int, default=1000, help="generated stories on top of the seed")
    ap.add_argument("--seconds", type=float, default=3, help="wrk duration per page")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    engines = [args.only] if args.only else ["sqlite", "postgresql"]
    results = {e: measure(e, args) for e in engines}
    report(results, engines, args)


if __name__ == "__main__":
    main()
