"""gunicorn settings for `gunicorn wsgi:app` (read automatically from the working directory).

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS, e.g.
GUNICORN_CMD_ARGS="--bind 0.0.0.0:8000 --workers 8".
"""
import multiprocessing
import os

# Behind a reverse proxy / load balancer on the same host: listen on loopback only.
bind = os.environ.get("COP_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one process; the app is mostly database- and index-bound.
workers = int(os.environ.get("COP_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
# A request (an upload, an export) may take a while; a stuck worker is killed and replaced.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by caches), staggered so they never restart together.
max_requests = 2000
max_requests_jitter = 200
# No preload: each worker imports the app itself and opens its own database connections and its
# own search index handles (Whoosh readers/writers must not be shared across a fork).
preload_app = False
# Trust X-Forwarded-* only from the local proxy.
forwarded_allow_ips = "127.0.0.1"


def post_worker_init(worker):
    """Warm the templates and the search stack before this worker takes its first request (first search ≤ 100 ms)."""
    import gc
    import time

    from cop.core import templating
    from cop.search import service

    started = time.perf_counter()
    templating.warm_up(worker.wsgi)
    service.warm_up(worker.wsgi)
    # What the warm-up loaded (the word dictionary, sub-word tables, compiled templates, catalogs) lives
    # as long as the worker: kept out of the garbage collector's sight, a full collection no longer scans
    # it. That scan took ~100 ms, in the middle of whichever request set it off (often the first search).
    gc.collect()
    gc.freeze()
    worker.log.info(
        "worker %s warmed up in %.2f s; %d objects kept out of garbage collection",
        worker.pid,
        time.perf_counter() - started,
        gc.get_freeze_count(),
    )


accesslog = "-"
errorlog = "-"
loglevel = "info"
