"""What the command line's tests share: the scripted server's expectations, input files,
and the answers the API gives them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from komfortkasse import Komfortkasse
from komfortkasse.testing import FakeKomfortkasse
from tests.conftest import Result
from tests.samples import BASE_PATH, KEY, RECENT, numbered, order_json, todays_order, wire

#: An order as the API answers it, partly paid.
ORDER_READ: dict[str, Any] = order_json(
    "1001", paymentStatus="PAID_PARTIAL", referenceNumber="K1234A", amountPaid=10.5, dunningLevel=0
)
#: One row of an orders CSV file, every column filled.
CSV_ROW = {
    "number": "2001",
    "date": wire(RECENT),
    "type": "PREPAYMENT",
    "amount": "19.90",
    "currency": "EUR",
    "customer_email": "erika@example.org",
    "billing_last_name": "Musterfrau",
    "billing_first_name": "Erika",
    "billing_company": "",
    "billing_street": "Hauptstr. 1",
    "billing_post_code": "10115",
    "billing_city": "Berlin",
    "billing_country_code": "DE",
}


def expect(httpserver: HTTPServer, method: str, path: str, **kwargs: Any) -> Any:
    """An expected request that must carry the key from the environment."""
    return httpserver.expect_request(
        BASE_PATH + path, method=method, headers={"X-Komfortkasse-API-Key": KEY}, **kwargs
    )


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def one_error_line(result: Result, code: int, *fragments: str) -> None:
    """The run failed with ``code`` and one line on stderr holding every fragment."""
    assert result.code == code, result.err
    assert result.err.startswith("error: ")
    assert len(result.err.splitlines()) == 1, result.err
    for fragment in fragments:
        assert fragment in result.err


def submit(fake: FakeKomfortkasse, *numbers: str) -> None:
    """Orders on the fake, submitted by a client (not by the command under test)."""
    with Komfortkasse(fake.api_key, base_url=fake.url) as client:
        client.orders.submit_many([numbered(n, todays_order()) for n in numbers])
