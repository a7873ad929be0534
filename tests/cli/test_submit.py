"""``orders submit``: JSON and CSV files (German exports too) checked whole before chunk
1 is sent, repeated numbers, the summary, a bulk upload stopped by the API or by Ctrl-C
(the rest file resumes it)."""

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

from komfortkasse import (
    APIError,
    BulkSubmitError,
    ChunkFailure,
    OrderRead,
    OrderWriteWithNumber,
)
from komfortkasse.cli._commands import _report_bulk_failure
from komfortkasse.cli._errors import UsageError
from komfortkasse.cli._input import read_orders
from komfortkasse.cli._render import Output
from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    CSV_ROW,
    expect,
    one_error_line,
    write_csv,
    write_json,
)
from tests.conftest import Run
from tests.samples import RECENT, TODAY, order_body, wire
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


def test_submit_json_file(run: Run, api: str, httpserver: HTTPServer, tmp_path: Path) -> None:
    orders = [order_body("1001"), order_body("1002", amount=5, dueDate=wire(TODAY))]
    expect(httpserver, "POST", "/orders", json=orders).respond_with_handler(echo_orders)
    path = write_json(tmp_path / "o.json", orders)
    result = run("--base-url", api, "orders", "submit", path, "--table")
    assert result.code == 0, result.err
    assert "K1002" in result.out
    assert result.out.splitlines()[-1] == "2 order(s) submitted (2 UNPAID)"
    assert "2/2" in result.err  # the progress bar's final state


