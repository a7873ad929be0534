"""Command-line output and options: global options anywhere, JSON errors, local status
checks, tables that fit 80 columns, the order detail view, files written whole."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    Address,
    OrderType,
    OrderWriteWithNumber,
    money,
)
from komfortkasse.cli._errors import UsageError
from komfortkasse.cli._input import write_text
from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    ORDER_READ,
    expect,
)
from tests.conftest import Run

DETAIL: dict[str, Any] = {
    **ORDER_READ,
    "customerEmail": "max@example.org",
    "dueDate": "09-05-2018",
    "billing": {
        "firstName": "Max",
        "lastName": "Mustermann",
        "street": "Bahnhofstr. 14",
        "postCode": "63073",
        "city": "Offenbach am Main",
        "countryCode": "DE",
    },
    "shipping": {"company": "Mustermann GmbH", "city": "Berlin", "countryCode": "DE"},
    "bankAccount": {
        "iban": "DE02120300000000202051",
        "bic": "BYLADEM1001",
        "bankName": "Deutsche Kreditbank",
        "remittee": "Beispiel-Shop GmbH",
    },
}


@pytest.mark.parametrize(
    "argv",
    [
        ["--json", "orders", "get", "1001"],
        ["orders", "--json", "get", "1001"],
        ["orders", "get", "1001", "--json"],
        ["orders", "get", "--json", "1001"],
    ],
    ids=["before", "after-group", "after-command", "between"],
)
def test_global_options_anywhere(
    run: Run, api: str, httpserver: HTTPServer, argv: list[str]
) -> None:
    expect(httpserver, "GET", "/order/1001").respond_with_json(ORDER_READ)
    result = run(*argv[:-1], argv[-1], "--base-url", api)
    assert result.code == 0, result.err
    assert result.json()["referenceNumber"] == "K1234A"


def test_an_option_given_twice_keeps_the_later(run: Run, api: str, httpserver: HTTPServer) -> None:
    expect(httpserver, "GET", "/order/1001").respond_with_json(ORDER_READ)
    result = run(
        "--base-url", "http://127.0.0.1:1/api/v2", "orders", "get", "1001", "--base-url", api
    )
    assert result.code == 0, result.err


def test_json_usage_errors_are_json(run: Run) -> None:
    result = run("orders", "get", "--json")  # NUMBER missing: argparse refuses
    assert result.code == 2
    error = result.json()["error"]
    assert error["exitCode"] == 2
    assert error["type"] == "UsageError"
    assert "NUMBER" in error["message"]
    assert result.err == ""
    plain = run("orders", "get")
    assert plain.err.startswith("error: ")
    assert plain.out == ""


def test_json_validation_errors_name_field_and_rule(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    path = tmp_path / "o.csv"
    path.write_text(
        "number,date,type,amount,currency,billing_last_name,billing_country_code\n"
        "1,01-05-2024,INVOICE,1.00,EUR,M,DE\n2,01-05-2024,INVOICE,1.00,EURO,M,DE\n"
        "3,01-05-2024,INVOICE,1.00,EUR,,DE\n",
        encoding="utf-8",
    )
    result = run("--json", "--base-url", fake.url, "orders", "submit", path)
    assert result.code == 2
    error = result.json()["error"]
    assert "line 3 (2): currency" in error["message"]
    assert error["details"][0].startswith("also: ")
    assert "line 4 (3): billing" in error["details"][0]


def test_unknown_status_is_refused_locally(run: Run, api: str, httpserver: HTTPServer) -> None:
    result = run("--base-url", api, "orders", "list", "--status", "PAID,PAYED")
    assert result.code == 2
    assert "unknown payment status PAYED" in result.err
    assert "PAID_PARTIAL" in result.err  # the choices, from the generated enum
    assert httpserver.log == []
    expect(
        httpserver, "GET", "/orders", query_string={"paymentStatus": "PAID,UNPAID"}
    ).respond_with_json([])
    ok = run("--base-url", api, "orders", "list", "--status", "paid", "--status", "unpaid")
    assert ok.code == 0, ok.err


def test_orders_get_shows_bank_account_and_addresses(
    run: Run, api: str, httpserver: HTTPServer
) -> None:
    expect(httpserver, "GET", "/order/1001").respond_with_json(DETAIL)
    result = run("--base-url", api, "orders", "get", "1001")
    assert result.code == 0, result.err
    text = " ".join(result.out.split())
    for fragment in (
        "status PAID_PARTIAL (paid 10.50 EUR)",
        "amount 22.38 EUR",
        "date 25-04-2018, due 09-05-2018",
        "reference K1234A",
        "customer max@example.org",
        "pay to Beispiel-Shop GmbH, IBAN DE02120300000000202051, BIC BYLADEM1001, "
        "Deutsche Kreditbank",
        "billing Max Mustermann, Bahnhofstr. 14, 63073 Offenbach am Main, DE",
        "shipping Mustermann GmbH, Berlin, DE",
    ):
        assert fragment in text, (fragment, result.out)


def test_tables_fit_80_columns_without_breaking_numbers_or_dates(
    run: Run, fake: FakeKomfortkasse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    numbers = ["DEMO-20261122-001", "SHOP-2026-000123", "1001"]
    with fake.client() as client:
        for number in numbers:
            client.orders.submit_many(
                [
                    OrderWriteWithNumber(
                        number=number,
                        date=fake.today,
                        type_=OrderType.PREPAYMENT,
                        amount=money("1250.00"),
                        currency="EUR",
                        billing=Address(country_code="DE", last_name="Mustermann"),
                    )
                ]
            )
    fake.receive_payment("1001", "100.00")
    result = run("--base-url", fake.url, "orders", "list")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    day = fake.today.strftime("%d-%m-%Y")
    for number in numbers:
        [row] = [line for line in lines if re.search(rf"(^| ){re.escape(number)} ", line)]
        assert day in row
        assert "1250.00 EUR" in row
    assert sum(line.count(day) for line in lines) == 3


def test_write_text_failure_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "cursor"
    target.mkdir()  # a directory cannot be replaced by a file
    with pytest.raises(UsageError, match=r"cannot write the cursor to .*cursor"):
        write_text(target, "{}", "the cursor")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cursor"]
    assert target.is_dir()
