"""``orders get``, ``list``, the status changes, ``sync`` (with its dry run and guard) and
``changes`` (with its cursor file), against a scripted server."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from komfortkasse.cli._input import read_numbers
from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    ORDER_READ,
    expect,
    one_error_line,
    submit,
    write_json,
)
from tests.conftest import Run
from tests.samples import BASE_PATH

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


def expect_open_orders(httpserver: HTTPServer, *numbers: str) -> None:
    """The sync preview's read: these orders are open."""
    open_orders = [{**ORDER_READ, "number": n, "paymentStatus": "UNPAID"} for n in numbers]
    expect(httpserver, "GET", "/orders", query_string=OPEN_QUERY).respond_with_json(open_orders)


def test_sync_dry_run_previews_and_sends_nothing(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    expect_open_orders(httpserver, "1", "2", "3")
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
    expect_open_orders(httpserver, "1", "2")
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
    expect_open_orders(httpserver, "1", "2", "3")
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
    expect_open_orders(httpserver, "1", "2")
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


# -- end to end against the fake ------------------------------------------------------------


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


def test_changes_with_an_unwritable_cursor_file_exits_2(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    target = tmp_path / "missing-dir" / "cursor.json"
    result = run("--base-url", fake.url, "orders", "changes", "--cursor-file", target)
    one_error_line(result, 2, f"cannot write the cursor to {target}")


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
