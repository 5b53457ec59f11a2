"""The built book in a real browser: every page of _toc.yml, served on 127.0.0.1, with the network cut off.

Serves ``_build/html`` from a thread on a free port and drives Debian's ``chromium`` through the ``playwright``
package (never ``playwright install``: it downloads a browser). Every request that does not go to 127.0.0.1 is
aborted and recorded, which proves that the site needs no CDN: pages, widgets and maths must work without one.

The one third-party script the site can load is Thebe (from unpkg.com), and only after a reader clicks
"live code"; it connects to a Binder server, a third party by nature, so it is not vendored. One test clicks it
and checks that this is the only request to another host; in every other test, any such request fails.

Checked on every page: it loads; no JavaScript error (uncaught exceptions or console errors); no local file
missing; every image loaded and has alt text; every internal link and anchor resolves; embedded widgets render;
maths renders; axe-core finds no serious or critical WCAG 2 A/AA violation; every widget control has a name
and can be reached with Tab. Also: chapter 1's toggles work with no kernel, with the mouse and with the
keyboard; chapter 4's gradient explorer switches plots; and search finds "forget gate" in chapter 3.
A full-page screenshot of every page goes to ``_build/screenshots/``.

The site tested is ``_build/html``, or the folder named by the environment variable ``BOOK_HTML`` (a build
elsewhere, e.g. ``jupyter-book build . --path-output /tmp/x`` then ``BOOK_HTML=/tmp/x/_build/html``).

Accessibility: axe-core (vendored in ``tests/vendor/axe-core/``, version and checksums in its MANIFEST.json)
runs its WCAG 2.0, 2.1 and 2.2 level A and AA rules (tags ``wcag2a``, ``wcag2aa``, ``wcag21a``, ``wcag21aa``,
``wcag22aa``) on each page, with collapsed parts (hidden code, solutions) opened. A serious or critical
violation fails the test, naming the rule, the element and the page; minor and moderate ones, and the
findings of rules axe-core marks experimental, are listed as warnings in pytest's summary.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html.parser
import json
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.roommate_widget import roommate_box, today_is
from tests.site_tools import BUILD_FIRST, HTML, RENDERED, WIDGET_STATE, serve_site, toc_pages

pytestmark = pytest.mark.slow  # a browser and the built site

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = HTML.parent / "screenshots"
AXE = ROOT / "tests" / "vendor" / "axe-core"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAILING = ("serious", "critical")
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000


PAGES = toc_pages()
# pages Sphinx adds to every site (axe checks them too)
EXTRA_PAGES = ["search", "genindex"]


def chapter_page(number: int) -> str | None:
    """Return the toc page of chapter `number` (notebooks/0N_*), or None when it is not in _toc.yml yet."""
    prefix = f"notebooks/{number:02d}_"
    return next((page for page in PAGES if page.startswith(prefix)), None)


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site() -> str:
    """Serve _build/html on 127.0.0.1 (a free port) from a thread; yield the base URL."""
    yield from serve_site()


@dataclass
class Visit:
    """What happened while one page loaded."""

    url: str
    status: int | None = None
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    widgets: dict = field(default_factory=dict)
    maths: dict = field(default_factory=dict)
    controls: dict = field(default_factory=dict)
    axe: list[dict] = field(default_factory=list)
    axe_seconds: float = 0.0
    screenshot: Path | None = None


def open_page(browser, url: str):
    """Open a page with every non-local request aborted; return (page, visit) with errors recorded."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    visit = Visit(url=url)

    def route(route):
        if urllib.parse.urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            visit.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: visit.errors.append(f"uncaught: {error}"))
    page.on(
        "console",
        lambda message: (
            visit.errors.append(f"console.error: {message.text} at {message.location.get('url')}")
            if message.type == "error"
            else None
        ),
    )
    page.on(
        "response",
        lambda response: visit.missing.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    return page, visit


@contextlib.contextmanager
def loaded_page(browser, url: str, wait: bool = True):
    """Open ``url`` as :func:`open_page` does, load it (and settle it unless ``wait`` is false), close it after."""
    page, visit = open_page(browser, url)
    try:
        page.goto(visit.url, wait_until="load")
        if wait:
            settle(page)
        yield page, visit
    finally:
        page.context.close()


def page_has_widgets(name: str) -> bool:
    """True when the built page embeds widget state (myst-nb writes it from the notebook's metadata)."""
    return WIDGET_STATE in built_page(name)


def built_page(name: str) -> str:
    """Return the HTML of a built page; fail with the build command when it is missing."""
    path = HTML / f"{name}.html"
    if not path.is_file():
        pytest.fail(BUILD_FIRST if not HTML.is_dir() else f"{path} is missing; {BUILD_FIRST}")
    return path.read_text(encoding="utf-8")


# what book/_static/js/accessible.js measures: blocks that scroll must be in the Tab order
SCROLLABLE = (
    "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container"
)


def settle(page) -> None:
    """Wait until the page, its fonts, its images (lazy ones too) and its maths are done."""
    page.wait_for_load_state("load")
    page.evaluate(
        """async () => {
            for (const img of document.images) { img.loading = "eager"; }
            await Promise.all([...document.images].map(img => img.complete ? null :
                new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done); })));
            if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
            await document.fonts.ready;
        }"""
    )


@pytest.fixture(scope="module")
def visits(site, browser, request):
    """Visit each page once (lazily); return a function page name -> Visit. Print the time axe-core took."""
    cache: dict[str, Visit] = {}
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)

    def visit(name: str) -> Visit:
        if name in cache:
            return cache[name]
        page, result = open_page(browser, site + f"{name}.html")
        response = page.goto(result.url, wait_until="load")
        result.status = response.status if response else None
        settle(page)
        if page_has_widgets(name):
            try:  # the manager renders each view next to its <script> tag
                page.wait_for_function(
                    """() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
                        .every(s => s.parentElement.querySelector('.jupyter-widgets'))""",
                    timeout=TIMEOUT_MS,
                )
            except Exception as error:  # the assertion in test_widgets_render says which view is empty
                result.errors.append(f"widgets did not render within {TIMEOUT_MS} ms: {error}")
        result.screenshot = SCREENSHOTS / (name.replace("/", "__") + ".png")
        page.screenshot(path=str(result.screenshot), full_page=True)
        # open collapsed parts (hidden code, solution dropdowns) so that what they hold is measured too
        page.evaluate(
            """() => {
                document.querySelectorAll('details').forEach(d => { d.open = true; });
                document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
            }"""
        )
        settle(page)  # the images the opened parts show
        # Opened parts fade in (CSS transitions: axe would measure half-faded colours) and book/_static/js/
        # accessible.js puts their scrolling blocks in the Tab order 100 ms after they open; wait for both.
        page.evaluate(RENDERED)
        page.wait_for_function(
            """(scrollable) => [...document.querySelectorAll(scrollable)]
                    .filter(el => el.getClientRects().length > 0
                        && (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight))
                    .every(el => el.tabIndex === 0)""",
            arg=SCROLLABLE,
            timeout=TIMEOUT_MS,
        )
        result.images = page.evaluate(
            """() => [...document.images].map(img => ({src: img.currentSrc || img.src, alt: img.getAttribute("alt"),
                        width: img.naturalWidth, complete: img.complete}))"""
        )
        result.links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        result.widgets = page.evaluate(
            """() => {
                const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
                return {views: views.length, empty: views.map((s, i) => {
                    const el = s.parentElement.querySelector('.jupyter-widgets');
                    const box = el && el.getBoundingClientRect();
                    return (box && box.width > 0 && box.height > 0) ? null : `view ${i + 1}: ` +
                        (el ? `rendered with size ${box.width}x${box.height}` : 'nothing rendered');
                }).filter(x => x)};
            }"""
        )
        result.controls = page.evaluate(WIDGET_CONTROLS_JS)
        result.axe, result.axe_seconds = run_axe(page)
        result.maths = page.evaluate(
            """() => {
                const maths = [...document.querySelectorAll('.math')];
                return {count: maths.length,
                        typeset: maths.filter(m => m.querySelector('mjx-container')).length,
                        errors: document.querySelectorAll('mjx-merror').length,
                        raw: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 80))};
            }"""
        )
        page.context.close()
        cache[name] = result
        return result

    yield visit
    if cache:
        seconds = {name: v.axe_seconds for name, v in cache.items()}
        slowest = max(seconds, key=seconds.get)
        plugins = request.config.pluginmanager
        reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            with capture.global_and_fixture_disabled():  # printed even though pytest captures output
                reporter.write_line(
                    f"\naxe-core: {len(seconds)} pages in {sum(seconds.values()):.1f} s "
                    f"(slowest: {slowest}, {seconds[slowest]:.1f} s)"
                )


