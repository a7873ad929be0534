"""The fake follows the spec where the spec decides: its statuses, types, read-only
fields and operations come from the generated package, not from lists of its own."""

from __future__ import annotations

import httpx

from komfortkasse.testing import FakeKomfortkasse, _records, _simulation
from komfortkasse_generated.api import OPERATIONS
from komfortkasse_generated.models import OrderRead, OrderType, PaymentStatus, RefundStatus

ORDER = {
    "date": "01-12-2026",
    "type": "INVOICE",
    "amount": 10.0,
    "currency": "EUR",
    "billing": {"lastName": "M", "countryCode": "DE"},
}


def test_statuses_types_and_read_only_fields_are_the_specs() -> None:
    assert {_records.UNPAID, _records.PAID, _records.PAID_PARTIAL, _records.COLLECTION} <= {
        status.value for status in PaymentStatus
    }
    assert {_records.REFUND_NEW, _records.REFUND_PROCESSED} <= {s.value for s in RefundStatus}
    assert {t.value for t in OrderType} - {OrderType.OTHER.value} == _simulation.MANAGED_TYPES
    assert OrderRead.__read_only__ == _records.READ_ONLY_FIELDS


def test_a_caller_cannot_set_read_only_fields() -> None:
    with (
        FakeKomfortkasse() as fake,
        httpx.Client(base_url=fake.url, headers={"X-Komfortkasse-API-Key": fake.api_key}) as http,
    ):
        server_fields = {
            "amountPaid": 10.0,
            "postings": [{"amount": 10.0}],
            "paymentStatus": "PAID",
        }
        sent = {**ORDER, **server_fields}
        answer = http.post("/order/1", json=sent).json()
        assert answer["paymentStatus"] == "UNPAID"
        assert "postings" not in answer
        assert answer.get("amountPaid", 0) == 0
        read = http.get("/order/1", params={"includePostings": "true"}).json()
        assert read["postings"] == []
        assert read["paymentStatus"] == "UNPAID"


def test_an_operation_the_fake_does_not_simulate_answers_501_naming_it() -> None:
    with FakeKomfortkasse() as fake:
        fake._server.api._handlers.pop("getImage")  # as if the spec had an operation more
        with httpx.Client(
            base_url=fake.url, headers={"X-Komfortkasse-API-Key": fake.api_key}
        ) as http:
            answer = http.get("/image/1")
    assert answer.status_code == 501
    assert answer.json() == {"error": "The fake does not simulate getImage"}


def test_the_fake_simulates_every_operation_of_the_spec() -> None:
    with FakeKomfortkasse() as fake:
        simulated = set(fake._server.api._handlers)
    assert simulated == set(OPERATIONS)
