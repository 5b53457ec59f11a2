"""Structure of the chapter notebooks (notebooks/NN_*.ipynb), as CONTRIBUTING.md describes it.

nbval checks that each chapter re-executes to its stored outputs; these tests check what nbval cannot: that the
stored notebook was executed top to bottom in one fresh kernel, that the hidden set-up cell is the book's one
(with the repository address of _config.yml, which Colab uses to fetch the helpers), that the chapter has its
sections and 2-4 exercises with worked solutions behind a toggle, that every image has alt text, and that the
widgets' state is saved so the published page can render them without a kernel.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml

from helpers.glued import glue_in

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if re.match(r"\d\d_", p.name))
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# CONTRIBUTING.md's chapter shape: these level-2/3 headings, in this order
REQUIRED_HEADINGS = ["## Overview", "## Prerequisites", "## Summary", "### What's next", "## Exercises"]

FENCE = r"(?:`{3,}|:{3,})"
EXERCISE_RE = re.compile(FENCE + r"\{exercise\}[^\n]*\n((?:[ \t]*:[\w-]+:[^\n]*\n)*)")
SOLUTION_START_RE = re.compile(FENCE + r"\{solution-start\}[ \t]+(\S+)[^\n]*\n?((?:[ \t]*:[\w-]+:[^\n]*\n?)*)")
SOLUTION_END_RE = re.compile(FENCE + r"\{solution-end\}")
EXERCISES_RE = re.compile(r"^## Exercises", re.M)


def repository_url() -> str:
    """Return repository.url from _config.yml, the one place the repository's address is defined."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"]


def contributing_setup_cell() -> str:
    """Return the set-up cell that CONTRIBUTING.md prescribes (its first python block after 'identical')."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    match = re.search(r"identical in every chapter.*?```python\n(.*?)\n[ \t]*```", text, re.S)
    assert match, "CONTRIBUTING.md no longer shows the set-up cell after 'identical in every chapter'"
    return textwrap.dedent(match.group(1)).strip("\n")


def with_repository(cell: str, url: str) -> str:
    """Return the set-up cell text with its REPOSITORY line set to `url`."""
    return re.sub(r'^REPOSITORY = ".*"$', f'REPOSITORY = "{url}"', cell, flags=re.M)


def load(path: Path) -> dict:
    """Read a notebook as JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    """Return a cell's source as one string."""
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def tags(cell: dict) -> list[str]:
    """Return a cell's tags."""
    return cell.get("metadata", {}).get("tags", [])


def chapter_number(path: Path) -> int:
    """Return the chapter number of notebooks/NN_name.ipynb."""
    return int(path.name[:2])


def exercise_events(nb: dict) -> list[tuple[str, str, int, str]]:
    """Return the exercise, solution-start and solution-end markers in order: (kind, label, cell index, options)."""
    events = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell)
        found = []
        for match in EXERCISE_RE.finditer(text):
            label = re.search(r":label:\s*(\S+)", match.group(1))
            found.append((match.start(), "exercise", label.group(1) if label else "", match.group(1)))
        for match in SOLUTION_START_RE.finditer(text):
            found.append((match.start(), "solution-start", match.group(1), match.group(2)))
        for match in SOLUTION_END_RE.finditer(text):
            found.append((match.start(), "solution-end", "", ""))
        events += [(kind, label, index, options) for _, kind, label, options in sorted(found)]
    return events