# ------------------------------------------------------------------------------------------ accessibility


def run_axe(page) -> tuple[list[dict], float]:
    """Run the vendored axe-core on the page's current state; return its violations and the seconds it took."""
    started = time.perf_counter()
    page.add_script_tag(path=str(AXE / "axe.min.js"))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                                    resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                experimental: v.tags.includes("experimental"),
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 160),
                                          summary: (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300)}))}));
        }""",
        AXE_TAGS,
    )
    return violations, time.perf_counter() - started


def describe(violations: list[dict], page: str) -> str:
    """One line per violating element: impact, rule, page, element, and what axe-core says to fix."""
    return "\n".join(
        f"[{v['impact']}] {v['id']} ({v['help']}) on {page}: {n['target']}\n    {n['html']}\n    {n['summary']}"
        for v in violations
        for n in v["nodes"]
    )


# The accessible name, role and state of every widget control on a page (for the keyboard and naming tests).
WIDGET_CONTROLS_JS = """() => {
    const name = el => (el.getAttribute("aria-label") ||
        (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(x => x)
            .map(id => (document.getElementById(id) || {}).textContent || "").join(" ")).trim();
    const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    const groups = [...document.querySelectorAll(".widget-toggle-buttons")].filter(visible).map(w => {
        const g = w.querySelector(":scope > div");
        return {role: g.getAttribute("role"), name: name(g), buttons: [...g.querySelectorAll("button")].map(b => ({
            text: b.textContent.trim(), pressed: b.getAttribute("aria-pressed"),
            active: b.classList.contains("mod-active"), tabindex: b.tabIndex}))};
    });
    const sliders = [...document.querySelectorAll('.jupyter-widgets [role="slider"]')].filter(visible)
        .map(s => ({name: name(s), tabindex: s.tabIndex}));
    return {groups, sliders};
}"""


# ----------------------------------------------------------------------------------- HTTP-level helpers


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


@functools.cache
def fetch(url: str) -> tuple[int, set[str]]:
    """GET a local URL; return its status and, for HTML, the ids (and a names) its elements define."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            status = response.status
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, set()
    ids: set[str] = set()
    if kind == "text/html":
        parser = _Ids()
        parser.feed(body.decode("utf-8", errors="replace"))
        ids = parser.ids
    return status, ids


# ---------------------------------------------------------------------------------------------- tests


def test_vendored_axe_matches_manifest():
    """The vendored axe-core is the npm release its MANIFEST.json names, byte for byte, with its licences."""
    manifest = json.loads((AXE / "MANIFEST.json").read_text(encoding="utf-8"))
    assert {"axe.min.js", "LICENSE", "LICENSE-3RD-PARTY.txt"} <= set(manifest["sha256"])
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((AXE / name).read_bytes()).hexdigest() == digest, f"{AXE / name} differs from MANIFEST"
    version = manifest["npm"].split("@")[-1]
    assert (AXE / "axe.min.js").read_text(encoding="utf-8").startswith(f"/*! axe v{version}")


def test_toc_pages_were_built():
    """Every page of _toc.yml has an HTML page (guards against a stale or partial build)."""
    if not (HTML / "index.html").is_file():
        pytest.fail(BUILD_FIRST)
    missing = [name for name in PAGES if not (HTML / f"{name}.html").is_file()]
    assert not missing, f"pages of _toc.yml not in _build/html: {missing}; {BUILD_FIRST}"


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors(visits, name):
    """The page loads, logs no JavaScript error, asks for no missing local file and no other host."""
    visit = visits(name)
    assert visit.status == 200, f"{visit.url}: HTTP {visit.status}"
    assert not visit.errors, "JavaScript errors:\n" + "\n".join(visit.errors)
    assert not visit.missing, "local files missing:\n" + "\n".join(visit.missing)
    assert not visit.blocked, "requests to other hosts (the site must not need a CDN):\n" + "\n".join(visit.blocked)
    assert visit.screenshot is not None and visit.screenshot.stat().st_size > 0


@pytest.mark.parametrize("name", PAGES)
def test_widget_scripts_only_where_needed(name):
    """require.js and the widget manager are loaded on pages with widgets only (never from a CDN)."""
    text = built_page(name)
    srcs = re.findall(r'<script[^>]*\bsrc="([^"]+)"', text)
    external = [src for src in srcs if "://" in src or src.startswith("//")]
    assert not external, f"scripts from other hosts: {external}"
    widget_scripts = [src for src in srcs if "embed-amd" in src or "require.js" in src]
    if page_has_widgets(name):
        assert len(widget_scripts) == 2, f"widget state but widget scripts {widget_scripts}"
    else:
        assert not widget_scripts, f"no widgets on this page, but it loads {widget_scripts}"


@pytest.mark.parametrize("name", PAGES)
def test_images_load_and_have_alt_text(visits, name):
    """Every image has loaded (naturalWidth > 0) and has non-empty alt text."""
    images = visits(name).images
    broken = [img["src"] for img in images if not img["width"]]
    no_alt = [img["src"] for img in images if not (img["alt"] or "").strip()]
    assert not broken, f"images that did not load: {broken}"
    assert not no_alt, f"images without alt text: {no_alt}"


@pytest.mark.parametrize("name", PAGES)
def test_internal_links_and_anchors_resolve(visits, name):
    """Every link to this site reaches a page, and its #anchor exists on that page."""
    visit = visits(name)
    base = urllib.parse.urlsplit(visit.url)
    problems = []
    for href in sorted(set(visit.links)):
        parts = urllib.parse.urlsplit(href)
        if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
            continue  # external links are not followed: the test has no network
        target = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        status, ids = fetch(target)
        if status != 200:
            problems.append(f"{href}: HTTP {status}")
        elif parts.fragment and urllib.parse.unquote(parts.fragment) not in ids:
            problems.append(f"{href}: no element with id '{parts.fragment}'")
    assert not problems, "broken internal links:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", PAGES + EXTRA_PAGES)
