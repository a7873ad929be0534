"""Every public name is documented (the API reference is built from these docstrings)."""

from __future__ import annotations

import importlib
import inspect
import re
import shlex
import subprocess
import sys
from types import ModuleType

import pytest

import komfortkasse
import komfortkasse.callbacks
import komfortkasse.testing
from tests.repo import ROOT

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


def test_import_komfortkasse_loads_no_models() -> None:
    import subprocess
    import sys

    code = (
        "import sys, komfortkasse; "
        "print('komfortkasse_generated.models' in sys.modules, 'httpx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- the built reference (make docs) -----------------------------------------------------------

MAKEFILE = ROOT / "Makefile"


def _make_variable(name: str) -> str:
    """A ``NAME := value`` line of the Makefile (the docs build is defined there once)."""
    match = re.search(rf"^{name}\s*:?=\s*(.+)$", MAKEFILE.read_text("utf-8"), re.MULTILINE)
    assert match, name
    return match.group(1).strip()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The HTML pages ``make docs`` builds (same modules, flags and warning rules)."""
    out = tmp_path_factory.mktemp("docs")
    command = [
        sys.executable,
        *shlex.split(_make_variable("DOCS_WARNINGS")),
        "-m",
        "pdoc",
        *shlex.split(_make_variable("DOCS_FLAGS")),
        "-o",
        str(out),
        *_make_variable("DOCS_MODULES").split(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return {
        "komfortkasse": (out / "komfortkasse.html").read_text("utf-8"),
        "komfortkasse.testing": (out / "komfortkasse" / "testing.html").read_text("utf-8"),
        "komfortkasse.callbacks": (out / "komfortkasse" / "callbacks.html").read_text("utf-8"),
        "komfortkasse_generated.api": (out / "komfortkasse_generated" / "api.html").read_text(
            "utf-8"
        ),
    }


def _section(page: str, anchor: str) -> str:
    """The HTML of one documented name: from its anchor to the next member's."""
    start = page.find(f'id="{anchor}"')
    assert start >= 0, f"{anchor} is not in the reference"
    following = re.compile(r'<div id="[^"]+" class="classattr">|<section id="')
    end = following.search(page, start + 1)
    return page[start : end.start() if end else len(page)]


def _public_members(cls: type) -> list[tuple[str, bool]]:
    """(name, is a method) for every public method (inherited too) and property of ``cls``."""
    found = []
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        if inspect.isfunction(member):
            found.append((name, True))
        elif isinstance(vars(cls).get(name), property):
            found.append((name, False))
    return found


REFERENCED_MODULES = ["komfortkasse", "komfortkasse.testing", "komfortkasse.callbacks"]


@pytest.mark.parametrize("module_name", REFERENCED_MODULES)
def test_every_public_method_is_in_the_built_reference(
    reference: dict[str, str], module_name: str
) -> None:
    module = importlib.import_module(module_name)
    page = reference[module_name]
    checked = 0
    for name in module.__all__:
        obj = getattr(module, name)
        if not _ours(obj) or getattr(obj, "__module__", "").startswith("komfortkasse_generated"):
            continue
        if inspect.isfunction(obj):
            section = _section(page, name)
            assert 'class="signature' in section, name
            assert 'class="docstring"' in section, name
            checked += 1
        elif inspect.isclass(obj) and not issubclass(obj, BaseException):
            for member, is_method in _public_members(obj):
                # A method of the spec's operations is documented where it is generated.
                owner = next(c for c in obj.__mro__ if member in vars(c))
                if owner.__module__ == "komfortkasse_generated.api":
                    api = reference["komfortkasse_generated.api"]
                    section = _section(api, f"{owner.__name__}.{member}")
                else:
                    section = _section(page, f"{name}.{member}")
                if is_method:
                    assert 'class="signature' in section, f"{name}.{member}: no signature"
                assert 'class="docstring"' in section, f"{name}.{member}: no docstring"
                checked += 1
    assert checked >= 3


def test_the_resources_methods_are_in_the_reference(reference: dict[str, str]) -> None:
    page = reference["komfortkasse"]
    api = reference["komfortkasse_generated.api"]
    for anchor in ("OrdersResource.submit", "OrdersResource.list", "OrdersResource.refund"):
        section = _section(api, anchor)
        assert 'class="signature' in section, anchor
        assert 'class="docstring"' in section, anchor
    for anchor in (
        "Orders.upload_invoice",
        "Orders.changes_since",
        "AsyncOrders.submit_iter",
        "Postings.reconcile",
        "Images.get_png",
        "check_orders",
    ):
        section = _section(page, anchor)
        assert 'class="docstring"' in section, anchor
    # The client's attributes link to them.
    assert 'href="#Orders"' in _section(page, "Komfortkasse.orders")
