"""The portability rule (CONTRIBUTING.md, *Reproducible outputs under strict nbval — on any machine*).

A value that comes out of training, sampling or TensorFlow arithmetic — a loss, an accuracy, a gradient, a
round-off difference against Keras — is glued or displayed only in a cell tagged ``nbval-ignore-output``. A
strict cell shows only what is the same on every machine: data, shapes, counts, NumPy results, text.

How the test decides, per notebook, reading the code cells in order (static analysis of their syntax trees; it
runs nothing):

1. *Machine-dependent names.* A name becomes machine-dependent when it is bound in an ``nbval-ignore-output``
   cell (that tag says the cell's results vary), or bound to an expression that uses a machine-dependent name or
   makes a machine-dependent call. A call is machine-dependent when it calls TensorFlow's arithmetic
   (``tf.*``, ``keras.ops.*``, ``keras.random.*``), a Keras object (a layer, model or tape built from ``keras.*``
   or ``tf.*``), a method or function that trains, predicts or samples (``fit``, ``predict``, ``evaluate``,
   ``gradient``, ``jacobian``, ``get_weights``, ``numpy``, ``convert_to_numpy``, and any name starting with
   ``train``, ``fit``, ``predict``, ``evaluate``, ``sample`` or ``generate``), or a function defined on the page
   whose body does any of this. Mutating a container with a machine-dependent value (``xs.append(loss)``,
   ``table[key] = loss``) makes the container machine-dependent.
2. *What a strict cell shows.* In a cell without ``nbval-ignore-output``, these must not use a machine-dependent
   name or call: the value passed to ``glue``, the arguments of ``print`` and ``display``, and the cell's last
   expression (Jupyter displays it). A cell must not end in a ``.check(...)`` expression either: a check is a
   statement, not a result.

The analysis over-approximates on purpose: a false alarm costs a tag, a miss costs a red CI on a reader's machine.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.test_notebooks import IGNORE, NOTEBOOKS, source, tags

ROOT = Path(__file__).resolve().parent.parent

TF_VALUES = ("tf.", "keras.ops.", "keras.random.")
TF_OBJECTS = ("keras.", "tf.")
NOT_TF = ("keras.utils.", "tf.debugging.", "tf.config.", "tf.random.set_seed")
VARYING_METHODS = {"fit", "predict", "evaluate", "train_on_batch", "predict_on_batch", "gradient", "jacobian"}
TRAINING_METHODS = {"fit", "train_on_batch"}  # they change their Keras model's weights
STRUCTURE = {"shape", "ndim", "dtype", "count_params", "len"}  # the same everywhere, whatever computed the array
CLAIMS = {"bool", "allclose", "array_equal", "isclose", "all", "any"}  # a bound that a hidden assert guarantees
MUTATORS = {"append", "extend", "update", "add", "insert", "setdefault"}
SHOWN = {"print", "display"}
WIDGET_BUILDERS = ("_views", "_widget")  # make_toggle_views, make_temperature_widget: text/plain is a description


def dotted(node: ast.AST) -> str:
    """Return the dotted name of a call's target (``keras.layers.LSTM``), or '' for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else f"?.{node.attr}"
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return ""


