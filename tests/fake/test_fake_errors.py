"""The documented error answers: authentication, body and parameter checks, state rules.

Expected messages are built from the http's ERROR_TABLE (not typed again), and each
answer must be classified by the http's own ``api_error_for`` as the right error.
"""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from komfortkasse._exceptions import (
    ERROR_TABLE,
    APIError,
    ApiNotActiveError,
    AuthenticationError,
    BadRequestError,
    DueDateTooFarError,
    InitialDunningLevelError,
    InvalidDateError,
    InvalidFileError,
    InvalidJsonError,
    MissingBodyError,
    MissingParameterError,
    NumberMismatchError,
    OrderAlreadyPaidError,
    OrderNotFoundError,
    OrderUpdateRejectedError,
    PlannedDateNotInFutureError,
    ReadOnlyShopError,
    RefundAlreadyExistsError,
    SetUnpaidNotAllowedError,
    ShopNotActiveError,
    api_error_for,
)
from komfortkasse.testing import FakeKomfortkasse
from tests.fake.support import TODAY, create, order_body
from tests.samples import wire


def message(error_class: type[APIError], fragment: str = "", **values: Any) -> str:
    if fragment == "{parameter}":  # documented for date and dueDate only; the same words else
        return f"Parameter {values['parameter']} is not valid"
    [row] = [r for r in ERROR_TABLE if r.error_class is error_class and fragment in r.template]
    return row.format(**values)


def assert_error(
    response: httpx.Response, status: int, expected: str, error_class: type[APIError]
) -> None:
    assert response.status_code == status, response.text
    assert response.json() == {"error": expected}
    assert type(api_error_for(status, expected)) is error_class


# -- authentication ------------------------------------------------------------------------


def test_missing_key(fake: FakeKomfortkasse) -> None:
    response = httpx.get(f"{fake.url}/orders")
    expected = message(AuthenticationError, "not present")
    assert_error(response, 401, expected, AuthenticationError)


@pytest.mark.parametrize(
    ("key", "fragment"),
    [("unknown-key", "Invalid"), ("[your API key]", "Replace")],
)
def test_unknown_and_placeholder_key(fake: FakeKomfortkasse, key: str, fragment: str) -> None:
    response = httpx.get(f"{fake.url}/orders", headers={"X-Komfortkasse-API-Key": key})
    assert_error(response, 401, message(AuthenticationError, fragment), AuthenticationError)


@pytest.mark.parametrize(
    ("settings", "error_class", "method"),
    [
        ({"api_active": False}, ApiNotActiveError, "GET"),
        ({"shop_active": False}, ShopNotActiveError, "GET"),
        ({"read_only": True}, ReadOnlyShopError, "POST"),
    ],
)
def test_shop_settings(
    fake: FakeKomfortkasse,
    settings: dict[str, bool],
    error_class: type[APIError],
    method: str,
) -> None:
    key = fake.add_shop(**settings)
    headers = {"X-Komfortkasse-API-Key": key}
    response = httpx.request(method, f"{fake.url}/order/1", headers=headers, json=order_body())
    assert_error(response, 400, message(error_class), error_class)


def test_read_only_shop_may_read(fake: FakeKomfortkasse) -> None:
    key = fake.add_shop(read_only=True)
    response = httpx.get(f"{fake.url}/orders", headers={"X-Komfortkasse-API-Key": key})
    assert response.status_code == 200
    assert response.json() == []


# -- bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   ", b"null"])
def test_missing_body(http: httpx.Client, content: bytes) -> None:
    response = http.post("/order/1", content=content)
    assert_error(response, 400, message(MissingBodyError), MissingBodyError)


@pytest.mark.parametrize(
    "content",
    [b"<!-- generated --> {}", b'{"date": "01-01-2024",}', b"{'a': 1}", b"\xff\xfe", b"NaN"],
)
def test_invalid_json(http: httpx.Client, content: bytes) -> None:
    response = http.post("/order/1", content=content)
    assert_error(response, 400, message(InvalidJsonError), InvalidJsonError)


@pytest.mark.parametrize("name", ["date", "type", "amount", "currency", "billing"])
@pytest.mark.parametrize("how", ["missing", "empty"])
def test_missing_or_empty_required_field(http: httpx.Client, name: str, how: str) -> None:
    body = order_body()
    if how == "missing":
        del body[name]
    else:
        body[name] = ""
    response = http.post("/order/1", json=body)
    assert response.status_code == 400
    if how == "empty" and name in ("type", "amount", "billing"):
        # "" is not even of the right type here; any clear 400 will do, naming the field.
        assert name in response.json()["error"]
        return
    expected = message(MissingParameterError, parameter=name)
    assert_error(response, 400, expected, MissingParameterError)


