"""Script injection, checked in Chromium: payloads through every user-text field of every feature.

Each form (read from its real page) is submitted with a payload in one field at a time and in all fields
at once; then every page that shows the result (the item, its edit form, lists, feeds, search results)
is opened in Chromium with the site's Content-Security-Policy switched OFF, so that the escaping and
the Markdown sanitizer alone must stop the payloads. Nothing may run: no dialog, no page error, no
`window.__pwned`, and no event-handler attribute or javascript: link in the DOM.
"""

import pytest
from werkzeug.datastructures import MultiDict

from ..helpers import PASSWORD
from ..security.corpus import TRIED
from ..security.test_hostile_input import ATTACKED_KINDS, FORMS, _checkbox_defaults, _fmt, _form

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    '"><svg onload=window.__pwned=1>',
    '\'><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "</textarea><script>window.__pwned=1</script>",
    "</title><script>window.__pwned=1</script>",
    '<a href="javascript:window.__pwned=1">คลิก</a>',
    "[ลิงก์](javascript:window.__pwned=1)",
    '![รูป](x" onerror="window.__pwned=1)',
    "<details open ontoggle=window.__pwned=1>x</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>",
    "javascript:window.__pwned=1",
    "<scr<script>ipt>window.__pwned=1</script>",
    '<div style="background:url(javascript:window.__pwned=1)">x</div>',
]

CHECK_DOM = r"""() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const v = attr.value.toLowerCase().replace(/\\s+/g, '');
      if (attr.name.startsWith('on') && v.includes('__pwned')) bad.push(el.tagName + ' ' + attr.name);
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(attr.name) &&
          /^(javascript|vbscript|data:text\/html)/.test(v)) bad.push(el.tagName + ' ' + attr.name + '=' + attr.value);
      if (attr.name === 'srcdoc') bad.push(el.tagName + ' srcdoc');
    }
  }
  return {pwned: window.__pwned === undefined ? null : String(window.__pwned), bad: bad.slice(0, 10)};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import threading

    from werkzeug.serving import make_server

    from ..helpers import close_app
    from ..security.world import build_world

    world = build_world(tmp_path_factory.mktemp("xss"))
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    world.base_url = f"http://127.0.0.1:{server.server_port}"
    yield world
    server.shutdown()
    thread.join()
    close_app(world.app)


def _plant(world, label):
    """Submit the payloads through LABEL's form; return the pages that show what was kept."""
    role, _page, _action, defaults, extra = FORMS[label]
    form, data, target = _form(world, label)
    data = _checkbox_defaults(data, defaults)
    fields = list(dict.fromkeys(f.name for f in form.fields if f.kind in ATTACKED_KINDS and f.kind != "password"))
    attempts = []
    for payload in PAYLOADS:  # every field at once
        hostile = MultiDict(data)
        for name in fields:
            hostile.setlist(name, [payload])
        attempts.append(hostile)
    for i, name in enumerate(fields):  # one field at a time, so validation elsewhere cannot stop it
        for payload in PAYLOADS[i % 3 :: 3]:
            hostile = MultiDict(data)
            hostile.setlist(name, [payload])
            attempts.append(hostile)
    pages = {_fmt(world, p) for p in extra} | {_fmt(world, _page)}
    for hostile in attempts:
        TRIED["inputs"] += 1
        response = world.client(role).post(target, data=hostile)
        assert response.status_code < 500, (label, response.status_code)
        location = response.headers.get("Location")
        if response.status_code in (302, 303) and location and not location.startswith("http"):
            pages.add(location.split("#")[0])
    return role, pages


def _visit(site, context, role, pages):
    page = context.new_page()
    page.set_default_timeout(20000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    if role != "anonymous":
        page.goto(site.base_url + "/login")
        page.fill("input[name=email]", site.users[role][2])
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_load_state()
    seen = 0
    for path in sorted(pages):
        if path.endswith((".ics", ".atom", ".vcf", ".csv")):
            continue  # downloads, not pages
        response = page.goto(site.base_url + path)
        assert response.status < 500, (path, response.status)
        page.wait_for_load_state("load")
        for toggle in page.locator("details").all()[:5]:
            toggle.evaluate("d => d.open = true")
        result = page.evaluate(CHECK_DOM)
        assert result["pwned"] is None, f"script ran on {path}"
        assert not result["bad"], f"live handler or javascript: link on {path}: {result['bad']}"
        seen += 1
    assert not errors, errors
    page.close()
    return seen


def test_no_payload_runs_anywhere(site, browser):
    pages_by_role = {}
    for label in sorted(FORMS):
        if label in ("email", "register"):
            continue  # an e-mail address refuses every payload; registration is covered below
        role, pages = _plant(site, label)
        pages_by_role.setdefault(role, set()).update(pages)
    role, pages = _plant(site, "register")
    everywhere = {
        "/",
        "/stories",
        "/threads",
        "/trainers",
        "/clinics",
        "/hotlines",
        "/aar",
        "/aar/actions",
        "/map",
        "/categories",
        "/categories/1",
        "/codes/LD1",
        "/notifications",
        "/threads/moderation",
        "/admin/users",
        "/admin/audit",
        "/clinics/calendar",
    }
    everywhere |= {f"/search?q={q}" for q in ("script", "pwned", "img", "ลิงก์", "javascript")}
    # Admins see everything (drafts, hidden posts, all people): the widest view of the planted text.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH", bypass_csp=True)
    try:
        seen = _visit(site, context, "admin", set().union(*pages_by_role.values()) | everywhere)
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH", bypass_csp=True)
    try:
        seen += _visit(site, context, "anonymous", everywhere)
    finally:
        context.close()
    print(f"\nxss: {len(PAYLOADS)} payloads, {TRIED['inputs']} submissions, {seen} page views in Chromium")
    assert seen > 30
