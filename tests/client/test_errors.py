"""Every way the API (or something pretending to be it) can answer badly, and the
typed error the client turns it into.

The documented messages come straight from the spec's "Common error messages"
table, so a row added upstream without a mapping here fails the suite.
"""

from __future__ import annotations

import datetime
import json
import pickle
import re
import sys
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import komfortkasse._exceptions as errors_module
from komfortkasse import (
    APIError,
    ApiNotActiveError,
    AsyncKomfortkasse,
    AuthenticationError,
    BadRequestError,
    DueDateTooFarError,
    InitialDunningLevelError,
    InvalidDateError,
    InvalidFileError,
    InvalidJsonError,
    Komfortkasse,
    KomfortkasseError,
    LockError,
    MissingBodyError,
    MissingParameterError,
    NotFoundError,
    NumberMismatchError,
    OrderAlreadyPaidError,
    OrderNotFoundError,
    OrderRead,
    OrderUpdateRejectedError,
    PlannedDateNotInFutureError,
    ReadOnlyShopError,
    RefundAlreadyExistsError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
    SetUnpaidNotAllowedError,
    ShopNotActiveError,
    UnexpectedResponseError,
    ValidationError,
)
from komfortkasse._exports import EXPORTS
from tests.operations import NUMBER, OPERATIONS, UNWRAPPED
from tests.repo import ROOT, spec
from tests.samples import FAST, an_order, order_json

ORDER_JSON: dict[str, Any] = order_json(NUMBER)
HTML_LOGIN = (
    b"<!DOCTYPE html>\n<html><head><title>Komfortkasse - Login</title></head>"
    b"<body><form action='/login'>Benutzername</form></body></html>"
)


# --- the spec's table ---------------------------------------------------------------

#: Sample values for the table's ``<placeholder>`` notation.
SAMPLES = {
    "name": "amount",
    "value": "2018-04-25",
    "n": NUMBER,
    "reason": "order is CANCELLED",
    "referenceNumber": "KKBT0001",
}


def _spec_description() -> str:
    description: str = spec()["info"]["description"]
    return description


def _table_lines() -> list[str]:
    """The body rows of the "Common error messages" table (header and rule excluded)."""
    lines = _spec_description().splitlines()
    start = lines.index("### Common error messages")
    rows: list[str] = []
    in_table = False
    for line in lines[start + 1 :]:
        if line.startswith("|"):
            in_table = True
            rows.append(line)
        elif in_table:
            break
    header, rule, *body = rows
    assert "`error` message" in header
    assert set(rule.replace("|", "").strip()) <= {"-", " "}
    return body


def _fill(template: str) -> str:
    # A placeholder the spec adds later gets a sample of its own (never a crash).
    return re.sub(r"<(\w+)>", lambda m: SAMPLES.get(m.group(1), f"X-{m.group(1)}"), template)


def spec_messages() -> list[tuple[int, str]]:
    """(status, concrete message) for every message of the table, "A / B" cells split."""
    found: list[tuple[int, str]] = []
    for line in _table_lines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 3, line
        status = int(cells[0].strip("`"))
        templates = [part.strip().strip("`") for part in cells[1].split(" / ")]
        assert templates, line
        found.extend((status, _fill(template)) for template in templates)
    return found


