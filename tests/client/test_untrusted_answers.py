"""Answers that must not be believed: another order's data, a bulk answer that does not
list the orders sent, a negative count, a 200 that carries the API's error message."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    AsyncKomfortkasse,
    BulkSubmitError,
    InvalidFileError,
    Komfortkasse,
    LockError,
    OrderWriteWithNumber,
    ResponseValidationError,
    RetryPolicy,
    ValidationError,
)
from tests.samples import a_refund, an_order, order_json, refund_json

KEY = "test-key-answers"


def numbered(number: str) -> OrderWriteWithNumber:
    return OrderWriteWithNumber.from_dict({"number": number, **an_order().to_dict()})


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[Komfortkasse]:
    with Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=RetryPolicy.never()) as kk:
        yield kk


def run_async(httpserver: HTTPServer, use: Callable[[AsyncKomfortkasse], Awaitable[Any]]) -> Any:
    import anyio

    async def main() -> Any:
        async with AsyncKomfortkasse(
            KEY, base_url=httpserver.url_for("/api/v2"), retry=RetryPolicy.never()
        ) as kk:
            return await use(kk)

    return anyio.run(main)


SINGLE_ORDER_CALLS: list[tuple[str, str, str, Callable[[Any], Any]]] = [
    ("getOrder", "GET", "/api/v2/order/1001", lambda o: o.get("1001")),
    ("submitOrder", "POST", "/api/v2/order/1001", lambda o: o.submit("1001", an_order())),
    ("setOrderPaid", "POST", "/api/v2/order/1001/setpaid", lambda o: o.set_paid("1001")),
    ("setOrderUnpaid", "POST", "/api/v2/order/1001/setunpaid", lambda o: o.set_unpaid("1001")),
    ("cancelOrder", "POST", "/api/v2/order/1001/cancel", lambda o: o.cancel("1001")),
    ("removeOrder", "POST", "/api/v2/order/remove/1001", lambda o: o.remove("1001")),
]


@pytest.mark.parametrize(
    ("operation", "method", "path", "call"),
    SINGLE_ORDER_CALLS,
    ids=[c[0] for c in SINGLE_ORDER_CALLS],
)
def test_an_answer_for_another_order_is_refused(  # noqa: PLR0917 (parametrized columns)
    client: Komfortkasse, httpserver: HTTPServer, operation: str, method: str, path: str, call: Any
) -> None:
    httpserver.expect_request(path, method=method).respond_with_json(order_json("9999"))
    with pytest.raises(ResponseValidationError) as caught:
        call(client.orders)
    assert caught.value.field == "number"
    assert "'9999'" in str(caught.value)
    assert "'1001'" in str(caught.value)
    assert caught.value.operation == operation
    assert caught.value.status_code == 200


@pytest.mark.parametrize(
    ("operation", "method", "path", "call"),
    SINGLE_ORDER_CALLS,
    ids=[c[0] for c in SINGLE_ORDER_CALLS],
)
def test_an_answer_for_another_order_is_refused_async(
    httpserver: HTTPServer, operation: str, method: str, path: str, call: Callable[[Any], Any]
) -> None:
    httpserver.expect_request(path, method=method).respond_with_json(order_json("9999"))
    with pytest.raises(ResponseValidationError, match="9999"):
        run_async(httpserver, lambda kk: call(kk.orders))


def test_the_right_order_is_still_believed(client: Komfortkasse, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v2/order/1001").respond_with_json(order_json("1001"))
    assert client.orders.get("1001").number == "1001"


def test_a_refund_answer_for_another_reference_is_refused(
    client: Komfortkasse, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/api/v2/order/1001/refund", method="POST").respond_with_json(
        refund_json(externalReference="RMA-OTHER")
    )
    with pytest.raises(ResponseValidationError, match="RMA-OTHER") as caught:
        client.orders.refund("1001", a_refund())
    assert caught.value.field == "externalReference"


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        (["A"], "missing: 'B'"),
        (["A", "B", "C"], "not sent: 'C'"),
        (["A", "X"], "missing: 'B'; not sent: 'X'"),
        (["A", "B", "B"], "more often than sent: 'B'"),
        ([], "missing: 'A', 'B'"),
    ],
)
def test_a_bulk_answer_must_list_exactly_the_orders_sent(
    client: Komfortkasse, httpserver: HTTPServer, answer: list[str], detail: str
) -> None:
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_json(
        [order_json(n) for n in answer]
    )
    with pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many([numbered("A"), numbered("B")])
    error = caught.value.error
    assert isinstance(error, ResponseValidationError)
    assert detail in str(error)
    assert caught.value.accepted == []


def test_a_bulk_answer_is_refused_async(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_json([order_json("A")])
    with pytest.raises(BulkSubmitError) as caught:
        run_async(httpserver, lambda kk: kk.orders.submit_many([numbered("A"), numbered("B")]))
    assert isinstance(caught.value.error, ResponseValidationError)


def test_a_bulk_answer_in_another_order_or_deduplicated_is_believed(
    client: Komfortkasse, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_json(
        [order_json("B"), order_json("A")]
    )
    reads = client.orders.submit_many([numbered("A"), numbered("B"), numbered("A")])
    assert sorted(r.number for r in reads) == ["A", "B"]


@pytest.mark.parametrize("count", [-5, -1])
def test_a_negative_sync_count_is_refused(
    client: Komfortkasse, httpserver: HTTPServer, count: int
) -> None:
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_json(count)
    with pytest.raises(ResponseValidationError, match=str(count)):
        client.orders.sync(["1001"])


def test_a_negative_sync_count_is_refused_async(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_json(-5)
    with pytest.raises(ResponseValidationError):
        run_async(httpserver, lambda kk: kk.orders.sync(["1001"]))


def test_a_zero_sync_count_is_believed(client: Komfortkasse, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_json(0)
    assert client.orders.sync(["1001"]) == 0


def invoice_path() -> str:
    return "/api/v2/order/1001/invoice/R-1"


def test_an_invoice_upload_answered_200_with_an_error_raises_it(
    client: Komfortkasse, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(invoice_path(), method="POST").respond_with_json(
        {"error": "File missing"}
    )
    with pytest.raises(InvalidFileError) as caught:
        client.orders.upload_invoice("1001", "R-1", b"%PDF-1.4")
    assert caught.value.message == "File missing"
    assert caught.value.operation == "submitInvoice"
    assert any("HTTP 200" in note for note in caught.value.__notes__)
    assert json.loads(caught.value.body) == {"error": "File missing"}


def test_an_invoice_upload_answered_200_with_an_error_raises_it_async(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request(invoice_path(), method="POST").respond_with_json(
        {"error": "Could not acquire lock"}
    )
    with pytest.raises(LockError):
        run_async(httpserver, lambda kk: kk.orders.upload_invoice("1001", "R-1", b"%PDF-1.4"))


def test_an_unknown_error_in_a_200_is_still_an_api_error(
    client: Komfortkasse, httpserver: HTTPServer
) -> None:
    from komfortkasse import BadRequestError

    httpserver.expect_request(invoice_path(), method="POST").respond_with_json(
        {"error": "Something new"}
    )
    with pytest.raises(BadRequestError, match="Something new"):
        client.orders.upload_invoice("1001", "R-1", b"%PDF-1.4")


@pytest.mark.parametrize("body", ["", "{}", '"ok"'])
def test_an_invoice_upload_answered_200_without_an_error_succeeds(
    client: Komfortkasse, httpserver: HTTPServer, body: str
) -> None:
    httpserver.expect_request(invoice_path(), method="POST").respond_with_data(
        body, content_type="application/json"
    )
    assert client.orders.upload_invoice("1001", "R-1", b"%PDF-1.4") is None


def test_a_read_answered_200_with_an_error_raises_it(
    client: Komfortkasse, httpserver: HTTPServer
) -> None:
    from komfortkasse import OrderNotFoundError

    httpserver.expect_request("/api/v2/order/1001").respond_with_json(
        {"error": "Order '1001' not found"}
    )
    with pytest.raises(OrderNotFoundError):
        client.orders.get("1001")


# --- bad input that was not a ValidationError ------------------------------------------


def test_sync_of_none_is_a_validation_error(client: Komfortkasse) -> None:
    with pytest.raises(ValidationError) as caught:
        client.orders.sync(None)  # type: ignore[arg-type]
    assert caught.value.field == "open_order_numbers"
    with pytest.raises(ValidationError):
        client.orders.preview_sync(None)  # type: ignore[arg-type]


def test_submit_many_of_none_is_a_validation_error(client: Komfortkasse) -> None:
    for bad in (None, 5, numbered("A"), "A,B", b"A"):
        with pytest.raises(ValidationError) as caught:
            client.orders.submit_many(bad)  # type: ignore[arg-type]
        assert caught.value.field == "orders"
        with pytest.raises(ValidationError):
            client.orders.submit_iter(bad)  # type: ignore[arg-type]


def test_async_submit_many_of_none_is_a_validation_error(httpserver: HTTPServer) -> None:
    with pytest.raises(ValidationError) as caught:
        run_async(httpserver, lambda kk: kk.orders.submit_many(None))
    assert caught.value.field == "orders"
    with pytest.raises(ValidationError):
        run_async(httpserver, lambda kk: kk.orders.sync(None))


def test_nothing_is_sent_for_refused_input(client: Komfortkasse, httpserver: HTTPServer) -> None:
    with pytest.raises(ValidationError):
        client.orders.submit_many(None)  # type: ignore[arg-type]
    assert httpserver.log == []
