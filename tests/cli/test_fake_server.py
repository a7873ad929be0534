"""Edge cases of the command line: malformed input files, argument validation,
unwritable outputs, the fake-server command, and how ``main`` ends.

Every test runs ``main`` in-process; servers are the fake Komfortkasse on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import runpy
import signal
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from komfortkasse import (
    APIError,
    BulkSubmitError,
    ChunkFailure,
    ConfigurationError,
    Komfortkasse,
    OrderRead,
    OrderWriteWithNumber,
    cli,
)
from komfortkasse.cli import _commands, main
from komfortkasse.cli._commands import Context, _report_bulk_failure, wait_for_interrupt
from komfortkasse.cli._errors import UsageError
from komfortkasse.cli._input import parse_cli_date, read_numbers, read_orders, write_text
from komfortkasse.cli._render import Output
from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import one_error_line, submit
from tests.conftest import Run
from tests.entry_points import Lines, interrupt_main_thread_when
from tests.samples import RECENT, TODAY, order_body, wire

CSV_HEADER = "number,date,type,amount,currency,billing_last_name,billing_country_code\n"


# -- input files: orders -------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        (
            "bad-date.csv",
            CSV_HEADER + "2001,31-02-2024,INVOICE,1.00,EUR,M,DE\n",
            ["line 2 (2001): date: not a date (DD-MM-YYYY or YYYY-MM-DD): '31-02-2024'"],
        ),
        (
            "bad-due.csv",
            CSV_HEADER.strip()
            + ",due_date\n"
            + f"2001,{wire(RECENT)},INVOICE,1.00,EUR,M,DE,99-99-2024\n",
            ["line 2 (2001): due_date: not a date (DD-MM-YYYY or YYYY-MM-DD): '99-99-2024'"],
        ),
        ("empty.csv", "", ["empty CSV file (expected a header row)"]),
        (
            "missing.csv",
            "number,date\n1,2\n",
            ["missing CSV column(s): type, amount, currency, billing_country_code"],
        ),
        (
            "extra.csv",
            CSV_HEADER + f"2001,{wire(RECENT)},INVOICE,1.00,EUR,M,DE,surplus\n",
            ["extra.csv line 2: more cells than columns"],
        ),
        ("header-only.csv", CSV_HEADER, ["header-only.csv: no orders found"]),
        ("none.json", "[]", ["none.json: no orders found"]),
        (
            "int.json",
            json.dumps(order_body(1001)),
            ["int.json: order #1:", "field number: expected string, got integer 1001"],
        ),
        (
            "huge.csv",
            CSV_HEADER + f"2001,{wire(RECENT)},INVOICE,1.00,EUR,{'x' * 200_000},DE\n",
            ["huge.csv: not valid CSV: field larger than field limit"],
        ),
        ("broken.json", '[{"number": "1001",', ["broken.json: not valid JSON"]),
        (
            "shape.json",
            json.dumps([order_body("1001", billing="Mustermann")]),
            ["order #1 (1001): does not fit the order format"],
        ),
    ],
    ids=lambda case: case[0],
)
def test_submit_refuses_malformed_files_before_sending(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path, case: tuple[str, str, list[str]]
) -> None:
    name, content, fragments = case
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run("--base-url", fake.url, "orders", "submit", path)
    one_error_line(result, 2, *fragments)
    assert fake.requests == []


def test_order_types_are_checked_locally_in_any_case(tmp_path: Path) -> None:
    """A known type becomes the enum whatever its case; an unknown one (a typo) is
    refused before anything is sent: the API would refuse it after earlier chunks."""
    path = tmp_path / "types.csv"
    path.write_text(
        CSV_HEADER
        + f"1,{wire(RECENT)},invoice,1.00,EUR,M,DE\n"
        + ",,,,,,\n"  # a row of empty cells is skipped, not an error
        + f"2,{wire(RECENT)},Cod,1.00,EUR,M,DE\n",
        encoding="utf-8",
    )
    found = read_orders(str(path), today=TODAY)
    assert [(o.number, o.type_) for o in found.orders] == [("1", "INVOICE"), ("2", "COD")]
    path.write_text(CSV_HEADER + f"3,{wire(RECENT)},Layaway,1.00,EUR,M,DE\n", encoding="utf-8")
    with pytest.raises(UsageError, match="unknown order type 'Layaway'"):
        read_orders(str(path), today=TODAY)


def test_submit_file_that_is_not_utf8_is_a_usage_error(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (CSV_HEADER + f"2001,{wire(RECENT)},INVOICE,1.00,EUR,Müller,DE\n").encode("latin-1")
    )
    result = run("--base-url", fake.url, "orders", "submit", path)
    one_error_line(result, 2, f"cannot read {path}: not UTF-8 text")
    assert fake.requests == []


# -- input files: order numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('["1001", null]', "item #2 is not an order number: None"),
        ('["1001", ""]', "item #2 is not an order number: ''"),
        ("[true]", "item #1 is not an order number: True"),
        ('[{"number": "1"}]', "item #1 is not an order number: {'number': '1'}"),
    ],
)
def test_sync_refuses_a_json_list_with_non_numbers(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "open.json"
    path.write_text(content, encoding="utf-8")
    result = run("--base-url", fake.url, "orders", "sync", path)
    one_error_line(result, 2, message)
    assert fake.requests == []


def test_read_numbers_accepts_json_integers_and_strips_text(tmp_path: Path) -> None:
    path = tmp_path / "open.json"
    path.write_text('[1001, " 1002 "]', encoding="utf-8")
    assert read_numbers(str(path)) == ["1001", "1002"]


# -- output files ---------------------------------------------------------------------------


def test_write_text_failure_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "cursor"
    target.mkdir()  # a directory cannot be replaced by a file
    with pytest.raises(UsageError, match=r"cannot write the cursor to .*cursor"):
        write_text(target, "{}", "the cursor")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cursor"]
    assert target.is_dir()


def test_changes_with_an_unwritable_cursor_file_exits_2(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    target = tmp_path / "missing-dir" / "cursor.json"
    result = run("--base-url", fake.url, "orders", "changes", "--cursor-file", target)
    one_error_line(result, 2, f"cannot write the cursor to {target}")


def test_image_save_to_an_unwritable_path_exits_2(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    submit(fake, "1001")
    target = tmp_path / "missing-dir" / "qr.png"
    result = run("--base-url", fake.url, "image", "save", "1001", target)
    one_error_line(result, 2, f"cannot write {target}")
    assert not target.parent.exists()


def test_image_save_json_reports_path_type_and_size(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    submit(fake, "1001")
    target = tmp_path / "slip.png"
    result = run("--base-url", fake.url, "--json", "image", "save", "1001", target)
    assert result.code == 0, result.err
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert json.loads(result.out) == {"path": str(target), "type": "QRCODE", "bytes": len(data)}


def test_invoice_upload_of_a_missing_file_sends_nothing(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.pdf"
    result = run("--base-url", fake.url, "invoice", "upload", "1001", "R-1", missing)
    one_error_line(result, 2, f"cannot read {missing}: No such file or directory")
    assert fake.requests == []


def test_invoice_upload_json(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    submit(fake, "1001")
    invoice = tmp_path / "R-7.pdf"
    invoice.write_bytes(b"%PDF-1.4 seven")
    result = run("--base-url", fake.url, "--json", "invoice", "upload", "1001", "R-7", invoice)
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "number": "1001",
        "invoiceNumber": "R-7",
        "filename": "R-7.pdf",
        "bytes": 14,
    }
    [upload] = fake.order("1001").invoices
    assert (upload.invoice_number, upload.data) == ("R-7", b"%PDF-1.4 seven")


# -- sync preview ----------------------------------------------------------------------------


def test_sync_dry_run_without_unknown_numbers_and_with_a_limit(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    submit(fake, "1001", "1002")
    listed = tmp_path / "open.txt"
    listed.write_text("1001\n", encoding="utf-8")
    result = run("--base-url", fake.url, "orders", "sync", listed, "--dry-run", "--max-legacy", "0")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "dry run: 1 of 2 open order(s) would be marked LEGACY:",
        "  1002",
    ]
    assert "not open orders" not in result.err
    assert "with --max-legacy (at most 0) the real run would refuse to send" in result.err
    assert fake.order("1002").payment_status == "UNPAID"


def test_sync_dry_run_names_unknown_numbers(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    submit(fake, "1001")
    listed = tmp_path / "open.txt"
    listed.write_text("# open orders\n1001\n\n9999\n", encoding="utf-8")
    result = run("--base-url", fake.url, "orders", "sync", listed, "--dry-run")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["dry run: 0 of 1 open order(s) would be marked LEGACY"]
    assert "1 listed number(s) are not open orders (the API ignores them): 9999" in result.err
    assert "--max-legacy" not in result.err
    assert "nothing was sent (--dry-run)" in result.err


# -- argument validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["orders", "list", "--max-age", "ten"], "not a whole number: 'ten'"),
        (["orders", "list", "--max-age", "0"], "must be at least 1, got 0"),
        (["--retries", "many", "orders", "list"], "not a whole number: 'many'"),
        (["--retries", "-1", "orders", "list"], "must not be negative, got -1"),
        (["fake-server", "--port", "65536"], "not a port number: 65536"),
        (["fake-server", "--port", "http"], "not a whole number: 'http'"),
        (["--timeout", "soon", "orders", "list"], "not a number of seconds: 'soon'"),
        (["--timeout", "inf", "orders", "list"], "must be a positive number of seconds"),
        (["orders", "list", "--status", "PAID,,UNPAID"], "empty status in 'PAID,,UNPAID'"),
        (
            ["orders", "list", "--min-posting-date", "31-02-2024"],
            "not a date (DD-MM-YYYY or YYYY-MM-DD): '31-02-2024'",
        ),
        (
            ["orders", "list", "--min-posting-date", "2024-13-01"],
            "not a date (DD-MM-YYYY or YYYY-MM-DD): '2024-13-01'",
        ),
        (["orders", "sync", "-", "--max-legacy", "ten%"], "not a count or fraction: 'ten%'"),
        (["orders", "sync", "-", "--max-legacy", "1.2.3"], "not a count or fraction: '1.2.3'"),
        (["orders", "sync", "-", "--max-legacy", "-5"], "must not be negative, got -5"),
    ],
)
def test_bad_arguments_exit_2_without_a_request(
    run: Run, argv: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_client(self: Context) -> Komfortkasse:
        raise AssertionError("no client may be built for a usage error")

    monkeypatch.setattr(Context, "client", no_client)
    result = run(*argv)
    one_error_line(result, 2, message, "see 'komfortkasse")


def test_parse_cli_date_accepts_both_formats() -> None:
    assert parse_cli_date(" 29-02-2024 ") == datetime.date(2024, 2, 29)
    assert parse_cli_date("2024-02-29") == datetime.date(2024, 2, 29)
    with pytest.raises(ValueError, match="not a date"):
        parse_cli_date("2023-02-29")


def test_timeout_and_retries_reach_the_client(
    run: Run, fake: FakeKomfortkasse, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    real_init = Komfortkasse.__init__

    def spy(self: Komfortkasse, *args: Any, **kwargs: Any) -> None:
        seen.append(kwargs)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(Komfortkasse, "__init__", spy)
    result = run("--base-url", fake.url, "--timeout", "2.5", "--retries", "0", "orders", "list")
    assert result.code == 0, result.err
    [options] = seen
    assert options["timeout"] == 2.5
    assert options["retry"].max_attempts == 1
    assert options["base_url"] == fake.url


# -- the Context -----------------------------------------------------------------------------


def context(base_url: str | None = None) -> Context:
    args = argparse.Namespace(base_url=base_url, timeout=None, retries=None)
    return Context(args, Output(json_mode=False))


def test_context_builds_one_client_and_close_forgets_it(fake: FakeKomfortkasse) -> None:
    ctx = context(fake.url)
    first = ctx.client()
    assert ctx.client() is first
    ctx.close()
    second = ctx.client()
    assert second is not first
    ctx.close()
    ctx.close()  # closing twice is harmless


def test_context_without_a_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMFORTKASSE_API_KEY", "   ")
    with pytest.raises(ConfigurationError, match="KOMFORTKASSE_API_KEY"):
        context().client()


# -- bulk failure report ---------------------------------------------------------------------


def test_bulk_report_lists_every_failed_chunk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The async client can report several failed chunks; each gets its line,
    counted from 1 as in the input file."""
    orders = [OrderWriteWithNumber.from_dict(order_body(str(n))) for n in range(1, 6)]
    accepted = [OrderRead.from_dict({**order_body("1"), "paymentStatus": "UNPAID"})]
    failures = [
        ChunkFailure(1, orders[1:3], APIError("refused", status_code=400)),
        ChunkFailure(3, orders[3:4], APIError("also refused", status_code=400)),
    ]
    error = BulkSubmitError(accepted, failures, iter(orders[4:]))
    rest = tmp_path / "rest.json"
    code = _report_bulk_failure(error, rest, Output(json_mode=False))
    err = capsys.readouterr().err
    assert code == 1
    assert "bulk submit stopped at orders #2-#3 (2 … 3)" in err
    assert "also failed: order #4 (4)" in err
    assert "not sent: 4 order(s), the failed chunk included" in err
    assert [item["number"] for item in json.loads(rest.read_text("utf-8"))] == ["2", "3", "4", "5"]


