"""``postings list`` and ``postings reconcile``: the filters sent, the tables and JSON shown,
a bad date refused locally."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from tests.cli.support import (
    expect,
)
from tests.conftest import Run
from tests.samples import order_body

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
