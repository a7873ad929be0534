"""The README's Python snippets run as written, in order, and print what they claim."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import anyio
import pytest

from komfortkasse.testing import FakeKomfortkasse
from tests.repo import ROOT

README = ROOT / "README.md"


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
    assert anyio.run(namespace["stream_all"]) == 250
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


def test_readme_command_line_examples_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shlex

    from komfortkasse.cli import main

    text = README.read_text("utf-8")
    block = text.split("## Command line", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [
        shlex.split(line.split("  #", 1)[0])
        for line in block.splitlines()
        if line.startswith("komfortkasse ") and "fake-server" not in line
    ]
    assert len(commands) >= 9
    monkeypatch.chdir(tmp_path)
    (tmp_path / "orders.csv").write_text(
        "number,date,type,amount,currency,billing_last_name,billing_country_code\n"
        "1001,01-11-2026,INVOICE,22.38,EUR,Mustermann,DE\n"
        "1002,01-11-2026,PREPAYMENT,9.90,EUR,Musterfrau,AT\n",
        "utf-8",
    )
    (tmp_path / "open.txt").write_text("1001\n1002\n", "utf-8")
    (tmp_path / "R-1001.pdf").write_bytes(b"%PDF-1.4 invoice")
    with FakeKomfortkasse(today=datetime.date(2026, 11, 22)) as fake:
        monkeypatch.setenv("KOMFORTKASSE_API_KEY", fake.api_key)
        monkeypatch.setenv("KOMFORTKASSE_BASE_URL", fake.url)
        for argv in commands:
            assert main(argv[1:]) == 0, (argv, capsys.readouterr())
    assert (tmp_path / "qr.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "cursor.json").exists()