def test_accessibility_axe(visits, name):
    """axe-core finds no serious or critical WCAG 2 A/AA violation; lesser ones are listed as warnings."""
    visit = visits(name)
    failing = [v for v in visit.axe if v["impact"] in AXE_FAILING and not v["experimental"]]
    listed = [v for v in visit.axe if v not in failing]
    if listed:
        warnings.warn(
            f"axe-core on {name} ({visit.axe_seconds:.1f} s), not failing (minor, moderate or experimental):\n"
            + describe(listed, name),
            stacklevel=1,
        )
    assert not failing, f"axe-core: WCAG 2 A/AA violations on {name}:\n" + describe(failing, name)


@pytest.mark.parametrize("name", PAGES)
def test_widget_controls_are_named_and_focusable(visits, name):
    """Every toggle group and slider has an accessible name and is in the Tab order; toggles say which is on."""
    if not page_has_widgets(name):
        pytest.skip("no embedded widget state on this page")
    controls = visits(name).controls
    problems = []
    for i, group in enumerate(controls["groups"], 1):
        label = f"toggle group {i} ({group['name'] or 'no name'}: {', '.join(b['text'] for b in group['buttons'])})"
        if group["role"] != "group" or not group["name"]:
            problems.append(f"{label}: role {group['role']!r}, name {group['name']!r}")
        for button in group["buttons"]:
            if button["tabindex"] < 0:
                problems.append(f"{label}: button {button['text']!r} is out of the Tab order")
            if button["pressed"] != ("true" if button["active"] else "false"):
                problems.append(f"{label}: button {button['text']!r} aria-pressed={button['pressed']!r}")
    for i, slider in enumerate(controls["sliders"], 1):
        if not slider["name"] or slider["tabindex"] < 0:
            problems.append(f"slider {i}: name {slider['name']!r}, tabindex {slider['tabindex']}")
    assert controls["groups"] or controls["sliders"], "widgets on the page, but no toggle group or slider found"
    assert not problems, "widget controls:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", PAGES)
