"""Chapter 1 as a local reader meets it: JupyterLab (with jupyterlab-myst) in a real browser, Run All.

Starts JupyterLab on 127.0.0.1 (a free port, a token, no browser) serving a copy of ``notebooks/01_roommate.ipynb``
(so nothing writes to the repository; autosave is off too), with this repository's ``helpers`` first on the
kernel's path, and settings, runtime files and IPython's history in a temporary folder. Debian's ``chromium``,
driven by ``playwright`` as in ``tests/test_site.py`` (skipped locally when it is missing, failed in CI), opens
the notebook, checks that a number shows before anything runs (from the results the notebook stores), runs
*Run → Run All Cells* and checks that

- every code cell ran, and none shows an error (except cells tagged ``raises-exception``);
- the live roommate widget changes the dish when the weather toggle changes;
- the prose reads with digits: "All 6 of the 6 cases agree." (the ``{eval}`glued("n_agree")``` roles,
  evaluated by the kernel: the served copy has that cell's stored results removed), the results jupyterlab-myst
  records are those ``python -m booktools sync`` stores, and no rendered markdown shows ``glued(`` or
  an evaluation error.

Requests to any host other than 127.0.0.1 are aborted and recorded: JupyterLab must work offline.
JupyterLab and its kernel are shut down when the module's tests end.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.roommate_widget import roommate_box, today_is

pytestmark = pytest.mark.slow  # a real JupyterLab and browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "01_roommate.ipynb"
START_SECONDS = 90
RUN_MS = 180_000
TIMEOUT_MS = 60_000
STORED = 'The menu repeats every {eval}`glued("rotation_period")` days'
SENTENCE = '{eval}`glued("n_agree")` of the {eval}`glued("n_cases")` cases agree'
# JupyterLab user settings: no autosave, every cell in the page (no virtual scrolling), no news pop-up
SETTINGS = {
    "docmanager-extension/plugin": {"autosave": False},
    "notebook-extension/tracker": {"windowingMode": "none"},
    "apputils-extension/notification": {"fetchNews": "false"},
}


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_settings(folder: Path) -> None:
    """Write the JupyterLab user settings above into ``folder`` (JUPYTERLAB_SETTINGS_DIR)."""
    for name, values in SETTINGS.items():
        plugin, _, file = name.partition("/")
        path = folder / "@jupyterlab" / plugin / f"{file}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """Start JupyterLab on a copy of chapter 1; yield (url of the notebook, server log); shut it down after."""
    work = tmp_path_factory.mktemp("jupyterlab")
    served = work / "notebooks"
    served.mkdir()
    # the served copy forgets the stored {eval} results of the six-case sentence: only the kernel can fill them in
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown" and SENTENCE in "".join(c["source"]))
    stored = cell["metadata"].pop("user_expressions")
    (served / NOTEBOOK.name).write_text(json.dumps(nb), encoding="utf-8")
    write_settings(work / "settings")
    port, token = free_port(), os.urandom(16).hex()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "JUPYTER_CONFIG_DIR": str(work / "config"),
        "JUPYTER_DATA_DIR": str(work / "data"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
        "IPYTHONDIR": str(work / "ipython"),
    }
    env.pop("MPLBACKEND", None)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}", "--ServerApp.allow_root=True",
        "--LabApp.extension_manager=readonly",  # no PyPI look-ups
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: read the notebook's model
    ]  # fmt: skip
    log_path = work / "jupyterlab.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def log_tail() -> str:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])

    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {server.returncode}:\n{log_tail()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer within {START_SECONDS} s:\n{log_tail()}")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={token}", log_tail, stored
    finally:
        server.send_signal(signal.SIGTERM)  # the server shuts its kernels down
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


CELL_STATES = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const cells = [...panel.content.model.cells];
    return cells.map(cell => {
        const json = cell.toJSON();
        return {type: json.cell_type, count: json.execution_count ?? null,
                tags: (json.metadata && json.metadata.tags) || [], outputs: json.outputs || [],
                source: typeof json.source === 'string' ? json.source : json.source.join('')};
    });
}"""


