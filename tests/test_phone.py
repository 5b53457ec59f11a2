"""The built book's interactive figures at a phone's width: every one must read correctly from 360px up.

Builds nothing: it serves ``_build/html`` (or the folder named by ``BOOK_HTML``, as tests/test_site.py does) on
127.0.0.1 with every other host cut off, opens each page of _toc.yml that embeds widget state in Debian's
Chromium at a 360 x 740 viewport (``browser`` fixture, tests/conftest.py), and checks every widget view:

* no two controls overlap (toggle buttons, sliders, their labels: the week planner's rows once did), and no
  control covers the text of a view;
* no text is clipped: no label or button cut with an ellipsis, and no text beyond the page's edge or outside a
  box that hides its overflow (text in a box of the figure that scrolls is readable, so it counts as shown);
* a vector (chapter 1's rows of cells, class ``book-vector``) is never broken across lines, which would read as
  two vectors.

Each figure is screenshotted to ``_build/phone-screenshots/`` so that a person can look at them too.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from tests.site_tools import BUILD_FIRST, HTML, RENDERED, WIDGET_STATE, serve_site, toc_pages

pytestmark = pytest.mark.slow  # a browser and the built site: `pytest -m "not slow"` leaves it out

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = HTML.parent / "phone-screenshots"
PHONE = {"width": 360, "height": 740}
TIMEOUT_MS = 30_000


def widget_pages() -> list[str]:
    """The built pages that embed widget state (empty when the site is not built: the site test fails then)."""
    return [
        name
        for name in toc_pages()
        if (HTML / f"{name}.html").is_file() and WIDGET_STATE in (HTML / f"{name}.html").read_text(encoding="utf-8")
    ]


@pytest.fixture(scope="module")
def site() -> str:
    """Serve the built site on 127.0.0.1 (a free port) from a thread; yield the base URL."""
    yield from serve_site()


# Every problem of every top-level widget view on the page, as text; and how many vectors were seen.
LAYOUT_JS = """() => {
    const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
        .map(s => s.parentElement.querySelector('.jupyter-widgets'));
    const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
    const name = el => (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const scrolls = el => /(auto|scroll)/.test(getComputedStyle(el).overflowX);
    const hides = el => /(hidden|clip)/.test(getComputedStyle(el).overflowX);
    const width = document.documentElement.clientWidth;
    const problems = [];
    let vectors = 0;
    views.forEach((view, v) => {
        if (!view) { problems.push(`view ${v + 1}: not rendered`); return; }
        const where = `view ${v + 1}`;
        // the controls (toggle buttons, sliders, their labels and readouts): no two overlap
        const controls = '.widget-toggle-button, .widget-toggle-buttons > .widget-label, '
            + '.widget-slider > .widget-label, .widget-slider .slider-container, .widget-readout';
        const boxes = [...view.querySelectorAll(controls)]
            .filter(visible).map(el => ({el, r: el.getBoundingClientRect()}));
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            if (boxes[i].el.contains(boxes[j].el) || boxes[j].el.contains(boxes[i].el)) continue;
            if (overlap(boxes[i].r, boxes[j].r)) {
                problems.push(`${where}: "${name(boxes[i].el)}" overlaps "${name(boxes[j].el)}"`);
            }
        }
        // labels and buttons cut with an ellipsis (their text is wider than their box)
        view.querySelectorAll('.widget-label, .widget-toggle-button, .widget-readout').forEach(el => {
            if (visible(el) && name(el) && el.scrollWidth > el.clientWidth + 1) {
                problems.push(`${where}: "${name(el)}" is cut (${el.scrollWidth}px of text in ${el.clientWidth}px)`);
            }
        });
        // every piece of text inside the page's width, or inside a box that scrolls; never outside a box that hides
        const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim() || !visible(node.parentElement)) continue;
            range.selectNodeContents(node);
            const r = range.getBoundingClientRect();
            if (r.width === 0) continue;
            // text of a view (not of a control) never lies under a control
            if (!node.parentElement.closest(controls)) {
                const under = boxes.find(b => overlap(b.r, r));
                const text = node.textContent.trim().slice(0, 30);
                if (under) problems.push(`${where}: "${name(under.el)}" covers text "${text}"`);
            }
            let scroller = null;
            for (let el = node.parentElement; el && el !== view.parentElement; el = el.parentElement) {
                if (scrolls(el)) { scroller = el; break; }
                if (hides(el)) {
                    const box = el.getBoundingClientRect();
                    if (r.left < box.left - 1 || r.right > box.right + 1) {
                        problems.push(`${where}: text "${node.textContent.trim().slice(0, 30)}" is cut by its box`);
                    }
                }
            }
            if (!scroller && (r.left < -1 || r.right > width + 1)) {
                problems.push(`${where}: text "${node.textContent.trim().slice(0, 30)}" runs off the page ` +
                              `(${Math.round(r.left)} to ${Math.round(r.right)}px of ${width}px)`);
            }
        }
        // a vector's cells on one line
        view.querySelectorAll('.book-vector').forEach(vector => {
            if (!visible(vector)) return;
            vectors += 1;
            const tops = new Set([...vector.children].map(c => Math.round(c.getBoundingClientRect().top)));
            if (tops.size > 1) problems.push(`${where}: vector "${name(vector)}" is broken across ${tops.size} lines`);
        });
    });
    return {views: views.length, vectors, problems: [...new Set(problems)]};
}"""


@pytest.fixture(scope="module")
def phone_pages(site, browser):
    """Open a page at a phone's width with every non-local request aborted; yield a function name -> page."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, service_workers="block")

    def route(route):
        local = urllib.parse.urlsplit(route.request.url).hostname == "127.0.0.1"
        route.continue_() if local else route.abort()

    context.route("**/*", route)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def open_page(name: str):
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(site + f"{name}.html", wait_until="load")
        page.wait_for_function(
            """() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
                .every(s => s.parentElement.querySelector('.jupyter-widgets'))""",
            timeout=TIMEOUT_MS,
        )
        page.evaluate("document.fonts.ready")
        page.evaluate(RENDERED)
        return page

    yield open_page
    context.close()


