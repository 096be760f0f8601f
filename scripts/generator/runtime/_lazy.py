"""Lazy exports: ``from realtimekit_client.models import Participant`` imports that model's module, not all of them.

Importing every model module up front costs tens of milliseconds (each attrs class is built at import), most of it
for models a program never uses; the package's start-up time is part of what we measure. Static type checkers see
the names through ``if TYPE_CHECKING:`` imports in the same ``__init__``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def exports(package: str, where: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``package`` that import ``name`` from the module ``where[name]``
    (relative to the package) on first use, and keep it in the package's namespace afterwards."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__