def test_every_chapter_of_the_toc_is_checked():
    """The checks below run over notebooks/NN_*.ipynb: exactly the chapters _toc.yml lists."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    entries = [entry for part in toc["parts"] for entry in part["chapters"]]
    while any("sections" in entry for entry in entries):  # a chapter's companion page is one of its sections
        entries = [e for entry in entries for e in [entry, *entry.pop("sections", [])]]
    listed = {entry["file"] for entry in entries if entry["file"].startswith("notebooks/")}
    checked = {f"notebooks/{path.stem}" for path in NOTEBOOKS}
    assert listed == checked, f"in _toc.yml only: {sorted(listed - checked)}; checked only: {sorted(checked - listed)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec(path):
    """The notebook asks for the book's kernel."""
    kernelspec = load(path)["metadata"].get("kernelspec", {})
    assert {key: kernelspec.get(key) for key in KERNELSPEC} == KERNELSPEC


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_with_outputs(path):
    """Stored as executed in one fresh kernel, in order (counts 1, 2, 3, ...), with outputs and no errors."""
    code = [cell for cell in load(path)["cells"] if cell["cell_type"] == "code"]
    counts = [cell.get("execution_count") for cell in code]
    assert None not in counts, (
        f"{counts.count(None)} of {len(code)} code cells were never executed; run "
        f"jupyter nbconvert --to notebook --execute --inplace {path.relative_to(ROOT)}"
    )
    assert counts == list(range(1, len(code) + 1)), f"not executed top to bottom in a fresh kernel: {counts}"
    assert any(cell.get("outputs") for cell in code), "no cell has an output"
    errors = [
        f"cell {counts[i]}: {out.get('ename')}: {out.get('evalue')}"
        for i, cell in enumerate(code)
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error" and "raises-exception" not in tags(cell)
    ]
    assert not errors, "errors in cells not tagged raises-exception:\n" + "\n".join(errors)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_is_the_books(path):
    """The first code cell is CONTRIBUTING.md's hidden set-up cell, with REPOSITORY = _config.yml's url."""
    cells = load(path)["cells"]
    first_code = next((i for i, cell in enumerate(cells) if cell["cell_type"] == "code"), None)
    assert first_code == 1, "the set-up cell must come right after the title cell"
    cell = cells[first_code]
    assert "remove-cell" in tags(cell), "the set-up cell must be tagged remove-cell (hidden in the book)"
    text = source(cell).strip("\n")
    url = repository_url()
    repository = re.search(r'^REPOSITORY = "(.*)"$', text, flags=re.M)
    assert repository and repository.group(1) == url, (
        f"REPOSITORY is {repository.group(1) if repository else None!r}, but _config.yml's repository.url is "
        f"{url!r}; python -m booktools set-repo {url} rewrites them all"
    )
    assert text == with_repository(contributing_setup_cell(), url), "set-up cell differs from CONTRIBUTING.md's"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_shape(path):
    """One H1 title in the first cell, then Overview, Prerequisites, Summary, What's next, Exercises, in order."""
    cells = load(path)["cells"]
    assert cells and cells[0]["cell_type"] == "markdown" and source(cells[0]).startswith("# "), "no title first"
    lines = [
        line.strip()
        for cell in cells
        if cell["cell_type"] == "markdown"
        for line in re.sub(r"(`{3,}|~{3,}).*?\1", "", source(cell), flags=re.S).splitlines()
    ]
    titles = [line for line in lines if re.match(r"# \S", line)]
    assert len(titles) == 1, f"one H1 title per chapter, found {titles}"
    positions = []
    for heading in REQUIRED_HEADINGS:
        hits = [i for i, line in enumerate(lines) if line.lower() == heading.lower()]
        assert hits, f"missing heading {heading!r}"
        positions.append(hits[0])
    assert positions == sorted(positions), f"headings out of order; expected {REQUIRED_HEADINGS}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_have_hidden_executed_solutions(path):
    """2-4 exercises after '## Exercises', each with a dropdown solution holding at least one code cell."""
    nb = load(path)
    cells = nb["cells"]
    headed = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and EXERCISES_RE.search(source(c))]
    start = headed[0] if headed else None
    assert start is not None, "no '## Exercises' section"
    events = exercise_events(nb)
    exercises = [label for kind, label, index, _ in events if kind == "exercise"]
    assert 2 <= len(exercises) <= 4, f"expected 2-4 exercises, found {len(exercises)}"
    assert all(index >= start for kind, _, index, _ in events), "exercise or solution before '## Exercises'"
    prefix = f"ch{chapter_number(path)}-"
    assert all(label.startswith(prefix) for label in exercises), f"labels must start with {prefix!r}: {exercises}"
    problems = []
    open_solution = None
    solved = []
    for kind, label, index, options in events:
        if kind == "solution-start":
            if open_solution:
                problems.append(f"solution {open_solution[0]} is not closed before solution {label}")
            if not re.search(r":class:\s*dropdown", options):
                problems.append(f"solution {label} is not hidden (needs :class: dropdown)")
            open_solution = (label, index)
        elif kind == "solution-end":
            if not open_solution:
                problems.append(f"solution-end in cell {index} without a solution-start")
                continue
            label_open, first = open_solution
            if not any(cells[i]["cell_type"] == "code" for i in range(first + 1, index)):
                problems.append(f"solution {label_open} has no code cell (nbval must execute the worked solution)")
            solved.append(label_open)
            open_solution = None
    if open_solution:
        problems.append(f"solution {open_solution[0]} is never closed (solution-end)")
    for label in exercises:
        if label not in solved:
            problems.append(f"exercise {label} has no solution")
    for label in solved:
        if label not in exercises:
            problems.append(f"solution {label} answers no exercise of this chapter")
    assert not problems, "\n".join(problems)


