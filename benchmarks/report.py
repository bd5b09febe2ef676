"""Writing benchmark results into docs/benchmarks.md, one `## ` section per benchmark."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def replace_section(text: str, title: str, body: str) -> str:
    """`text` with the section `## title` replaced by `body` (appended when absent)."""
    heading = f"## {title}"
    block = f"{heading}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^{re.escape(heading)}\s*$.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text, count=1)
    return text.rstrip() + "\n\n" + block if text.strip() else "# Benchmarks\n\n" + block


def write_section(title: str, body: str, doc: Path = DOC) -> None:
    """Replace (or add) one section of the benchmarks document, keeping the others."""
    doc.parent.mkdir(parents=True, exist_ok=True)
    old = doc.read_text(encoding="utf-8") if doc.exists() else ""
    doc.write_text(replace_section(old, title, body), encoding="utf-8")


def add_stores_option(parser) -> None:
    """The `--stores` option of a benchmark that measures the local store, the shared one, or both."""
    parser.add_argument("--stores", default="local,shared",
                        help="kinds of store to measure, comma-separated: local, shared (default both)")


def stores_asked(parser, value: str) -> list[str]:
    """The kinds of store `--stores` asks for, in the order local, shared (an error for anything else)."""
    from ntm.store.location import LOCAL, SHARED

    asked = [k.strip() for k in value.split(",") if k.strip()]
    if not asked or any(k not in (LOCAL, SHARED) for k in asked):
        parser.error("--stores takes local, shared or local,shared")
    return [k for k in (LOCAL, SHARED) if k in asked]
