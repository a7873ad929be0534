"""``orders submit`` as a new user meets it: whole-file checks, German exports, repeated
numbers, the summary, Ctrl-C in the middle of a bulk upload."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import CSV_ROW, expect, write_csv, write_json
from tests.conftest import Run
from tests.samples import RECENT, order_body, wire
from tests.scripted import echo_orders


def rows(count: int, **changes: Any) -> list[dict[str, str]]:
    return [{**CSV_ROW, "number": f"A-{n}", **changes} for n in range(count)]


def test_a_typo_in_row_120_fails_before_chunk_1_is_sent(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    table = rows(300)
    table[118]["type"] = "INVOCE"  # the 119th order: line 120 of the file
    path = write_csv(tmp_path / "orders.csv", table)
    result = run("--base-url", fake.url, "orders", "submit", path)
    assert result.code == 2
    first = result.err.splitlines()[0]
    assert first == (
        f"error: {path} line 120 (A-118): type: unknown order type 'INVOCE' "
        "(one of COD, INVOICE, OTHER, PREPAYMENT)"
    )
    assert len(result.err.splitlines()) == 1  # one problem: one line
    assert fake.requests == []
    assert fake.orders() == []


def test_every_problem_of_the_file_is_reported_in_file_order(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    table = rows(260)
    table[250]["billing_last_name"] = ""  # the address rule (found by check_orders)
    table[3]["date"] = "3.5.2024"  # a reading problem
    table[200]["currency"] = "EURO"
    path = write_csv(tmp_path / "orders.csv", table)
    result = run("--base-url", fake.url, "orders", "submit", path)
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0].startswith(f"error: {path} line 5 (A-3): date: not a date")
    assert lines[1].startswith(f"also: {path} line 202 (A-200): currency: must be")
    assert lines[2].startswith(f"also: {path} line 252 (A-250): billing: needs last_name")
    assert lines[3] == f"3 order(s) of {path} would be refused; nothing was sent"
    assert fake.requests == []


def test_many_problems_are_listed_up_to_a_limit(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "orders.csv", rows(30, currency="E"))
    result = run("--base-url", fake.url, "orders", "submit", path)
    assert result.code == 2
    assert "... and 10 more" in result.err
    assert "30 order(s)" in result.err


def test_json_file_problems_are_collected_too(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    orders = [order_body("1"), order_body("2", type="invoice"), "x", order_body("4", currency="")]
    result = run(
        "--base-url", fake.url, "orders", "submit", write_json(tmp_path / "o.json", orders)
    )
    assert result.code == 2
    assert "order #2 (2): type: unknown order type 'invoice'" in result.err  # JSON: exact
    assert "also: " in result.err
    assert "order #3: expected a JSON object" in result.err
    assert "order #4 (4): currency" in result.err
    assert fake.requests == []


def test_german_export_semicolons_decimal_comma_iso_dates(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    iso = RECENT.isoformat()
    table = [
        {**CSV_ROW, "amount": "22,38", "date": iso},
        {**CSV_ROW, "number": "2002", "amount": "5", "date": wire(RECENT)},
        {**CSV_ROW, "number": "2003", "amount": "1234,5"},
    ]
    sent: list[Any] = []

    def answer(request: Request) -> Response:
        sent.extend(json.loads(request.data))
        return echo_orders(request)

    expect(httpserver, "POST", "/orders").respond_with_handler(answer)
    path = write_csv(tmp_path / "export.csv", table, delimiter=";")
    result = run("--base-url", api, "orders", "submit", path)
    assert result.code == 0, result.err
    assert [(o["amount"], o["date"]) for o in sent] == [
        (22.38, wire(RECENT)),
        (5.0, wire(RECENT)),
        (1234.5, wire(RECENT)),
    ]


@pytest.mark.parametrize(
    "case",
    [
        ({"amount": "22,38"}, ",", [], "'22,38' has a comma; for a decimal comma use ';'"),
        ({"amount": "1.234,56"}, ";", [], "no thousands separators"),
        ({"amount": "22,385"}, ";", [], "amount: must have at most two decimals"),
        ({"amount": "22,38"}, ";", ["--no-decimal-comma"], "has a comma"),
    ],
)
def test_decimal_comma_rules(
    run: Run,
    fake: FakeKomfortkasse,
    tmp_path: Path,
    case: tuple[dict[str, str], str, list[str], str],
) -> None:
    cells, delimiter, options, message = case
    path = write_csv(tmp_path / "o.csv", [{**CSV_ROW, **cells}], delimiter=delimiter)
    result = run("--base-url", fake.url, "orders", "submit", path, *options)
    assert result.code == 2
    assert message in result.err
    assert fake.requests == []


def test_decimal_comma_option_with_a_comma_delimiter(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "o.csv", [{**CSV_ROW, "amount": "19,90"}])  # quoted by csv
    result = run("--base-url", fake.url, "orders", "submit", path, "--decimal-comma")
    assert result.code == 0, result.err
    assert str(fake.order("2001").amount) == "19.90"


def test_summary_by_default_table_on_request(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "o.csv", rows(150))
    fake_url = fake.url
    summary = run("--base-url", fake_url, "orders", "submit", path)
    assert summary.code == 0, summary.err
    assert summary.out == "150 order(s) submitted (150 UNPAID)\n"
    fake.receive_payment("A-7", "19.90")
    table = run("--base-url", fake_url, "orders", "submit", path, "--table")
    assert "A-149" in table.out
    assert "K1" in table.out
    assert table.out.splitlines()[-1] == "150 order(s) submitted (149 UNPAID, 1 PAID)"


def test_repeated_numbers_are_reported(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    table = [
        {**CSV_ROW, "number": "X", "amount": "1.00"},
        {**CSV_ROW, "number": "Y"},
        {**CSV_ROW, "number": "X", "amount": "2.00"},
    ]
    path = write_csv(tmp_path / "o.csv", table)
    result = run("--base-url", fake.url, "orders", "submit", path)
    assert result.code == 0, result.err
    assert result.out == "3 rows, 2 order(s) submitted (2 UNPAID): number X repeated\n"
    assert (
        "warning: number X repeated: line 2, line 4 (the API keeps the last one: "
        "submitting a number again updates that order)"
    ) in result.err
    assert str(fake.order("X").amount) == "2.00"


def test_repeated_numbers_in_a_json_file(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    orders = [order_body("1"), order_body("2"), order_body("1", amount=1)]
    result = run(
        "--base-url", fake.url, "orders", "submit", write_json(tmp_path / "o.json", orders)
    )
    assert result.code == 0, result.err
    assert (
        "warning: number 1 repeated: order #1, order #3 (the API keeps the last one" in result.err
    )
    assert result.out == "3 entries, 2 order(s) submitted (2 UNPAID): number 1 repeated\n"


def test_many_repeated_numbers_are_summed_up(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    table = rows(5) + rows(5)
    result = run("--base-url", fake.url, "orders", "submit", write_csv(tmp_path / "o.csv", table))
    assert result.out == (
        "10 rows, 5 order(s) submitted (5 UNPAID): numbers A-0, A-1, A-2 and 2 more repeated\n"
    )


def answered(httpserver: HTTPServer, requests: int) -> None:
    """Wait until the server has answered ``requests`` requests: the one in flight when
    Ctrl-C came must not land in the next test's request log."""
    for _ in range(500):
        if len(httpserver.log) >= requests:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"{len(httpserver.log)} of {requests} requests answered")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("json_mode", [False, True])
