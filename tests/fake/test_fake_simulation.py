"""The simulation controls: payments, the clock with reminders and cancellation, held locks,
bank details and refunds, collection, callbacks with retries on the fake clock."""

from __future__ import annotations

import datetime
from decimal import Decimal

import httpx
import pytest

from komfortkasse.testing import FakeKomfortkasse
from tests.fake.support import TODAY, CallbackReceiver, create, order_body
from tests.samples import wire
from tests.transports import closed_url

DAY = datetime.timedelta(days=1)

# -- payments ------------------------------------------------------------------------------


def test_full_payment(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    order = create(http, "1001", billing={"firstName": "Max", "lastName": "M", "countryCode": "DE"})
    posting = fake.receive_payment("1001", Decimal("22.38"))
    assert posting.amount == Decimal("22.38")
    assert posting.reference == order["referenceNumber"]
    assert posting.originator == "Max M"
    assert posting.posting_date == posting.valuation_date == TODAY
    read = http.get("/order/1001", params={"includePostings": "true"}).json()
    assert read["paymentStatus"] == "PAID"
    assert read["amountPaid"] == 22.38
    [wire_posting] = read["postings"]
    assert wire_posting["id"] == posting.id
    assert wire_posting["postingDate"] == wire(TODAY)
    assert wire_posting["currency"] == "EUR"


def test_partial_then_full_payment(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    fake.receive_payment("1001", 10.0)
    assert fake.order("1001").payment_status == "PAID_PARTIAL"
    assert http.get("/order/1001").json()["amountPaid"] == 10.0
    fake.receive_payment("1001", "12.38")
    assert fake.order("1001").payment_status == "PAID"
    assert fake.order("1001").amount_paid == Decimal("22.38")


def test_overpayment_is_paid(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    fake.receive_payment("1001", 50)
    assert http.get("/order/1001").json()["amountPaid"] == 50


def test_amount_change_moves_the_status(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001", amount=20)
    fake.receive_payment("1001", 20)
    assert create(http, "1001", amount=25)["paymentStatus"] == "PAID_PARTIAL"
    assert create(http, "1001", amount=20)["paymentStatus"] == "PAID"


def test_payment_on_a_cancelled_order_is_refused(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    # The spec describes no way out of CANCELLED by a payment: the fake invents none.
    create(http, "1001")
    http.post("/order/1001/cancel")
    with pytest.raises(ValueError, match="is CANCELLED"):
        fake.receive_payment("1001", "22.38")
    assert fake.order("1001").payment_status == "CANCELLED"
    assert fake.order("1001").postings == []


def test_receive_payment_rejects_nonsense(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    with pytest.raises(KeyError):
        fake.receive_payment("nope", 1)
    with pytest.raises(ValueError, match="positive"):
        fake.receive_payment("1001", 0)
    with pytest.raises(ValueError, match="not a number"):
        fake.receive_payment("1001", "ten")
    with pytest.raises(ValueError, match="IBAN"):
        fake.receive_payment("1001", 1, payer_iban="DE00123")


# -- clock, reminders, cancellation ---------------------------------------------------------


def test_clock(fake: FakeKomfortkasse) -> None:
    assert fake.today == TODAY
    assert fake.clock == datetime.datetime.combine(TODAY, datetime.time())
    fake.advance(datetime.timedelta(hours=30))
    assert fake.today == TODAY + DAY
    assert fake.clock.hour == 6
    with pytest.raises(ValueError, match="forward"):
        fake.advance(datetime.timedelta(seconds=-1))


def test_reminders_then_cancellation_for_invoice(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    offsets = FakeKomfortkasse.REMINDER_OFFSETS_DAYS
    create(http, "1001")
    fake.advance_days(offsets[0] - 1)
    assert fake.order("1001").dunning_level == 0
    fake.advance_days(1)
    read = http.get("/order/1001", params={"includePaymentReminders": "true"}).json()
    assert read["dunningLevel"] == 1
    assert read["paymentReminders"] == [
        {
            "date": wire(TODAY + offsets[0] * DAY),
            "dunningLevel": 1,
            "reminderFee": float(FakeKomfortkasse.REMINDER_FEES[0]),
            "email": True,
            "letter": False,
        }
    ]
    fake.advance_days(offsets[-1] - offsets[0])
    assert fake.order("1001").dunning_level == len(offsets)
    assert [r.date for r in fake.order("1001").reminders] == [TODAY + d * DAY for d in offsets]
    fake.advance_days(FakeKomfortkasse.CANCEL_AFTER_LAST_REMINDER_DAYS - 1)
    assert fake.order("1001").payment_status == "UNPAID"
    fake.advance_days(1)
    assert fake.order("1001").payment_status == "CANCELLED"


def test_reminders_count_from_the_due_date(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001", dueDate=wire(TODAY + 10 * DAY))
    fake.advance_days(10 + FakeKomfortkasse.REMINDER_OFFSETS_DAYS[0] - 1)
    assert fake.order("1001").dunning_level == 0
    fake.advance_days(1)
    assert fake.order("1001").dunning_level == 1


def test_initial_dunning_level_continues(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001", initialDunningLevel=2)
    fake.advance_days(FakeKomfortkasse.REMINDER_OFFSETS_DAYS[2])
    assert [r.dunning_level for r in fake.order("1001").reminders] == [3]


def test_no_reminders_when_paid_stopped_or_other(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "paid")
    create(http, "stopped", stopReminder=True)
    create(http, "other", type="OTHER")
    create(http, "partial")
    fake.receive_payment("paid", "22.38")
    fake.receive_payment("partial", "1")
    fake.advance_days(60)
    assert {o.number: (o.dunning_level, o.payment_status) for o in fake.orders()} == {
        "paid": (0, "PAID"),
        "stopped": (0, "UNPAID"),
        "other": (0, "UNPAID"),
        # Partly paid orders are reminded but not cancelled.
        "partial": (3, "PAID_PARTIAL"),
    }


def test_prepayment_cancels_after_the_configured_period() -> None:
    with FakeKomfortkasse(today=TODAY, prepayment_cancel_days=10) as fake:
        headers = {"X-Komfortkasse-API-Key": fake.api_key}
        body = order_body(type="PREPAYMENT")
        assert httpx.post(f"{fake.url}/order/P1", json=body, headers=headers).status_code == 200
        fake.advance_days(9)
        assert fake.order("P1").payment_status == "UNPAID"
        fake.advance_days(1)
        assert fake.order("P1").payment_status == "CANCELLED"
        assert fake.order("P1").dunning_level == 1


def test_prepayment_default_period(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "P1", type="PREPAYMENT")
    fake.advance_days(FakeKomfortkasse.PREPAYMENT_CANCEL_DAYS - 1)
    assert fake.order("P1").payment_status == "UNPAID"
    fake.advance_days(1)
    assert fake.order("P1").payment_status == "CANCELLED"


# -- held locks ----------------------------------------------------------------------------


def test_hold_lock_refuses_writes_without_changing_anything(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1001")
    create(http, "other")
    fake.hold_lock("1001", times=7)
    locked = {"error": "Could not acquire lock"}
    refund = {"externalReference": "R", "amount": 1, "currency": "EUR", "plannedDate": "01-01-2030"}
    batch = [order_body(number="other", amount=5), order_body(number="1001")]
    writes = [
        http.post("/order/1001", json=order_body(amount=99)),
        http.post("/orders", json=batch),
        http.post("/order/1001/setpaid"),
        http.post("/order/1001/cancel"),
        http.post("/order/remove/1001"),
        http.post("/order/1001/refund", json=refund),
        http.post("/order/1001/invoice/1", files={"file": ("a.pdf", b"%PDF", "a/pdf")}),
    ]
    for response in writes:
        assert response.status_code == 400
        assert response.json() == locked
    # Reads are never locked; nothing changed.
    order = http.get("/order/1001", params={"includeRefunds": "true"}).json()
    assert (order["amount"], order["paymentStatus"], order["refunds"]) == (22.38, "UNPAID", [])
    assert fake.order("other").amount == Decimal("22.38")
    assert fake.order("1001").invoices == []
    # The lock is used up: the next write goes through.
    assert http.post("/order/1001/setpaid").status_code == 200


def test_hold_lock_for_set_unpaid_and_other_orders_unaffected(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1")
    create(http, "2")
    http.post("/order/1/setpaid")
    fake.hold_lock("1")
    assert http.post("/order/2/setpaid").status_code == 200
    assert http.post("/order/1/setunpaid").json() == {"error": "Could not acquire lock"}
    assert http.post("/order/1/setunpaid").status_code == 200


# -- bank details, refunds, collection -----------------------------------------------------


def _refund(external: str, days: int) -> dict[str, object]:
    planned = wire(TODAY + days * DAY)
    return {"externalReference": external, "amount": 5, "currency": "EUR", "plannedDate": planned}


def test_refund_waits_for_bank_details(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    fake.receive_payment("1001", "22.38")  # no payer IBAN known
    refund = http.post("/order/1001/refund", json=_refund("RMA-1", 2)).json()
    assert refund["status"] == "BANKDETAILS_MISSING"
    assert refund["executionDate"] is None
    assert refund["referenceNumber"].startswith("KKBT")
    assert refund["id"]
    read = http.get("/order/1001", params={"includePostings": "true"}).json()
    assert read["hasBankDetailsForRefund"] is False
    fake.advance_days(3)
    assert fake.order("1001").refunds[0].status == "BANKDETAILS_MISSING"
    fake.give_bank_details("1001", iban="DE02 1203 0000 0000 2020 51")
    read = http.get("/order/1001", params={"includePostings": "true", "includeRefunds": "true"})
    assert read.json()["hasBankDetailsForRefund"] is True
    assert read.json()["refunds"][0]["status"] == "NEW"
    fake.advance_days(1)
    [processed] = http.get("/order/1001", params={"includeRefunds": "true"}).json()["refunds"]
    assert processed["status"] == "PROCESSED"
    assert processed["executionDate"] == wire(TODAY + 4 * DAY)


def test_refund_executes_on_planned_date_and_sets_status(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1001", amount=20)
    fake.receive_payment("1001", 20, payer_iban="DE02120300000000202051")
    refund = http.post("/order/1001/refund", json=_refund("RMA-1", 2)).json()
    assert refund["status"] == "NEW"
    fake.advance_days(1)
    assert http.get("/order/1001").json()["paymentStatus"] == "PAID"
    fake.advance_days(1)
    order = http.get("/order/1001").json()
    assert (order["paymentStatus"], order["amountPaid"]) == ("REFUNDED_PARTIAL", 15)
    second = {**_refund("RMA-2", 3), "amount": 15}
    http.post("/order/1001/refund", json=second)
    fake.advance_days(1)
    assert http.get("/order/1001").json()["paymentStatus"] == "REFUNDED"


def test_collection(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    fake.start_collection("1001", partner="Inkasso AG", file="AZ-1")
    plain = http.get("/order/1001").json()
    assert plain["paymentStatus"] == "COLLECTION"
    assert (plain["collectionPartner"], plain["collectionFile"]) == ("Inkasso AG", "AZ-1")
    assert plain["collectionStatus"]
    assert "collectionHistory" not in plain
    history = http.get("/order/1001", params={"includeCollectionHistory": "true"}).json()
    [event] = history["collectionHistory"]
    assert "Inkasso AG" in event["description"]
    assert event["timestamp"].startswith(wire(TODAY))
    fake.receive_payment("1001", 1)
    assert fake.order("1001").payment_status == "COLLECTION"
    fake.receive_payment("1001", "21.38")
    assert fake.order("1001").payment_status == "PAID"


# -- callbacks -----------------------------------------------------------------------------


def test_callback_on_every_status_change(
    fake: FakeKomfortkasse, http: httpx.Client, receiver: CallbackReceiver
) -> None:
    fake.set_callback(receiver.url, "s3cret")
    create(http, "1001")
    assert receiver.received == []  # creating is not a status change
    fake.receive_payment("1001", 10)
    http.post("/order/1001/setpaid")
    http.post("/order/1001/setunpaid")
    http.post("/order/1001/cancel")
    statuses = [body["paymentStatus"] for _, body in receiver.received]
    assert statuses == ["PAID_PARTIAL", "PAID", "PAID_PARTIAL", "CANCELLED"]
    headers, body = receiver.received[0]
    assert headers["x-komfortkasse-access-code"] == "s3cret"
    assert headers["content-type"] == "application/json"
    assert body["number"] == "1001"
    assert body["amountPaid"] == 10
    assert [a.outcome for a in fake.callback_log] == ["delivered"] * 4
    assert fake.pending_callbacks == []


def test_callback_retried_on_the_fake_clock(
    fake: FakeKomfortkasse, http: httpx.Client, receiver: CallbackReceiver
) -> None:
    receiver.statuses = [500, 503]
    fake.set_callback(receiver.url, "code")
    create(http, "1001")
    fake.receive_payment("1001", "22.38")
    assert [(a.outcome, a.status_code) for a in fake.callback_log] == [("failed", 500)]
    fake.advance(datetime.timedelta(minutes=14))
    assert len(fake.callback_log) == 1
    fake.advance(datetime.timedelta(minutes=1))
    assert [(a.outcome, a.status_code) for a in fake.callback_log][1] == ("failed", 503)
    fake.advance(FakeKomfortkasse.CALLBACK_RETRY_INTERVAL)
    assert fake.callback_log[-1].outcome == "delivered"
    assert [a.at - fake.callback_log[0].at for a in fake.callback_log] == [
        datetime.timedelta(0),
        datetime.timedelta(minutes=15),
        datetime.timedelta(minutes=30),
    ]
    assert len(receiver.received) == 3
    assert fake.pending_callbacks == []


def test_callback_to_a_dead_endpoint_gives_up_after_seven_days(
    fake: FakeKomfortkasse, http: httpx.Client, receiver: CallbackReceiver
) -> None:
    # A port that was just free: connections are refused at once.
    fake.set_callback(closed_url("/hook"), "code")
    create(http, "1001")
    http.post("/order/1001/setpaid")
    assert fake.callback_log[0].status_code is None
    assert fake.callback_log[0].error
    fake.advance_days(8)
    attempts = fake.callback_log
    assert attempts[-1].gave_up
    assert not any(a.gave_up for a in attempts[:-1])
    assert attempts[-1].at - attempts[0].at <= FakeKomfortkasse.CALLBACK_RETRY_PERIOD
    assert len(attempts) == 7 * 24 * 4 + 1
    assert fake.pending_callbacks == []


def test_deliver_pending_callbacks_now(
    fake: FakeKomfortkasse, http: httpx.Client, receiver: CallbackReceiver
) -> None:
    receiver.statuses = [502]
    fake.set_callback(receiver.url, "code")
    create(http, "1001")
    http.post("/order/1001/cancel")
    assert len(fake.pending_callbacks) == 1
    fake.deliver_pending_callbacks()
    assert [a.outcome for a in fake.callback_log] == ["failed", "delivered"]
    assert fake.clock == datetime.datetime.combine(TODAY, datetime.time())


def test_callbacks_from_clock_rules(
    fake: FakeKomfortkasse, http: httpx.Client, receiver: CallbackReceiver
) -> None:
    fake.set_callback(receiver.url, "code")
    create(http, "1001")
    fake.advance_days(60)
    assert [body["paymentStatus"] for _, body in receiver.received] == ["CANCELLED"]
