"""The documentation a newcomer reads stays true: the README lists every command, its two set-up
commands are the scripts CI runs, and every data file is described in data/README.md."""

from __future__ import annotations

import re
from pathlib import Path

from ntm.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent


def top_level_commands() -> set[str]:
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices)


def test_readme_documents_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)", readme, re.M))
    assert top_level_commands() <= documented | {"rollback"}   # `batches` / `rollback` share a row
    assert "`rollback BATCH_ID" in readme


def test_readme_setup_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Set-up", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["bash scripts/start.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_every_data_file_is_described():
    described = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "data").glob("*.csv"):
        assert f"`{path.name}`" in described, path.name
    assert "`boundaries/`" in described


def test_every_reference_to_the_domain_notes_points_at_a_section():
    notes = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#+ (§[\d.]+)", notes, re.M)) | set(re.findall(r"\*\*(§[\d.]+) ", notes))
    files = [p for p in ROOT.rglob("*") if p.suffix in (".py", ".md", ".csv") and ".venv" not in p.parts
             and "fixtures" not in p.parts]
    cited, dangling = set(), []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for ref in re.findall(r"docs/domain\.md (§[\d.]*\d)", text):
            cited.add(ref)
            if ref not in headings:
                dangling.append(f"{path.relative_to(ROOT)}: {ref}")
        if re.search(r"\b(DOMAIN|CSV_CONTRACT|DATA_SOURCES)\.md\b", text):
            dangling.append(f"{path.relative_to(ROOT)}: a document the repository does not hold")
    assert cited and dangling == []


def test_the_server_binds_to_this_machine_and_sends_no_usage_statistics():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False


def test_every_test_the_security_page_names_exists():
    page = (ROOT / "docs" / "security.md").read_text()
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", page)
    assert len(named) >= 12
    for path, test in named:
        source = (ROOT / path).read_text()
        assert not test or f"def {test}(" in source, (path, test)


# The words the column table of docs/file-format.md uses for each kind of column ("type").
KIND_WORDS = {"int": "integer", "decimal": "decimal", "flag": "flag", "choice": "category", "status": "category",
              "set": "category", "code": "code", "text": "text", "standard": "code"}


def file_format_problems(doc: str, columns) -> list[str]:
    """What the column table of the file format (its section "Columns") gets wrong about the column
    registry (`columns`: name, kind, required, header_vi, values): a column missing or unknown, a
    Vietnamese header, type or required mark that differs, a choice's value not named."""
    table = doc.split("\n## Columns", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = re.findall(r"`(\w+)`", cells[0]) if line.startswith("| `") else []
        if len(names) == 2 and "…" in cells[0]:         # `c01` … `c19`: the criteria in between
            first, last = (int(n[1:]) for n in names)
            names = [f"c{i:02d}" for i in range(first, last + 1)]
        rows.update({n: cells for n in names})
    problems = [f"{n}: in the table, not in the registry" for n in set(rows) - {c.name for c in columns}]
    for c in columns:
        if c.name not in rows:
            problems.append(f"{c.name}: in the registry, not in the table")
            continue
        _, header, kind, required, rule = rows[c.name][:5]
        if "…" not in header and header != c.header_vi:
            problems.append(f"{c.name}: header {header!r}, the template's is {c.header_vi!r}")
        if KIND_WORDS[c.kind] not in kind:
            problems.append(f"{c.name}: type {kind!r} does not say {KIND_WORDS[c.kind]!r}")
        if required.startswith("yes") != c.required:
            problems.append(f"{c.name}: required {required!r}")
        problems += [f"{c.name}: value `{v}` not named" for v in c.values if c.kind == "choice" and f"`{v}`" not in rule]
    return problems


def test_the_file_format_describes_every_column_of_the_registry():
    from ntm.domain.columns import COLUMNS

    assert file_format_problems((ROOT / "docs" / "file-format.md").read_text(encoding="utf-8"), COLUMNS) == []
