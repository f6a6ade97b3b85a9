"""Fixtures for the generator's tests: the real spec, and a way to import a freshly rendered client."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "openapi.yaml"
GENERATED = ROOT / "generated"
PACKAGE = "modelarts_training"


@contextmanager
def imported_from(root: Path, package: str = PACKAGE) -> Iterator[ModuleType]:
    """Import the package rendered under ``root`` in place of any installed one, then restore it.

    A rendered package may have the installed package's import name, so the installed modules
    are set aside while the rendered ones are in use.
    """
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == package}
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == package]:
            del sys.modules[name]
        sys.modules.update(saved)


@pytest.fixture(autouse=True)
def _private_model_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs of the generator (in this process or as subprocesses) share one cache of the test
    session's own, never the user's."""
    cache = tmp_path_factory.getbasetemp() / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))


def defined_models(module: ModuleType) -> dict[str, type[Any]]:
    """The pydantic models a rendered models module defines, by name (its own bases aside);
    asking a lazy module for them all defines them all."""
    import pydantic

    found = {name: getattr(module, name) for name in dir(module) if name.isidentifier()}
    return {
        name: value
        for name, value in found.items()
        if isinstance(value, type)
        and issubclass(value, pydantic.BaseModel)
        and value.__module__ == module.__name__
        and name not in {"BaseModel", "RootModel"}
    }
