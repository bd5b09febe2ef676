"""Every registered series (`SERIES`, by name), once the modules that register them are loaded."""

from __future__ import annotations

from ntm.read import commune, ntm, poverty, targets  # noqa: F401  (each module registers its series)
from ntm.read.registry import SERIES

__all__ = ["SERIES"]
