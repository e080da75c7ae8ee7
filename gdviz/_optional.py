"""Import optional dependencies lazily, with an error that says how to fix it."""
from __future__ import annotations

import importlib


class MissingDependencyError(ImportError):
    """An optional dependency is not installed."""


def import_optional(module: str, extra: str, purpose: str):
    """Import ``module`` or raise naming the ``pip install`` line that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{purpose} needs the '{module}' package: pip install \"gdviz[{extra}]\""
        ) from None
