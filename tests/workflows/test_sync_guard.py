"""The sync preview and guard: what ``ordersync`` would mark LEGACY, read before anything
is sent, and the limit that refuses a sync marking too many."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    Komfortkasse,
    SyncRefusedError,
    ValidationError,
)
from tests.samples import order_json


def test_preview_sync_reads_open_orders_and_changes_nothing(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    httpserver.expect_request("/api/v2/orders", method="GET").respond_with_json(
        [order_json("1"), order_json("2", paymentStatus="PAID_PARTIAL"), order_json("3")]
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
        [order_json("1"), order_json("2"), order_json("3")]
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
