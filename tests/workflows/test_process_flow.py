"""The real client against the fake Komfortkasse: every operation, the full process flow
(sync and async), errors and faults end to end. Every request the client sends is checked
against the vendored spec, independently of the fake's own checks."""

from __future__ import annotations

import base64
import datetime
import re
import threading
import wsgiref.simple_server
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing
import referencing.jsonschema

from komfortkasse import (
    Address,
    APIConnectionError,
    ApiNotActiveError,
    AsyncKomfortkasse,
    AuthenticationError,
    ImageType,
    Komfortkasse,
    LockError,
    OrderAlreadyPaidError,
    OrderNotFoundError,
    OrderRead,
    OrderType,
    OrderWrite,
    OrderWriteWithNumber,
    PaymentStatus,
    ReadOnlyShopError,
    Refund,
    RefundAlreadyExistsError,
    RefundStatus,
    RetryPolicy,
    SetUnpaidNotAllowedError,
    UnexpectedResponseError,
    Unset,
    callbacks,
    money,
    to_decimal,
)
from komfortkasse.testing import FakeKomfortkasse, epc_payload
from tests.repo import spec

SPEC = spec()
FAST = RetryPolicy(initial_delay=0.001, max_delay=0.005, jitter=0)
WIRE_DATE = re.compile(r"^\d{2}-\d{2}-\d{4}$")
DATE_PARAMS = {"minPostingDate", "createdMin", "createdMax"}


# --- an independent spec check of everything the client sent -------------------------