def screenshot_views(page, name: str) -> list[Path]:
    """Save a screenshot of each widget view of the page; return their paths."""
    paths = []
    page.evaluate(
        """() => document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')
            .forEach(s => s.parentElement.querySelector('.jupyter-widgets').setAttribute('data-phone-view', ''))"""
    )
    views = page.locator("[data-phone-view]")
    for i in range(views.count()):
        path = SCREENSHOTS / f"{name.replace('/', '__')}-{i + 1}.png"
        views.nth(i).scroll_into_view_if_needed()
        views.nth(i).screenshot(path=str(path))
        paths.append(path)
    return paths


def test_there_are_figures_to_check():
    """The book has interactive figures (chapter 1's among them); an empty list would pass every check below."""
    if not (HTML / "index.html").is_file():
        pytest.fail(BUILD_FIRST)
    assert "notebooks/01_roommate" in widget_pages(), "chapter 1's page embeds no widget state"


@pytest.mark.parametrize("name", widget_pages())
def test_figures_read_on_a_phone(phone_pages, name):
    """At 360px: no overlapping toggles, no clipped text, no vector broken across lines, in any view shown."""
    page = phone_pages(name)
    try:
        first = page.evaluate(LAYOUT_JS)
        assert first["views"] > 0, "widget state embedded, but no widget view on the page"
        assert len(screenshot_views(page, name)) == first["views"]
        problems = set(first["problems"])
        buttons = ".jupyter-widgets .widget-toggle-button"
        for k in range(page.locator(buttons).count()):  # every option of every toggle shown once
            page.evaluate("([css, k]) => document.querySelectorAll(css)[k].click()", [buttons, k])
            page.evaluate(RENDERED)
            problems |= set(page.evaluate(LAYOUT_JS)["problems"])
        problems = sorted(problems)
        assert not problems, f"{name} at {PHONE['width']}px:\n" + "\n".join(problems)
        if name == "notebooks/01_roommate":
            assert first["vectors"] >= 7, f"chapter 1 shows {first['vectors']} vectors; its Try it figure has 7"
    finally:
        page.close()
