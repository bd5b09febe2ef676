"""The house rules a newcomer can rely on: the engine in packages by stage with one-way dependencies and
no import cycles, no Streamlit in the engine, SQL only in the read and store layers, short documented
functions, the reader's language decided in the text package, and no work done at import. Each detector is
first shown a sample it must flag, so a guard cannot pass by matching nothing."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Packages of `ntm` by rank, lowest first: a package imports only from lower ranks (never from another
# package of its own rank) and the small top-level modules, which import only `text` and each other.
STAGES = (("text",), ("domain",), ("store",), ("read",), ("ingest", "present"), ("export", "serve"), ("cli",))
RANK = {package: i for i, rank in enumerate(STAGES) for package in rank}
TOP_LEVEL = {"paths", "errors"}
MAX_FUNCTION_LINES = 60


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in ROOT.glob("ntm/**/*.py")}
TREES = {m: ast.parse(p.read_text()) for m, p in MODULES.items()}
# The dashboard outside the engine: the pages, their shared modules and the entry point.
APP_FILES = [*ROOT.glob("pages/**/*.py"), *ROOT.glob("dashboard/**/*.py"), ROOT / "app.py"]
APP_TREES = {str(p.relative_to(ROOT)): ast.parse(p.read_text()) for p in APP_FILES if p.exists()}


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
            if here in RANK and there in RANK and there != here and RANK[there] >= RANK[here]:
                wrong.append(f"{m} -> {n}")
            elif here in TOP_LEVEL and there not in TOP_LEVEL | {"text"}:
                wrong.append(f"{m} -> {n}")
    assert wrong == []


def test_the_engine_never_imports_streamlit():
    found = [m for m, tree in TREES.items() for node in ast.walk(tree)
             if isinstance(node, (ast.Import, ast.ImportFrom))
             and any((getattr(node, "module", None) or a.name).startswith("streamlit") for a in node.names)]
    assert found == []


# A page is widgets and layout; a module of the dashboard has one job. Over this, a file has become a hub.
APP_MODULE_LINES = 300


def test_no_page_or_dashboard_module_is_a_hub():
    lines = {name: len((ROOT / name).read_text().splitlines()) for name in APP_TREES}
    assert {name: n for name, n in lines.items() if n > APP_MODULE_LINES} == {}
    assert any(name.startswith("dashboard/") for name in lines) and any(name.startswith("pages/") for name in lines)


def test_the_dashboard_uses_only_streamlits_public_api_and_pages_share_only_the_dashboard():
    imports = [(name, node.lineno, module) for name, tree in APP_TREES.items() for node in ast.walk(tree)
               for module in ([a.name for a in node.names] if isinstance(node, ast.Import)
                              else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])]
    assert any(module == "streamlit" for _, _, module in imports)
    assert [hit for hit in imports if hit[2].startswith("streamlit.")] == []        # st.* only
    assert [hit for hit in imports if hit[2].split(".")[0] == "pages"] == []        # a page imports no page
    assert [hit for hit in imports if hit[0].startswith("dashboard/") and hit[2].split(".")[0] == "pages"] == []


def test_the_dashboards_modules_and_functions_say_what_they_do():
    modules = {name: tree for name, tree in APP_TREES.items() if name.startswith("dashboard/")}
    missing = [f"{m}.{n.name}" for m, tree in modules.items() for n in tree.body
               if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")
               and not ast.get_docstring(n)]
    assert missing + [m for m, tree in APP_TREES.items() if not ast.get_docstring(tree)
                      and not m.endswith("__init__.py")] == []


def test_few_modules_at_the_top_and_every_package_says_what_it_is_for():
    top = [p.name for p in (ROOT / "ntm").glob("*.py")]
    assert len(top) <= 12, top
    packages = [p for p in (ROOT / "ntm").iterdir() if (p / "__init__.py").exists()]
    assert {p.name for p in packages} >= set(RANK)
    assert set(RANK) | TOP_LEVEL | {"__init__", "__main__"} >= {p.stem for p in (ROOT / "ntm").iterdir()
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


# An SQL statement, in capitals as the code writes them; any string handed to a query call counts too.
SQL = re.compile(r"\b(SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(OR\s+REPLACE\s+)?"
                 r"(TEMP\w*\s+)?(TABLE|VIEW|INDEX|SEQUENCE|MACRO)|ALTER\s+TABLE|DROP\s+(TABLE|VIEW|INDEX|SEQUENCE)|"
                 r"COPY\s+\w+\s+(FROM|TO)|ATTACH\s|PRAGMA\s)\b")
QUERY_CALLS = {"execute", "executemany", "sql", "query", "query_df", "read_sql", "read_sql_query"}
# SQL over something other than the database: the coordinate systems of an uploaded GeoPackage, read with
# SQLite before GDAL opens the file.
OTHER_DATABASES = {"ntm.ingest.boundaries._gpkg_crs_link"}


def _text_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else " x " for v in node.values)
    return None


def _functions(tree: ast.AST, prefix: str):
    """(qualified name, node) of the module and of every function in it, innermost last."""
    yield prefix, tree
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield f"{prefix}.{n.name}", n


def _own_nodes(node: ast.AST):
    """The nodes of a function (or module) outside the functions it defines."""
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield child
            yield from _own_nodes(child)


def sql_in(tree: ast.AST, name: str = "", allowed=frozenset()) -> list[str]:
    """Where a tree holds an SQL statement or hands a string to a query call (line: start of it)."""
    found = []
    for where, fn in _functions(tree, name):
        if where in allowed:
            continue
        for n in _own_nodes(fn):
            text = _text_of(n)
            called = (isinstance(n, ast.Call) and n.args and _text_of(n.args[0]) is not None
                      and (getattr(n.func, "attr", None) or getattr(n.func, "id", None)) in QUERY_CALLS)
            if (text is not None and SQL.search(text)) or called:
                found.append(f"{where}:{n.lineno}")
    return list(dict.fromkeys(found))


def test_the_sql_detector_flags_statements_and_query_calls():
    flagged = {
        'con.execute("SELECT code FROM units WHERE system = ?", [s])',
        'q = f"""WITH x AS (SELECT 1 FROM {t}) SELECT * FROM x"""',
        'con.sql("insert into units values (1)")',
        'cur.execute(f"UPDATE import_batches SET status = {s!r}")',
        'x = "DELETE FROM targets WHERE year = ?"',
        'x = "CREATE OR REPLACE TABLE t AS SELECT 1"',
        'x = "ALTER TABLE commune_year ADD COLUMN c INTEGER"',
    }
    passed = {'t("ui.select_province", lang)', 'x = "Select a province from the list"', 'x = "Update the file"'}
    assert all(sql_in(ast.parse(src)) for src in flagged)
    assert not any(sql_in(ast.parse(src)) for src in passed)
    inner = "def f(con):\n    return con.execute('PRAGMA table_info(t)')\n"
    assert sql_in(ast.parse(inner), "m") == ["m.f:2"] and sql_in(ast.parse(inner), "m", {"m.f"}) == []


def test_sql_only_in_the_read_and_store_layers():
    outside = [hit for m, tree in TREES.items() if stage(m) not in ("read", "store")
               for hit in sql_in(tree, m, OTHER_DATABASES)]
    outside += [hit for name, tree in APP_TREES.items() for hit in sql_in(tree, name)]
    assert outside == []
    found = {hit.rsplit(":", 1)[0] for m, tree in TREES.items() for hit in sql_in(tree, m)}
    assert OTHER_DATABASES <= found and any(f.startswith("ntm.read.") for f in found)    # the guard sees SQL


def _language_operand(node: ast.AST) -> bool:
    """An operand that is the reader's language: a language code, `language(…)`, or a name for it."""
    if isinstance(node, ast.Constant):
        return node.value in ("vi", "en")
    if isinstance(node, ast.Call):
        return (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in ("language", "link_language")
    name = getattr(node, "id", None) or getattr(node, "attr", None)
    return name is not None and (name in ("lang", "lg", "language", "DEFAULT_LANG") or name.endswith("_lang"))


# A link leaves out the default language as it leaves out every default; a language asked in the URL is
# checked against the catalogue's.
LANGUAGE_PARAMETER = {"ntm.present.state.to_params", "ntm.present.state.parse_params"}


def language_branches(tree: ast.AST, name: str = "", allowed=frozenset()) -> list[str]:
    """Where code outside the text package compares the reader's language, or holds words by language."""
    found = []
    for where, fn in _functions(tree, name):
        if where in allowed:
            continue
        for n in _own_nodes(fn):
            compared = isinstance(n, ast.Compare) and any(map(_language_operand, (n.left, *n.comparators)))
            by_language = isinstance(n, ast.Dict) and {getattr(k, "value", None) for k in n.keys} >= {"vi", "en"}
            if compared or by_language:
                found.append(f"{where}:{n.lineno}")
    return found


def test_the_language_detector_flags_branches_on_the_language():
    flagged = {'x = a if language(lang) == "en" else b', 'if lang == "vi":\n    pass', 'y = lg != "en"',
               'css = "…" if language(lg) == "vi" else ""', 'z = state.lang != DEFAULT_LANG',
               'w = {"vi": "Xã", "en": "Commune"}[lang]', 'v = self.ui_lang in ("en",)'}
    passed = {'x = t("ui.title", lang)', 'y = df[localised("name", lang)]', 'if level == "commune":\n    pass'}
    assert all(language_branches(ast.parse(src)) for src in flagged)
    assert not any(language_branches(ast.parse(src)) for src in passed)


def test_the_readers_language_is_decided_in_the_text_package():
    branching = [hit for m, tree in TREES.items() if stage(m) != "text"
                 for hit in language_branches(tree, m, LANGUAGE_PARAMETER)]
    branching += [hit for name, tree in APP_TREES.items() for hit in language_branches(tree, name)]
    assert branching == []
    assert LANGUAGE_PARAMETER <= {hit.rsplit(":", 1)[0] for hit in language_branches(TREES["ntm.present.state"],
                                                                                      "ntm.present.state")}


# Reading a file or the database is work, and so is a cached loader (being lazy is what it is for): a module
# does neither when imported, since every page process imports the engine.
READERS = {"open", "read_csv", "read_excel", "read_file", "read_parquet", "read_text", "read_bytes", "load",
           "execute", "connect", "sql"}
CACHED = {n.name for tree in TREES.values() for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
          and any("cache" in ast.unparse(d) for d in n.decorator_list)}


def _run_at_import(node: ast.AST):
    """The nodes of a module that run when it is imported (function and lambda bodies do not)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from (n for d in (*child.decorator_list, *child.args.defaults) for n in ast.walk(d))
        elif not isinstance(child, ast.Lambda):
            yield child
            yield from _run_at_import(child)


def import_time_work(tree: ast.AST, name: str = "", cached=frozenset()) -> list[str]:
    """Where a module reads a file or the database, or calls a cached loader, when imported."""
    return [f"{name}:{n.lineno}" for n in _run_at_import(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "attr", None) or getattr(n.func, "id", None)) in READERS | set(cached)]


def test_the_import_detector_flags_work_at_import():
    flagged = {"PLANS = tuple(demo.province_plans())", "DF = pd.read_csv(PATH)", "class A:\n    x = load_criteria()",
               "CON = duckdb.connect(PATH)"}
    passed = {"F = lambda: pd.read_csv(PATH)", "def f():\n    return demo.province_plans()", "P = re.compile('x')"}
    cached = {"province_plans", "load_criteria"}
    assert all(import_time_work(ast.parse(src), cached=cached) for src in flagged)
    assert not any(import_time_work(ast.parse(src), cached=cached) for src in passed)
    assert {"province_plans", "load_criteria"} <= CACHED


def test_no_work_at_import():
    assert [hit for m, tree in TREES.items() for hit in import_time_work(tree, m, CACHED)] == []


def test_every_import_of_the_benchmarks_and_scripts_resolves():
    """Benchmarks and build scripts run outside the suite: a name they import from the product that the
    product no longer has (imports inside functions included) is caught here."""
    own = {"ntm", "dashboard", "benchmarks"}
    missing, checked = [], 0
    for path in [*ROOT.glob("benchmarks/*.py"), *ROOT.glob("scripts/*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in own:
                module, checked = importlib.import_module(node.module), checked + 1
                missing += [f"{path.name}:{node.lineno} {node.module}.{a.name}" for a in node.names
                            if not hasattr(module, a.name)
                            and importlib.util.find_spec(f"{node.module}.{a.name}") is None]
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in own:
                        checked += 1
                        if importlib.util.find_spec(a.name) is None:
                            missing.append(f"{path.name}:{node.lineno} {a.name}")
    assert checked > 20 and missing == []
