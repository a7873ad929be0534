"""The real client against the fake Komfortkasse: every operation, the full process flow
(sync and async), errors and faults end to end. Every request the client sends is checked
against the vendored spec, independently of the fake's own checks."""

from __future__ import annotations

import base64
import datetime
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from komfortkasse import (
    APIConnectionError,
    ApiNotActiveError,
    AsyncKomfortkasse,
    AuthenticationError,
    ImageType,
    Komfortkasse,
    LockError,
    OrderAlreadyPaidError,
    OrderNotFoundError,
    OrderWriteWithNumber,
    PaymentStatus,
    ReadOnlyShopError,
    Refund,
    RefundAlreadyExistsError,
    RefundStatus,
    SetUnpaidNotAllowedError,
    UnexpectedResponseError,
    Unset,
    money,
    to_decimal,
)
from komfortkasse.testing import FakeKomfortkasse, epc_payload
from tests import samples
from tests.samples import FAST, todays_order
from tests.spec_check import check_against_spec


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    return {"check_responses": True}


@pytest.fixture(autouse=True)
def every_request_fits_the_spec(fake: FakeKomfortkasse) -> Iterator[None]:
    yield
    check_against_spec(fake)


def numbered(number: str, amount: str = "10.00") -> OrderWriteWithNumber:
    return samples.numbered(number, todays_order(amount=money(amount)))


# --- the process flow -----------------------------------------------------------------


def test_full_process_flow(
    fake: FakeKomfortkasse, fake_client: Komfortkasse, tmp_path: Path
) -> None:
    today = datetime.date.today()
    # 1-2. Orders reach Komfortkasse, one and in bulk.
    single = fake_client.orders.submit("1001", todays_order(due_date=today))
    assert single.payment_status is PaymentStatus.UNPAID
    assert isinstance(single.reference_number, str)
    assert not isinstance(single.bank_account, Unset)
    batch = fake_client.orders.submit_many(numbered(f"B{n}") for n in range(150))
    assert [o.number for o in batch] == [f"B{n}" for n in range(150)]
    # 3. Invoice upload.
    fake_client.orders.upload_invoice("1001", "R-1001", b"%PDF-1.4 invoice")
    uploads = fake.order("1001").invoices
    assert [(u.filename, u.content_type, u.data) for u in uploads] == [
        ("R-1001.pdf", "application/pdf", b"%PDF-1.4 invoice")
    ]
    # Payment details as a QR code: a real EPC payload for this order.
    png = fake_client.images.get_png("1001", ImageType.QRCODE)
    assert png.startswith(b"\x89PNG")
    image = fake_client.images.get("1001")
    assert base64.b64decode(str(image.data)) == png
    account = single.bank_account
    payload = epc_payload(
        bic=str(account.bic),
        beneficiary=str(account.remittee),
        iban=str(account.iban),
        amount=Decimal("22.38"),
        remittance=str(single.reference_number),
    )
    lines = payload.split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert str(account.iban) in lines
    assert "EUR22.38" in lines
    assert str(single.reference_number) in lines
    # 4. Customers pay: in full, partly, not at all.
    fake.receive_payment("1001", Decimal("22.38"), payer_iban="DE02120300000000202051")
    fake.receive_payment("B1", Decimal("4.00"))
    # 5. The shop polls.
    paid = fake_client.orders.list(payment_status=[PaymentStatus.PAID, PaymentStatus.PAID_PARTIAL])
    assert {(o.number, o.payment_status) for o in paid} == {
        ("1001", PaymentStatus.PAID),
        ("B1", PaymentStatus.PAID_PARTIAL),
    }
    with_postings = fake_client.orders.get("1001", include_postings=True)
    assert to_decimal(with_postings.amount_paid) == Decimal("22.38")  # type: ignore[arg-type]
    assert isinstance(with_postings.postings, list)
    assert with_postings.postings[0].posting_date == fake.today
    recent = fake_client.orders.list(min_posting_date=today)
    assert {o.number for o in recent} == {"1001", "B1"}
    postings = fake_client.postings.list(created_min=today, include_orders=True)
    assert {p.reference for p in postings} >= {single.reference_number}
    view = fake_client.postings.reconcile(created_min=today)
    assert len(view.assigned) == 2
    assert view.unassigned == []
    # 6. Manual interventions.
    assert fake_client.orders.set_paid("B2").payment_status is PaymentStatus.PAID
    assert fake_client.orders.set_unpaid("B2").payment_status is PaymentStatus.UNPAID
    assert fake_client.orders.cancel("B3").payment_status is PaymentStatus.CANCELLED
    assert fake_client.orders.remove("B4").payment_status is PaymentStatus.DISAPPEARED
    # Refund the paid order: bank details are known from the payment.
    refund = fake_client.orders.refund(
        "1001",
        Refund(
            external_reference="RMA-1",
            amount=money("5.00"),
            currency="EUR",
            planned_date=today + datetime.timedelta(days=2),
        ),
    )
    assert refund.status is RefundStatus.NEW
    assert refund.execution_date is None
    assert str(refund.reference_number).startswith("KKBT")
    # Reminders and dunning levels advance with the clock.
    fake.advance_days(8)
    reminded = fake_client.orders.get("B5", include_payment_reminders=True)
    assert reminded.dunning_level == 1
    assert isinstance(reminded.payment_reminders, list)
    assert len(reminded.payment_reminders) == 1
    # Order sync marks what the shop no longer lists.
    open_numbers = [
        o.number for o in fake_client.orders.list(payment_status=["UNPAID", "PAID_PARTIAL"])
    ]
    preview = fake_client.orders.preview_sync(open_numbers[:-3])
    assert len(preview.would_be_legacy) == 3
    assert fake_client.orders.sync(open_numbers[:-3]) == 3
    assert fake.order(preview.would_be_legacy[0]).payment_status == "LEGACY"
    assert check_against_spec(fake) > 15


