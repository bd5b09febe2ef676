"""Where the project's files live, and the settings that can be overridden from the environment."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BOUNDARIES_DIR = DATA_DIR / "boundaries"


def data_file(name: str) -> Path:
    """A project-authored data file under `data/`."""
    return DATA_DIR / name
