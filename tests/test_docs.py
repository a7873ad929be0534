"""Every public name is documented (the API reference is built from these docstrings)."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

import komfortkasse
import komfortkasse.callbacks
import komfortkasse.testing

PUBLIC_MODULES = [komfortkasse, komfortkasse.callbacks, komfortkasse.testing]


def public_objects() -> list[tuple[str, object]]:
    found = []
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            found.append((f"{module.__name__}.{name}", getattr(module, name)))
    return found


def _ours(obj: object) -> bool:
    module = getattr(obj, "__module__", "") or ""
    return module.startswith(("komfortkasse", "komfortkasse_generated"))


@pytest.mark.parametrize(("name", "obj"), public_objects(), ids=lambda v: str(v)[:60])
def test_public_name_is_documented(name: str, obj: object) -> None:
    if not (inspect.isclass(obj) or inspect.isfunction(obj)) or not _ours(obj):
        return  # constants and aliases are described where they are defined
    if obj.__module__ == "komfortkasse_generated.types":  # type: ignore[attr-defined]
        return  # the generator's UNSET marker type, described in the README
    assert inspect.getdoc(obj), f"{name} has no docstring"
    generated = obj.__module__.startswith("komfortkasse_generated")  # type: ignore[attr-defined]
    if inspect.isclass(obj) and not generated:  # generated methods are the generator's
        for attr, member in vars(obj).items():
            if attr.startswith("_") or not (
                inspect.isfunction(member) or isinstance(member, property)
            ):
                continue
            target = member.fget if isinstance(member, property) else member
            assert inspect.getdoc(target), f"{name}.{attr} has no docstring"


def test_every_module_has_a_docstring() -> None:
    modules: list[ModuleType] = [*PUBLIC_MODULES]
    for module in modules:
        assert module.__doc__


def test_resources_are_documented() -> None:
    client = komfortkasse.Komfortkasse("k", base_url="https://example.test/api/v2")
    for resource in (client.orders, client.postings, client.images):
        for attr, member in inspect.getmembers(type(resource), inspect.isfunction):
            if not attr.startswith("_"):
                assert inspect.getdoc(member), f"{type(resource).__name__}.{attr}"
    client.close()


def test_lazy_exports_match_the_type_checking_imports() -> None:
    """`komfortkasse/__init__.py` names every lazy export twice (for mypy and at run
    time): both lists must agree, and every name in __all__ must resolve."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(komfortkasse.__file__).read_text("utf-8"))
    guarded: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom)
                module = ("komfortkasse." if stmt.level else "") + str(stmt.module)
                guarded[module] = {alias.name for alias in stmt.names}
    lazy = {module: set(names) for module, names in komfortkasse._LAZY.items()}
    assert guarded == lazy
    for name in komfortkasse.__all__:
        assert getattr(komfortkasse, name) is not None
    with pytest.raises(AttributeError, match="no_such_name"):
        komfortkasse.no_such_name  # noqa: B018


def test_import_komfortkasse_loads_no_models() -> None:
    import subprocess
    import sys

    code = (
        "import sys, komfortkasse; "
        "print('komfortkasse_generated.models' in sys.modules, 'httpx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