def bound_names(target: ast.AST) -> set[str]:
    """Return the names an assignment target binds (or mutates: ``d[k] = v`` and ``o.x = v`` bind ``d``, ``o``)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, ast.Tuple | ast.List):
        return set().union(*(bound_names(t) for t in target.elts)) if target.elts else set()
    if isinstance(target, ast.Starred):
        return bound_names(target.value)
    if isinstance(target, ast.Subscript | ast.Attribute):
        return bound_names(target.value)
    return set()


def is_claim_or_structure(node: ast.AST) -> bool:
    """Whether a shown expression is a comparison (a bound its assert guarantees) or a shape, length or count."""
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.Attribute):
        return node.attr in STRUCTURE
    if isinstance(node, ast.Call):
        return dotted(node.func).rsplit(".", 1)[-1] in CLAIMS | STRUCTURE
    return False


def parts(node: ast.AST) -> list[ast.AST]:
    """Split what is shown into the values shown: an f-string's fields, a literal container's items."""
    if isinstance(node, ast.JoinedStr):
        return [p for value in node.values if isinstance(value, ast.FormattedValue) for p in parts(value.value)]
    if isinstance(node, ast.Dict):
        return [p for value in node.values for p in parts(value)]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [p for item in node.elts for p in parts(item)]
    return [node]


class Tracker:
    """Which names hold machine-dependent values or Keras objects, statement after statement.

    ``functions`` maps a callable's dotted name (``recall.train_recall``, a page function ``run``) to what calling
    it gives: ``"varying"`` (its body makes a machine-dependent call) or ``"object"`` (it builds a Keras object).
    """

    def __init__(self, functions: dict[str, str] | None = None) -> None:
        self.varying: set[str] = set()
        self.keras_objects: set[str] = set()
        self.functions: dict[str, str] = dict(functions or {})

    def copy(self) -> Tracker:
        other = Tracker(self.functions)
        other.varying, other.keras_objects = set(self.varying), set(self.keras_objects)
        return other

    def call_kind(self, call: ast.Call) -> str | None:
        """What a call gives by what it calls (its arguments aside): "varying", "object" or None."""
        name = dotted(call.func)
        last = name.rsplit(".", 1)[-1]
        head = name.split(".", 1)[0]
        if name.startswith(NOT_TF):
            return None
        if name.startswith(TF_VALUES):
            return "object" if last[:1].isupper() else "varying"
        if name.startswith(TF_OBJECTS):
            return "object"
        if name in self.functions:
            return self.functions[name]
        if last in STRUCTURE:
            return None
        if name in self.keras_objects or head in self.varying:
            return "varying"
        if head in self.keras_objects and last in VARYING_METHODS:
            return "varying"
        return None

    def varies(self, node: ast.AST | None) -> bool:
        """Whether an expression uses a machine-dependent name or makes a machine-dependent call."""
        if node is None:
            return False
        local = {  # a comprehension's names are its own; its iterables are checked like the rest
            name for sub in ast.walk(node) if isinstance(sub, ast.comprehension) for name in bound_names(sub.target)
        }
        structural = {  # what only a shape, length or parameter count is read from
            id(inner)
            for sub in ast.walk(node)
            if isinstance(sub, ast.Attribute)
            and sub.attr in STRUCTURE
            or isinstance(sub, ast.Call)
            and dotted(sub.func) == "len"
            for inner in ast.walk(sub.value if isinstance(sub, ast.Attribute) else sub)
            if inner is not sub or isinstance(sub, ast.Attribute)
        }
        for sub in ast.walk(node):
            if id(sub) in structural:
                continue
            if isinstance(sub, ast.Name) and sub.id in self.varying and sub.id not in local:
                return True
            if isinstance(sub, ast.Call) and self.call_kind(sub) == "varying":
                return True
        return False

    def shows_varying(self, node: ast.AST) -> bool:
        """Whether any value shown by an expression is machine-dependent (comparisons and shapes aside)."""
        return any(not is_claim_or_structure(part) and self.varies(part) for part in parts(node))

    def bind(self, target: ast.AST, value: ast.AST | None, cell_varies: bool) -> None:
        """Record what an assignment (or loop, or ``with``) binds to ``target``."""
        targets = bound_names(target)
        rebound = {n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        if cell_varies or (value is not None and self.shows_varying(value)):
            self.varying |= targets
            return
        self.varying -= rebound  # a name bound anew to a value every machine computes alike
        if isinstance(value, ast.Call) and self.call_kind(value) == "object":
            self.keras_objects |= targets

    def function_kind(self, node: ast.FunctionDef) -> str | None:
        """What calling a function gives, judged by reading its body with what is known here."""
        inner = self.copy()
        inner.varying -= {arg.arg for arg in ast.walk(node.args) if isinstance(arg, ast.arg)}
        inner.read(node.body, cell_varies=False)
        if any(isinstance(sub, ast.Return) and inner.varies(sub.value) for sub in ast.walk(node)):
            return "varying"
        if any(isinstance(sub, ast.Call) and inner.call_kind(sub) == "varying" for sub in ast.walk(node)):
            return "varying"
        if any(isinstance(sub, ast.Call) and inner.call_kind(sub) == "object" for sub in ast.walk(node)):
            return "object"
        return None

    def read(self, body: list[ast.stmt], cell_varies: bool) -> None:
        """Update the names from a list of statements (and everything nested in them), in order."""
        for statement in body:
            if isinstance(statement, ast.FunctionDef):
                kind = self.function_kind(statement)
                if kind:
                    self.functions[statement.name] = kind
                continue
            for node in ast.walk(statement):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        self.bind(target, node.value, cell_varies)
                elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                    self.bind(node.target, node.value, cell_varies)
                elif isinstance(node, ast.For):
                    self.bind(node.target, node.iter, cell_varies)
                elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                    self.bind(node.optional_vars, node.context_expr, cell_varies)
                elif isinstance(node, ast.NamedExpr):
                    self.bind(node.target, node.value, cell_varies)
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    if node.func.attr in TRAINING_METHODS and dotted(node.func.value) in self.keras_objects:
                        self.varying |= bound_names(node.func.value)
                    if node.func.attr in MUTATORS and (cell_varies or any(self.shows_varying(a) for a in node.args)):
                        self.varying |= bound_names(node.func.value)


def helpers_functions() -> dict[str, dict[str, str]]:
    """Return, per helpers module, its functions that compute with TensorFlow ("varying") or build Keras objects."""
    trees = {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in (ROOT / "helpers").glob("*.py")}
    known: dict[str, dict[str, str]] = {name: {} for name in trees}
    changed = True
    while changed:  # until no module learns anything new of another's functions
        changed = False
        for module, tree in trees.items():
            tracker = Tracker(imported_functions(tree, known) | known[module])
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    kind = tracker.function_kind(node)
                    if kind and known[module].get(node.name) != kind:
                        known[module][node.name] = kind
                        tracker.functions[node.name] = kind
                        changed = True
    return known


def imported_functions(tree: ast.Module, known: dict[str, dict[str, str]]) -> dict[str, str]:
    """Return the helpers functions a module or notebook can call, under the names its imports give them."""
    functions = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("helpers", None) and node.level <= 1:
            for alias in node.names:
                for function, kind in known.get(alias.name, {}).items():
                    functions[f"{alias.asname or alias.name}.{function}"] = kind
        elif (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("helpers.")
            or (isinstance(node, ast.ImportFrom) and node.level == 1 and node.module)
        ):
            module = (node.module or "").removeprefix("helpers.")
            for alias in node.names:
                if alias.name in known.get(module, {}):
                    functions[alias.asname or alias.name] = known[module][alias.name]
    return functions


HELPERS = helpers_functions()


def shown_values(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """Return what a cell shows: (what, expression) for glue values, print/display arguments and the last line."""
    shown = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            if name == "glue" and len(node.args) >= 2:
                key = node.args[0].value if isinstance(node.args[0], ast.Constant) else ast.unparse(node.args[0])
                shown.append((f"glue({key!r})", node.args[1]))
            elif name in SHOWN:
                shown += [(f"{name}(...)", arg) for arg in node.args]
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        name = dotted(last.value.func) if isinstance(last.value, ast.Call) else ""
        last_name = name.rsplit(".", 1)[-1]
        if name not in SHOWN | {"glue"} and not last_name.endswith(WIDGET_BUILDERS) and last_name != "check":
            shown.append(("the cell's last expression", last.value))
    return shown


def parse_cell(text: str) -> ast.Module | None:
    """Parse a code cell (IPython magics left out); None for a cell that is not Python (a syntax error shown)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def violations(notebook: dict) -> list[str]:
    """Return, for each strict cell that glues or displays a machine-dependent value, a line saying which."""
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    texts = [source(c) for c in cells]
    trees = [parse_cell(text) for text in texts]
    imports = ast.Module(body=[n for t in trees if t for n in t.body if isinstance(n, ast.ImportFrom)], type_ignores=[])
    tracker = Tracker(imported_functions(imports, HELPERS))
    found = []
    for index, (cell, text, tree) in enumerate(zip(cells, texts, trees, strict=True)):
        if tree is None:
            continue
        ignored = IGNORE in tags(cell)
        tracker.read(tree.body, cell_varies=ignored)
        if ignored:
            continue
        where = f"Cell {index} ({text.strip().splitlines()[0][:60] if text.strip() else ''})"
        last = tree.body[-1] if tree.body else None
        ends_in_call = isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
        if ends_in_call and dotted(last.value.func).endswith(".check"):
            found.append(f"{where}: ends in a .check(...) expression, which Jupyter would display")
        for what, expression in shown_values(tree):
            for part in parts(expression):
                if not is_claim_or_structure(part) and tracker.varies(part):
                    found.append(f"{where}: {what} shows a machine-dependent value: {ast.unparse(part)[:80]}")
                    break
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_strict_cells_show_only_what_every_machine_computes_alike(path):
    """No cell under strict comparison glues or displays a value of training, sampling or TensorFlow arithmetic."""
    found = violations(json.loads(path.read_text(encoding="utf-8")))
    assert not found, (
        f"{path.name}: strict cells showing machine-dependent values (nbval cells counted from 0). Tag the cell "
        f"{IGNORE} and keep its asserts, or show the bound the assert guarantees instead:\n" + "\n".join(found)
    )