def test_submit_single_json_object_without_suffix(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    order = order_body("1001")
    expect(httpserver, "POST", "/orders", json=[order]).respond_with_handler(echo_orders)
    path = write_json(tmp_path / "o", order)  # no .json suffix: JSON all the same
    result = run("--base-url", api, "--json", "orders", "submit", path)
    assert result.code == 0
    assert result.json()[0]["referenceNumber"] == "K1001"
    assert "submitting" not in result.err  # no progress bar in --json mode


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_submit_csv_file(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path, delimiter: str
) -> None:
    second = {
        **CSV_ROW,
        "number": "2002",
        "amount": "100",
        "billing_last_name": "",
        "billing_first_name": "",
        "billing_company": "ACME GmbH",
        "billing_country_code": "AT",
        "due_date": wire(TODAY),
        "shipping_last_name": "Lager",
        "shipping_country_code": "DE",
    }
    first = {**CSV_ROW, "due_date": "", "shipping_last_name": "", "shipping_country_code": ""}
    expected = [
        {
            "number": "2001",
            "date": wire(RECENT),
            "type": "PREPAYMENT",
            "amount": 19.9,
            "currency": "EUR",
            "customerEmail": "erika@example.org",
            "billing": {
                "countryCode": "DE",
                "firstName": "Erika",
                "lastName": "Musterfrau",
                "street": "Hauptstr. 1",
                "postCode": "10115",
                "city": "Berlin",
            },
        },
        {
            "number": "2002",
            "date": wire(RECENT),
            "type": "PREPAYMENT",
            "amount": 100.0,
            "currency": "EUR",
            "customerEmail": "erika@example.org",
            "dueDate": wire(TODAY),
            "billing": {
                "countryCode": "AT",
                "company": "ACME GmbH",
                "street": "Hauptstr. 1",
                "postCode": "10115",
                "city": "Berlin",
            },
            "shipping": {"countryCode": "DE", "lastName": "Lager"},
        },
    ]
    expect(httpserver, "POST", "/orders", json=expected).respond_with_handler(echo_orders)
    path = write_csv(tmp_path / "orders.csv", [first, second], delimiter)
    result = run("--base-url", api, "orders", "submit", path, "--table")
    assert result.code == 0, result.err
    assert "19.90" in result.out
    assert "100.00" in result.out


@pytest.mark.parametrize(
    "case",
    [
        ({"billing_last_name": ""}, "line 2 (2001): billing: needs last_name or company"),
        ({"amount": "22.385"}, "line 2 (2001): amount: must have at most two decimals"),
        ({"date": "01.05.2024"}, "line 2 (2001): date: not a date (DD-MM-YYYY or YYYY-MM-DD)"),
        ({"type": "INVOCE"}, "line 2 (2001): type: unknown order type 'INVOCE'"),
        ({"amount": "22,38"}, "amount: '22,38' has a comma"),
        ({"billing_country_code": "Deutschland"}, "billing.country_code"),
    ],
)
def test_submit_invalid_csv_sends_nothing(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path, case: tuple[dict[str, str], str]
) -> None:
    change, message = case
    path = write_csv(tmp_path / "orders.csv", [{**CSV_ROW, **change}])
    result = run("--base-url", api, "orders", "submit", path)
    assert result.code == 2
    assert result.err.startswith("error: ")
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert httpserver.log == []


def test_submit_csv_with_unknown_column_is_refused(run: Run, api: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "orders.csv", [{**CSV_ROW, "biling_city": "x"}])
    result = run("--base-url", api, "orders", "submit", path)
    assert result.code == 2
    assert "unknown CSV column(s): biling_city" in result.err


@pytest.mark.parametrize(
    "case",
    [
        (
            order_body("1001", billing={"countryCode": "DE"}),
            "order #2 (1002): billing: needs last_name",
        ),
        (order_body("1001", date="2024-05-01"), "expected a date in the format dd-MM-yyyy"),
        (
            {k: v for k, v in order_body("1001").items() if k != "date"},
            "field date: expected a value (the field is required)",
        ),
        ("not an order", "order #2: expected a JSON object"),
    ],
)
def test_submit_invalid_json_sends_nothing(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path, case: tuple[Any, str]
) -> None:
    order, message = case
    if isinstance(order, dict):
        order = {**order, "number": "1002"}
    path = write_json(tmp_path / "orders.json", [order_body("1001"), order])
    result = run("--base-url", api, "orders", "submit", path)
    assert result.code == 2
    assert message in result.err
    assert httpserver.log == []


def test_submit_unreadable_file_is_a_usage_error(run: Run, api: str, tmp_path: Path) -> None:
    result = run("--base-url", api, "orders", "submit", tmp_path / "missing.json")
    assert result.code == 2
    assert result.err.startswith("error: cannot read")


def bulk_server(httpserver: HTTPServer, fail_on_call: int) -> list[list[dict[str, Any]]]:
    """``POST /orders`` that accepts chunks until call ``fail_on_call`` (1-based) gets a 400."""
    received: list[list[dict[str, Any]]] = []

    def handler(request: Request) -> Response:
        bodies = json.loads(request.data)
        received.append(bodies)
        if len(received) == fail_on_call:
            error = {"error": "Missing parameter currency"}
            return Response(json.dumps(error), 400, mimetype="application/json")
        return echo_orders(request)

    expect(httpserver, "POST", "/orders").respond_with_handler(handler)
    return received


def test_submit_stopped_reports_and_writes_the_rest(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    received = bulk_server(httpserver, fail_on_call=2)
    orders = [order_body(str(3000 + i)) for i in range(250)]
    rest = tmp_path / "rest.json"
    result = run(
        "--base-url", api, "orders", "submit", write_json(tmp_path / "o.json", orders),
        "--rest-file", rest, "--table",
    )  # fmt: skip
    assert result.code == 1
    assert [len(chunk) for chunk in received] == [100, 100]
    assert (
        "error: bulk submit stopped at orders #101-#200 (3100 … 3199): "
        "submitOrders: Missing parameter currency (HTTP 400)"
    ) in result.err.splitlines()
    assert "accepted: 100 order(s)" in result.err
    assert "not sent: 150 order(s)" in result.err
    assert f"orders submit {rest}" in result.err
    assert json.loads(rest.read_text()) == orders[100:]
    assert "3099" in result.out  # the accepted orders' table (--table)


def test_submit_rest_file_resumes(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    received = bulk_server(httpserver, fail_on_call=1)
    orders = [order_body("1"), order_body("2")]
    rest = tmp_path / "rest.json"
    source = write_json(tmp_path / "o.json", orders)
    assert run("--base-url", api, "orders", "submit", source, "--rest-file", rest).code == 1
    resumed = run("--base-url", api, "orders", "submit", rest)
    assert resumed.code == 0
    assert received == [orders, orders]


def test_submit_stopped_without_rest_file_names_the_option(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    bulk_server(httpserver, fail_on_call=1)
    path = write_json(tmp_path / "o.json", [order_body("1001")])
    result = run("--base-url", api, "--json", "orders", "submit", path)
    assert result.code == 1
    assert "error: bulk submit stopped at order #1 (1001)" in result.err
    assert "--rest-file" in result.err
    report = result.json()
    assert report["error"]["exitCode"] == 1
    assert report["error"]["status"] == 400
    assert report["accepted"] == []
    assert report["notSent"] == 1
    assert report["restFile"] is None
    assert report["failures"][0]["numbers"] == ["1001"]
    assert "Missing parameter currency" in report["failures"][0]["error"]


CSV_HEADER = "number,date,type,amount,currency,billing_last_name,billing_country_code\n"


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
