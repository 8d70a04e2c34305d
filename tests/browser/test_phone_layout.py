"""Every main page on a 390 px phone, with the seeded content: nothing scrolls sideways (neither the page nor a
box inside it), the header and its menu fit, tables and the calendar fit the screen — real Chromium.

COP_SCREENSHOTS=DIR saves a screenshot of each page at 390 and 1280 px for a person to look at."""

import os
import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from ..helpers import PASSWORD, close_app, fresh_session, make_app
from .helpers import log_in

# Everything wider than the screen, and every box that scrolls sideways (code blocks in stories may).
OVERFLOW_JS = r"""() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) problems.push(`page scrolls: ${document.documentElement.scrollWidth} > ${width}`);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('pre, .prose pre, textarea, select, input, .skip')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${name(el)} scrolls sideways: ${el.scrollWidth} > ${el.clientWidth}`);
    if ((el.matches('table, nav a, header a, header button, summary') || el.matches('.card')) && (box.right > width + 1 || box.left < -1))
      problems.push(`${name(el)} is cut off: ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`);
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The seeded site with a coordinator, registrations and a waitlist, served over HTTP."""
    from cop.aar.models import Aar
    from cop.accounts import services as accounts
    from cop.clinics import registrations
    from cop.clinics.models import Clinic
    from cop.extensions import db
    from cop.stories.models import Story
    from cop.threads.models import Thread
    from cop.trainers.models import Trainer

    app = make_app(tmp_path_factory.mktemp("phone"), WTF_CSRF_ENABLED=True)
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    with fresh_session(app):
        coordinator = accounts.create_user(
            email="coord.phone@example.org", name="ผู้ประสานงาน ทดสอบจอโทรศัพท์", password=PASSWORD, role="coordinator"
        )
        clinic = db.session.scalars(select(Clinic).order_by(Clinic.starts_at)).first()
        clinic.capacity = 2
        for i in range(3):
            person = accounts.create_user(
                email=f"phone{i}.member@example.org",
                name=f"สมาชิกทดสอบจอโทรศัพท์ที่มีชื่อยาว คนที่ {i + 1}",
                password=PASSWORD,
                agency="สำนักงานปลัดกระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม",
                province="พระนครศรีอยุธยา",
            )
            registrations.register(clinic, person)
        db.session.commit()
        aar = db.session.scalars(select(Aar).where(Aar.actions.any()).order_by(Aar.id)).first()
        ids = {
            "story": db.session.scalars(select(Story.id).order_by(Story.id)).first(),
            "thread": db.session.scalars(select(Thread.id).order_by(Thread.id)).first(),
            "trainer": db.session.scalars(select(Trainer.id).order_by(Trainer.id)).first(),
            "clinic": clinic.id,
            "month": clinic.starts_at.strftime("%Y-%m"),
            "aar": aar.id,
            "coordinator": coordinator.email,
            "member": "phone0.member@example.org",
        }
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", ids
    server.shutdown()
    thread.join()
    close_app(app)


PAGES = [  # (path, who)
    ("/", None),
    ("/stories", None),
    ("/stories/{story}", None),
    ("/stories/{story}/history", None),
    ("/threads", None),
    ("/threads/{thread}", None),
    ("/trainers", None),
    ("/trainers/{trainer}", None),
    ("/hotlines", None),
    ("/clinics", None),
    ("/clinics/calendar?month={month}", None),
    ("/clinics/{clinic}", None),
    ("/aar", None),
    ("/aar/{aar}", None),
    ("/aar/actions", None),
    ("/map", None),
    ("/search?q=ตัวชี้วัด", None),
    ("/categories", None),
    ("/categories/2", None),
    ("/codes/SP7", None),
    ("/clinics/{clinic}/cancel", "member"),
    ("/notifications", "member"),
    ("/profile", "member"),
    ("/stats", "coordinator"),
    ("/clinics/{clinic}/registrants", "coordinator"),
    ("/clinics/new", "coordinator"),
]


