"""The fake never reaches a state the API cannot be in; where the spec is silent it refuses.

Each refusal below is one of the assumptions written down in komfortkasse.testing's
docstring and the README's testing section; the random walk at the end checks the
invariants after every step of many mixed sequences.
"""

from __future__ import annotations

import contextlib
import datetime
import random
from decimal import Decimal
from typing import Any

import httpx
import pytest

from komfortkasse.testing import FakeKomfortkasse, OrderRecord
from tests.fake.support import TODAY, create, order_body
from tests.samples import wire

DAY = datetime.timedelta(days=1)
IBAN = "DE02120300000000202051"


def refund(reference: str = "RMA-1", amount: Any = 5, **changes: Any) -> dict[str, Any]:
    body = {
        "externalReference": reference,
        "amount": amount,
        "currency": "EUR",
        "plannedDate": wire(TODAY + DAY),
    }
    body.update(changes)
    return body


def error_of(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    message: str = response.json()["error"]
    return message


def test_no_refund_on_an_order_that_was_never_paid(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1", amount=10)
    fake.give_bank_details("1", IBAN)
    answer = http.post("/order/1/refund", json=refund(amount=50))
    assert "refunds would exceed the amount paid" in error_of(answer)
    assert "at most 0.00" in error_of(answer)
    fake.advance_days(5)
    order = http.get("/order/1").json()
    assert (order["paymentStatus"], "amountPaid" in order) == ("UNPAID", False)
    assert fake.order("1").refunds == []


def test_refunds_together_never_exceed_the_postings(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1", amount=20)
    fake.receive_payment("1", "12.00", payer_iban=IBAN)
    assert http.post("/order/1/refund", json=refund("A", 7)).status_code == 200
    # The pending 7.00 counts: only 5.00 are left to refund.
    assert "at most 5.00" in error_of(http.post("/order/1/refund", json=refund("B", 5.01)))
    assert http.post("/order/1/refund", json=refund("B", 5)).status_code == 200
    fake.advance_days(2)
    order = http.get("/order/1").json()
    assert (order["paymentStatus"], order["amountPaid"]) == ("REFUNDED", 0)


def test_refund_currency_must_be_the_orders(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1")
    fake.receive_payment("1", "22.38")
    answer = http.post("/order/1/refund", json=refund(currency="CHF"))
    assert error_of(answer) == "Invalid parameter currency: must be the order's currency EUR"


@pytest.mark.parametrize("make_untracked", ["remove", "sync"])
def test_untracked_orders_get_no_refund_processing(
    fake: FakeKomfortkasse, http: httpx.Client, make_untracked: str
) -> None:
    create(http, "1")
    fake.receive_payment("1", "10.00", payer_iban=IBAN)  # PAID_PARTIAL: still open
    assert http.post("/order/1/refund", json=refund("A", 2)).status_code == 200
    if make_untracked == "remove":
        http.post("/order/remove/1")
        status = "DISAPPEARED"
    else:
        assert http.post("/ordersync", json=["other"]).json() == 1
        status = "LEGACY"
    answer = http.post("/order/1/refund", json=refund("B", 1))
    assert error_of(answer) == f"Could not update order (paymentStatus {status})"
    fake.advance_days(3)
    assert fake.order("1").refunds[0].status == "NEW"  # never executed
    assert fake.order("1").payment_status == status


def refunded(amount: float) -> Any:
    def prepare(http: httpx.Client, fake: FakeKomfortkasse) -> None:
        fake.receive_payment("1", "22.38", payer_iban=IBAN)
        http.post("/order/1/refund", json=refund(amount=amount))
        fake.advance_days(2)

    return prepare


@pytest.mark.parametrize(
    ("prepare", "status"),
    [
        (lambda c, f: c.post("/order/1/cancel"), "CANCELLED"),
        (lambda c, f: c.post("/order/remove/1"), "DISAPPEARED"),
        (lambda c, f: c.post("/ordersync", json=["x"]), "LEGACY"),
        (refunded(22.38), "REFUNDED"),
        (refunded(1), "REFUNDED_PARTIAL"),
    ],
)
def test_no_payment_is_assigned_to_closed_orders(
    fake: FakeKomfortkasse, http: httpx.Client, prepare: Any, status: str
) -> None:
    create(http, "1")
    prepare(http, fake)
    assert fake.order("1").payment_status == status
    postings = len(fake.order("1").postings)
    with pytest.raises(ValueError, match=f"is {status}"):
        fake.receive_payment("1", "1.00")
    assert len(fake.order("1").postings) == postings


def test_overpayment_and_collection_still_take_payments(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1")
    fake.receive_payment("1", "22.38")
    fake.receive_payment("1", "1.00")  # paid twice: PAID, amountPaid above amount
    assert http.get("/order/1").json()["amountPaid"] == pytest.approx(23.38)
    with pytest.raises(ValueError, match="only UNPAID or PAID_PARTIAL"):
        fake.start_collection("1")
    create(http, "2")
    fake.start_collection("2")
    fake.receive_payment("2", "22.38")
    assert fake.order("2").payment_status == "PAID"


def test_set_unpaid_restores_what_the_postings_say(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1")
    http.post("/order/1/setpaid")
    fake.receive_payment("1", "5.00")  # a partial payment while manually PAID
    restored = http.post("/order/1/setunpaid").json()
    assert (restored["paymentStatus"], restored["amountPaid"]) == ("PAID_PARTIAL", 5)


def test_order_amount_and_currency_rules(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    negative = http.post("/order/1", json=order_body(amount=-1))
    assert error_of(negative) == "Invalid parameter amount: must not be negative"
    create(http, "1")
    assert http.post("/order/1", json=order_body(currency="CHF")).status_code == 200
    fake.receive_payment("1", "1.00")
    answer = http.post("/order/1", json=order_body(currency="EUR"))
    assert error_of(answer) == (
        "Could not update order (currency cannot change after payments or refunds)"
    )


# -- invariants over random walks ------------------------------------------------------


def problems(order: OrderRecord) -> list[str]:
    """What no real order can show."""
    found = []
    if order.amount_paid < 0:
        found.append(f"amountPaid {order.amount_paid} < 0")
    if order.committed_refunds > order.paid_sum:
        found.append(f"refunds {order.committed_refunds} > paid {order.paid_sum}")
    paid, status = order.paid_sum, order.payment_status
    if status == "UNPAID" and paid != 0:
        found.append(f"UNPAID with {paid} paid")
    if status == "PAID_PARTIAL" and not 0 < paid < order.amount:
        found.append(f"PAID_PARTIAL with {paid} of {order.amount}")
    if status == "PAID" and order.manual_previous_status is None and paid < order.amount:
        found.append(f"PAID by postings with only {paid} of {order.amount}")
    if any(p.currency != order.currency for p in order.postings):
        found.append("a posting in another currency")
    return found


@pytest.mark.parametrize("seed", range(6))
def test_random_walks_keep_every_order_possible(seed: int) -> None:
    rng = random.Random(seed)
    numbers = ["1", "2", "3"]
    with (
        FakeKomfortkasse(today=TODAY) as fake,
        httpx.Client(base_url=fake.url, headers={"X-Komfortkasse-API-Key": fake.api_key}) as http,
    ):
        for number in numbers:
            create(http, number, amount=rng.choice([10, 20, 22.38]))
        for step in range(120):
            number = rng.choice(numbers)
            action = rng.randrange(11)
            amount = Decimal(rng.randrange(1, 2500)) / 100
            if action == 0:
                http.post(f"/order/{number}", json=order_body(amount=float(amount) * 2))
            elif action in (1, 2):
                with contextlib.suppress(ValueError):  # a closed order takes no payment
                    fake.receive_payment(number, amount, payer_iban=rng.choice([None, IBAN]))
            elif action == 3:
                http.post(f"/order/{number}/setpaid")
            elif action == 4:
                http.post(f"/order/{number}/setunpaid")
            elif action == 5:
                http.post(f"/order/{number}/{rng.choice(['cancel', 'refund'])}",
                          json=refund(f"R{seed}-{step}", float(amount)))  # fmt: skip
            elif action == 6:
                http.post(f"/order/{number}/refund", json=refund(f"R{seed}-{step}", float(amount)))
            elif action == 7:
                fake.advance_days(rng.randrange(1, 12))
            elif action == 8:
                fake.give_bank_details(number, IBAN)
            elif action == 9:
                with contextlib.suppress(ValueError):  # only open orders go to collection
                    fake.start_collection(number)
            elif rng.random() < 0.2:
                http.post("/ordersync", json=rng.sample(numbers, 2))
            for order in fake.orders():
                assert problems(order) == [], (seed, step, order.number, order.payment_status)
            read = http.get(f"/order/{number}").json()
            assert read.get("amountPaid", 0) >= 0