def test_widgets_render(visits, name):
    """On pages with embedded widget state, every widget view renders with a visible size, with no kernel."""
    if not page_has_widgets(name):
        pytest.skip("no embedded widget state on this page")
    widgets = visits(name).widgets
    assert widgets["views"] > 0, "widget state is embedded but the page shows no widget view"
    assert not widgets["empty"], "empty widget areas: " + "; ".join(widgets["empty"])


@pytest.mark.parametrize("name", PAGES)
def test_maths_renders(visits, name):
    """Every maths element is typeset by MathJax (served locally), with no TeX error."""
    maths = visits(name).maths
    if not maths["count"]:
        pytest.skip("no maths on this page")
    assert maths["typeset"] == maths["count"], f"maths left as raw TeX: {maths['raw']}"
    assert maths["errors"] == 0, f"{maths['errors']} TeX errors (mjx-merror) on the page"


# ------------------------------------------------------------------------------ interaction, with no kernel


@contextlib.contextmanager
def chapter_loaded(site: str, browser, number: int, path: str | None = None, wait: bool = True):
    """Load chapter ``number``'s page (or ``path`` on the site) as :func:`loaded_page` does; yield the chapter's
    page name and the page. Skip when the chapter is not in _toc.yml yet. After the test's own checks: no
    JavaScript error and no request to another host."""
    name = chapter_page(number)
    if name is None:
        pytest.skip(f"chapter {number} (notebooks/{number:02d}_*) is not in _toc.yml yet")
    with loaded_page(browser, site + (path or f"{name}.html"), wait=wait) as (page, visit):
        yield name, page
        assert not visit.errors, "JavaScript errors:\n" + "\n".join(visit.errors)
        assert not visit.blocked, f"requests to other hosts: {visit.blocked}"