#: Every documented message: (status, expected class, expected extra attributes, operation).
EXPECTED: dict[str, tuple[int, type[APIError], dict[str, Any], str]] = {
    "Authentication header not present": (401, AuthenticationError, {}, "getOrder"),
    "Invalid authentication header": (401, AuthenticationError, {}, "readOrders"),
    "Replace '[your API key]' with the API key from the merchant area": (
        401,
        AuthenticationError,
        {},
        "readPostings",
    ),
    "API not active, contact support": (400, ApiNotActiveError, {}, "syncOrders"),
    "Update not allowed for non-API Shop": (400, ReadOnlyShopError, {}, "submitOrder"),
    "Shop not active": (400, ShopNotActiveError, {}, "removeOrder"),
    "Missing body": (400, MissingBodyError, {}, "submitOrder"),
    "Missing parameter amount": (
        400,
        MissingParameterError,
        {"parameter": "amount"},
        "submitOrder",
    ),
    "Invalid date: 2018-04-25, format should be dd-MM-yyyy": (
        400,
        InvalidDateError,
        {"value": "2018-04-25"},
        "readPostings",
    ),
    "Parameter date is not valid": (400, InvalidDateError, {}, "submitOrder"),
    "Parameter dueDate is not valid": (400, InvalidDateError, {}, "submitOrder"),
    "Parameter date must not be in the future": (400, InvalidDateError, {}, "submitOrder"),
    "Parameter dueDate must not be more than 6 months in the future": (
        400,
        DueDateTooFarError,
        {},
        "submitOrder",
    ),
    "Parameter number and number in object do not match": (
        400,
        NumberMismatchError,
        {},
        "submitOrder",
    ),
    "Parameter initialDunningLevel can only be given when creating a new order": (
        400,
        InitialDunningLevelError,
        {},
        "submitOrder",
    ),
    "Could not acquire lock": (400, LockError, {"attempts": FAST.max_attempts}, "submitOrder"),
    "Could not update order (order is CANCELLED)": (
        400,
        OrderUpdateRejectedError,
        {"reason": "order is CANCELLED"},
        "submitOrder",
    ),
    "Refund already exists: KKBT0001": (
        400,
        RefundAlreadyExistsError,
        {"reference_number": "KKBT0001"},
        "createRefund",
    ),
    "Planned date must be in the future": (400, PlannedDateNotInFutureError, {}, "createRefund"),
    "Invalid JSON, comments not allowed in JSON body": (400, InvalidJsonError, {}, "submitOrder"),
    "File missing": (400, InvalidFileError, {}, "submitInvoice"),
    "File size 0": (400, InvalidFileError, {}, "submitInvoice"),
    "Order already in paymentStatus PAID": (400, OrderAlreadyPaidError, {}, "setOrderPaid"),
    "Order must have paymentStatus PAID": (400, SetUnpaidNotAllowedError, {}, "setOrderUnpaid"),
    "Order must have manual paymentStatus": (400, SetUnpaidNotAllowedError, {}, "setOrderUnpaid"),
    f"Order '{NUMBER}' not found": (404, OrderNotFoundError, {"number": NUMBER}, "getOrder"),
    "Order not found": (404, OrderNotFoundError, {}, "getImage"),
}

STATUS_CLASS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
}


# --- answering an operation ---------------------------------------------------------


