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
        from .words.i18n import _

        raise MissingDependencyError(
            _("{purpose} needs the '{module}' package: pip install \"gdviz[{extra}]\"")
            .format(purpose=_(purpose), module=module, extra=extra)) from None
