"""Where things are in this repository, for tests that read its files: one place, so a
test file can move without its paths breaking."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

#: The repository's root (the folder holding ``tests/``).
ROOT = Path(__file__).resolve().parent.parent
#: The vendored OpenAPI spec, verbatim from upstream.
SPEC_PATH = ROOT / "openapi" / "komfortkasse-v2.openapi.json"
#: The generated package (``make generate`` writes it, nobody edits it).
GENERATED = ROOT / "generated" / "komfortkasse_generated"


@functools.cache
def _spec_text() -> str:
    return SPEC_PATH.read_text("utf-8")


def spec() -> dict[str, Any]:
    """The vendored spec, parsed (a fresh copy: callers may change it)."""
    document: dict[str, Any] = json.loads(_spec_text())
    return document


def spec_operation_ids() -> set[str]:
    """Every ``operationId`` of the vendored spec."""
    return {
        operation["operationId"]
        for item in spec()["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    }


def load_tool(name: str) -> ModuleType:
    """``tools/<name>.py`` as the module ``name`` (the tools folder is no package)."""
    if name in sys.modules:
        return sys.modules[name]
    path = ROOT / "tools" / f"{name}.py"
    found = importlib.util.spec_from_file_location(name, path)
    assert found is not None
    assert found.loader is not None
    module = importlib.util.module_from_spec(found)
    sys.modules[name] = module
    found.loader.exec_module(module)
    return module
