"""Sync preview and guard, payment polling, reconciliation, callback parsing and receivers."""

from __future__ import annotations

import io
import json
from typing import Any

import anyio
import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    ConfigurationError,
    Komfortkasse,
    OrderRead,
    PaymentCursor,
    PaymentStatus,
    RetryPolicy,
    SyncRefusedError,
    ValidationError,
    callbacks,
)

ORDER: dict[str, Any] = {
    "number": "1",
    "date": "25-04-2018",
    "type": "INVOICE",
    "amount": 22.38,
    "currency": "EUR",
    "billing": {"lastName": "M", "countryCode": "DE"},
    "paymentStatus": "UNPAID",
}


def order(number: str, status: str = "UNPAID") -> dict[str, Any]:
    return {**ORDER, "number": number, "paymentStatus": status}


@pytest.fixture
def client(httpserver: HTTPServer) -> Komfortkasse:
    return Komfortkasse("k", base_url=httpserver.url_for("/api/v2"), retry=RetryPolicy.never())


# --- sync preview and guard -----------------------------------------------------------


def test_preview_sync_reads_open_orders_and_changes_nothing(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    httpserver.expect_request("/api/v2/orders", method="GET").respond_with_json(
        [order("1"), order("2", "PAID_PARTIAL"), order("3")]
    )
    preview = client.orders.preview_sync(["1", "9", "1"])
    assert preview.open_orders == 3
    assert preview.would_be_legacy == ["2", "3"]
    assert preview.unknown == ["9"]
    request, _ = httpserver.log[0]
    assert request.method == "GET"
    assert request.args["paymentStatus"] == "UNPAID,PAID_PARTIAL"
    assert int(request.args["maxAge"]) >= 3650
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("max_legacy", "sent"), [(2, True), (1, False), (0.5, False), (0.7, True), (0, False)]
)
def test_sync_guard(
    httpserver: HTTPServer, client: Komfortkasse, max_legacy: float, sent: bool
) -> None:
    httpserver.expect_request("/api/v2/orders", method="GET").respond_with_json(
        [order("1"), order("2"), order("3")]
    )
    httpserver.expect_request("/api/v2/ordersync", method="POST").respond_with_json(2)
    if sent:
        assert client.orders.sync(["1"], max_legacy=max_legacy) == 2
    else:
        with pytest.raises(SyncRefusedError) as caught:
            client.orders.sync(["1"], max_legacy=max_legacy)
        assert caught.value.preview.would_be_legacy == ["2", "3"]
        assert "2 of 3 open orders" in str(caught.value)
    posted = [r for r, _ in httpserver.log if r.method == "POST"]
    assert len(posted) == (1 if sent else 0)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3"])
def test_sync_guard_refuses_bad_limits(
    httpserver: HTTPServer, client: Komfortkasse, bad: Any
) -> None:
    httpserver.expect_request("/api/v2/orders", method="GET").respond_with_json([])
    with pytest.raises(ValidationError, match="max_legacy"):
        client.orders.sync(["1"], max_legacy=bad)


# --- payment polling ----------------------------------------------------------------


def test_changes_since_reports_each_change_once(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    answers = iter(
        [
            [order("1"), order("2", "PAID")],
            [order("1", "PAID_PARTIAL"), order("2", "PAID"), order("3")],
            [order("1", "PAID_PARTIAL"), order("3", "SOMETHING_NEW")],
        ]
    )
    httpserver.expect_request("/api/v2/orders").respond_with_handler(
        lambda request: __import__("werkzeug").Response(
            json.dumps(next(answers)), content_type="application/json"
        )
    )
    first = client.orders.changes_since(None)
    assert [o.number for o in first.orders] == ["2"]
    stored = first.cursor.to_json()
    assert json.loads(stored)["seen"] == {"1": "UNPAID", "2": "PAID"}

    second = client.orders.changes_since(stored)
    assert [(o.number, o.payment_status) for o in second.orders] == [
        ("1", PaymentStatus.PAID_PARTIAL)
    ]
    third = client.orders.changes_since(second.cursor, max_age=30)
    assert [(o.number, o.payment_status) for o in third.orders] == [("3", "SOMETHING_NEW")]
    assert third.cursor.max_age == 30
    queries = [request.args.to_dict() for request, _ in httpserver.log]
    assert queries == [{"maxAge": "120"}, {"maxAge": "120"}, {"maxAge": "30"}]


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "{}",
        '{"version": 2, "seen": {}, "maxAge": 1}',
        "[1]",
        '{"version": 1, "seen": {}, "maxAge": true}',
        '{"version": 1, "seen": {}, "maxAge": 0}',
        '{"version": 1, "seen": {"1": 2}, "maxAge": 5}',
    ],
)
def test_cursor_from_json_refuses_foreign_text(bad: str) -> None:
    with pytest.raises(ValidationError, match="cursor"):
        PaymentCursor.from_json(bad)


def test_cursor_round_trips() -> None:
    cursor = PaymentCursor(seen={"1": "PAID"}, max_age=7)
    assert PaymentCursor.from_json(cursor.to_json()) == cursor