def _operations() -> list[tuple[str, re.Pattern[str], dict[str, Any], list[dict[str, Any]]]]:
    found = []
    for template, item in SPEC["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method, operation in item.items():
            if method == "parameters":
                continue
            params = [
                SPEC["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                for p in operation.get("parameters", [])
            ]
            found.append((method.upper(), pattern, operation, params))
    return found


OPERATIONS = _operations()
REGISTRY = referencing.Registry().with_resource(
    "urn:spec",
    referencing.Resource.from_contents(
        SPEC, default_specification=referencing.jsonschema.DRAFT202012
    ),
)


def check_against_spec(fake: FakeKomfortkasse) -> int:
    """Assert each recorded request fits an operation of the spec; return how many."""
    for request in fake.requests:
        path = request.path.removeprefix("/api/v2")
        matches = [op for op in OPERATIONS if op[0] == request.method and op[1].match(path)]
        assert len(matches) == 1, (request.method, request.path)
        _, _, operation, params = matches[0]
        declared = {p["name"] for p in params if p["in"] == "query"}
        assert set(request.query) <= declared, (operation["operationId"], request.query)
        for name in DATE_PARAMS & set(request.query):
            assert all(WIRE_DATE.match(v) for v in request.query[name])
        assert request.headers.get("x-komfortkasse-api-key") == "<redacted>"
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            schema = content["application/json"]["schema"]
            schema = {"$ref": "urn:spec#" + schema["$ref"][1:]} if "$ref" in schema else schema
            if "items" in schema and "$ref" in schema["items"]:
                schema = {
                    "type": "array",
                    "items": {"$ref": "urn:spec#" + schema["items"]["$ref"][1:]},
                }
            jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(request.json())
            assert request.headers["content-type"] == "application/json"
        elif "multipart/form-data" in content:
            assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
            assert b'name="file"; filename="' in request.body
    return len(fake.requests)


@pytest.fixture
def fake() -> Iterator[FakeKomfortkasse]:
    with FakeKomfortkasse(check_responses=True) as server:
        yield server
        check_against_spec(server)


@pytest.fixture
def client(fake: FakeKomfortkasse) -> Iterator[Komfortkasse]:
    with Komfortkasse(fake.api_key, base_url=fake.url, retry=FAST) as kk:
        yield kk


def new_order(amount: str = "22.38", **changes: Any) -> OrderWrite:
    fields: dict[str, Any] = {
        "date": datetime.date.today(),
        "type_": OrderType.INVOICE,
        "amount": money(amount),
        "currency": "EUR",
        "billing": Address(country_code="DE", last_name="Mustermann", first_name="Max"),
        "customer_email": "max@example.org",
    }
    fields.update(changes)
    return OrderWrite(**fields)


def numbered(number: str, amount: str = "10.00") -> OrderWriteWithNumber:
    return OrderWriteWithNumber.from_dict({"number": number, **new_order(amount).to_dict()})


# --- the process flow -----------------------------------------------------------------


def test_full_process_flow(fake: FakeKomfortkasse, client: Komfortkasse, tmp_path: Path) -> None:
    today = datetime.date.today()
    # 1-2. Orders reach Komfortkasse, one and in bulk.
    single = client.orders.submit("1001", new_order(due_date=today))
    assert single.payment_status is PaymentStatus.UNPAID
    assert isinstance(single.reference_number, str)
    assert not isinstance(single.bank_account, Unset)
    batch = client.orders.submit_many(numbered(f"B{n}") for n in range(150))
    assert [o.number for o in batch] == [f"B{n}" for n in range(150)]
    # 3. Invoice upload.
    client.orders.upload_invoice("1001", "R-1001", b"%PDF-1.4 invoice")
    uploads = fake.order("1001").invoices
    assert [(u.filename, u.content_type, u.data) for u in uploads] == [
        ("R-1001.pdf", "application/pdf", b"%PDF-1.4 invoice")
    ]
    # Payment details as a QR code: a real EPC payload for this order.
    png = client.images.get_png("1001", ImageType.QRCODE)
    assert png.startswith(b"\x89PNG")
    image = client.images.get("1001")
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
    paid = client.orders.list(payment_status=[PaymentStatus.PAID, PaymentStatus.PAID_PARTIAL])
    assert {(o.number, o.payment_status) for o in paid} == {
        ("1001", PaymentStatus.PAID),
        ("B1", PaymentStatus.PAID_PARTIAL),
    }
    with_postings = client.orders.get("1001", include_postings=True)
    assert to_decimal(with_postings.amount_paid) == Decimal("22.38")  # type: ignore[arg-type]
    assert isinstance(with_postings.postings, list)
    assert with_postings.postings[0].posting_date == fake.today
    recent = client.orders.list(min_posting_date=today)
    assert {o.number for o in recent} == {"1001", "B1"}
    postings = client.postings.list(created_min=today, include_orders=True)
    assert {p.reference for p in postings} >= {single.reference_number}
    view = client.postings.reconcile(created_min=today)
    assert len(view.assigned) == 2
    assert view.unassigned == []
    # 6. Manual interventions.
    assert client.orders.set_paid("B2").payment_status is PaymentStatus.PAID
    assert client.orders.set_unpaid("B2").payment_status is PaymentStatus.UNPAID
    assert client.orders.cancel("B3").payment_status is PaymentStatus.CANCELLED
    assert client.orders.remove("B4").payment_status is PaymentStatus.DISAPPEARED
    # Refund the paid order: bank details are known from the payment.
    refund = client.orders.refund(
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
    reminded = client.orders.get("B5", include_payment_reminders=True)
    assert reminded.dunning_level == 1
    assert isinstance(reminded.payment_reminders, list)
    assert len(reminded.payment_reminders) == 1
    # Order sync marks what the shop no longer lists.
    open_numbers = [o.number for o in client.orders.list(payment_status=["UNPAID", "PAID_PARTIAL"])]
    preview = client.orders.preview_sync(open_numbers[:-3])
    assert len(preview.would_be_legacy) == 3
    assert client.orders.sync(open_numbers[:-3]) == 3
    assert fake.order(preview.would_be_legacy[0]).payment_status == "LEGACY"
    assert check_against_spec(fake) > 15


def test_changes_since_against_the_fake(fake: FakeKomfortkasse, client: Komfortkasse) -> None:
    client.orders.submit_many([numbered("A"), numbered("B")])
    first = client.orders.changes_since(None)
    assert first.orders == []
    fake.receive_payment("A", Decimal("10.00"))
    second = client.orders.changes_since(first.cursor.to_json())
    assert [(o.number, o.payment_status) for o in second.orders] == [("A", PaymentStatus.PAID)]
    assert client.orders.changes_since(second.cursor).orders == []


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_async_process_flow(fake: FakeKomfortkasse) -> None:
    async with AsyncKomfortkasse(fake.api_key, base_url=fake.url, retry=FAST) as kk:
        await kk.orders.submit("1", new_order())
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


def test_documented_errors_from_the_fake(fake: FakeKomfortkasse, client: Komfortkasse) -> None:
    with pytest.raises(OrderNotFoundError, match="Order 'nope' not found"):
        client.orders.get("nope")
    client.orders.submit("1", new_order())
    client.orders.set_paid("1")
    with pytest.raises(OrderAlreadyPaidError):
        client.orders.set_paid("1")
    client.orders.submit("2", new_order())
    with pytest.raises(SetUnpaidNotAllowedError):
        client.orders.set_unpaid("2")
    refund = Refund(
        external_reference="RMA-9",
        amount=money("1.00"),
        currency="EUR",
        planned_date=datetime.date.today() + datetime.timedelta(days=1),
    )
    fake.receive_payment("1", "1.00")  # the fake refunds at most what was paid
    client.orders.refund("1", refund)
    with pytest.raises(RefundAlreadyExistsError) as caught:
        client.orders.refund("1", refund)
    assert caught.value.reference_number.startswith("KKBT")
    inactive = fake.add_shop(api_active=False)
    read_only = fake.add_shop(read_only=True)
    with Komfortkasse("wrong-key", base_url=fake.url) as other, pytest.raises(AuthenticationError):
        other.orders.get("1")
    with Komfortkasse(inactive, base_url=fake.url) as other, pytest.raises(ApiNotActiveError):
        other.orders.list()
    with Komfortkasse(read_only, base_url=fake.url) as other, pytest.raises(ReadOnlyShopError):
        other.orders.submit("1", new_order())


def test_lock_is_retried_then_reported(fake: FakeKomfortkasse, client: Komfortkasse) -> None:
    client.orders.submit("1", new_order())
    fake.hold_lock("1", 2)
    assert client.orders.set_paid("1").payment_status is PaymentStatus.PAID
    fake.hold_lock("1", 10)
    with pytest.raises(LockError) as caught:
        client.orders.submit("1", new_order())
    assert caught.value.attempts == FAST.max_attempts
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/order/1")]
    assert len(posts) == 1 + FAST.max_attempts


# --- faults -------------------------------------------------------------------------


def test_faults_end_to_end(fake: FakeKomfortkasse, client: Komfortkasse) -> None:
    client.orders.submit("1", new_order())
    fake.inject_fault("500", path_contains="/order/1")
    assert client.orders.get("1").number == "1"  # a safe read is retried
    fake.inject_fault("html_200")
    with pytest.raises(UnexpectedResponseError, match="not JSON") as caught:
        client.orders.get("1")
    assert caught.value.status_code == 200
    fake.inject_fault("redirect")
    with pytest.raises(UnexpectedResponseError, match="redirect"):
        client.orders.get("1")
    login_hits = [r for r in fake.requests if "login" in r.path]
    assert login_hits == []
    # A set-paid whose answer is lost: applied once, resent, refused as a repeat, read back.
    before = len(fake.requests)
    fake.inject_fault("drop_after_handling", path_contains="setpaid")
    assert client.orders.set_paid("1").payment_status == "PAID"
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
        client.orders.cancel("1")
    assert dropped.value.request_sent is True
    assert "orders.get('1')" in dropped.value.__notes__[0]
    assert len(fake.requests) == before + 1


# --- callbacks ----------------------------------------------------------------------


class _Receiver:
    """A WSGI callback receiver on 127.0.0.1, run in a thread."""

    def __init__(self, access_code: str, fail_first: int = 0) -> None:
        self.orders: list[OrderRead] = []
        self.fail_first = fail_first

        def handler(order: OrderRead) -> None:
            if self.fail_first:
                self.fail_first -= 1
                raise RuntimeError("shop database unavailable")
            self.orders.append(order)

        class QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

        app = callbacks.wsgi_app(access_code, handler)
        self.server = wsgiref.simple_server.make_server(
            "127.0.0.1", 0, app, handler_class=QuietHandler
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}/kk-callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_callbacks_end_to_end(fake: FakeKomfortkasse, client: Komfortkasse) -> None:
    client.orders.submit("1", new_order())
    with _Receiver("right-code", fail_first=1) as receiver:
        fake.set_callback(receiver.url, "right-code")
        fake.receive_payment("1", Decimal("22.38"))  # handler fails once: 500
        assert receiver.orders == []
        assert fake.callback_log[-1].status_code == 500
        fake.advance(datetime.timedelta(minutes=16))  # the fake retries on its clock
        assert [(o.number, o.payment_status) for o in receiver.orders] == [
            ("1", PaymentStatus.PAID)
        ]
        assert fake.callback_log[-1].status_code == 200

        fake.set_callback(receiver.url, "wrong-code")
        client.orders.cancel("1")
        assert fake.callback_log[-1].status_code == 401
        assert len(receiver.orders) == 1


def test_a_locked_order_in_a_bulk_chunk_is_retried(
    fake: FakeKomfortkasse, client: Komfortkasse
) -> None:
    client.orders.submit_many([numbered("L1"), numbered("L2")])
    fake.hold_lock("L2", 2)
    reads = client.orders.submit_many([numbered(f"L{n}") for n in range(1, 6)], chunk_size=3)
    assert [o.number for o in reads] == ["L1", "L2", "L3", "L4", "L5"]
    bulk_posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/orders")]
    assert len(bulk_posts) == 1 + 2 + 1 + 1  # first call, the chunk twice locked, then both chunks