def test_ctrl_c_during_a_bulk_submit_writes_the_rest_and_counts_the_accepted(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path, json_mode: bool
) -> None:
    main_thread = threading.main_thread().ident
    assert main_thread is not None
    calls: list[int] = []

    def handler(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 7:  # Ctrl-C while chunk 7 is in flight
            signal.pthread_kill(main_thread, signal.SIGINT)
            threading.Event().wait(0.2)
        return echo_orders(request)

    expect(httpserver, "POST", "/orders").respond_with_handler(handler)
    orders = [order_body(str(5000 + n)) for n in range(1000)]
    rest = tmp_path / "rest.json"
    mode = ["--json"] if json_mode else []
    result = run(
        "--base-url", api, *mode, "orders", "submit", write_json(tmp_path / "o.json", orders),
        "--rest-file", rest,
    )  # fmt: skip
    assert result.code == 130
    answered(httpserver, len(calls))
    assert json.loads(rest.read_text()) == orders[600:]
    assert "error: interrupted: 600 of 1000 order(s) were already accepted" in result.err
    assert "not confirmed: 400 order(s)" in result.err
    assert f"resume with: komfortkasse orders submit {rest}" in result.err
    if json_mode:
        report = result.json()
        assert (report["acceptedCount"], report["notConfirmed"]) == (600, 400)
        assert report["error"]["exitCode"] == 130


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_without_rest_file_names_the_option(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    main_thread = threading.main_thread().ident
    assert main_thread is not None

    def handler(request: Request) -> Response:
        signal.pthread_kill(main_thread, signal.SIGINT)
        threading.Event().wait(0.2)
        return echo_orders(request)

    expect(httpserver, "POST", "/orders").respond_with_handler(handler)
    orders = [order_body(str(n)) for n in range(3)]
    result = run("--base-url", api, "orders", "submit", write_json(tmp_path / "o.json", orders))
    assert result.code == 130
    answered(httpserver, 1)
    assert "0 of 3 order(s) were already accepted" in result.err
    assert "run with --rest-file PATH" in result.err