# --- reconciliation -----------------------------------------------------------------


def test_reconcile(httpserver: HTTPServer, client: Komfortkasse) -> None:
    minimal = {k: ORDER[k] for k in ("number", "date", "type", "amount", "currency", "billing")}
    httpserver.expect_request("/api/v2/postings").respond_with_json(
        [
            {"id": "P1", "amount": 22.38, "orders": [minimal]},
            {"id": "P2", "amount": 5.0, "orders": []},
            {"id": "P3", "amount": 1.0},
        ]
    )
    view = client.postings.reconcile()
    assert [(p.id, [o.number for o in orders]) for p, orders in view.assigned] == [("P1", ["1"])]
    assert [p.id for p in view.unassigned] == ["P2", "P3"]
    assert httpserver.log[0][0].args["includeOrders"] == "true"


# --- callbacks ----------------------------------------------------------------------

CODE = "callback-code-77"
BODY = json.dumps(order("1", "PAID")).encode()


def test_parse_accepts_the_right_code_in_any_header_case() -> None:
    parsed = callbacks.parse({"x-komfortkasse-access-code": CODE}, BODY, CODE)
    assert isinstance(parsed, OrderRead)
    assert parsed.payment_status is PaymentStatus.PAID
    assert callbacks.parse([("X-KOMFORTKASSE-ACCESS-CODE", CODE)], BODY, CODE).number == "1"


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Komfortkasse-Access-Code": "wrong"}, {"X-Komfortkasse-Access-Code": CODE.upper()},
     {"X-Komfortkasse-Access-Code": ""}, {"X-Other": CODE}],
)  # fmt: skip
def test_parse_refuses_missing_or_wrong_codes(headers: dict[str, str]) -> None:
    with pytest.raises(callbacks.CallbackAuthError) as caught:
        callbacks.parse(headers, BODY, CODE)
    assert CODE not in str(caught.value)
    assert CODE.upper() not in str(caught.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'{"number": "1"}', "not an order"),
        (json.dumps({**ORDER, "date": "2018-04-25"}).encode(), "not an order"),
        (b"x" * 2000, "exceeds"),
    ],
)
def test_parse_refuses_bad_bodies(body: bytes, message: str) -> None:
    with pytest.raises(callbacks.CallbackPayloadError, match=message):
        callbacks.parse({"X-Komfortkasse-Access-Code": CODE}, body, CODE, max_body=1000)


def test_receivers_need_a_code() -> None:
    with pytest.raises(ConfigurationError):
        callbacks.wsgi_app("", lambda order: None)
    with pytest.raises(ConfigurationError):
        callbacks.asgi_app(" ", lambda order: None)


def call_wsgi(app: Any, method: str, headers: dict[str, str], body: bytes) -> str:
    environ = {
        "REQUEST_METHOD": method,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }
    statuses: list[str] = []
    app(environ, lambda status, headers: statuses.append(status))
    return statuses[0]


def test_wsgi_receiver_answers_200_only_after_the_handler_succeeded() -> None:
    received: list[str] = []
    failures = iter([True, False])

    def handler(order: OrderRead) -> None:
        if next(failures):
            raise RuntimeError("database down")
        received.append(order.number)

    app = callbacks.wsgi_app(CODE, handler, max_body=10_000)
    good = {"X-Komfortkasse-Access-Code": CODE}
    assert call_wsgi(app, "POST", good, BODY).startswith("500")
    assert received == []
    assert call_wsgi(app, "POST", good, BODY) == "200 OK"
    assert received == ["1"]
    assert call_wsgi(app, "POST", {"X-Komfortkasse-Access-Code": "no"}, BODY).startswith("401")
    assert call_wsgi(app, "POST", good, b"x" * 20_000).startswith("413")
    assert call_wsgi(app, "POST", good, b"{").startswith("400")
    assert call_wsgi(app, "GET", good, b"").startswith("405")
    assert received == ["1"]


def test_asgi_receiver_with_an_async_handler() -> None:
    received: list[str] = []
    failures = iter([True, False])

    async def handler(order: OrderRead) -> None:
        if next(failures):
            raise RuntimeError("queue full")
        received.append(order.number)

    app = callbacks.asgi_app(CODE, handler)

    async def call(method: str, headers: dict[str, str], body: bytes) -> int:
        parts = [body[:10], body[10:]]
        messages = [
            {"type": "http.request", "body": part, "more_body": i == 0}
            for i, part in enumerate(parts)
        ]
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": method,
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        }
        await app(scope, receive, send)
        return int(sent[0]["status"])

    good = {"X-Komfortkasse-Access-Code": CODE}

    async def scenario() -> list[int]:
        return [
            await call("POST", good, BODY),
            await call("POST", good, BODY),
            await call("POST", {}, BODY),
            await call("PUT", good, BODY),
        ]

    assert anyio.run(scenario) == [500, 200, 401, 405]
    assert received == ["1"]