def _check_pages(browser, base, ids, width):
    shots = os.environ.get("COP_SCREENSHOTS")
    problems = {}
    contexts = {}
    for who in (None, "member", "coordinator"):
        context = browser.new_context(viewport={"width": width, "height": 844}, locale="th-TH")
        page = context.new_page()
        page.set_default_timeout(15000)
        if who:
            log_in(page, base, ids[who])
        contexts[who] = (context, page)
    for path, who in PAGES:
        page = contexts[who][1]
        url = base + path.format(**ids)
        assert page.goto(url).status == 200, url
        found = page.evaluate(OVERFLOW_JS)
        if width < 600:  # the phone menu opens and all its sections fit
            page.locator("details.phone-menu summary").click()
            menu = page.get_by_role("navigation", name="เมนูหลัก")
            expect(menu.get_by_role("link", name="คลินิกสัญจร")).to_be_visible()
            found += page.evaluate(OVERFLOW_JS)
            page.locator("details.phone-menu summary").click()
        if shots:
            os.makedirs(shots, exist_ok=True)
            slug = path.split("?")[0].strip("/").replace("/", "_").replace("{", "").replace("}", "") or "home"
            page.screenshot(path=os.path.join(shots, f"{width}_{slug}.png"), full_page=True)
        if found:
            problems[path] = sorted(set(found))
    for context, _page in contexts.values():
        context.close()
    return problems


def test_every_main_page_fits_a_phone(browser, site):
    base, ids = site
    problems = _check_pages(browser, base, ids, 390)
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())


def test_every_main_page_still_fits_a_desktop(browser, site):
    base, ids = site
    problems = _check_pages(browser, base, ids, 1280)
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())


def test_phone_header_menu_and_topic_results_in_view(browser, site):
    base, ids = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH")
    page = context.new_page()
    page.goto(base + "/")
    # the sections are behind one menu button, not a bar cut off at the screen's edge
    expect(page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="คลินิกสัญจร")).to_be_hidden()
    page.get_by_text("เมนู", exact=True).click()
    expect(page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="แผนที่ความรู้")).to_be_in_viewport()
    page.get_by_text("เมนู", exact=True).click()

    # "แสดง" lands on the chosen topic's results, not back at the top of the page
    page.get_by_label("หมวดหรือรหัสกิจกรรม", exact=True).select_option("SP7")
    page.get_by_role("button", name="แสดง", exact=True).click()
    heading = page.get_by_role("heading", name="SP7 —", exact=False)
    expect(heading).to_be_in_viewport()
    assert page.url.endswith("#chosen") and page.evaluate("window.scrollY") > 300

    # the calendar is an agenda of the month's clinics on a phone
    page.goto(base + f"/clinics/calendar?month={ids['month']}")
    expect(page.locator("table.month")).to_be_hidden()
    agenda = page.locator("section.agenda")
    expect(agenda.locator("a.cal-item").first).to_be_visible()

    # the favicon answers everywhere and the page names it
    assert page.request.get(base + "/favicon.ico").status == 200
    assert page.locator("link[rel=icon]").count() >= 1
    context.close()


LIST_PAGES = [  # (path, the same list with a filter in use)
    ("/stories", "/stories?code=SP7"),
    ("/threads", "/threads?category=2"),
    ("/trainers", "/trainers?code=SP5"),
    ("/clinics", "/clinics?code=SP7"),
    ("/aar", "/aar?category=2"),
    ("/search?q=ตัวชี้วัด", "/search?q=ตัวชี้วัด&category=2"),
]
# Where the list itself starts: the grid column after the filters.
LIST_TOP_JS = "() => document.querySelector('.layout-2').children[1].getBoundingClientRect().top + window.scrollY"


def test_list_filters_fold_away_on_a_phone_and_stay_open_on_a_desktop(browser, site):
    base, _ids = site
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH").new_page()
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH").new_page()
    for path, filtered in LIST_PAGES:
        # a phone: one "ตัวกรอง" line, the list starts in the first screen; one tap shows the filters
        assert phone.goto(base + path).status == 200, path
        box = phone.locator("details.filter-box")
        summary = box.locator("summary")
        expect(summary).to_have_text("ตัวกรอง")
        expect(box).not_to_have_attribute("open", "")
        first_control = box.locator("select, input:not([type=hidden]), a").first
        expect(first_control).to_be_hidden()
        assert phone.evaluate(LIST_TOP_JS) < 600, path
        summary.click()
        expect(first_control).to_be_visible()
        # a filter in use: the box comes open, so the reader sees what narrows the list
        phone.goto(base + filtered)
        expect(phone.locator("details.filter-box")).to_have_attribute("open", "")
        expect(phone.locator("details.filter-box").locator("select, input:not([type=hidden]), a").first).to_be_visible()
        # a desktop: laid out as before, filters shown in the side column, no extra line to open
        desktop.goto(base + path)
        expect(desktop.locator("details.filter-box summary")).to_be_hidden()
        expect(
            desktop.locator("details.filter-box").locator("select, input:not([type=hidden]), a").first
        ).to_be_visible()
    phone.context.close()
    desktop.context.close()
