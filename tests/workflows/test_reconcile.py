"""Reconciliation: the postings of an account, assigned to their orders or not."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from komfortkasse import (
    Komfortkasse,
)
from tests.samples import order_json


def test_reconcile(httpserver: HTTPServer, client: Komfortkasse) -> None:
    order = order_json("1")
    minimal = {k: order[k] for k in ("number", "date", "type", "amount", "currency", "billing")}
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
