"""The package's public names: one table (``_exports.EXPORTS``), the written block of
``__init__.py`` derived from it, and ``komfortkasse.X`` as the home of each name."""

from __future__ import annotations

import inspect
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

import komfortkasse
from komfortkasse import _exports
from tests.repo import load_tool

exports = load_tool("exports")


def test_all_is_the_table_and_every_name_resolves() -> None:
    table = [name for names in _exports.EXPORTS.values() for name in names]
    assert sorted(komfortkasse.__all__) == sorted(table)
    assert len(set(table)) == len(table), "a name listed twice"
    for name in komfortkasse.__all__:
        module = sys.modules.get(_exports.MODULE_OF[name]) or __import__(_exports.MODULE_OF[name])
        assert getattr(komfortkasse, name) is getattr(module, name)
    with pytest.raises(AttributeError, match="no_such_name"):
        komfortkasse.no_such_name  # noqa: B018


def test_the_written_block_is_what_the_table_gives() -> None:
    assert exports.main(["--check"]) == 0
    text = exports.INIT.read_text("utf-8")
    for name in _exports.MODULE_OF:
        assert f'"{name}",' in text


def test_a_stale_block_fails_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "__init__.py"
    stale.write_text(exports.INIT.read_text("utf-8").replace('    "check_order",\n', ""))
    monkeypatch.setattr(exports, "INIT", stale)
    assert exports.main(["--check"]) == 1
    assert exports.main([]) == 0  # rewriting restores it
    assert '    "check_order",\n' in stale.read_text("utf-8")


@pytest.mark.parametrize("name", sorted(komfortkasse.__all__))
def test_public_exceptions_name_the_package(name: str) -> None:
    value = getattr(komfortkasse, name)
    if isinstance(value, type) and issubclass(value, BaseException):
        assert value.__module__ == "komfortkasse", name
    elif inspect.isclass(value) or inspect.isfunction(value):
        # The rest keep their module: pdoc and get_type_hints read annotations there.
        assert value.__module__ != "komfortkasse", name


def test_an_error_raised_deep_inside_shows_as_komfortkasse_error_in_a_traceback() -> None:
    # A fresh interpreter: the error class was never asked for by its public name.
    code = (
        "import komfortkasse._bulk as b\n"
        "try:\n"
        "    raise b.SubmitStreamNotEnteredError('x')\n"
        "except Exception as e:\n"
        "    import traceback; print(''.join(traceback.format_exception_only(e)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("komfortkasse.SubmitStreamNotEnteredError: x")
    try:
        raise komfortkasse.LockError("Could not acquire lock", status_code=400)
    except komfortkasse.LockError as error:
        shown = "".join(traceback.format_exception_only(error))
    assert shown.startswith("komfortkasse.LockError:")


def test_with_options_keeps_the_timeout_by_a_named_default() -> None:
    for client in (komfortkasse.Komfortkasse, komfortkasse.AsyncKomfortkasse):
        default = inspect.signature(client.with_options).parameters["timeout"].default
        assert default is komfortkasse.UNSET
        assert repr(default) == "UNSET"
