"""The README's Python snippets run as written, in order, and print what they claim."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import anyio
import pytest

from komfortkasse.testing import FakeKomfortkasse

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), flags=re.DOTALL)


def test_readme_has_snippets_for_each_capability() -> None:
    text = README.read_text("utf-8")
    for heading in ("Quickstart", "Dates", "Money", "Errors", "Retries", "Bulk submit",
                    "Order sync", "Invoices and images", "Knowing when money arrived",
                    "Callbacks", "Testing your service"):  # fmt: skip
        assert f"## {heading}" in text
    assert "make test" in text
    assert "make demo" in text
    assert len(python_blocks()) >= 10


def test_readme_snippets_run_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": "readme"}
    *blocks, last = python_blocks()
    assert last.strip().endswith("fake.stop()")
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    anyio.run(namespace["poll"])  # defined, not awaited, by the README
    exec(last, namespace)
    out = capsys.readouterr().out
    # A comment after a print() states its output (up to a ":" or " (" explanation).
    for comment in re.findall(r"print\(.*?\)\s+# (.+)", README.read_text("utf-8")):
        claim = comment.split(":")[0].split(" (")[0].strip()
        assert claim in out, (claim, out)
    # The README's example test, run the way pytest would run it.
    with FakeKomfortkasse() as fake:
        from komfortkasse import Komfortkasse

        namespace["Komfortkasse"] = Komfortkasse
        namespace["test_my_shop_marks_paid_orders"](fake)