def test_missing_number_in_bulk_submit(http: httpx.Client) -> None:
    response = http.post("/orders", json=[order_body()])
    expected = message(MissingParameterError, parameter="number")
    assert_error(response, 400, expected, MissingParameterError)


def test_address_needs_last_name_or_company(http: httpx.Client) -> None:
    response = http.post("/order/1", json=order_body(billing={"countryCode": "DE"}))
    assert response.status_code == 400
    error = api_error_for(400, response.json()["error"])
    assert isinstance(error, MissingParameterError)
    assert "billing.lastName" in error.parameter
    assert "billing.company" in error.parameter
    company_only = order_body(billing={"countryCode": "DE", "company": "ACME"})
    assert http.post("/order/1", json=company_only).status_code == 200


def test_nested_required_field(http: httpx.Client) -> None:
    response = http.post("/order/1", json=order_body(billing={"lastName": "M"}))
    expected = message(MissingParameterError, parameter="billing.countryCode")
    assert_error(response, 400, expected, MissingParameterError)


def test_wrong_type_is_a_clear_400(http: httpx.Client) -> None:
    response = http.post("/order/1", json=order_body(amount="lots"))
    assert response.status_code == 400
    assert "amount" in response.json()["error"]


@pytest.mark.parametrize("name", ["date", "dueDate"])
@pytest.mark.parametrize("value", ["2024-05-13", "31-02-2024", "13.05.2024", "1-5-2024"])
def test_bad_order_dates(http: httpx.Client, name: str, value: str) -> None:
    response = http.post("/order/1", json=order_body(**{name: value}))
    expected = message(InvalidDateError, "{parameter}", parameter=name)
    assert_error(response, 400, expected, InvalidDateError)


def test_date_in_the_future_only_on_new_orders(http: httpx.Client) -> None:
    tomorrow = wire(TODAY + datetime.timedelta(days=1))
    response = http.post("/order/1", json=order_body(date=tomorrow))
    assert_error(response, 400, message(InvalidDateError, "future"), InvalidDateError)
    create(http, "2")
    assert http.post("/order/2", json=order_body(date=tomorrow)).status_code == 200


def test_due_date_at_most_six_months_ahead(http: httpx.Client) -> None:
    limit = datetime.date(2024, 11, 13)
    assert http.post("/order/1", json=order_body(dueDate=wire(limit))).status_code == 200
    too_far = wire(limit + datetime.timedelta(days=1))
    response = http.post("/order/2", json=order_body(dueDate=too_far))
    assert_error(response, 400, message(DueDateTooFarError), DueDateTooFarError)


def test_number_mismatch(http: httpx.Client) -> None:
    response = http.post("/order/1", json=order_body(number="2"))
    assert_error(response, 400, message(NumberMismatchError), NumberMismatchError)
    assert http.post("/order/1", json=order_body(number="1")).status_code == 200


def test_initial_dunning_level_on_update(http: httpx.Client) -> None:
    create(http, "1")
    response = http.post("/order/1", json=order_body(initialDunningLevel=1))
    expected = message(InitialDunningLevelError)
    assert_error(response, 400, expected, InitialDunningLevelError)
    bulk = http.post("/orders", json=[order_body(number="1", initialDunningLevel=2)])
    assert_error(bulk, 400, expected, InitialDunningLevelError)


@pytest.mark.parametrize(
    ("path", "name"),
    [("/orders", "minPostingDate"), ("/postings", "createdMin"), ("/postings", "createdMax")],
)
def test_bad_date_query_parameters(http: httpx.Client, path: str, name: str) -> None:
    response = http.get(path, params={name: "2024-05-01"})
    expected = message(InvalidDateError, "{value}", value="2024-05-01")
    assert_error(response, 400, expected, InvalidDateError)


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/orders", {"maxAge": "ten"}, "maxAge"),
        ("/orders", {"maxAge": "³"}, "maxAge"),  # a digit to str.isdigit, not to int()
        ("/orders", {"maxAge": "٣"}, "maxAge"),  # a decimal digit, but not an ASCII one
        ("/orders", {"paymentStatus": "PAID,SOMETIMES"}, "paymentStatus"),
        ("/orders", {"includePostings": "yes"}, "includePostings"),
        ("/image/1", {"type": "JPEG"}, "type"),
    ],
)
def test_bad_query_parameters(
    http: httpx.Client, path: str, params: dict[str, str], name: str
) -> None:
    create(http, "1")
    response = http.get(path, params=params)
    expected = message(InvalidDateError, "{parameter}", parameter=name)
    assert response.status_code == 400
    assert response.json() == {"error": expected}


