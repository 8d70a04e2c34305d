"""A gunicorn worker warms the search stack before it takes requests, from tables cached on disk."""

import os
import re
import urllib.parse
import urllib.request

from cop.search import service as search_service
from cop.text import thai

from .gunicorn_helpers import Gunicorn, app_env


def test_workers_warm_up_before_their_first_search(app, tmp_path):
    search_service.close_backends()
    log = tmp_path / "gunicorn.log"
    with Gunicorn(app_env(app), workers=2, log=log) as server:
        url = server.url + "/search?q=" + urllib.parse.quote("การมีส่วนร่วม")
        with urllib.request.urlopen(url, timeout=60) as r:
            assert r.status == 200
    warmed = [line for line in log.read_text(errors="replace").splitlines() if "warmed up in" in line]
    assert len(warmed) == 2
    # what the warm-up loaded is out of the garbage collector's sight (a full scan of it paused a request)
    frozen = [int(re.search(r"(\d+) objects kept out of garbage collection", line).group(1)) for line in warmed]
    assert min(frozen) > 50_000


def test_dictionary_tables_are_built_once_and_loaded_from_disk():
    words = thai.dictionary_words()
    cached = os.path.join(thai.cache_dir(), f"words-{thai.inputs_digest()}.marshal")
    assert os.path.exists(cached)
    assert thai.cached_table("words", lambda: frozenset()) == words  # loaded, not rebuilt


def test_warm_up_compiles_every_template_so_no_first_page_waits_for_the_compiler(app):
    from cop.core import templating

    templating.warm_up(app)  # gunicorn's post_worker_init calls it before the search warm-up
    loaded = {key[1] for key in app.jinja_env.cache.keys()}
    assert {"search/results.html", "stories/show.html", "base.html"} <= loaded
    assert len(loaded) == len(app.jinja_env.list_templates(extensions=["html"]))
    compiled = os.listdir(os.path.join(thai.cache_dir(), "jinja"))
    assert len(compiled) >= len(loaded)  # kept on disk for the next worker
