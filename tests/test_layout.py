"""The house rules a newcomer can rely on: the engine in packages by stage with one-way dependencies and
no import cycles, no Streamlit in the engine, SQL over the figures only in the read and store layers,
short documented functions, and the reader's language decided in the text package."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Packages of `ntm`, lowest first: a package imports only from those before it (and the small
# top-level modules `paths`, `errors`, `accounts`).
STAGES = ("text", "domain", "store", "read", "present", "export", "ingest", "cli")
TOP_LEVEL = {"paths", "errors", "accounts"}
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in ROOT.glob("ntm/**/*.py")}
TREES = {m: ast.parse(p.read_text()) for m, p in MODULES.items()}


def imports(module: str) -> set[str]:
    """The ntm modules a module imports (at the top or inside functions)."""
    out = set()
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ntm"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("ntm")}
    return out


def stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def test_no_import_cycles():
    graph = {m: imports(m) & set(MODULES) for m in MODULES}
    state: dict[str, int] = {}
    cycles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(path[path.index(n):] + [n])
            elif n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_packages_depend_only_on_earlier_stages():
    wrong = []
    for m in MODULES:
        here = stage(m)
        for n in imports(m):
            there = stage(n)
            if here in STAGES and there in STAGES and STAGES.index(there) > STAGES.index(here):
                wrong.append(f"{m} -> {n}")
    assert wrong == []


def test_the_engine_never_imports_streamlit():
    found = [m for m, tree in TREES.items() for node in ast.walk(tree)
             if isinstance(node, (ast.Import, ast.ImportFrom))
             and any((getattr(node, "module", None) or a.name).startswith("streamlit") for a in node.names)]
    assert found == []


def test_few_modules_at_the_top_and_every_package_says_what_it_is_for():
    top = [p.name for p in (ROOT / "ntm").glob("*.py")]
    assert len(top) <= 12, top
    packages = [p for p in (ROOT / "ntm").iterdir() if (p / "__init__.py").exists()]
    assert {p.name for p in packages} >= set(STAGES)
    assert set(STAGES) | TOP_LEVEL | {"__init__", "__main__"} >= {p.stem for p in (ROOT / "ntm").iterdir()
                                                                    if p.suffix == ".py" or p.is_dir()} - {"__pycache__"}
    for p in packages:
        assert ast.get_docstring(ast.parse((p / "__init__.py").read_text())), p.name


def test_every_module_and_public_function_has_a_docstring():
    missing = [f"{m}.{n.name}" for m, tree in TREES.items() for n in tree.body
               if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")
               and not ast.get_docstring(n)]
    missing += [m for m, tree in TREES.items() if not ast.get_docstring(tree)]
    assert missing == []


def test_functions_are_short_and_the_long_ones_say_why():
    long = {}
    for m, tree in TREES.items():
        for n in ast.walk(tree):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES:
                long[f"{m}.{n.name}"] = ast.get_docstring(n) or ""
    assert len(long) <= 2, list(long)
    assert all("Long because" in doc for doc in long.values()), list(long)


def _sql_strings(tree: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and any(w in n.value for w in ("commune_year", "district_year")) and "SELECT" in n.value.upper()]


def test_sql_over_the_figures_only_in_the_read_and_store_layers():
    outside = [m for m, tree in TREES.items() if stage(m) not in ("read", "store") and _sql_strings(tree)]
    pages = [p.name for p in [*ROOT.glob("pages/*.py"), ROOT / "app.py"]
             if ".execute(" in p.read_text() or _sql_strings(ast.parse(p.read_text()))]
    assert outside == [] and pages == []


def test_the_readers_language_is_decided_in_the_text_package():
    branching = defaultdict(int)
    for m, tree in TREES.items():
        if stage(m) == "text":
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in n.ops):
                left = n.left.id if isinstance(n.left, ast.Name) else getattr(n.left, "attr", None)
                if left in ("lang", "lg"):
                    branching[m] += 1
    assert len(branching) <= 3, dict(branching)