def serve(
    httpserver: HTTPServer,
    operation: str,
    body: bytes | str,
    *,
    status: int = 200,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Callable[[Any], Any]:
    """Answer ``operation``'s URL with the given response; returns the caller."""
    called = OPERATIONS[operation]
    httpserver.expect_request(called.url_path, method=called.method).respond_with_data(
        body, status=status, content_type=content_type, headers=headers
    )
    return called.call


def error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


def assert_library_error(exc: BaseException) -> None:
    """Nothing from json, dict access or a bare ValueError escapes."""
    assert isinstance(exc, KomfortkasseError), type(exc)
    assert not isinstance(exc, json.JSONDecodeError | KeyError | TypeError)
    assert type(exc).__module__.startswith("komfortkasse")


# --- the documented messages ----------------------------------------------------------


def test_the_table_is_parsed_and_every_message_has_a_mapping() -> None:
    messages = spec_messages()
    rows = _table_lines()
    # One message per row, plus one per extra " / " alternative in a row.
    alternatives = sum(line.count("` / `") for line in rows)
    assert len(messages) == len(rows) + alternatives
    assert len(rows) >= 23  # the table as of this spec version; it only grows
    assert [m for _, m in messages if "<" in m or ">" in m] == []
    assert len({m for _, m in messages}) == len(messages)
    # Every named mapping is a row of the spec; a row without one is raised as its
    # status class (see the next test), so a new row needs no edit here.
    assert set(EXPECTED) <= {m for _, m in messages}, "a mapping for a message the spec lost"
    for status, message in messages:
        if message in EXPECTED:
            assert EXPECTED[message][0] == status, message


@pytest.mark.parametrize(("status", "message"), spec_messages(), ids=lambda v: str(v)[:40])
def test_every_documented_message_maps_to_its_class(
    httpserver: HTTPServer, client: Komfortkasse, status: int, message: str
) -> None:
    default = (status, STATUS_CLASS[status], {}, "getOrder")
    expected_status, expected_class, attributes, operation = EXPECTED.get(message, default)
    assert expected_status == status
    body = error_body(message)
    invoke = serve(httpserver, operation, body, status=status)

    with pytest.raises(APIError) as caught:
        invoke(client)
    error = caught.value

    assert type(error) is expected_class
    assert isinstance(error, STATUS_CLASS[status])
    assert isinstance(error, KomfortkasseError)
    assert error.status_code == status
    assert error.message == message
    assert error.body == body
    assert error.operation == operation
    assert str(error) == f"{operation}: {message} (HTTP {status})"
    for name, value in attributes.items():
        assert getattr(error, name) == value, name
    # Only a lock is worth repeating; every other documented error is final at once.
    expected_requests = FAST.max_attempts if expected_class is LockError else 1
    assert len(httpserver.log) == expected_requests
    called = OPERATIONS[operation]
    assert {(r.method, r.path) for r, _ in httpserver.log} == {(called.method, called.url_path)}


def test_every_operation_reports_its_operation_id(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    for called in UNWRAPPED:
        httpserver.clear()
        httpserver.expect_request(called.url_path, method=called.method).respond_with_json(
            {"error": "Shop not active"}, status=400
        )
        with pytest.raises(ShopNotActiveError) as caught:
            called.call(client)
        assert caught.value.operation == called.operation_id
        assert str(caught.value).startswith(f"{called.operation_id}: ")


def test_a_documented_message_with_another_status_is_not_misclassified(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    # "Order not found" belongs to 404; a 400 with that text is a plain bad request.
    invoke = serve(httpserver, "cancelOrder", error_body("Order not found"), status=400)
    with pytest.raises(BadRequestError) as caught:
        invoke(client)
    assert type(caught.value) is BadRequestError


# --- unknown and server-side errors -----------------------------------------------------


def test_unknown_400_message_is_a_plain_bad_request(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    body = error_body("Something brand new went wrong")
    invoke = serve(httpserver, "setOrderPaid", body, status=400)
    with pytest.raises(BadRequestError) as caught:
        invoke(client)
    error = caught.value
    assert type(error) is BadRequestError
    assert error.message == "Something brand new went wrong"
    assert error.status_code == 400
    assert error.operation == "setOrderPaid"
    assert error.body == body
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    "body",
    [b"<html><body>Bad Request</body></html>", b'{"message": "nope"}', b'{"error": 42}', b""],
    ids=["html", "no-error-key", "error-not-a-string", "empty"],
)
def test_400_without_an_error_message_is_still_a_bad_request(
    httpserver: HTTPServer, client: Komfortkasse, body: bytes
) -> None:
    invoke = serve(httpserver, "cancelOrder", body, status=400)
    with pytest.raises(BadRequestError) as caught:
        invoke(client)
    error = caught.value
    assert type(error) is BadRequestError
    assert error.body == body
    assert error.message  # says what it got instead of an empty text
    if body:
        assert body[:10].decode() in error.message


@pytest.mark.parametrize("operation", ["getOrder", "cancelOrder"])
def test_500_with_json_error_is_a_server_error(
    httpserver: HTTPServer, client: Komfortkasse, operation: str
) -> None:
    body = error_body("java.lang.NullPointerException")
    invoke = serve(httpserver, operation, body, status=500)
    with pytest.raises(ServerError) as caught:
        invoke(client.with_options(retry=RetryPolicy.never()))
    error = caught.value
    assert type(error) is ServerError
    assert isinstance(error, APIError)
    assert error.status_code == 500
    assert error.message == "java.lang.NullPointerException"
    assert error.operation == operation
    assert error.body == body


def test_502_with_an_html_body_is_a_server_error_showing_a_snippet(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    invoke = serve(httpserver, "cancelOrder", body, status=502, content_type="text/html")
    with pytest.raises(ServerError) as caught:
        invoke(client)
    error = caught.value
    assert type(error) is ServerError
    assert error.status_code == 502
    assert error.body == body
    assert "502 Bad Gateway" in str(error)
    assert "HTTP 502" in str(error)
    assert len(httpserver.log) == 1  # cancel is never repeated


def test_nonstandard_520_with_an_empty_body_is_a_server_error(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    invoke = serve(httpserver, "cancelOrder", b"", status=520, content_type="text/plain")
    with pytest.raises(ServerError) as caught:
        invoke(client)
    error = caught.value
    assert error.status_code == 520
    assert error.body == b""
    assert error.message == "empty body"
    assert "HTTP 520" in str(error)


@pytest.mark.parametrize("status", [418, 403, 405, 429])
def test_undocumented_4xx_status_is_an_unexpected_response(
    httpserver: HTTPServer, client: Komfortkasse, status: int
) -> None:
    body = b"I'm a teapot" if status == 418 else b"<html>nope</html>"
    invoke = serve(httpserver, "getOrder", body, status=status, content_type="text/plain")
    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    error = caught.value
    assert type(error) is UnexpectedResponseError
    assert not isinstance(error, APIError)
    assert error.status_code == status
    assert error.operation == "getOrder"
    assert error.body == body
    assert f"HTTP {status}" in str(error)
    assert body.decode() in str(error)
    assert len(httpserver.log) == 1


# --- answers that are not the API's -----------------------------------------------------


def test_200_with_an_html_login_page(httpserver: HTTPServer, client: Komfortkasse) -> None:
    invoke = serve(httpserver, "getOrder", HTML_LOGIN, content_type="text/html")
    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    error = caught.value
    assert_library_error(error)
    assert type(error) is UnexpectedResponseError
    assert error.status_code == 200
    assert error.operation == "getOrder"
    assert error.body == HTML_LOGIN
    assert error.snippet.startswith("<!DOCTYPE html>")
    assert "not JSON" in str(error)
    assert "Komfortkasse - Login" in str(error)
    assert len(httpserver.log) == 1  # not retried


def test_200_with_an_empty_body(httpserver: HTTPServer, client: Komfortkasse) -> None:
    invoke = serve(httpserver, "getOrder", b"", content_type="text/html")
    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    error = caught.value
    assert_library_error(error)
    assert error.status_code == 200
    assert error.body == b""
    assert "empty response body" in str(error)


def test_200_with_truncated_json(httpserver: HTTPServer, client: Komfortkasse) -> None:
    body = b'{"number": "7", "date": "25-04-2018", "billing": {"lastNa'
    invoke = serve(httpserver, "getOrder", body)
    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    error = caught.value
    assert_library_error(error)
    assert error.status_code == 200
    assert '{"number": "7"' in str(error)
    assert "not JSON" in str(error)


def test_200_with_a_long_body_shows_only_a_snippet(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    body = b"<html>" + b"x" * 5000 + b"THE-END</html>"
    invoke = serve(httpserver, "readOrders", body, content_type="text/html")
    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    error = caught.value
    assert error.body == body  # the whole body is kept for debugging ...
    assert "THE-END" not in str(error)  # ... but the message stays readable
    assert len(str(error)) < 500


def test_200_with_invalid_utf8(httpserver: HTTPServer, client: Komfortkasse) -> None:
    invoke = serve(httpserver, "getOrder", b"\xff\xfe\x00garbage", content_type="text/plain")
    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    assert_library_error(caught.value)
    assert caught.value.status_code == 200


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_login_page_is_not_followed(
    httpserver: HTTPServer, client: Komfortkasse, status: int
) -> None:
    login = httpserver.url_for("/login")
    invoke = serve(httpserver, "getOrder", b"", status=status, headers={"Location": login})
    httpserver.expect_request("/login").respond_with_data(HTML_LOGIN, content_type="text/html")

    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    error = caught.value
    assert type(error) is UnexpectedResponseError
    assert error.status_code == status
    assert "redirect" in str(error)
    assert login in str(error)
    assert [r.path for r, _ in httpserver.log] == ["/api/v2/order/7"]


def test_200_json_missing_a_required_field(httpserver: HTTPServer, client: Komfortkasse) -> None:
    body = json.dumps({k: v for k, v in ORDER_JSON.items() if k != "billing"}).encode()
    invoke = serve(httpserver, "getOrder", body)
    with pytest.raises(ResponseValidationError) as caught:
        invoke(client)
    error = caught.value
    assert_library_error(error)
    assert error.status_code == 200
    assert error.operation == "getOrder"
    assert "billing" in str(error)
    assert '"number": "7"' in str(error)  # snippet of the body
    assert len(httpserver.log) == 1


def test_200_json_with_an_iso_date_names_the_field(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    body = json.dumps({**ORDER_JSON, "date": "2018-04-25"}).encode()
    invoke = serve(httpserver, "getOrder", body)
    with pytest.raises(ResponseValidationError) as caught:
        invoke(client)
    error = caught.value
    assert_library_error(error)
    assert error.field == "date"
    assert error.status_code == 200
    assert error.operation == "getOrder"
    assert error.body == body
    assert "field date:" in str(error)
    assert "2018-04-25" in str(error)
    assert "dd-MM-yyyy" in str(error)


def test_200_json_with_a_bad_nested_date_names_that_field(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    posting = {"id": "P", "amount": 1.0, "currency": "EUR", "postingDate": "2018/04/26"}
    body = json.dumps({**ORDER_JSON, "postings": [posting]}).encode()
    invoke = serve(httpserver, "getOrder", body)
    with pytest.raises(ResponseValidationError) as caught:
        invoke(client)
    assert caught.value.field == "postings[0].postingDate"
    assert caught.value.python_field == "postings[0].posting_date"
    assert caught.value.status_code == 200


@pytest.mark.parametrize(
    ("operation", "payload", "words"),
    [
        ("getOrder", [ORDER_JSON], "expected object"),
        ("getOrder", None, "expected object"),
        ("getOrder", "7", "expected object"),
        ("readOrders", ORDER_JSON, "expected array"),
        ("readOrders", [ORDER_JSON, 5], "field [1]: expected object"),
        ("readPostings", {"postings": []}, "expected array"),
        ("getOrder", {**ORDER_JSON, "billing": ["Mustermann"]}, ""),
        ("getOrder", {**ORDER_JSON, "billing": "Mustermann"}, ""),
        ("getOrder", {**ORDER_JSON, "postings": {"id": "P"}}, ""),
        ("createRefund", [], "expected object"),
        ("syncOrders", "abc", "expected integer"),
        ("syncOrders", True, "expected integer"),
        ("syncOrders", 2.5, "expected integer"),
        ("syncOrders", {"count": 2}, "expected integer"),
    ],
    ids=lambda v: v if isinstance(v, str) else type(v).__name__,
)
def test_200_json_that_does_not_fit_the_schema(
    httpserver: HTTPServer, client: Komfortkasse, operation: str, payload: Any, words: str
) -> None:
    body = json.dumps(payload).encode()
    invoke = serve(httpserver, operation, body)
    with pytest.raises(ResponseValidationError) as caught:
        invoke(client)
    error = caught.value
    assert_library_error(error)
    assert error.status_code == 200
    assert error.operation == operation
    assert error.body == body
    assert words in str(error)
    assert "HTTP 200" in str(error)
    assert len(httpserver.log) == 1


def test_sync_answering_bare_text_is_an_unexpected_response(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    invoke = serve(httpserver, "syncOrders", b"abc", content_type="text/plain")
    with pytest.raises(UnexpectedResponseError) as caught:
        invoke(client)
    error = caught.value
    assert_library_error(error)
    assert error.status_code == 200
    assert error.operation == "syncOrders"
    assert "'abc'" in str(error)


def test_sync_answering_a_count_works(httpserver: HTTPServer, client: Komfortkasse) -> None:
    # The positive control for the cases above.
    invoke = serve(httpserver, "syncOrders", b"3")
    assert invoke(client) == 3


def test_a_good_answer_still_decodes(httpserver: HTTPServer, client: Komfortkasse) -> None:
    invoke = serve(httpserver, "getOrder", json.dumps(ORDER_JSON).encode())
    order = invoke(client)
    assert isinstance(order, OrderRead)
    assert order.date == datetime.date(2018, 4, 25)


def test_200_with_pathologically_nested_json(httpserver: HTTPServer, client: Komfortkasse) -> None:
    invoke = serve(httpserver, "getOrder", b"[" * 100_000)
    with pytest.raises(UnexpectedResponseError):
        invoke(client)


def test_400_with_pathologically_nested_json(httpserver: HTTPServer, client: Komfortkasse) -> None:
    invoke = serve(httpserver, "cancelOrder", b'{"error":' * 100_000, status=400)
    with pytest.raises(BadRequestError):
        invoke(client)


# --- the same through AsyncKomfortkasse ---------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    "message",
    [
        "Order already in paymentStatus PAID",
        "Refund already exists: KKBT0001",
        "Missing parameter amount",
        "Invalid authentication header",
        f"Order '{NUMBER}' not found",
    ],
)
async def test_async_documented_messages(
    httpserver: HTTPServer, async_client: AsyncKomfortkasse, message: str
) -> None:
    status, expected_class, attributes, operation = EXPECTED[message]
    body = error_body(message)
    invoke = serve(httpserver, operation, body, status=status)
    async with async_client as kk:
        with pytest.raises(APIError) as caught:
            await invoke(kk)
    error = caught.value
    assert type(error) is expected_class
    assert isinstance(error, STATUS_CLASS[status])
    assert (error.status_code, error.message, error.operation, error.body) == (
        status,
        message,
        operation,
        body,
    )
    for name, value in attributes.items():
        assert getattr(error, name) == value
    assert len(httpserver.log) == 1


@pytest.mark.anyio
async def test_async_lock_is_retried_then_raised(
    httpserver: HTTPServer, async_client: AsyncKomfortkasse
) -> None:
    httpserver.expect_request("/api/v2/order/7/cancel", method="POST").respond_with_json(
        {"error": "Could not acquire lock"}, status=400
    )
    async with async_client as kk:
        with pytest.raises(LockError) as caught:
            await kk.orders.cancel("7")
    assert caught.value.attempts == FAST.max_attempts
    assert len(httpserver.log) == FAST.max_attempts


@pytest.mark.anyio
async def test_async_server_errors(httpserver: HTTPServer, async_client: AsyncKomfortkasse) -> None:
    httpserver.expect_request("/api/v2/order/7/setpaid", method="POST").respond_with_data(
        b"<html>502 Bad Gateway</html>", status=502, content_type="text/html"
    )
    httpserver.expect_request("/api/v2/order/7/cancel", method="POST").respond_with_data(
        b"", status=520
    )
    httpserver.expect_request("/api/v2/order/7", method="GET").respond_with_data(
        b"short and stout", status=418
    )
    async with async_client as kk:
        with pytest.raises(ServerError) as bad_gateway:
            await kk.orders.set_paid("7")
        with pytest.raises(ServerError) as nonstandard:
            await kk.orders.cancel("7")
        with pytest.raises(UnexpectedResponseError) as teapot:
            await kk.orders.get("7")
    assert bad_gateway.value.status_code == 502
    assert "502 Bad Gateway" in str(bad_gateway.value)
    assert nonstandard.value.status_code == 520
    assert teapot.value.status_code == 418
    assert not isinstance(teapot.value, APIError)


@pytest.mark.anyio
async def test_async_non_json_answers(
    httpserver: HTTPServer, async_client: AsyncKomfortkasse
) -> None:
    login = httpserver.url_for("/login")
    httpserver.expect_request("/api/v2/order/7", method="GET").respond_with_data(
        HTML_LOGIN, content_type="text/html"
    )
    httpserver.expect_request("/api/v2/orders", method="GET").respond_with_data(
        b"", status=302, headers={"Location": login}
    )
    httpserver.expect_request("/api/v2/order/7", method="POST").respond_with_json(
        {**ORDER_JSON, "date": "2018-04-25"}
    )
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_data(b"abc")
    httpserver.expect_request("/login").respond_with_data(HTML_LOGIN, content_type="text/html")
    async with async_client as kk:
        with pytest.raises(UnexpectedResponseError) as html:
            await kk.orders.get("7")
        with pytest.raises(UnexpectedResponseError) as redirect:
            await kk.orders.list()
        with pytest.raises(ResponseValidationError) as bad_date:
            await kk.orders.submit("7", an_order())
        with pytest.raises(UnexpectedResponseError) as not_a_count:
            await kk.orders.sync(["7"])
    for caught in (html, redirect, bad_date, not_a_count):
        assert_library_error(caught.value)
    assert "Komfortkasse - Login" in str(html.value)
    assert redirect.value.status_code == 302
    assert "redirect" in str(redirect.value)
    assert bad_date.value.field == "date"
    assert bad_date.value.operation == "submitOrder"
    assert not_a_count.value.operation == "syncOrders"
    assert "/login" not in [r.path for r, _ in httpserver.log]


def test_a_new_row_of_the_spec_is_raised_with_no_hand_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A row the overlay does not name (here with a new placeholder) is its status
    class, its placeholder's text an attribute; the table comes from the spec."""

    import komfortkasse._exceptions as errors_module

    sys.path.insert(0, str(ROOT / "codegen"))
    import error_table

    document = spec()
    document["info"]["description"] = document["info"]["description"].replace(
        "| `400`  | `Could not acquire lock`",
        "| `400`  | `Invoice <invoiceNumber> already uploaded` | Upload once. |\n"
        "| `400`  | `Could not acquire lock`",
    )
    table = errors_module.error_table(tuple(error_table.error_rows(document)))
    monkeypatch.setattr(errors_module, "ERROR_TABLE", table)
    error = errors_module.api_error_for(400, "Invoice R-7 already uploaded", operation="x")
    assert type(error) is errors_module.BadRequestError
    assert error.invoice_number == "R-7"  # type: ignore[attr-defined]
    row = next(r for r in table if r.template.startswith("Invoice"))
    assert row.meaning == "Upload once."
    assert row.format(invoice_number="R-8") == "Invoice R-8 already uploaded"
    locked = errors_module.api_error_for(400, "Could not acquire lock")
    assert type(locked) is errors_module.LockError  # the overlay still names its rows


def test_every_named_class_is_keyed_by_a_row_of_the_spec() -> None:
    from komfortkasse._exceptions import ERROR_TABLE, NAMED_ERRORS

    # A row the overlay does not name is raised as its status class (a new row needs no edit).
    assert set(NAMED_ERRORS) <= {row.template for row in ERROR_TABLE}


def _instances() -> list[KomfortkasseError]:
    found: list[KomfortkasseError] = []
    for name in EXPORTS["komfortkasse._exceptions"]:
        cls = getattr(errors_module, name)
        if not (isinstance(cls, type) and issubclass(cls, KomfortkasseError)):
            continue
        if issubclass(cls, ValidationError):
            error: KomfortkasseError = cls("orders[3].amount", "must be finite")
        elif issubclass(cls, errors_module.TransportError):
            error = cls("timed out", operation="getOrder", request_sent=True)
        elif issubclass(cls, UnexpectedResponseError):
            error = cls("not JSON", operation="getOrder", status_code=200, body=b"<h", field="x")
        elif issubclass(cls, errors_module.APIError):
            error = cls("Refund already exists: KKBT1", status_code=400, operation="op", body=b"{")
            error.reference_number = "KKBT1"  # type: ignore[attr-defined]
        else:
            error = cls("plain message")
        error.add_note("gave up after 2 attempts")
        found.append(error)
    return found


@pytest.mark.parametrize("error", _instances(), ids=lambda e: type(e).__name__)
def test_every_error_survives_a_pickle_round_trip(error: KomfortkasseError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)


def test_the_pickle_test_covers_every_error_class() -> None:
    classes = {
        name
        for name in EXPORTS["komfortkasse._exceptions"]
        if isinstance(getattr(errors_module, name), type)
        and issubclass(getattr(errors_module, name), KomfortkasseError)
    }
    assert {type(e).__name__ for e in _instances()} == classes
    assert len(classes) > 25