@pytest.mark.anyio
async def test_async_process_flow(fake: FakeKomfortkasse) -> None:
    async with AsyncKomfortkasse(fake.api_key, base_url=fake.url, retry=FAST) as kk:
        await kk.orders.submit("1", todays_order())
        reads = await kk.orders.submit_many(
            (numbered(str(n)) for n in range(2, 260)), concurrency=3
        )
        assert len(reads) == 258
        fake.receive_payment("1", Decimal("22.38"))
        paid = await kk.orders.list(payment_status=PaymentStatus.PAID)
        assert [o.number for o in paid] == ["1"]
        assert (await kk.orders.get("1")).amount_paid == Decimal("22.38")
        assert (await kk.orders.set_paid("2")).payment_status is PaymentStatus.PAID
        assert (await kk.orders.set_unpaid("2")).payment_status is PaymentStatus.UNPAID
        assert (await kk.orders.cancel("3")).payment_status is PaymentStatus.CANCELLED
        assert (await kk.orders.remove("4")).payment_status is PaymentStatus.DISAPPEARED
        refund = await kk.orders.refund(
            "1",
            Refund(
                external_reference="R-A",
                amount=money("1.00"),
                currency="EUR",
                planned_date=datetime.date.today() + datetime.timedelta(days=1),
            ),
        )
        assert refund.status is RefundStatus.BANKDETAILS_MISSING
        await kk.orders.upload_invoice("1", "INV-1", b"%PDF")
        assert (await kk.images.get_png("1")).startswith(b"\x89PNG")
        assert len(await kk.postings.list(include_orders=True)) == 1
        assert (await kk.postings.reconcile()).assigned[0][1][0].number == "1"
        assert (await kk.orders.preview_sync(["1"])).open_orders == 256  # 259 - paid - 3 - 4
        assert await kk.orders.sync([str(n) for n in range(1, 260)]) == 0
        assert (await kk.orders.changes_since(None)).orders[0].number == "1"
    assert check_against_spec(fake) >= 17