# -- state rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/order/nope"),
        ("POST", "/order/nope/setpaid"),
        ("POST", "/order/nope/setunpaid"),
        ("POST", "/order/nope/cancel"),
        ("POST", "/order/remove/nope"),
        ("GET", "/image/nope"),
    ],
)
def test_unknown_order(http: httpx.Client, method: str, path: str) -> None:
    response = http.request(method, path)
    expected = message(OrderNotFoundError, "{n}", number="nope")
    assert_error(response, 404, expected, OrderNotFoundError)


def test_unknown_order_for_refund_and_invoice(http: httpx.Client) -> None:
    refund = {"externalReference": "R", "amount": 1, "currency": "EUR", "plannedDate": "01-01-2030"}
    expected = message(OrderNotFoundError, "{n}", number="nope")
    assert_error(http.post("/order/nope/refund", json=refund), 404, expected, OrderNotFoundError)
    files = {"file": ("a.pdf", b"%PDF", "application/pdf")}
    invoice = http.post("/order/nope/invoice/1", files=files)
    assert_error(invoice, 404, expected, OrderNotFoundError)


def test_set_paid_twice(http: httpx.Client) -> None:
    create(http, "1")
    http.post("/order/1/setpaid")
    response = http.post("/order/1/setpaid")
    assert_error(response, 400, message(OrderAlreadyPaidError), OrderAlreadyPaidError)


def test_set_unpaid_preconditions(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1")
    response = http.post("/order/1/setunpaid")
    expected = message(SetUnpaidNotAllowedError, "paymentStatus PAID")
    assert_error(response, 400, expected, SetUnpaidNotAllowedError)
    fake.receive_payment("1", "22.38")  # PAID by a posting, not manually
    response = http.post("/order/1/setunpaid")
    expected = message(SetUnpaidNotAllowedError, "manual")
    assert_error(response, 400, expected, SetUnpaidNotAllowedError)


def _refund(**changes: Any) -> dict[str, Any]:
    body = {
        "externalReference": "RMA-1",
        "amount": 5,
        "currency": "EUR",
        "plannedDate": wire(TODAY + datetime.timedelta(days=1)),
    }
    body.update(changes)
    return body


def test_refund_rules(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1")
    create(http, "2")
    fake.receive_payment("1", "22.38")
    fake.receive_payment("2", "22.38")
    first = http.post("/order/1/refund", json=_refund()).json()
    # externalReference is unique per shop, not per order.
    again = http.post("/order/2/refund", json=_refund())
    expected = message(RefundAlreadyExistsError, reference_number=first["referenceNumber"])
    assert_error(again, 400, expected, RefundAlreadyExistsError)
    today = http.post(
        "/order/1/refund", json=_refund(externalReference="B", plannedDate=wire(TODAY))
    )
    expected = message(PlannedDateNotInFutureError)
    assert_error(today, 400, expected, PlannedDateNotInFutureError)
    missing = http.post("/order/1/refund", json={"externalReference": "C", "amount": 1})
    assert missing.json()["error"].startswith("Missing parameter ")
    bad = http.post("/order/1/refund", json=_refund(externalReference="D", plannedDate="x"))
    expected = message(InvalidDateError, "{parameter}", parameter="plannedDate")
    assert_error(bad, 400, expected, BadRequestError)  # not in the spec's table: the 400 class


def test_invoice_file_rules(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1")
    no_file = http.post("/order/1/invoice/9", files={"other": ("a.pdf", b"x", "a/b")})
    assert_error(no_file, 400, message(InvalidFileError, "missing"), InvalidFileError)
    # The spec requires a `file` part, not a filename: a part without one is a file too.
    no_name = http.post("/order/1/invoice/9", data={"file": "just text"}, files={"x": b"y"})
    assert no_name.status_code == 200, no_name.text
    [upload] = fake.order("1").invoices
    assert (upload.filename, upload.data) == (None, b"just text")
    not_multipart = http.post("/order/1/invoice/9", content=b"%PDF")
    assert_error(not_multipart, 400, message(InvalidFileError, "missing"), InvalidFileError)
    empty = http.post("/order/1/invoice/9", files={"file": ("a.pdf", b"", "application/pdf")})
    assert_error(empty, 400, message(InvalidFileError, "size"), InvalidFileError)


def test_orders_in_collection_cannot_be_changed(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1")
    fake.start_collection("1")
    response = http.post("/order/1", json=order_body())
    expected = message(OrderUpdateRejectedError, reason="paymentStatus COLLECTION")
    assert_error(response, 400, expected, OrderUpdateRejectedError)
    assert http.post("/order/1/cancel").status_code == 400