def notebook_of(*cells: tuple[str, list[str]]) -> dict:
    """Build a minimal notebook from (source, tags) pairs."""
    return {"cells": [{"cell_type": "code", "source": s, "metadata": {"tags": t}, "outputs": []} for s, t in cells]}


@pytest.mark.parametrize(
    "cells",
    [
        # a difference computed in an ignored cell, glued in a strict one (chapter 4 before the fix)
        [("d = float(np.abs(a - tape.gradient(l, w)).max())", [IGNORE]), ("glue('diff', float(f'{d:.1e}'))", [])],
        # a check as the last line displays the live value (chapter 5 before the fix)
        [("acc = train_recall(60)['accuracy']", []), ("assert acc > 0.9\nref.check('acc', acc)", ["remove-cell"])],
        # a Keras layer called in a strict cell, its output printed
        [("layer = keras.layers.LSTM(4)", []), ("out = layer(x)\nprint(out)", [])],
        # a page function that trains, its result glued
        [
            ("m = keras.Sequential([keras.layers.Dense(1)])", []),
            ("def run():\n    m.fit(x, y)\n    return m.evaluate(x, y)", []),
            ("glue('loss', round(run(), 3))", []),
        ],
        # a list filled with trained values, shown as the last expression
        [
            ("model = keras.Sequential([keras.layers.Dense(1)])", []),
            ("losses = []\nfor s in seeds:\n    losses.append(model.evaluate(x, y))", []),
            ("losses", []),
        ],
        # a helpers function that trains (it calls Keras' fit inside), its result printed
        [("from helpers import recall", []), ("print(recall.train_recall('LSTM', 60))", [])],
    ],
    ids=["glued-difference", "check-as-result", "layer-output", "page-function", "filled-list", "helpers-training"],
)
def test_the_rule_catches(cells):
    assert violations(notebook_of(*cells))


@pytest.mark.parametrize(
    "cells",
    [
        # shapes and parameter counts of a Keras model are the same everywhere
        [("model = keras.Sequential([keras.layers.LSTM(4)])", []), ("glue('n', model.count_params())", [])],
        # NumPy arithmetic on data
        [("x = np.arange(6).reshape(2, 3)", []), ("print(x.sum(axis=0))", [])],
        # a trained value glued in an ignored cell, checked by a hidden assert
        [("loss = model.evaluate(x, y)\nglue('loss', round(loss, 3))", [IGNORE]), ("assert loss < 1", [])],
    ],
    ids=["param-count", "numpy", "ignored-glue"],
)
def test_the_rule_lets_through(cells):
    assert not violations(notebook_of(*cells))