# --- documented errors, end to end --------------------------------------------------


def test_documented_errors_from_the_fake(fake: FakeKomfortkasse, fake_client: Komfortkasse) -> None:
    with pytest.raises(OrderNotFoundError, match="Order 'nope' not found"):
        fake_client.orders.get("nope")
    fake_client.orders.submit("1", todays_order())
    fake_client.orders.set_paid("1")
    with pytest.raises(OrderAlreadyPaidError):
        fake_client.orders.set_paid("1")
    fake_client.orders.submit("2", todays_order())
    with pytest.raises(SetUnpaidNotAllowedError):
        fake_client.orders.set_unpaid("2")
    refund = Refund(
        external_reference="RMA-9",
        amount=money("1.00"),
        currency="EUR",
        planned_date=datetime.date.today() + datetime.timedelta(days=1),
    )
    fake.receive_payment("1", "1.00")  # the fake refunds at most what was paid
    fake_client.orders.refund("1", refund)
    with pytest.raises(RefundAlreadyExistsError) as caught:
        fake_client.orders.refund("1", refund)
    assert caught.value.reference_number.startswith("KKBT")
    inactive = fake.add_shop(api_active=False)
    read_only = fake.add_shop(read_only=True)
    with Komfortkasse("wrong-key", base_url=fake.url) as other, pytest.raises(AuthenticationError):
        other.orders.get("1")
    with Komfortkasse(inactive, base_url=fake.url) as other, pytest.raises(ApiNotActiveError):
        other.orders.list()
    with Komfortkasse(read_only, base_url=fake.url) as other, pytest.raises(ReadOnlyShopError):
        other.orders.submit("1", todays_order())


def test_lock_is_retried_then_reported(fake: FakeKomfortkasse, fake_client: Komfortkasse) -> None:
    fake_client.orders.submit("1", todays_order())
    fake.hold_lock("1", 2)
    assert fake_client.orders.set_paid("1").payment_status is PaymentStatus.PAID
    fake.hold_lock("1", 10)
    with pytest.raises(LockError) as caught:
        fake_client.orders.submit("1", todays_order())
    assert caught.value.attempts == FAST.max_attempts
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/order/1")]
    assert len(posts) == 1 + FAST.max_attempts


# --- faults -------------------------------------------------------------------------


def test_faults_end_to_end(fake: FakeKomfortkasse, fake_client: Komfortkasse) -> None:
    fake_client.orders.submit("1", todays_order())
    fake.inject_fault("500", path_contains="/order/1")
    assert fake_client.orders.get("1").number == "1"  # a safe read is retried
    fake.inject_fault("html_200")
    with pytest.raises(UnexpectedResponseError, match="not JSON") as caught:
        fake_client.orders.get("1")
    assert caught.value.status_code == 200
    fake.inject_fault("redirect")
    with pytest.raises(UnexpectedResponseError, match="redirect"):
        fake_client.orders.get("1")
    login_hits = [r for r in fake.requests if "login" in r.path]
    assert login_hits == []
    # A set-paid whose answer is lost: applied once, resent, refused as a repeat, read back.
    before = len(fake.requests)
    fake.inject_fault("drop_after_handling", path_contains="setpaid")
    assert fake_client.orders.set_paid("1").payment_status == "PAID"
    assert [r.path.rsplit("/", 1)[-1] for r in fake.requests[before:]] == [
        "setpaid",
        "setpaid",
        "1",
    ]
    assert fake.order("1").payment_status == "PAID"
    # A cancel whose answer is lost: applied once, never repeated; the error says how to check.
    before = len(fake.requests)
    fake.inject_fault("drop_after_handling", path_contains="cancel")
    with pytest.raises(APIConnectionError) as dropped:
        fake_client.orders.cancel("1")
    assert dropped.value.request_sent is True
    assert "orders.get('1')" in dropped.value.__notes__[0]
    assert len(fake.requests) == before + 1