def test_exercise_labels_unique_across_the_book():
    """Exercise labels are unique over all chapters."""
    labels = [label for path in NOTEBOOKS for kind, label, _, _ in exercise_events(load(path)) if kind == "exercise"]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    assert not duplicates, f"exercise labels used twice: {duplicates}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_images_have_alt_text(path):
    """Every image output shown in the book has alt text (cell metadata mystnb.image.alt)."""
    missing = []
    for index, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code" or {"remove-cell", "remove-output"} & set(tags(cell)):
            continue
        has_image = any(key.startswith("image/") for out in cell.get("outputs", []) for key in out.get("data", {}))
        alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt", "")
        if has_image and not str(alt).strip():
            missing.append(f"cell {index}: {source(cell).splitlines()[0][:70] if source(cell) else ''}")
    assert not missing, "image outputs without mystnb.image.alt metadata:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widget_state_is_saved(path):
    """Every widget output has its state saved in the notebook, so the book renders it without a kernel."""
    nb = load(path)
    views = [
        out["data"][WIDGET_VIEW]["model_id"]
        for cell in nb["cells"]
        if cell["cell_type"] == "code" and not {"remove-cell", "remove-output"} & set(tags(cell))
        for out in cell.get("outputs", [])
        if WIDGET_VIEW in out.get("data", {})
    ]
    if not views:
        pytest.skip("no widget in this chapter")
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = [model for model in views if model not in state]
    assert not missing, f"{len(missing)} of {len(views)} widget views have no saved state (metadata.widgets)"


# Portability (nbval on another CPU): outputs of training are not compared digit for digit, so each cell whose
# output nbval ignores must be followed by a hidden check of the claim, and glued numbers must be rounded.
IGNORE = "nbval-ignore-output"
CHECK_RE = re.compile(r"\bassert\b|\.check\(|assert_allclose|assert_array")
LOOKAHEAD = 4  # code cells after an ignored cell within which its hidden check must come


def glued_floats(nb: dict) -> list[tuple[str, str]]:
    """Return (key, stored text) for every glued value that is a float."""
    found = []
    for key, text in glue_in(nb).items():
        try:
            int(text)
        except ValueError:
            try:
                float(text)
            except ValueError:
                continue
            found.append((key, text))
    return found


