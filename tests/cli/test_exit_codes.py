"""How the command line ends: the exit code of each kind of failure on one line of
stderr, a closed pipe, an interrupt, a bug (its traceback), ``python -m``."""

from __future__ import annotations

import argparse
import os
import runpy
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    cli,
)
from komfortkasse.cli import _commands, main
from komfortkasse.cli._commands import Context
from komfortkasse.cli._errors import EXIT_CODES
from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    expect,
)
from tests.conftest import Run
from tests.samples import KEY
from tests.transports import closed_url


def test_api_refusal_exits_1(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "POST", "/order/1001/setpaid").respond_with_json(
        {"error": "Order already in paymentStatus PAID"}, status=400
    )
    result = run("--base-url", api, "orders", "set-paid", "1001")
    assert result.code == 1
    assert result.err == "error: setOrderPaid: Order already in paymentStatus PAID (HTTP 400)\n"
    assert result.out == ""


def test_not_found_exits_1(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/order/9").respond_with_json(
        {"error": "Order '9' not found"}, status=404
    )
    result = run("--base-url", api, "orders", "get", "9", "--json")  # global option at the end
    assert result.code == 1
    assert result.json() == {
        "error": {
            "message": "getOrder: Order '9' not found (HTTP 404)",
            "exitCode": 1,
            "type": "OrderNotFoundError",
            "status": 404,
        }
    }
    assert result.err == ""


def test_missing_key_exits_2_without_a_request(
    run: Run, api: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOMFORTKASSE_API_KEY")
    result = run("--base-url", api, "orders", "get", "1001")
    assert result.code == 2
    assert result.err == (
        "error: no API key: set the environment variable KOMFORTKASSE_API_KEY "
        "(find the key in the Komfortkasse merchant area)\n"
    )
    assert httpserver.log == []


def test_insecure_base_url_exits_2(run: Run) -> None:
    result = run("--base-url", "http://komfortkasse.example/api/v2", "orders", "get", "1")
    assert result.code == 2
    assert "https://" in result.err


def test_connection_refused_exits_3(run: Run) -> None:
    url = closed_url()
    result = run("--base-url", url, "--retries", "0", "orders", "list")
    assert result.code == 3
    assert result.err.startswith("error: readOrders: could not connect")
    assert len(result.err.splitlines()) == 1


def test_html_page_exits_4(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/order/1001").respond_with_data(
        "<html><body>Login</body></html>", content_type="text/html"
    )
    result = run("--base-url", api, "orders", "get", "1001")
    assert result.code == 4
    assert "response body is not JSON" in result.err
    assert len(result.err.splitlines()) == 1


def test_usage_errors_exit_2_on_one_line(run: Run) -> None:
    for argv in (["orders", "frobnicate"], ["orders"], ["--timeout", "0", "orders", "list"], []):
        result = run(*argv)
        assert result.code == 2, argv
        assert result.err.startswith("error: ")
        assert len(result.err.splitlines()) == 1
        assert "see 'komfortkasse" in result.err


def test_interrupt_exits_130(
    run: Run, api: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from komfortkasse.cli import _commands

    def interrupted(path: str) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(_commands, "read_numbers", interrupted)
    result = run("--base-url", api, "orders", "sync", tmp_path / "open.txt")
    assert result.code == 130
    assert result.err == "error: interrupted\n"


def test_without_rich_main_prints_a_hint(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)
    result = run("orders", "list")
    assert result.code == 2
    assert (
        result.err
        == "error: the komfortkasse command needs rich: pip install 'komfortkasse[cli]'\n"
    )


def test_key_echoed_by_a_server_is_redacted(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/order/1001").respond_with_json(
        {"error": f"Invalid key {KEY}"}, status=400
    )
    result = run("--base-url", api, "orders", "get", "1001")  # run() asserts KEY is absent
    assert result.code == 1
    assert "Invalid key ***" in result.err


def test_exit_code_table_is_documented_once() -> None:
    codes = [row.code for row in EXIT_CODES]
    assert codes == [0, 1, 2, 3, 4, 130]


def test_broken_pipe_exits_0_and_silences_stdout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def reader_gone(args: argparse.Namespace, ctx: Context) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(_commands, "orders_list", reader_gone)
    with (tmp_path / "stdout").open("w", encoding="utf-8") as file:
        monkeypatch.setattr(sys, "stdout", file)
        assert main(["orders", "list"]) == 0
        os.write(file.fileno(), b"after the pipe closed")  # now goes to /dev/null
    assert (tmp_path / "stdout").read_bytes() == b""


def test_broken_pipe_with_captured_stdout_exits_0(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reader_gone(args: argparse.Namespace, ctx: Context) -> int:
        raise BrokenPipeError

    monkeypatch.setattr(_commands, "orders_list", reader_gone)
    result = run("orders", "list")  # stdout has no file descriptor: nothing to redirect
    assert (result.code, result.err) == (0, "")


def test_unknown_errors_surface_with_their_traceback(
    monkeypatch: pytest.MonkeyPatch, fake: FakeKomfortkasse
) -> None:
    contexts: list[Context] = []

    def buggy(args: argparse.Namespace, ctx: Context) -> int:
        contexts.append(ctx)
        ctx.client()
        raise RuntimeError("a bug, not a user error")

    monkeypatch.setattr(_commands, "orders_list", buggy)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["--base-url", fake.url, "orders", "list"])
    assert contexts[0]._client is None  # closed all the same


def test_python_dash_m_runs_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import komfortkasse.cli.__main__ as module  # importing it runs nothing

    assert module.main is main
    assert capsys.readouterr() == ("", "")
    monkeypatch.setattr(sys, "argv", ["komfortkasse", "orders", "frobnicate"])
    with pytest.raises(SystemExit) as exited:
        # run_path: pytest's import hook for the plugin package cannot hand runpy the code
        runpy.run_path(str(Path(cli.__file__).with_name("__main__.py")), run_name="__main__")
    assert exited.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
