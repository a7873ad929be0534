"""Payment polling: ``changes_since`` reports each status change once, and the cursor it
keeps between runs."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from komfortkasse import (
    Komfortkasse,
    PaymentCursor,
    PaymentStatus,
    ValidationError,
    money,
)
from komfortkasse.testing import FakeKomfortkasse
from tests.samples import numbered, order_json, todays_order
from tests.spec_check import check_against_spec


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    return {"check_responses": True}


def order(number: str, status: str) -> dict[str, object]:
    return order_json(number, paymentStatus=status)


def test_changes_since_reports_each_change_once(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    answers = iter(
        [
            [order("1", "UNPAID"), order("2", "PAID")],
            [
                order("1", "PAID_PARTIAL"),
                order("2", "PAID"),
                order("3", "UNPAID"),
            ],
            [
                order("1", "PAID_PARTIAL"),
                order("3", "SOMETHING_NEW"),
            ],
        ]
    )
    httpserver.expect_request("/api/v2/orders").respond_with_handler(
        lambda request: Response(json.dumps(next(answers)), content_type="application/json")
    )
    first = client.orders.changes_since(None)
    assert [o.number for o in first.orders] == ["2"]
    stored = first.cursor.to_json()
    assert json.loads(stored)["seen"] == {"1": "UNPAID", "2": "PAID"}

    second = client.orders.changes_since(stored)
    assert [(o.number, o.payment_status) for o in second.orders] == [
        ("1", PaymentStatus.PAID_PARTIAL)
    ]
    third = client.orders.changes_since(second.cursor, max_age=30)
    assert [(o.number, o.payment_status) for o in third.orders] == [("3", "SOMETHING_NEW")]
    assert third.cursor.max_age == 30
    queries = [request.args.to_dict() for request, _ in httpserver.log]
    assert queries == [{"maxAge": "120"}, {"maxAge": "120"}, {"maxAge": "30"}]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "{}",
        '{"version": 2, "seen": {}, "maxAge": 1}',
        "[1]",
        '{"version": 1, "seen": {}, "maxAge": true}',
        '{"version": 1, "seen": {}, "maxAge": 0}',
        '{"version": 1, "seen": {"1": 2}, "maxAge": 5}',
    ],
)
def test_cursor_from_json_refuses_foreign_text(bad: str) -> None:
    with pytest.raises(ValidationError, match="cursor"):
        PaymentCursor.from_json(bad)


def test_cursor_round_trips() -> None:
    cursor = PaymentCursor(seen={"1": "PAID"}, max_age=7)
    assert PaymentCursor.from_json(cursor.to_json()) == cursor


def test_changes_since_against_the_fake(fake: FakeKomfortkasse, fake_client: Komfortkasse) -> None:
    paid_in_full = todays_order(amount=money("10.00"))
    fake_client.orders.submit_many([numbered("A", paid_in_full), numbered("B", paid_in_full)])
    first = fake_client.orders.changes_since(None)
    assert first.orders == []
    fake.receive_payment("A", Decimal("10.00"))
    second = fake_client.orders.changes_since(first.cursor.to_json())
    assert [(o.number, o.payment_status) for o in second.orders] == [("A", PaymentStatus.PAID)]
    assert fake_client.orders.changes_since(second.cursor).orders == []
    check_against_spec(fake)