def is_rounded(text: str) -> bool:
    """A float's text is rounded: at most 4 decimals, or scientific with at most 2 significant digits."""
    if "e" in text.lower():
        mantissa = text.lower().split("e")[0].lstrip("-")
        return len(mantissa.replace(".", "").rstrip("0")) <= 2
    decimals = text.split(".")[1] if "." in text else ""
    return len(decimals) <= 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ignored_outputs_are_checked_by_a_hidden_assert(path):
    """Every nbval-ignore-output cell is (or is soon followed by) a hidden cell that asserts the claim."""
    code = [cell for cell in load(path)["cells"] if cell["cell_type"] == "code"]
    unchecked = []
    for i, cell in enumerate(code):
        if IGNORE not in tags(cell):
            continue
        window = code[i : i + 1 + LOOKAHEAD]
        if not any("remove-cell" in tags(c) and CHECK_RE.search(source(c)) for c in window):
            unchecked.append(f"code cell {i + 1}: {source(cell).splitlines()[0][:70]}")
    assert not unchecked, (
        f"cells tagged {IGNORE} with no hidden (remove-cell) assert or reference.check within the next "
        f"{LOOKAHEAD} code cells:\n" + "\n".join(unchecked)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ignored_outputs_are_a_minority(path):
    """Only what training or sampling produces is ignored: most cells stay under strict comparison."""
    code = [cell for cell in load(path)["cells"] if cell["cell_type"] == "code" and cell.get("outputs")]
    ignored = [cell for cell in code if IGNORE in tags(cell)]
    assert len(ignored) <= len(code) / 2, f"{len(ignored)} of {len(code)} cells with output ignore it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_glued_floats_are_rounded(path):
    """Glue stores rounded values (``glue("x", round(v, 3))``), never a raw float whose last digits vary."""
    raw = [f"{key} = {text}" for key, text in glued_floats(load(path)) if not is_rounded(text)]
    assert not raw, "glued floats not rounded to the precision the prose shows:\n" + "\n".join(raw)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_glued_numbers_are_python_numbers(path):
    """A NumPy scalar glues as 'np.float64(0.5)', which the book cannot format ({glue:text}`x:.2f` fails)."""
    numpy_scalars = [f"{key} = {text}" for key, text in glue_in(load(path)).items() if re.match(r"np\.\w+\(", text)]
    assert not numpy_scalars, "glue float(x) or int(x), not a NumPy scalar:\n" + "\n".join(numpy_scalars)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_check_depends_on_wall_clock_time(path):
    """No cell asserts on how long something took: that fails on a slow laptop or a busy runner."""
    timed = [
        source(cell).splitlines()[0][:70]
        for cell in load(path)["cells"]
        if cell["cell_type"] == "code"
        and re.search(r"perf_counter|time\.time\(|monotonic\(", source(cell))
        and re.search(r"^\s*assert\b.*(second|elapsed|took|time)", source(cell), flags=re.M)
    ]
    assert not timed, f"asserts on wall-clock time: {timed}"


@pytest.mark.parametrize(
    ("text", "rounded"),
    [
        ("0.965", True),
        ("14.5", True),
        ("1.0", True),
        ("7e-07", True),
        ("7.8e-08", True),
        ("1.3954808712005615", False),
        ("0.18649002099206735", False),
        ("7.827954812919972e-08", False),
    ],
)
def test_is_rounded(text, rounded):
    assert is_rounded(text) is rounded


# A page's stored widget state is embedded in its HTML: every reader downloads it before the page's interactive
# figures respond, on a phone too. One budget for every page (the heaviest, chapter 4's explorer, is ~640 kB).
WIDGET_MODELS_MAX, WIDGET_BYTES_MAX = 250, 700_000


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_embedded_widget_state_stays_light(path):
    """The widget state a page embeds holds at most WIDGET_MODELS_MAX models and WIDGET_BYTES_MAX bytes."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    stored = notebook["metadata"].get("widgets", {}).get(WIDGET_STATE, {})
    models, size = len(stored.get("state", {})), len(json.dumps(stored))
    assert models <= WIDGET_MODELS_MAX, (
        f"{path.name} stores {models} widget models, more than {WIDGET_MODELS_MAX}: "
        "share views between Stacks, or build a chain (helpers.widgets.make_chain_views)"
    )
    assert size <= WIDGET_BYTES_MAX, (
        f"{path.name}'s widget state is {size:,} bytes, over {WIDGET_BYTES_MAX:,}: fewer or smaller views "
        "(figure_png(..., colours=64))"
    )
