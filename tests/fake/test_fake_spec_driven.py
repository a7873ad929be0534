"""The fake follows the spec where the spec decides, and the client where the client
decides: its statuses, types, read-only fields, operations and default order window come
from the generated package and the spec; its calendar rule, its key header and its open
statuses are the client's."""

from __future__ import annotations

import datetime

import httpx
import pytest

from komfortkasse import check_order
from komfortkasse._secret import API_KEY_HEADER, PLACEHOLDER_KEY
from komfortkasse._validation import MAX_DUE_MONTHS
from komfortkasse._workflows import POLL_MAX_AGE
from komfortkasse.testing import FakeKomfortkasse, _api, _records, _simulation
from komfortkasse.testing._spec import vendored_spec
from komfortkasse_generated.api import OPERATIONS
from komfortkasse_generated.models import OrderRead, OrderType, PaymentStatus, RefundStatus
from tests.fake.support import TODAY, create, order_body
from tests.samples import an_order, wire


def test_statuses_types_and_read_only_fields_are_the_specs() -> None:
    assert {_records.UNPAID, _records.PAID, _records.PAID_PARTIAL, _records.COLLECTION} <= {
        status.value for status in PaymentStatus
    }
    assert {_records.REFUND_NEW, _records.REFUND_PROCESSED} <= {s.value for s in RefundStatus}
    assert {t.value for t in OrderType} - {OrderType.OTHER.value} == _simulation.MANAGED_TYPES
    assert OrderRead.__read_only__ == _records.READ_ONLY_FIELDS


def test_a_caller_cannot_set_read_only_fields(http: httpx.Client) -> None:
    server_fields = {
        "amountPaid": 10.0,
        "postings": [{"amount": 10.0}],
        "paymentStatus": "PAID",
    }
    answer = http.post("/order/1", json=order_body(**server_fields)).json()
    assert answer["paymentStatus"] == "UNPAID"
    assert "postings" not in answer
    assert answer.get("amountPaid", 0) == 0
    read = http.get("/order/1", params={"includePostings": "true"}).json()
    assert read["postings"] == []
    assert read["paymentStatus"] == "UNPAID"


def test_an_operation_the_fake_does_not_simulate_answers_501_naming_it(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    fake._running().api._handlers.pop("getImage")  # as if the spec had an operation more
    answer = http.get("/image/1")
    assert answer.status_code == 501
    assert answer.json() == {"error": "The fake does not simulate getImage"}


def test_the_fake_simulates_every_operation_of_the_spec(fake: FakeKomfortkasse) -> None:
    from komfortkasse._operations import _KNOWN

    # Every operation the client was written against is simulated; a later one answers 501.
    assert _KNOWN <= set(fake._running().api._handlers) <= set(OPERATIONS)


def test_the_default_order_window_is_the_specs_and_the_clients(http: httpx.Client) -> None:
    """``GET /orders`` without ``maxAge`` looks back as far as the spec's default, which is
    the window the client's payment polling asks for."""
    default = vendored_spec().operation("readOrders").query["maxAge"].default
    assert int(default) == POLL_MAX_AGE
    create(http, "edge", date=wire(TODAY - datetime.timedelta(days=POLL_MAX_AGE)))
    create(http, "older", date=wire(TODAY - datetime.timedelta(days=POLL_MAX_AGE + 1)))
    assert [order["number"] for order in http.get("/orders").json()] == ["edge"]


@pytest.mark.parametrize(
    ("due", "accepted"),
    [(datetime.date(2025, 2, 28), True), (datetime.date(2025, 3, 1), False)],
    ids=["last-day-of-february", "a-day-later"],
)
def test_the_due_date_limit_is_the_clients_calendar_rule(
    due: datetime.date, accepted: bool
) -> None:
    """Six months from 31 August is 28 February: the fake and the client's own check
    (``check_order``) draw the line on the same day."""
    today = datetime.date(2024, 8, 31)
    assert MAX_DUE_MONTHS == 6
    with FakeKomfortkasse(today=today) as fake:
        sent = httpx.post(
            f"{fake.url}/order/1",
            json=order_body(date=wire(today), dueDate=wire(due)),
            headers={API_KEY_HEADER: fake.api_key},
        )
    assert (sent.status_code == 200) is accepted, sent.text
    order = an_order(date=today, due_date=due)
    if accepted:
        check_order(order, today=today)
    else:
        with pytest.raises(ValueError, match=f"{MAX_DUE_MONTHS} months"):
            check_order(order, today=today)


def test_the_fake_knows_the_clients_key_header_and_placeholder(fake: FakeKomfortkasse) -> None:
    assert API_KEY_HEADER.lower() == _api.API_KEY_HEADER
    answer = httpx.get(f"{fake.url}/orders", headers={API_KEY_HEADER: PLACEHOLDER_KEY})
    assert answer.status_code == 401
    assert "Replace '[your API key]'" in answer.json()["error"]
    with pytest.raises(ValueError, match="real, non-empty"):
        fake.add_shop(PLACEHOLDER_KEY)


def test_the_client_and_the_fake_agree_on_what_is_open(fake: FakeKomfortkasse) -> None:
    """What the client's sync preview counts as open is what the fake's ``ordersync``
    marks LEGACY."""
    with fake.client() as kk:
        for number in ("unpaid", "partly", "paid", "cancelled"):
            kk.orders.submit(number, an_order(date=fake.today))
        fake.receive_payment("partly", "1.00")
        kk.orders.set_paid("paid")
        kk.orders.cancel("cancelled")
        preview = kk.orders.preview_sync([])
        assert sorted(preview.would_be_legacy) == ["partly", "unpaid"]
        assert kk.orders.sync([], allow_empty=True) == 2
    statuses = {order.number: order.payment_status for order in fake.orders()}
    assert statuses == {
        "unpaid": "LEGACY",
        "partly": "LEGACY",
        "paid": "PAID",
        "cancelled": "CANCELLED",
    }