def toggle_group(page, name: str, wait: bool = True):
    """Return the one toggle group named ``name`` (after waiting for it to show, unless ``wait`` is false)."""
    groups = page.get_by_role("group", name=name, exact=True)
    if wait:
        groups.first.wait_for(timeout=TIMEOUT_MS)
    assert groups.count() == 1, f"{groups.count()} toggle groups named '{name}' (expected 1)"
    return groups.first


def test_chapter1_toggle_changes_the_dish(site, browser):
    """In chapter 1, clicking "rainy" changes the predicted dish ("Today: ..."), with no kernel."""
    with chapter_loaded(site, browser, 1) as (_, page):
        box = roommate_box(page, "", "cell_output", TIMEOUT_MS)

        def click(label: str) -> None:
            button = box.get_by_role("button", name=label, exact=True)
            assert button.count(), f"no {label!r} toggle next to the 'Today:' text"
            button.first.click()

        # the roommate's rule: sunny keeps yesterday's dish, rainy cooks the next one in the cycle
        click("apple pie")
        click("sunny")
        expect(box).to_have_text(today_is("apple pie"))
        click("rainy")
        expect(box).to_have_text(today_is("burger"))


def test_chapter1_toggle_works_from_the_keyboard(site, browser):
    """In chapter 1, Tab reaches the weather toggle; arrow keys, Enter and Space change the dish."""
    with chapter_loaded(site, browser, 1) as (_, page):
        group = toggle_group(page, "Today's weather")
        # start the Tab walk just before the widget: on its output area, made focusable for the test
        group.evaluate("g => { const area = g.closest('.cell_output'); area.tabIndex = -1; area.focus(); }")
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('[role=\"group\"]')"):
                break
        focused = page.evaluate("() => document.activeElement.textContent.trim()")
        assert group.evaluate("(g, f) => g.contains(document.activeElement)", None), (
            f"Tab did not reach the weather toggle (focus is on {focused!r})"
        )
        box = page.locator("div.cell_output", has=group).first

        def press(key: str, weather: str, dish: str) -> None:
            """Press ``key``: then the ``weather`` toggle is on and today's dish is ``dish``."""
            page.keyboard.press(key)
            expect(group.locator('button[aria-pressed="true"]')).to_have_text(weather)
            expect(box).to_have_text(today_is(dish))

        # the stored view: yesterday apple pie; sunny keeps it, rainy cooks the next dish (burger)
        press("Enter", "sunny", "apple pie")
        press("ArrowRight", "rainy", "burger")
        press("ArrowLeft", "sunny", "apple pie")
        press("End", "rainy", "burger")
        press("Home", "sunny", "apple pie")
        page.keyboard.press("Tab")  # Tab moves along the buttons too
        press("Space", "rainy", "burger")


