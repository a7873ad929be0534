"""The ``komfortkasse`` command line, run in-process against real servers on 127.0.0.1.

pytest-httpserver checks exactly what goes on the wire; the fake Komfortkasse
(``komfortkasse.testing``) runs the end-to-end flows. Every test goes through
``run``, which also asserts that the API key never shows up in any output.
"""

from __future__ import annotations

import base64
import io
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from komfortkasse.cli import main
from komfortkasse.cli._errors import EXIT_CODES
from komfortkasse.cli._fake import COMMANDS as FAKE_COMMANDS
from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    CSV_ROW,
    ORDER_READ,
    expect,
    write_csv,
    write_json,
)
from tests.conftest import Run
from tests.samples import BASE_PATH, KEY, PNG, RECENT, TODAY, order_body, wire
from tests.scripted import echo_orders

# -- help ----------------------------------------------------------------------------------

COMMANDS = [
    [],
    ["orders"],
    ["orders", "get"],
    ["orders", "list"],
    ["orders", "submit"],
    ["orders", "set-paid"],
    ["orders", "set-unpaid"],
    ["orders", "cancel"],
    ["orders", "remove"],
    ["orders", "sync"],
    ["orders", "changes"],
    ["postings"],
    ["postings", "list"],
    ["postings", "reconcile"],
    ["image"],
    ["image", "save"],
    ["invoice"],
    ["invoice", "upload"],
    ["fake-server"],
    ["fake"],
    *[["fake", name] for name in FAKE_COMMANDS],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_for_every_command(run: Run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.code == 0
    assert result.out.startswith(f"usage: komfortkasse {' '.join(command)}".rstrip())
    assert result.err == ""


def test_top_level_help_documents_key_and_every_exit_code(run: Run) -> None:
    result = run("--help")
    assert "KOMFORTKASSE_API_KEY" in result.out
    for row in EXIT_CODES:
        assert f"  {row.code} " in result.out
    for group in ("orders", "postings", "image", "invoice", "fake-server"):
        assert group in result.out


def test_group_help_lists_each_subcommand_with_a_summary(run: Run) -> None:
    out = run("orders", "--help").out
    for name, summary in [
        ("sync", "send the complete list of open orders"),
        ("set-paid", "mark an order paid manually"),
        ("changes", "orders whose payment status changed"),
    ]:
        assert name in out
        assert summary in out


def test_submit_help_documents_the_csv_columns(run: Run) -> None:
    out = run("orders", "submit", "--help").out
    for column in ("billing_country_code", "due_date", "shipping_last_name", "billing_company"):
        assert column in out
    assert "--rest-file" in out


def test_console_script_runs() -> None:
    script = Path(sys.executable).parent / "komfortkasse"
    env = {**os.environ, "KOMFORTKASSE_API_KEY": KEY}
    done = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    assert done.returncode == 0
    assert "usage: komfortkasse" in done.stdout
    assert "exit codes:" in done.stdout
    assert KEY not in done.stdout + done.stderr


# -- orders get / list ----------------------------------------------------------------------


def test_orders_get_shows_the_order_table(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/order/1001", query_string="").respond_with_json(ORDER_READ)
    result = run("--base-url", api, "orders", "get", "1001")
    assert result.code == 0
    for value in ("1001", "25-04-2018", "INVOICE", "22.38", "EUR", "PAID_PARTIAL", "K1234A"):
        assert value in result.out
    assert "10.50" in result.out  # amountPaid, exact with two decimals


def test_orders_get_include_sends_the_flags_and_shows_the_parts(
    run: Run, api: str, httpserver: HTTPServer
) -> None:
    order = {
        **ORDER_READ,
        "postings": [{"id": "P1", "amount": 10.5, "currency": "EUR", "postingDate": "02-05-2018"}],
        "refunds": [
            {
                "externalReference": "RMA-7",
                "amount": 3.0,
                "currency": "EUR",
                "plannedDate": "03-05-2018",
                "status": "NEW",
            }
        ],
        "paymentReminders": [{"date": "04-05-2018", "dunningLevel": 1, "reminderFee": 2.5}],
        "collectionStatus": "OPEN",
        "collectionHistory": [{"timestamp": "2018-05-05", "description": "handed over"}],
    }
    expect(
        httpserver,
        "GET",
        "/order/1001",
        query_string={
            "includePostings": "true",
            "includeRefunds": "true",
            "includePaymentReminders": "true",
            "includeCollectionHistory": "true",
        },
    ).respond_with_json(order)
    result = run(
        "--base-url", api, "orders", "get", "1001", "--include", "postings,refunds",
        "--include", "reminders", "--include", "collection",
    )  # fmt: skip
    assert result.code == 0
    for value in ("P1", "RMA-7", "3.00", "2.50", "handed over", "02-05-2018"):
        assert value in result.out


def test_orders_get_json_uses_wire_format(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/order/1001").respond_with_json(ORDER_READ)
    result = run("--base-url", api, "--json", "orders", "get", "1001")
    assert result.code == 0
    data = result.json()
    assert data["date"] == "25-04-2018"
    assert data["paymentStatus"] == "PAID_PARTIAL"
    assert data["amount"] == 22.38
    assert "┃" not in result.out


def test_orders_get_rejects_unknown_include(run: Run, api: str, httpserver: HTTPServer) -> None:
    result = run("--base-url", api, "orders", "get", "1001", "--include", "postings,bogus")
    assert result.code == 2
    assert result.err.startswith("error: argument --include")
    assert len(result.err.strip().splitlines()) == 1
    assert httpserver.log == []


@pytest.mark.parametrize("day", ["01-05-2024", "2024-05-01"])
def test_orders_list_sends_filters(run: Run, api: str, httpserver: HTTPServer, day: str) -> None:
    expect(
        httpserver,
        "GET",
        "/orders",
        query_string={
            "maxAge": "30",
            "paymentStatus": "PAID,PAID_PARTIAL,UNPAID",
            "minPostingDate": "01-05-2024",
        },
    ).respond_with_json([ORDER_READ, {**ORDER_READ, "number": "1002", "amount": 5}])
    result = run(
        "--base-url", api, "orders", "list", "--max-age", "30", "--status", "PAID",
        "--status", "paid_partial,UNPAID", "--min-posting-date", day,
    )  # fmt: skip
    assert result.code == 0
    assert "1002" in result.out
    assert "5.00" in result.out
    assert "2 order(s)" in result.err


def test_orders_list_json_is_an_array(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/orders", query_string="").respond_with_json([ORDER_READ])
    result = run("--json", "--base-url", api, "orders", "list")
    assert result.code == 0
    assert [order["number"] for order in result.json()] == ["1001"]
    assert result.err == ""


# -- orders submit --------------------------------------------------------------------------


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
    expect(httpserver, "POST", "/orders", json=[order_body("1001")]).respond_with_handler(
        echo_orders
    )
    result = run(
        "--base-url",
        api,
        "--json",
        "orders",
        "submit",
        write_json(tmp_path / "o", order_body("1001")),
    )
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
    result = run(
        "--base-url",
        api,
        "--json",
        "orders",
        "submit",
        write_json(tmp_path / "o.json", [order_body("1001")]),
    )
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


# -- status changes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ("set-paid", "/order/1001/setpaid", "PAID"),
        ("set-unpaid", "/order/1001/setunpaid", "UNPAID"),
        ("cancel", "/order/1001/cancel", "CANCELLED"),
        ("remove", "/order/remove/1001", "DISAPPEARED"),
    ],
)
def test_status_changes(
    run: Run, api: str, httpserver: HTTPServer, case: tuple[str, str, str]
) -> None:
    command, path, status = case
    answer = {**ORDER_READ, "paymentStatus": status}
    expect(httpserver, "POST", path).respond_with_json(answer)
    result = run("--base-url", api, "orders", command, "1001")
    assert result.code == 0, result.err
    assert status in result.out
    assert run("--base-url", api, "--json", "orders", command, "1001").json() == answer


# -- sync -----------------------------------------------------------------------------------

OPEN_QUERY = {"maxAge": "3650", "paymentStatus": "UNPAID,PAID_PARTIAL"}


def test_sync_dry_run_previews_and_sends_nothing(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    open_orders = [{**ORDER_READ, "number": n, "paymentStatus": "UNPAID"} for n in ("1", "2", "3")]
    expect(httpserver, "GET", "/orders", query_string=OPEN_QUERY).respond_with_json(open_orders)
    numbers = tmp_path / "open.txt"
    numbers.write_text("# open orders\n1\n\n  3  \n99\n", encoding="utf-8")
    result = run("--base-url", api, "orders", "sync", numbers, "--dry-run", "--max-legacy", "1")
    assert result.code == 0
    assert "1 of 3 open order(s) would be marked LEGACY" in result.out
    assert "with --max-legacy (at most 1) the real run would send" in result.err
    assert "  2\n" in result.out
    assert "(the API ignores them): 99" in result.err
    assert [request.path for request, _ in httpserver.log] == [BASE_PATH + "/orders"]


def test_sync_dry_run_json(run: Run, api: str, httpserver: HTTPServer, tmp_path: Path) -> None:
    open_orders = [{**ORDER_READ, "number": n, "paymentStatus": "UNPAID"} for n in ("1", "2")]
    expect(httpserver, "GET", "/orders", query_string=OPEN_QUERY).respond_with_json(open_orders)
    path = write_json(tmp_path / "open.json", ["1", 7])
    result = run("--base-url", api, "--json", "orders", "sync", path, "--dry-run")
    assert result.json() == {"openOrders": 2, "wouldBeLegacy": ["2"], "unknown": ["7"]}
    guarded = run(
        "--base-url", api, "--json", "orders", "sync", path, "--dry-run", "--max-legacy", "0"
    )  # fmt: skip
    assert guarded.json()["maxLegacy"] == 0
    assert guarded.json()["wouldBeRefused"] is True
    assert all(request.path == BASE_PATH + "/orders" for request, _ in httpserver.log)


def test_sync_sends_the_list(run: Run, api: str, httpserver: HTTPServer, tmp_path: Path) -> None:
    expect(httpserver, "POST", "/ordersync", json=["1", "2"]).respond_with_json(3)
    path = write_json(tmp_path / "open.json", ["1", "2", "1"])
    result = run("--base-url", api, "orders", "sync", path)
    assert result.code == 0
    assert "3 order(s) marked LEGACY" in result.out


def test_sync_max_legacy_refuses(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    open_orders = [{**ORDER_READ, "number": n, "paymentStatus": "UNPAID"} for n in ("1", "2", "3")]
    expect(httpserver, "GET", "/orders", query_string=OPEN_QUERY).respond_with_json(open_orders)
    numbers = tmp_path / "open.txt"
    numbers.write_text("1\n", encoding="utf-8")
    result = run("--base-url", api, "orders", "sync", numbers, "--max-legacy", "50%")
    assert result.code == 1
    assert (
        "error: ordersync not sent: 2 of 3 open orders would be marked LEGACY (allowed: 1)"
        in result.err
    )
    assert all(request.path != BASE_PATH + "/ordersync" for request, _ in httpserver.log)


def test_sync_max_legacy_allows(run: Run, api: str, httpserver: HTTPServer, tmp_path: Path) -> None:
    open_orders = [{**ORDER_READ, "number": n, "paymentStatus": "UNPAID"} for n in ("1", "2")]
    expect(httpserver, "GET", "/orders", query_string=OPEN_QUERY).respond_with_json(open_orders)
    expect(httpserver, "POST", "/ordersync", json=["1"]).respond_with_json(1)
    numbers = tmp_path / "open.txt"
    numbers.write_text("1\n", encoding="utf-8")
    result = run("--base-url", api, "--json", "orders", "sync", numbers, "--max-legacy", "1")
    assert result.code == 0
    assert result.json() == {"legacy": 1}


def test_sync_empty_list_needs_allow_empty(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    empty = tmp_path / "open.txt"
    empty.write_text("# nothing open\n", encoding="utf-8")
    refused = run("--base-url", api, "orders", "sync", empty)
    assert refused.code == 2
    assert "allow_empty" in refused.err
    assert httpserver.log == []
    expect(httpserver, "POST", "/ordersync", json=[]).respond_with_json(4)
    allowed = run("--base-url", api, "orders", "sync", empty, "--allow-empty")
    assert allowed.code == 0
    assert "4 order(s) marked LEGACY" in allowed.out


def test_sync_reads_standard_input(
    run: Run, api: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    expect(httpserver, "POST", "/ordersync", json=["5", "6"]).respond_with_json(0)
    monkeypatch.setattr(sys, "stdin", io.StringIO("5\n# six:\n6\n"))
    result = run("--base-url", api, "--json", "orders", "sync", "-")
    assert result.json() == {"legacy": 0}


def test_sync_rejects_a_bad_max_legacy(run: Run, api: str, tmp_path: Path) -> None:
    result = run("--base-url", api, "orders", "sync", tmp_path / "x", "--max-legacy", "1.5")
    assert result.code == 2
    assert "between 0 and 1" in result.err


# -- changes --------------------------------------------------------------------------------


def test_changes_keeps_a_cursor_file(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    first = [{**ORDER_READ, "number": "1", "paymentStatus": "UNPAID"}]
    second = [
        {**ORDER_READ, "number": "1", "paymentStatus": "PAID"},
        {**ORDER_READ, "number": "2", "paymentStatus": "UNPAID"},
    ]
    expect(httpserver, "GET", "/orders", query_string={"maxAge": "120"}).respond_with_json(first)
    cursor = tmp_path / "cursor.json"
    result = run("--base-url", api, "orders", "changes", "--cursor-file", cursor)
    assert result.code == 0
    assert "0 order(s) changed" in result.err
    assert json.loads(cursor.read_text())["seen"] == {"1": "UNPAID"}

    httpserver.clear()
    expect(httpserver, "GET", "/orders", query_string={"maxAge": "120"}).respond_with_json(second)
    result = run("--base-url", api, "--json", "orders", "changes", "--cursor-file", cursor)
    assert [order["number"] for order in result.json()] == ["1"]
    assert json.loads(cursor.read_text())["seen"] == {"1": "PAID", "2": "UNPAID"}


def test_changes_without_cursor_file_says_so(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/orders", query_string={"maxAge": "7"}).respond_with_json(
        [ORDER_READ]
    )
    result = run("--base-url", api, "orders", "changes", "--max-age", "7")
    assert result.code == 0
    assert "PAID_PARTIAL" in result.out
    assert "not remembered" in result.err


def test_changes_refuses_a_corrupt_cursor(run: Run, api: str, tmp_path: Path) -> None:
    cursor = tmp_path / "cursor.json"
    cursor.write_text("{}", encoding="utf-8")
    result = run("--base-url", api, "orders", "changes", "--cursor-file", cursor)
    assert result.code == 2
    assert "not a cursor" in result.err


# -- postings -------------------------------------------------------------------------------

POSTINGS = [
    {
        "id": "P1",
        "amount": 22.38,
        "currency": "EUR",
        "postingDate": "02-05-2024",
        "originator": "Max Mustermann",
        "text": "K1234A",
        "orders": [order_body("1001")],
    },
    {"id": "P2", "amount": 7.0, "currency": "EUR", "postingDate": "03-05-2024", "text": "?"},
]


def test_postings_list_sends_filters(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(
        httpserver,
        "GET",
        "/postings",
        query_string={
            "createdMin": "01-05-2024",
            "createdMax": "01-06-2024",
            "iban": "DE02120300000000202051",
            "includeOrders": "true",
        },
    ).respond_with_json(POSTINGS)
    result = run(
        "--base-url", api, "postings", "list", "--created-min", "2024-05-01",
        "--created-max", "01-06-2024", "--iban", "DE02 1203 0000 0000 2020 51", "--with-orders",
    )  # fmt: skip
    assert result.code == 0
    for value in ("P1", "22.38", "7.00", "Max Mustermann", "1001", "02-05-2024"):
        assert value in result.out


def test_postings_list_json(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/postings", query_string="").respond_with_json(POSTINGS[1:])
    result = run("--base-url", api, "--json", "postings", "list")
    assert result.json() == POSTINGS[1:]


def test_postings_rejects_a_bad_date(run: Run, api: str, httpserver: HTTPServer) -> None:
    result = run("--base-url", api, "postings", "list", "--created-min", "1.5.2024")
    assert result.code == 2
    assert "not a date" in result.err
    assert httpserver.log == []


def test_postings_reconcile(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(
        httpserver, "GET", "/postings", query_string={"includeOrders": "true"}
    ).respond_with_json(POSTINGS)
    result = run("--base-url", api, "postings", "reconcile")
    assert result.code == 0
    assigned, unassigned = result.out.split("unassigned postings")
    assert "assigned postings (1)" in assigned
    assert "P1" in assigned
    assert "1001" in assigned
    assert "(1)" in unassigned
    assert "P2" in unassigned

    result = run("--base-url", api, "--json", "postings", "reconcile")
    data = result.json()
    assert [entry["posting"]["id"] for entry in data["assigned"]] == ["P1"]
    assert data["assigned"][0]["orders"][0]["number"] == "1001"
    assert [posting["id"] for posting in data["unassigned"]] == ["P2"]


# -- image, invoice -------------------------------------------------------------------------


def test_image_save_writes_the_png(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    data = base64.b64encode(PNG).decode("ascii")
    expect(
        httpserver, "GET", "/image/1001", query_string={"type": "PAYMENTSLIP"}
    ).respond_with_json({"type": "PAYMENTSLIP", "format": "png", "data": data})
    target = tmp_path / "slip.png"
    result = run("--base-url", api, "image", "save", "1001", target, "--type", "paymentslip")
    assert result.code == 0
    assert target.read_bytes() == PNG
    assert "saved PAYMENTSLIP of order 1001" in result.out


def test_image_save_refuses_what_is_not_a_png(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    data = base64.b64encode(b"GIF89a").decode("ascii")
    expect(httpserver, "GET", "/image/1001").respond_with_json({"data": data})
    target = tmp_path / "qr.png"
    result = run("--base-url", api, "--json", "image", "save", "1001", target)
    assert result.code == 4
    error = result.json()["error"]
    assert "not a PNG" in error["message"]
    assert (error["exitCode"], error["type"]) == (4, "UnexpectedResponseError")
    assert not target.exists()
    assert result.err == ""


def test_invoice_upload(run: Run, api: str, httpserver: HTTPServer, tmp_path: Path) -> None:
    uploads: list[tuple[str, bytes]] = []

    def handler(request: Request) -> Response:
        part = request.files["file"]
        uploads.append((part.filename or "", part.read()))
        return Response("", 200)

    expect(httpserver, "POST", "/order/1001/invoice/R-1").respond_with_handler(handler)
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(b"%PDF-1.4 test")
    result = run(
        "--base-url", api, "invoice", "upload", "1001", "R-1", invoice, "--filename", "R1.pdf"
    )
    assert result.code == 0, result.err
    assert uploads == [("R1.pdf", b"%PDF-1.4 test")]
    assert "uploaded invoice R-1 (R1.pdf, 13 bytes) for order 1001" in result.out


def test_invoice_upload_of_an_empty_file_sends_nothing(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = run("--base-url", api, "invoice", "upload", "1001", "R-1", empty)
    assert result.code == 2
    assert "empty" in result.err
    assert httpserver.log == []


# -- exit codes -----------------------------------------------------------------------------


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


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_refused_exits_3(run: Run) -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v2"
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


# -- end to end against the fake ------------------------------------------------------------


def test_fake_end_to_end(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    url = fake.url
    orders = [order_body("1001"), order_body("1002", amount=9.99, type="PREPAYMENT")]
    assert (
        run("--base-url", url, "orders", "submit", write_json(tmp_path / "o.json", orders)).code
        == 0
    )
    csv_file = write_csv(tmp_path / "o.csv", [CSV_ROW])
    assert run("--base-url", url, "orders", "submit", csv_file).code == 0
    assert [order.number for order in fake.orders()] == ["1001", "1002", "2001"]
    assert fake.order("2001").data["billing"]["city"] == "Berlin"

    listed = run("--base-url", url, "--json", "orders", "list").json()
    assert sorted(order["number"] for order in listed) == ["1001", "1002", "2001"]
    assert {order["date"] for order in listed} == {wire(RECENT)}

    cursor = tmp_path / "cursor.json"
    assert run("--base-url", url, "orders", "changes", "--cursor-file", cursor).code == 0

    paid = run("--base-url", url, "orders", "set-paid", "1001")
    assert paid.code == 0
    assert "PAID" in paid.out
    assert fake.order("1001").payment_status == "PAID"
    fake.receive_payment("1002", "5.00")

    changed = run("--base-url", url, "--json", "orders", "changes", "--cursor-file", cursor).json()
    assert {order["number"]: order["paymentStatus"] for order in changed} == {
        "1001": "PAID",
        "1002": "PAID_PARTIAL",
    }
    assert (
        run("--base-url", url, "--json", "orders", "changes", "--cursor-file", cursor).json() == []
    )

    # 1002 (PAID_PARTIAL) and 2001 (UNPAID) are open; the list names only 2001.
    open_list = tmp_path / "open.txt"
    open_list.write_text("2001\n", encoding="utf-8")
    preview = run("--base-url", url, "--json", "orders", "sync", open_list, "--dry-run").json()
    assert preview == {"openOrders": 2, "wouldBeLegacy": ["1002"], "unknown": []}
    assert fake.order("1002").payment_status == "PAID_PARTIAL"
    synced = run("--base-url", url, "orders", "sync", open_list)
    assert synced.code == 0
    assert "1 order(s) marked LEGACY" in synced.out
    assert fake.order("1002").payment_status == "LEGACY"

    png = tmp_path / "qr.png"
    assert run("--base-url", url, "image", "save", "2001", png).code == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    invoice = tmp_path / "R-9.pdf"
    invoice.write_bytes(b"%PDF-1.4 fake")
    assert run("--base-url", url, "invoice", "upload", "2001", "R-9", invoice).code == 0
    [upload] = fake.order("2001").invoices
    assert (upload.invoice_number, upload.filename, upload.data) == (
        "R-9",
        "R-9.pdf",
        b"%PDF-1.4 fake",
    )

    posted = run("--base-url", url, "--json", "postings", "reconcile").json()
    assert [order["number"] for entry in posted["assigned"] for order in entry["orders"]] == [
        "1002"
    ]


def test_closed_output_pipe_is_not_an_error(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    orders = [order_body(str(n)) for n in range(1, 60)]
    assert (
        run(
            "--base-url", fake.url, "orders", "submit", write_json(tmp_path / "o.json", orders)
        ).code
        == 0
    )
    command = [sys.executable, "-m", "komfortkasse.cli", "--base-url", fake.url, "orders", "list"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        process.stdout.close()  # the reader is gone before (or while) the table is written
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "Traceback" not in err
    assert fake.api_key not in err


def test_fake_refusal_exits_1(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    run(
        "--base-url",
        fake.url,
        "orders",
        "submit",
        write_json(tmp_path / "o.json", order_body("1001")),
    )
    assert run("--base-url", fake.url, "orders", "set-paid", "1001").code == 0
    again = run("--base-url", fake.url, "orders", "set-paid", "1001")
    assert again.code == 1
    assert "already in paymentStatus PAID" in again.err


def test_fake_server_command_serves_until_interrupted(
    run: Run, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from komfortkasse.cli import _commands

    answers: list[Any] = []

    def use_then_interrupt() -> None:
        # The fake is up while the command waits: query it, then "press Ctrl-C".
        url = capsys.readouterr().out.splitlines()[0].removeprefix("URL: ")
        monkeypatch.setenv("KOMFORTKASSE_API_KEY", "its-own-key-123")
        answers.append(main(["--base-url", url, "--json", "orders", "list"]))
        answers.append(json.loads(capsys.readouterr().out))
        raise KeyboardInterrupt

    monkeypatch.setattr(_commands, "wait_for_interrupt", use_then_interrupt)
    result = run("fake-server", "--api-key", "its-own-key-123")
    assert result.code == 0
    assert answers == [0, []]
    assert "fake Komfortkasse stopped" in result.err


def test_fake_server_command_runs_until_interrupted(tmp_path: Path) -> None:
    env = {**os.environ, "KOMFORTKASSE_API_KEY": KEY}
    command = [sys.executable, "-m", "komfortkasse.cli", "--json", "fake-server"]
    command += ["--api-key", "printed-fake-key-1"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        announced = json.loads(line)
        assert announced["apiKey"] == "printed-fake-key-1"
        assert announced["url"].startswith("http://127.0.0.1:")
        client_env = {**env, "KOMFORTKASSE_API_KEY": "printed-fake-key-1"}
        listed = subprocess.run(
            [sys.executable, "-m", "komfortkasse.cli", "--base-url", announced["url"], "--json",
             "orders", "list"],
            capture_output=True, text=True, env=client_env, check=False, timeout=60,
        )  # fmt: skip
        assert listed.returncode == 0, listed.stderr
        assert json.loads(listed.stdout) == []
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "fake Komfortkasse stopped" in err
    assert KEY not in line + err