def test_run_all_in_jupyterlab(lab, browser):
    """Run All in JupyterLab: no errors, the widget works, the six-case sentence reads with digits."""
    url, log_tail, stored = lab
    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    blocked, page_errors = [], []

    def route(route):
        if urllib.parse.urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=TIMEOUT_MS)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=TIMEOUT_MS)
        code_cells = [cell for cell in page.evaluate(CELL_STATES) if cell["type"] == "code"]
        # before anything runs, a number shows as stored in the notebook (jupyterlab-myst's user_expressions)
        page.evaluate(
            """async text => {
                const notebook = window.jupyterapp.shell.currentWidget.content;
                const index = [...notebook.model.cells].findIndex(cell => cell.sharedModel.getSource().includes(text));
                await notebook.scrollToItem(index, 'center');
            }""",
            STORED,
        )
        page.wait_for_function("() => /menu repeats every \\d+ days/.test(document.body.innerText)")
        assert "rotation_period" not in "\n".join(page.locator(".jp-MarkdownCell").all_inner_texts())

        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
        # done when every code cell has a new execution count and the kernel is idle again
        page.wait_for_function(
            """n => {
                const cells = [...window.jupyterapp.shell.currentWidget.content.model.cells]
                    .filter(cell => cell.type === 'code');
                const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
                return cells.length === n && cells.every(cell => cell.executionCount !== null)
                    && Math.max(...cells.map(cell => cell.executionCount)) >= n
                    && indicator && indicator.dataset.status === 'idle';
            }""",
            arg=len(code_cells),
            timeout=RUN_MS,
            polling=500,
        )
        cells = page.evaluate(CELL_STATES)
        code = [cell for cell in cells if cell["type"] == "code"]
        assert [cell["count"] for cell in code] == list(range(1, len(code) + 1)), "not every cell ran, in order"
        errors = [
            f"cell [{cell['count']}] {cell['source'].splitlines()[0][:60]!r}: {out.get('ename')}: {out.get('evalue')}"
            for cell in code
            for out in cell["outputs"]
            if out.get("output_type") == "error" and "raises-exception" not in cell["tags"]
        ]
        assert not errors, "errors after Run All:\n" + "\n".join(errors) + f"\n{log_tail()}"

        # the {eval} numbers: evaluated by the kernel when Run All reached each markdown cell
        page.wait_for_function("() => /All \\d+ of the \\d+ cases agree/.test(document.body.innerText)")
        sentence = re.search(r"All (\S+) of the (\S+) cases agree", page.inner_text(".jp-Notebook"))
        assert sentence and sentence.groups() == ("6", "6"), sentence and sentence.group(0)
        # what the kernel returned, as jupyterlab-myst stores it: what python -m booktools sync stores
        evaluated = page.evaluate(
            """sentence => [...window.jupyterapp.shell.currentWidget.content.model.cells]
                .find(cell => cell.type === 'markdown' && cell.sharedModel.getSource().includes(sentence))
                .getMetadata('user_expressions')""",
            SENTENCE,
        )
        assert evaluated == stored, f"the kernel's results {evaluated} differ from the stored ones {stored}"
        rendered = "\n".join(page.locator(".jp-MarkdownCell").all_inner_texts())
        assert "glued(" not in rendered and "n_agree" not in rendered, "a role or key shows instead of a number"
        failed = page.locator(".jp-MarkdownCell [data-mime-type='application/vnd.jupyter.stderr']")
        assert failed.count() == 0, f"{{eval}} errors in the prose: {failed.all_inner_texts()}"

        # the live widget: rainy moves the dish on, sunny keeps it
        box = roommate_box(page, ".jp-OutputArea", "jp-OutputArea", TIMEOUT_MS)

        def click(label: str) -> None:
            box.get_by_role("button", name=label, exact=True).first.click()

        click("apple pie")
        click("sunny")
        expect(box).to_have_text(today_is("apple pie"), timeout=TIMEOUT_MS)
        click("rainy")
        expect(box).to_have_text(today_is("burger"), timeout=TIMEOUT_MS)
        assert not page_errors, f"JavaScript errors: {page_errors}"
        assert not blocked, f"requests to other hosts: {blocked}"
    finally:
        context.close()
        print(f"\nRun All in JupyterLab: {time.monotonic() - started:.0f} s")