def test_chapter4_explorer_toggles_change_the_plot(site, browser):
    """In chapter 4, the gradient explorer's two toggles switch the visible plot, with no kernel.

    Each precomputed plot's alt text names its network and weight scale, so the one visible image says which
    view the page shows.
    """
    with chapter_loaded(site, browser, 4) as (_, page):
        network = toggle_group(page, "Network")
        scale = toggle_group(page, "Weight scale", wait=False)
        box = page.locator("div.cell_output", has=network).first

        def shown() -> str:
            alts = box.locator("img").evaluate_all(
                "images => images.filter(i => i.offsetWidth > 0 && i.offsetHeight > 0).map(i => i.alt)"
            )
            assert len(alts) == 1, f"expected one visible plot in the explorer, found {len(alts)}: {alts}"
            return alts[0]

        assert "for the tanh RNN with recurrent weight scale 1:" in shown(), shown()
        seen = {shown()}
        for chosen_network, chosen_scale in [("linear RNN", "1.5"), ("LSTM b_f=4", "0.5"), ("ReLU RNN", "0.75")]:
            network.get_by_role("button", name=chosen_network, exact=True).click()
            scale.get_by_role("button", name=chosen_scale, exact=True).click()
            wanted = f"for the {chosen_network} with recurrent weight scale {chosen_scale}:"
            box.evaluate(  # until the one visible plot is the chosen one
                """(box, wanted) => new Promise(done => { const check = () => [...box.querySelectorAll('img')]
                    .some(i => i.offsetWidth > 0 && i.alt.includes(wanted)) ? done() : requestAnimationFrame(check);
                    check(); })""",
                wanted,
            )
            alt = shown()
            assert f"for the {chosen_network} with recurrent weight scale {chosen_scale}:" in alt, alt
            seen.add(alt)
        assert len(seen) == 4, "the toggles did not change the visible plot"


def test_search_finds_forget_gate_in_chapter3(site, browser):
    """The site search for "forget gate" lists chapter 3."""
    with chapter_loaded(site, browser, 3, "search.html?q=forget+gate", wait=False) as (name, page):
        page.wait_for_function(
            """() => { const s = document.querySelector('#search-results .search-summary, #search-results p');
                       return s && /found|did not match/i.test(s.textContent); }""",
            timeout=TIMEOUT_MS,
        )
        hrefs = page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")
        assert any(f"{name}.html" in href for href in hrefs), f"{name} not among the results: {hrefs}"


def test_live_code_is_the_only_third_party_request(site, browser):
    """Clicking "live code" asks another host for one thing only: the Thebe library (then Binder, through it).

    Thebe's script comes from unpkg.com (sphinx-thebe's THEBE_JS_URL) and only on this click; it runs code on a
    Binder server, a third party anyway, so the book does not vendor it. The request is aborted here.
    """
    name = next((page for page in PAGES if page.startswith("notebooks/")), None)
    if name is None:
        pytest.skip("no chapter in _toc.yml yet")
    with loaded_page(browser, site + f"{name}.html") as (page, visit):
        assert not visit.blocked, f"requests to other hosts before any click: {visit.blocked}"
        button = page.locator("button.btn-launch-thebe")
        assert button.count() == 1, "no 'live code' (Thebe) launch button on a chapter page"

        # the request is aborted (it fails) once the route has recorded it
        def thebe(request) -> bool:
            return "thebe" in request.url and "127.0.0.1" not in request.url

        with page.expect_event("requestfailed", thebe):
            page.evaluate("() => document.querySelector('button.btn-launch-thebe').click()")
        hosts = {urllib.parse.urlsplit(url).hostname for url in visit.blocked}
        assert hosts == {"unpkg.com"}, f"live code asked other hosts: {sorted(visit.blocked)}"
        assert all("/thebe@" in url for url in visit.blocked), visit.blocked
