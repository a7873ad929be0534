"""Answers that must not be believed: another order's data, a bulk answer that does not
list the orders sent, a negative count, a 200 that carries the API's error message."""

from __future__ import annotations

import json

import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    AsyncKomfortkasse,
    InvalidFileError,
    Komfortkasse,
    LockError,
    ResponseValidationError,
)
from tests.operations import NUMBER, SINGLE_ORDER, Operation
from tests.samples import a_refund, order_json, refund_json
from tests.scripted import run_async

IDS = [op.operation_id for op in SINGLE_ORDER]


@pytest.mark.parametrize("called", SINGLE_ORDER, ids=IDS)
def test_an_answer_for_another_order_is_refused(
    client: Komfortkasse, httpserver: HTTPServer, called: Operation
) -> None:
    httpserver.expect_request(called.url_path, method=called.method).respond_with_json(
        order_json("9999")
    )
    with pytest.raises(ResponseValidationError) as caught:
        called.call(client)
    assert caught.value.field == "number"
    assert "'9999'" in str(caught.value)
    assert f"'{NUMBER}'" in str(caught.value)
    assert caught.value.operation == called.operation_id
    assert caught.value.status_code == 200


@pytest.mark.parametrize("called", SINGLE_ORDER, ids=IDS)
def test_an_answer_for_another_order_is_refused_async(
    httpserver: HTTPServer, async_client: AsyncKomfortkasse, called: Operation
) -> None:
    httpserver.expect_request(called.url_path, method=called.method).respond_with_json(
        order_json("9999")
    )
    with pytest.raises(ResponseValidationError, match="9999"):
        run_async(async_client, called.call)


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


@pytest.mark.parametrize("count", [-5, -1])
def test_a_negative_sync_count_is_refused(
    client: Komfortkasse, httpserver: HTTPServer, count: int
) -> None:
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_json(count)
    with pytest.raises(ResponseValidationError, match=str(count)):
        client.orders.sync(["1001"])


def test_a_negative_sync_count_is_refused_async(
    httpserver: HTTPServer, async_client: AsyncKomfortkasse
) -> None:
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_json(-5)
    with pytest.raises(ResponseValidationError):
        run_async(async_client, lambda kk: kk.orders.sync(["1001"]))


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
    httpserver: HTTPServer, async_client: AsyncKomfortkasse
) -> None:
    httpserver.expect_request(invoice_path(), method="POST").respond_with_json(
        {"error": "Could not acquire lock"}
    )
    with pytest.raises(LockError):
        run_async(async_client, lambda kk: kk.orders.upload_invoice("1001", "R-1", b"%PDF-1.4"))


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
