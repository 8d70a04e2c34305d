"""Static files: versioned URLs in pages, cached for a year; a changed file gets a new URL."""

import re


def test_pages_link_versioned_static_files_cached_for_a_year(client):
    page = client.get("/").text
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page)
    assert css, "app.css is linked with a content version"
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/css/app.css")
    assert plain.headers["Cache-Control"] == "public, max-age=3600"


def test_changed_file_gets_a_new_url(app, tmp_path):
    app.static_folder = str(tmp_path)
    (tmp_path / "x.css").write_text("a{}")
    with app.test_request_context():
        from flask import url_for

        first = url_for("static", filename="x.css")
        (tmp_path / "x.css").write_text("b{color:red}")
        import os

        os.utime(tmp_path / "x.css", (1, 1))
        second = url_for("static", filename="x.css")
    assert first != second and "?v=" in second


def test_links_follow_the_path_the_site_is_mounted_under(client):
    """Templates remember the links they build (core.templating.install_url_for): per mount point, so a site
    served at /cop behind a proxy and the same workers answering at / each link to their own paths."""
    mounted = client.get("/stories", environ_overrides={"SCRIPT_NAME": "/cop"}).text
    plain = client.get("/stories").text
    assert 'href="/cop/threads"' in mounted and 'href="/threads"' not in mounted
    assert 'href="/threads"' in plain and "/cop/" not in plain
