"""Every operation, sync and async: what goes on the wire and what comes back."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    AsyncKomfortkasse,
    Image,
    ImageType,
    Komfortkasse,
    OrderItem,
    OrderRead,
    OrderWrite,
    PaymentStatus,
    PostingRead,
    Refund,
    RefundRead,
    RefundStatus,
    UnexpectedResponseError,
    ValidationError,
    to_decimal,
)
from tests.samples import KEY, PNG, TODAY, an_order, numbered, order_json, refund_json
from tests.scripted import echo_orders, json_body, last_request

ORDER_JSON: dict[str, Any] = order_json(
    "1001",
    dueDate="09-05-2018",
    referenceNumber="K1234A",
    bankAccount={"iban": "DE02120300000000202051", "bic": "BYLADEM1001"},
    dunningLevel=0,
)
REFUND_JSON: dict[str, Any] = refund_json(executionDate=None)
POSTING_JSON: dict[str, Any] = {
    "id": "P-1",
    "amount": 22.38,
    "currency": "EUR",
    "postingDate": "26-04-2018",
    "valuationDate": "27-04-2018",
    "reference": "K1234A",
    "orders": [
        {
            k: v
            for k, v in ORDER_JSON.items()
            if k in ("number", "date", "type", "amount", "currency", "billing")
        }
    ],
}


# --- single orders --------------------------------------------------------------------


def test_submit_sends_the_order_and_returns_order_read(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    httpserver.expect_request("/api/v2/order/1001", method="POST").respond_with_json(ORDER_JSON)
    order = an_order(
        amount=Decimal("22.38"),
        due_date=datetime.date(2018, 5, 9),
        items=[OrderItem(number="1826353", name="T-Shirt")],
        exchange_rate=Decimal("1.0825"),
    )
    read = client.orders.submit("1001", order, include_postings=True, include_refunds=True)

    request = last_request(httpserver)
    assert request.headers["X-Komfortkasse-API-Key"] == KEY
    assert request.headers["Content-Type"] == "application/json"
    assert request.args.to_dict() == {"includePostings": "true", "includeRefunds": "true"}
    body = json_body(request)
    assert body == {
        "date": "25-04-2018",
        "dueDate": "09-05-2018",
        "type": "INVOICE",
        "amount": 22.38,
        "currency": "EUR",
        "exchangeRate": 1.0825,
        "items": [{"number": "1826353", "name": "T-Shirt"}],
        "billing": {"countryCode": "DE", "lastName": "Mustermann"},
    }
    assert b'"amount":22.38' in request.get_data()
    assert isinstance(read, OrderRead)
    assert read.payment_status is PaymentStatus.UNPAID
    assert read.date == datetime.date(2018, 4, 25)
    assert read.reference_number == "K1234A"
    assert to_decimal(read.amount) == Decimal("22.38")


def test_submit_percent_encodes_the_order_number() -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path)
        return httpx.Response(200, json={**ORDER_JSON, "number": "A/1 x"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    kk = Komfortkasse(KEY, base_url="https://example.test/api/v2", http_client=http)
    assert kk.orders.submit("A/1 x", an_order()).number == "A/1 x"
    assert seen == [b"/api/v2/order/A%2F1%20x"]


def test_submit_with_a_read_model_never_sends_read_only_fields(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    httpserver.expect_request("/api/v2/order/1001", method="POST").respond_with_json(ORDER_JSON)
    read = OrderRead.from_dict({**ORDER_JSON, "amountPaid": 1.0, "someNewField": "kept"})
    client.orders.submit("1001", read)
    body = json_body(last_request(httpserver))
    for read_only in (
        "paymentStatus",
        "referenceNumber",
        "bankAccount",
        "dunningLevel",
        "amountPaid",
    ):
        assert read_only not in body
    assert body["number"] == "1001"
    assert body["someNewField"] == "kept"
    # The same through a write model built from a read model's dict.
    as_write = OrderWrite.from_dict(read.to_dict())
    client.orders.submit("1001", as_write)
    assert "paymentStatus" not in json_body(last_request(httpserver))


def test_get_decodes_nested_lists(httpserver: HTTPServer, client: Komfortkasse) -> None:
    full = {
        **ORDER_JSON,
        "postings": [{k: v for k, v in POSTING_JSON.items() if k != "orders"}],
        "refunds": [REFUND_JSON],
        "paymentReminders": [{"date": "10-05-2018", "dunningLevel": 1, "reminderFee": 2.5}],
    }
    httpserver.expect_request("/api/v2/order/1001", method="GET").respond_with_json(full)
    read = client.orders.get(
        "1001",
        include_postings=True,
        include_collection_history=True,
        include_payment_reminders=True,
        include_refunds=True,
    )
    assert last_request(httpserver).args.to_dict() == {
        "includePostings": "true",
        "includeCollectionHistory": "true",
        "includePaymentReminders": "true",
        "includeRefunds": "true",
    }
    assert isinstance(read.postings, list)
    assert read.postings[0].posting_date == datetime.date(2018, 4, 26)
    assert isinstance(read.refunds, list)
    assert read.refunds[0].status is RefundStatus.BANKDETAILS_MISSING
    assert read.refunds[0].execution_date is None
    assert isinstance(read.payment_reminders, list)
    assert read.payment_reminders[0].date == datetime.date(2018, 5, 10)


def test_get_sends_no_include_flags_by_default(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    httpserver.expect_request("/api/v2/order/1001", method="GET").respond_with_json(ORDER_JSON)
    client.orders.get("1001")
    assert last_request(httpserver).query_string == b""


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("set_paid", "/api/v2/order/1001/setpaid", "PAID"),
        ("set_unpaid", "/api/v2/order/1001/setunpaid", "UNPAID"),
        ("cancel", "/api/v2/order/1001/cancel", "CANCELLED"),
        ("remove", "/api/v2/order/remove/1001", "DISAPPEARED"),
    ],
)
def test_status_changes(
    httpserver: HTTPServer, client: Komfortkasse, method: str, path: str, status: str
) -> None:
    httpserver.expect_request(path, method="POST").respond_with_json(
        {**ORDER_JSON, "paymentStatus": status}
    )
    read = getattr(client.orders, method)("1001")
    assert read.payment_status == status
    assert last_request(httpserver).path == path


def test_refund(httpserver: HTTPServer, client: Komfortkasse) -> None:
    httpserver.expect_request("/api/v2/order/1001/refund", method="POST").respond_with_json(
        REFUND_JSON
    )
    planned = TODAY + datetime.timedelta(days=3)
    read = client.orders.refund(
        "1001",
        Refund(
            external_reference="RMA-1",
            amount=Decimal("5.00"),
            currency="EUR",  # type: ignore[arg-type]
            planned_date=planned,
        ),
    )
    assert json_body(last_request(httpserver)) == {
        "externalReference": "RMA-1",
        "amount": 5.0,
        "currency": "EUR",
        "plannedDate": planned.strftime("%d-%m-%Y"),
    }
    assert isinstance(read, RefundRead)
    assert read.reference_number == "KKBT0009"


def test_upload_invoice_from_path_bytes_and_file(
    httpserver: HTTPServer, client: Komfortkasse, tmp_path: Path
) -> None:
    httpserver.expect_request("/api/v2/order/1001/invoice/INV-7", method="POST").respond_with_data(
        ""
    )
    pdf = tmp_path / "rechnung.pdf"
    pdf.write_bytes(b"%PDF-1.4 hello")
    assert client.orders.upload_invoice("1001", "INV-7", pdf) is None
    request = last_request(httpserver)
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    upload = request.files["file"]
    assert (upload.filename, upload.content_type, upload.read()) == (
        "rechnung.pdf",
        "application/pdf",
        b"%PDF-1.4 hello",
    )

    client.orders.upload_invoice("1001", "INV-7", b"%PDF raw")
    upload = last_request(httpserver).files["file"]
    assert (upload.filename, upload.read()) == ("INV-7.pdf", b"%PDF raw")

    with pdf.open("rb") as handle:
        client.orders.upload_invoice("1001", "INV-7", handle, filename="custom.pdf")
    assert last_request(httpserver).files["file"].filename == "custom.pdf"


def test_upload_refuses_empty_and_text_files_before_sending(
    httpserver: HTTPServer, client: Komfortkasse, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="file: is empty"):
        client.orders.upload_invoice("1001", "INV-7", empty)
    with pytest.raises(ValidationError, match="file: is empty"):
        client.orders.upload_invoice("1001", "INV-7", b"")
    text = tmp_path / "t.txt"
    text.write_text("x")
    with text.open("r") as handle, pytest.raises(ValidationError, match="binary mode"):
        client.orders.upload_invoice("1001", "INV-7", handle)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="cannot read"):
        client.orders.upload_invoice("1001", "INV-7", tmp_path / "missing.pdf")
    assert httpserver.log == []


# --- bulk -----------------------------------------------------------------------------


def test_list_orders_filters(httpserver: HTTPServer, client: Komfortkasse) -> None:
    httpserver.expect_request("/api/v2/orders", method="GET").respond_with_json(
        [ORDER_JSON, {**ORDER_JSON, "number": "1002", "paymentStatus": "PAID"}]
    )
    orders = client.orders.list(
        max_age=30,
        payment_status=[PaymentStatus.PAID, "PAID_PARTIAL"],
        min_posting_date=datetime.date(2018, 4, 1),
    )
    assert last_request(httpserver).args.to_dict() == {
        "maxAge": "30",
        "paymentStatus": "PAID,PAID_PARTIAL",
        "minPostingDate": "01-04-2018",
    }
    assert [o.number for o in orders] == ["1001", "1002"]
    client.orders.list(payment_status=PaymentStatus.UNPAID)
    assert last_request(httpserver).args.to_dict() == {"paymentStatus": "UNPAID"}
    client.orders.list(payment_status="PAID")
    assert last_request(httpserver).args.to_dict() == {"paymentStatus": "PAID"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_age": 0}, "max_age"),
        ({"max_age": True}, "max_age"),
        ({"max_age": "30"}, "max_age"),
        ({"payment_status": []}, "payment_status"),
        ({"payment_status": [""]}, "payment_status"),
        ({"payment_status": "PAID,UNPAID"}, "payment_status"),
        ({"payment_status": 5}, "payment_status"),
        ({"min_posting_date": "01-04-2018"}, "min_posting_date"),
        ({"min_posting_date": datetime.datetime(2018, 4, 1)}, "min_posting_date"),
        ({"include_postings": "yes"}, "include_postings"),
    ],
)
def test_list_orders_refuses_bad_arguments(
    httpserver: HTTPServer, client: Komfortkasse, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        client.orders.list(**kwargs)
    assert caught.value.field == field
    assert httpserver.log == []


def test_sync(httpserver: HTTPServer, client: Komfortkasse) -> None:
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_json(3)
    assert client.orders.sync(["1", "2", "1", "3"]) == 3
    assert json_body(last_request(httpserver)) == ["1", "2", "3"]
    with pytest.raises(ValidationError, match="allow_empty"):
        client.orders.sync([])
    assert client.orders.sync([], allow_empty=True) == 3
    assert json_body(last_request(httpserver)) == []
    with pytest.raises(ValidationError, match=r"open_order_numbers\[1\]"):
        client.orders.sync(["1", ""])
    with pytest.raises(ValidationError, match="not a str"):
        client.orders.sync("123")


# --- postings and images ------------------------------------------------------------


def test_postings(httpserver: HTTPServer, client: Komfortkasse) -> None:
    httpserver.expect_request("/api/v2/postings", method="GET").respond_with_json([POSTING_JSON])
    postings = client.postings.list(
        created_min=datetime.date(2018, 4, 1),
        created_max=datetime.date(2018, 5, 1),
        include_orders=True,
        iban="DE02 1203 0000 0000 2020 51",
    )
    assert last_request(httpserver).args.to_dict() == {
        "createdMin": "01-04-2018",
        "createdMax": "01-05-2018",
        "includeOrders": "true",
        "iban": "DE02120300000000202051",
    }
    assert isinstance(postings[0], PostingRead)
    assert postings[0].valuation_date == datetime.date(2018, 4, 27)
    assert isinstance(postings[0].orders, list)
    assert postings[0].orders[0].number == "1001"
    with pytest.raises(ValidationError, match="created_max"):
        client.postings.list(
            created_min=datetime.date(2018, 5, 1), created_max=datetime.date(2018, 5, 1)
        )


def test_images(httpserver: HTTPServer, client: Komfortkasse, tmp_path: Path) -> None:
    data = base64.b64encode(PNG).decode()
    httpserver.expect_request("/api/v2/image/1001", method="GET").respond_with_json(
        {"type": "QRCODE", "format": "png", "data": data}
    )
    image = client.images.get("1001")
    assert isinstance(image, Image)
    assert last_request(httpserver).args.to_dict() == {"type": "QRCODE"}
    assert client.images.get_png("1001", ImageType.PAYMENTSLIP) == PNG
    assert last_request(httpserver).args.to_dict() == {"type": "PAYMENTSLIP"}
    saved = client.images.save("1001", tmp_path / "qr.png")
    assert saved.read_bytes() == PNG
    with pytest.raises(ValidationError, match="type"):
        client.images.get("1001", "HOLOGRAM")


def test_get_png_checks_the_signature(httpserver: HTTPServer, client: Komfortkasse) -> None:
    httpserver.expect_request("/api/v2/image/1001").respond_with_json(
        {"type": "QRCODE", "format": "png", "data": base64.b64encode(b"GIF89a").decode()}
    )
    with pytest.raises(UnexpectedResponseError, match="not a PNG"):
        client.images.get_png("1001")


# --- client plumbing ----------------------------------------------------------------


def test_sequential_calls_reuse_one_http_client(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    httpserver.expect_request("/api/v2/order/1001").respond_with_json(ORDER_JSON)
    first = client._http
    client.orders.get("1001")
    client.orders.get("1001")
    assert client._http is first
    assert client.with_options(timeout=5.0)._http is first


def test_timeouts_default_finite_and_sync_at_least_ten_minutes() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=1)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    kk = Komfortkasse(KEY, base_url="https://example.test/api/v2", http_client=http)
    assert kk.timeout.read is not None
    assert kk.timeout.read < 600
    kk.orders.sync(["1"])
    assert seen[-1]["read"] >= 600
    kk.with_options(timeout=1200.0).orders.sync(["1"])
    assert seen[-1]["read"] == 1200.0


def test_user_http_client_is_not_closed(httpserver: HTTPServer) -> None:
    http = httpx.Client()
    with Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), http_client=http):
        pass
    assert not http.is_closed
    http.close()


# --- async twins --------------------------------------------------------------------


AsyncScenario = Callable[[AsyncKomfortkasse], Awaitable[Any]]


@pytest.mark.anyio
async def test_async_client_covers_every_operation(
    httpserver: HTTPServer, async_client: AsyncKomfortkasse, tmp_path: Path
) -> None:
    png = base64.b64encode(PNG).decode()
    routes: list[tuple[str, str, Any]] = [
        ("/api/v2/order/1001", "POST", ORDER_JSON),
        ("/api/v2/order/1001", "GET", ORDER_JSON),
        ("/api/v2/orders", "GET", [ORDER_JSON]),
        ("/api/v2/ordersync", "POST", 2),
        ("/api/v2/order/1001/setpaid", "POST", {**ORDER_JSON, "paymentStatus": "PAID"}),
        ("/api/v2/order/1001/setunpaid", "POST", ORDER_JSON),
        ("/api/v2/order/1001/cancel", "POST", {**ORDER_JSON, "paymentStatus": "CANCELLED"}),
        ("/api/v2/order/remove/1001", "POST", {**ORDER_JSON, "paymentStatus": "DISAPPEARED"}),
        ("/api/v2/order/1001/refund", "POST", REFUND_JSON),
        ("/api/v2/postings", "GET", [POSTING_JSON]),
        ("/api/v2/image/1001", "GET", {"type": "QRCODE", "format": "png", "data": png}),
    ]
    for path, method, payload in routes:
        httpserver.expect_request(path, method=method).respond_with_json(payload)
    httpserver.expect_request("/api/v2/order/1001/invoice/I1", method="POST").respond_with_data("")
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_handler(echo_orders)

    async with async_client as kk:
        assert (await kk.orders.submit("1001", an_order())).number == "1001"
        assert (await kk.orders.get("1001", include_postings=True)).reference_number == "K1234A"
        assert len(await kk.orders.list(payment_status="UNPAID")) == 1
        assert await kk.orders.sync(["1001"]) == 2
        assert (await kk.orders.set_paid("1001")).payment_status is PaymentStatus.PAID
        assert (await kk.orders.set_unpaid("1001")).payment_status is PaymentStatus.UNPAID
        assert (await kk.orders.cancel("1001")).payment_status is PaymentStatus.CANCELLED
        assert (await kk.orders.remove("1001")).payment_status is PaymentStatus.DISAPPEARED
        refund = Refund(
            external_reference="RMA-1",
            amount=5.0,
            currency="EUR",
            planned_date=TODAY + datetime.timedelta(days=1),
        )
        assert (await kk.orders.refund("1001", refund)).id == "9"
        assert await kk.orders.upload_invoice("1001", "I1", b"%PDF") is None
        assert (await kk.postings.list(include_orders=True))[0].id == "P-1"
        assert (await kk.images.get("1001")).format_ == "png"
        assert await kk.images.get_png("1001") == PNG
        assert (await kk.images.save("1001", tmp_path / "a.png")).read_bytes() == PNG
        reads = await kk.orders.submit_many(
            (numbered(str(n)) for n in range(7)), chunk_size=2, concurrency=3
        )
        assert [r.number for r in reads] == [str(n) for n in range(7)]
    methods = {(request.method, request.path) for request, _ in httpserver.log}
    from komfortkasse._operations import _KNOWN

    assert len(methods) == len(_KNOWN)  # every operation the client was written against


@pytest.mark.parametrize(
    ("changes", "wire", "python"),
    [
        ({"amount": "22.38"}, "amount", "amount"),
        ({"amount": True}, "amount", "amount"),
        ({"amount": float("nan")}, "amount", "amount"),
        ({"amountPaid": float("inf")}, "amountPaid", "amount_paid"),
        ({"number": 5}, "number", "number"),
        (
            {"billing": {"lastName": 7, "countryCode": "DE"}},
            "billing.lastName",
            "billing.last_name",
        ),
        ({"billing": {"lastName": "M"}}, "billing.countryCode", "billing.country_code"),
        ({"paymentStatus": 7}, "paymentStatus", "payment_status"),
        ({"invoiceNumbers": ["1", 2]}, "invoiceNumbers[1]", "invoice_numbers[1]"),
        ({"items": [{"number": "1"}, {"name": "x"}]}, "items[1].number", "items[1].number"),
        ({"refunds": [{**REFUND_JSON, "amount": None}]}, "refunds[0].amount", "refunds[0].amount"),
        (
            {"postings": [{"amount": 1, "postingDate": "2018-04-25"}]},
            "postings[0].postingDate",
            "postings[0].posting_date",
        ),
        ({"dunningLevel": 1.5}, "dunningLevel", "dunning_level"),
    ],
)
def test_a_response_with_wrong_field_types_names_the_field(
    httpserver: HTTPServer,
    client: Komfortkasse,
    changes: dict[str, Any],
    wire: str,
    python: str,
) -> None:
    from komfortkasse import ResponseValidationError

    body = json.dumps({**ORDER_JSON, **changes})  # NaN and Infinity as JavaScript writes them
    httpserver.expect_request("/api/v2/order/1001").respond_with_data(
        body, content_type="application/json"
    )
    with pytest.raises(ResponseValidationError) as caught:
        client.orders.get("1001")
    assert (caught.value.field, caught.value.python_field) == (wire, python)
    assert caught.value.status_code == 200
    assert f"field {wire}" in str(caught.value)
    if python != wire:
        assert f"({python})" in str(caught.value)


def test_open_enums_and_nulls_still_pass_the_type_check(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    httpserver.expect_request("/api/v2/order/1001").respond_with_json(
        {**ORDER_JSON, "paymentStatus": "NEW_STATUS", "refunds": [REFUND_JSON], "amount": 22}
    )
    read = client.orders.get("1001")
    assert read.payment_status == "NEW_STATUS"
    assert read.amount == Decimal(22)


class NotAFile:
    name = "invoice.pdf"


def test_upload_invoice_refuses_something_that_is_not_a_file(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    with pytest.raises(ValidationError) as raised:
        client.orders.upload_invoice("1001", "R-1", NotAFile())  # type: ignore[arg-type]
    assert raised.value.field == "file"
    assert "must be bytes, a path or a binary file" in raised.value.rule
    assert httpserver.log == []


def test_postings_list_refuses_a_non_bool_include_orders(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    with pytest.raises(ValidationError) as raised:
        client.postings.list(include_orders="yes")  # type: ignore[arg-type]
    assert raised.value.field == "include_orders"
    assert raised.value.rule == "must be bool, got string 'yes'"
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("image", "reason"),
    [
        ({"type": "QRCODE", "format": "png"}, "image has no data"),
        ({"type": "QRCODE", "data": "not base64!"}, "image data is not valid base64"),
        (
            {"type": "QRCODE", "data": base64.b64encode(b"GIF89a").decode()},
            "image data is not a PNG",
        ),
    ],
)
def test_get_png_refuses_an_image_that_is_not_a_png(
    httpserver: HTTPServer, client: Komfortkasse, image: dict[str, Any], reason: str
) -> None:
    httpserver.expect_request("/api/v2/image/1001").respond_with_json(image)
    with pytest.raises(UnexpectedResponseError) as raised:
        client.images.get_png("1001")
    assert raised.value.reason == reason
    assert raised.value.operation == "getImage"


def test_get_png_returns_the_png(httpserver: HTTPServer, client: Komfortkasse) -> None:
    data = base64.b64encode(PNG).decode()
    httpserver.expect_request("/api/v2/image/1001").respond_with_json({"data": data})
    assert client.images.get_png("1001") == PNG
