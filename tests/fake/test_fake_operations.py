"""Each operation of the spec over HTTP, and every answer checked against the spec."""

from __future__ import annotations

import base64
import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from komfortkasse.testing import FakeKomfortkasse
from komfortkasse.testing._epc import PNG_SIGNATURE
from komfortkasse.testing._iban import is_valid_iban
from komfortkasse.testing._spec import vendored_spec
from tests.fake.support import TODAY, create, order_body
from tests.samples import wire


def test_submit_order_creates_unpaid_order_with_reference_and_bank_account(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    order = create(http, "1001")
    assert order["number"] == "1001"
    assert order["paymentStatus"] == "UNPAID"
    assert order["dunningLevel"] == 0
    assert order["referenceNumber"].startswith("K")
    assert order["referenceNumber"][1:].isdigit()
    bank = order["bankAccount"]
    assert is_valid_iban(bank["iban"])
    assert bank["iban"].startswith("DE")
    assert {"bic", "bankName", "remittee"} <= set(bank)
    # Read-only fields that do not apply are absent, never null.
    for absent in ("amountPaid", "postings", "paymentReminders", "refunds", "collectionPartner"):
        assert absent not in order
    assert order["amount"] == 22.38
    assert fake.order("1001").amount == Decimal("22.38")


def test_resubmitting_updates_the_order(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    first = create(http, "1001")
    second = create(http, "1001", customerEmail="new@example.org", amount=30)
    assert second["customerEmail"] == "new@example.org"
    assert second["amount"] == 30
    assert second["referenceNumber"] == first["referenceNumber"]
    assert len(fake.orders()) == 1


def test_initial_dunning_level_is_honoured_on_create(http: httpx.Client) -> None:
    assert create(http, "1001", initialDunningLevel=2)["dunningLevel"] == 2
    # An update with 0 is allowed and leaves the level alone.
    assert create(http, "1001", initialDunningLevel=0)["dunningLevel"] == 2


def test_reference_numbers_are_unique(http: httpx.Client) -> None:
    references = {create(http, str(n))["referenceNumber"] for n in range(1, 6)}
    assert len(references) == 5


def test_get_order_and_include_flags(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    fake.receive_payment("1001", "5.00")
    plain = http.get("/order/1001").json()
    assert "postings" not in plain
    assert "hasBankDetailsForRefund" not in plain
    assert plain["amountPaid"] == 5.0
    full = http.get(
        "/order/1001",
        params={
            "includePostings": "true",
            "includePaymentReminders": "true",
            "includeRefunds": "true",
            "includeCollectionHistory": "true",
        },
    ).json()
    assert len(full["postings"]) == 1
    assert full["hasBankDetailsForRefund"] is False
    assert full["paymentReminders"] == []
    assert full["refunds"] == []
    # No collection: no collection fields even when asked for the history.
    assert "collectionHistory" not in full


def test_submit_orders_upserts_and_returns_reread_orders(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1")
    batch = [order_body(number="1", amount=10), order_body(number="2", initialDunningLevel=1)]
    response = http.post("/orders", json=batch)
    assert response.status_code == 200, response.text
    orders = response.json()
    assert [o["number"] for o in orders] == ["1", "2"]
    assert orders[0]["amount"] == 10
    assert orders[1]["dunningLevel"] == 1
    assert [o.number for o in fake.orders()] == ["1", "2"]


def test_submit_orders_is_all_or_nothing(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    batch = [order_body(number="1"), order_body(number="2", date="2024-05-01")]
    response = http.post("/orders", json=batch)
    assert response.status_code == 400
    assert response.json() == {"error": "Parameter date is not valid"}
    assert fake.orders() == []


def test_read_orders_filters(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    old = TODAY - datetime.timedelta(days=100)
    create(http, "old", date=wire(old))
    create(http, "new")
    create(http, "paid")
    fake.receive_payment("paid", "22.38")

    def numbers(**params: str) -> list[str]:
        response = http.get("/orders", params=params)
        assert response.status_code == 200, response.text
        return [o["number"] for o in response.json()]

    assert numbers() == ["old", "new", "paid"]
    assert numbers(maxAge="30") == ["new", "paid"]
    assert numbers(paymentStatus="PAID") == ["paid"]
    assert numbers(paymentStatus="PAID,UNPAID", maxAge="10") == ["new", "paid"]
    # minPostingDate: only orders with postings, last posting on or after the date.
    assert numbers(minPostingDate=wire(TODAY)) == ["paid"]
    assert numbers(minPostingDate=wire(TODAY + datetime.timedelta(days=1))) == []
    fake.advance_days(130)
    assert numbers() == []


def test_set_paid_set_unpaid_cancel_remove(http: httpx.Client) -> None:
    create(http, "1001")
    assert http.post("/order/1001/setpaid").json()["paymentStatus"] == "PAID"
    assert http.post("/order/1001/setunpaid").json()["paymentStatus"] == "UNPAID"
    assert http.post("/order/1001/cancel").json()["paymentStatus"] == "CANCELLED"
    assert http.post("/order/remove/1001").json()["paymentStatus"] == "DISAPPEARED"


def test_set_unpaid_restores_the_status_before_set_paid(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1001")
    fake.receive_payment("1001", "10")
    http.post("/order/1001/setpaid")
    assert http.post("/order/1001/setunpaid").json()["paymentStatus"] == "PAID_PARTIAL"


def test_sync_orders_marks_unlisted_open_orders_legacy(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    for number in ("a", "b", "c", "d"):
        create(http, number)
    fake.receive_payment("d", "22.38")  # PAID: not open, never LEGACY
    response = http.post("/ordersync", json=["b"])
    assert response.status_code == 200
    assert response.content == b"2" or response.json() == 2
    assert {o.number: o.payment_status for o in fake.orders()} == {
        "a": "LEGACY",
        "b": "UNPAID",
        "c": "LEGACY",
        "d": "PAID",
    }


def test_invoice_upload_is_recorded(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    pdf = b"%PDF-1.4\r\n\x00\x01binary\r\n%%EOF"
    files = {"file": ("invoice.pdf", pdf, "application/pdf")}
    response = http.post("/order/1001/invoice/R-77", files=files)
    assert response.status_code == 200
    assert response.content == b""
    [upload] = fake.order("1001").invoices
    assert (upload.invoice_number, upload.filename, upload.content_type, upload.data) == (
        "R-77",
        "invoice.pdf",
        "application/pdf",
        pdf,
    )
    # A repeated upload of the same invoice number is silently ignored.
    again = http.post("/order/1001/invoice/R-77", files={"file": ("x.pdf", b"x", "a/b")})
    assert again.status_code == 200
    assert len(fake.order("1001").invoices) == 1


def test_read_postings_by_creation_date_iban_and_with_orders(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1")
    create(http, "2")
    fake.receive_payment("1", "22.38")
    fake.advance_days(2)
    fake.receive_payment("2", "1.00", reference="free text")
    iban = http.get("/order/1").json()["bankAccount"]["iban"]
    assert iban == fake.shop().bank.iban

    def ids(**params: str) -> list[str]:
        response = http.get("/postings", params=params)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()]

    day2 = TODAY + datetime.timedelta(days=2)
    assert len(ids()) == 2
    assert len(ids(createdMin=wire(day2))) == 1
    assert len(ids(createdMax=wire(day2))) == 1  # exclusive
    assert len(ids(createdMin=wire(TODAY), createdMax=wire(day2))) == 1
    assert len(ids(iban=iban)) == 2
    assert ids(iban="DE02120300000000202051") == []
    postings = http.get("/postings", params={"includeOrders": "true"}).json()
    assert postings[0]["orders"][0]["number"] == "1"
    assert "paymentStatus" not in postings[0]["orders"][0]  # OrderWriteWithNumber only
    assert postings[1]["reference"] == "free text"
    assert "orders" not in http.get("/postings").json()[0]


def test_image_qrcode_is_a_png_holding_the_epc_payload(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1001")
    for params in ({}, {"type": "QRCODE"}):
        image = http.get("/image/1001", params=params).json()
        assert image["type"] == "QRCODE"
        assert image["format"] == "png"
        png = base64.b64decode(image["data"])
        assert png.startswith(PNG_SIGNATURE)
        assert len(png) > 200


def test_image_payment_slip_and_print_only_for_switzerland(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1001")
    slip = http.get("/image/1001", params={"type": "PAYMENTSLIP"}).json()
    assert base64.b64decode(slip["data"]).startswith(PNG_SIGNATURE)
    refused = http.get("/image/1001", params={"type": "PAYMENTSLIPPRINT"})
    assert refused.status_code == 400
    assert "Switzerland" in refused.json()["error"]

    swiss = fake.add_shop(country="CH")
    headers = {"X-Komfortkasse-API-Key": swiss}
    http.post("/order/CH1", json=order_body(currency="CHF"), headers=headers)
    printed = http.get("/image/CH1", params={"type": "PAYMENTSLIPPRINT"}, headers=headers)
    assert printed.status_code == 200
    assert base64.b64decode(printed.json()["data"]).startswith(PNG_SIGNATURE)
    # EPC QR codes are for euro transfers only.
    assert http.get("/image/CH1", headers=headers).status_code == 400


def test_shops_are_separate(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    other = fake.add_shop()
    create(http, "1001")
    response = http.get("/order/1001", headers={"X-Komfortkasse-API-Key": other})
    assert response.status_code == 404
    assert fake.orders(other) == []
    other_iban = http.get("/orders", headers={"X-Komfortkasse-API-Key": other}).json()
    assert other_iban == []


def _every_operation(fake: FakeKomfortkasse, http: httpx.Client) -> list[tuple[str, Any]]:
    """One successful call of each operation (with all include flags) plus error answers."""
    everything = {
        "includePostings": "true",
        "includeCollectionHistory": "true",
        "includePaymentReminders": "true",
        "includeRefunds": "true",
    }
    calls: list[tuple[str, httpx.Response]] = []
    calls.append(("submitOrder", http.post("/order/1", params=everything, json=order_body())))
    batch = [order_body(number="2"), order_body(number="3", type="PREPAYMENT")]
    calls.append(("submitOrders", http.post("/orders", params=everything, json=batch)))
    fake.receive_payment("1", "10.00", payer_iban="DE02120300000000202051")
    fake.advance_days(8)  # a reminder for order 1
    refund = {
        "externalReference": "RMA-1",
        "amount": 5,
        "currency": "EUR",
        "plannedDate": wire(fake.today + datetime.timedelta(days=3)),
    }
    calls.append(("createRefund", http.post("/order/1/refund", json=refund)))
    fake.start_collection("2")
    calls.append(("getOrder", http.get("/order/1", params=everything)))
    calls.append(("getOrder", http.get("/order/2", params=everything)))
    calls.append(("setOrderPaid", http.post("/order/3/setpaid")))
    calls.append(("setOrderUnpaid", http.post("/order/3/setunpaid")))
    calls.append(("cancelOrder", http.post("/order/3/cancel")))
    calls.append(("removeOrder", http.post("/order/remove/3", params=everything)))
    fake.advance_days(5)  # the refund is executed
    calls.append(("readOrders", http.get("/orders", params=everything)))
    calls.append(("readPostings", http.get("/postings", params={"includeOrders": "true"})))
    calls.append(("getImage", http.get("/image/1")))
    calls.append(("getImage", http.get("/image/1", params={"type": "PAYMENTSLIP"})))
    calls.append(("syncOrders", http.post("/ordersync", json=["1"])))
    files = {"file": ("a.pdf", b"%PDF", "application/pdf")}
    calls.append(("submitInvoice", http.post("/order/1/invoice/9", files=files)))
    # Error answers use the Error schema.
    calls.append(("getOrder", http.get("/order/missing")))
    calls.append(("submitOrder", http.post("/order/4", json={})))
    calls.append(
        ("setOrderPaid", http.post("/order/1/setpaid", headers={"X-Komfortkasse-API-Key": ""}))
    )
    return calls


def test_every_operation_answers_as_the_spec_says(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    spec = vendored_spec()
    calls = _every_operation(fake, http)
    seen = set()
    for operation_id, response in calls:
        operation = spec.operation(operation_id)
        if operation_id == "submitInvoice":
            assert response.status_code == 200
            assert response.content == b""
            seen.add(operation_id)
            continue
        assert response.status_code in (200, 400, 401, 404), response.text
        assert response.headers["content-type"] == "application/json"
        problems = spec.check_response(operation, response.status_code, response.json())
        assert problems == [], (operation_id, problems)
        if response.status_code == 200:
            seen.add(operation_id)
    from komfortkasse._operations import _KNOWN

    # Every operation the fake simulates answered; one the spec adds later answers 501.
    assert seen == _KNOWN & {op.operation_id for op in spec.operations}
    # The scenario reached the interesting read-only fields.
    order = http.get(
        "/order/2", params={"includeCollectionHistory": "true", "includeRefunds": "true"}
    ).json()
    assert order["collectionHistory"]
    refund = http.get("/order/1", params={"includeRefunds": "true"}).json()["refunds"][0]
    assert refund["status"] == "PROCESSED"


@pytest.mark.parametrize("amount", [22.38, "22.38", Decimal("22.38"), 22.375])
def test_amounts_on_the_wire_have_at_most_two_decimals(
    fake: FakeKomfortkasse, http: httpx.Client, amount: Any
) -> None:
    create(http, "1001", amount=22.38)
    fake.receive_payment("1001", amount)
    body = http.get("/order/1001", params={"includePostings": "true"}).text
    assert '"amount":22.38' in body
    assert fake.order("1001").postings[0].amount == Decimal("22.38")