# -- fake-server command ---------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_fake_server_json_announces_then_serves_until_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert threading.current_thread() is threading.main_thread()
    stdout = Lines()
    monkeypatch.setattr(sys, "stdout", stdout)
    answers: list[Any] = []

    def query() -> None:
        announced = json.loads(stdout.text.splitlines()[0])
        request = urllib.request.Request(
            announced["url"] + "/orders", headers={"X-Komfortkasse-API-Key": announced["apiKey"]}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            answers.append((response.status, json.loads(response.read())))

    before = signal.getsignal(signal.SIGTERM)
    thread = interrupt_main_thread_when(
        # announced, and waiting (its SIGTERM handler is set right before the wait)
        lambda: "\n" in stdout.text and signal.getsignal(signal.SIGTERM) is not before,
        query,
    )
    code = main(["--json", "fake-server", "--port", "0", "--api-key", "announced-key-42"])
    thread.join(5)
    assert code == 0
    announced = json.loads(stdout.text)  # exactly one compact line
    assert announced["apiKey"] == "announced-key-42"
    assert announced["url"].startswith("http://127.0.0.1:")
    assert answers == [(200, [])]
    assert "fake Komfortkasse stopped" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_wait_for_interrupt_returns_on_sigterm_and_restores_the_handler() -> None:
    before = signal.getsignal(signal.SIGTERM)
    main_thread = threading.main_thread().ident
    assert main_thread is not None

    def terminate_once_waiting() -> None:
        for _ in range(2000):  # its handler is installed right before the wait
            if signal.getsignal(signal.SIGTERM) is not before:
                break
            threading.Event().wait(0.002)
        signal.pthread_kill(main_thread, signal.SIGTERM)

    helper = threading.Thread(target=terminate_once_waiting, daemon=True)
    helper.start()
    wait_for_interrupt()  # returns instead of the process being terminated
    helper.join(5)
    assert signal.getsignal(signal.SIGTERM) is before


def test_wait_for_interrupt_in_a_worker_thread_installs_no_signal_handler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """signal.signal only works in the main thread; elsewhere the wait must not
    try it (which would raise ValueError)."""
    events: list[threading.Event] = []

    class Threading:
        current_thread = staticmethod(threading.current_thread)
        main_thread = staticmethod(threading.main_thread)

        @staticmethod
        def Event() -> threading.Event:
            event = threading.Event()
            events.append(event)
            return event

    monkeypatch.setattr(_commands, "threading", Threading)
    before = signal.getsignal(signal.SIGTERM)
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            wait_for_interrupt()
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    for _ in range(1000):
        if events:
            break
        threading.Event().wait(0.002)
    assert thread.is_alive()
    events[0].set()
    thread.join(5)
    assert not thread.is_alive()
    assert failures == []
    assert signal.getsignal(signal.SIGTERM) is before


def test_fake_server_without_the_testing_extra_is_a_usage_error(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from komfortkasse import testing

    monkeypatch.delattr(testing, "FakeKomfortkasse", raising=False)
    for name in [m for m in sys.modules if m.startswith("komfortkasse.testing._")]:
        if name != "komfortkasse.testing._protocol":
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # the extra is not installed
    result = run("fake-server")
    one_error_line(
        result, 2, "the fake server needs the testing extra", "komfortkasse[testing]", "jsonschema"
    )


# -- how main ends ---------------------------------------------------------------------------


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
