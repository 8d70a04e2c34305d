"""axe-core in Chromium on the main pages: no serious or critical violations."""

import json

import pytest

from ...helpers import PASSWORD
from .helpers import AXE, PAGES, require

pytestmark = pytest.mark.browser


def _login(page, base_url, email):
    page.goto(base_url + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("name,path,role", PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_or_critical_axe_violations(site, browser, name, path, role):
    require(AXE)
    # axe is injected as a script, which the site's CSP would (rightly) refuse: bypass it for the check.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH", bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(20000)
        if role != "anonymous":
            _login(page, site.base_url, site.users[role][2])
        response = page.goto(site.base_url + path.format(**site.ids))
        assert response.status == 200, (name, response.status)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""")
    finally:
        context.close()
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    print(f"\naxe {name}: {len(result)} violations, {len(bad)} serious/critical")
    assert not bad, f"{name} ({path}):\n" + json.dumps(bad, ensure_ascii=False, indent=1)
