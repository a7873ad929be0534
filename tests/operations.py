"""The one table of the API's operations: how to call each with sample arguments, where
it goes on the wire, and what a scripted server answers when it succeeds.

Every operation-parametrised test reads it (errors, retries, the fault matrix, answers
not believed, random answers). ``call`` works on both clients: on a ``Komfortkasse`` it
returns the result, on an ``AsyncKomfortkasse`` an awaitable of it. The arguments are
valid for a scripted server and for the fake alike (the order is dated today, the
refund planned in the future). ``tests/pipeline`` checks the table against the spec.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from komfortkasse import OrderRead, RefundRead
from tests.samples import (
    BASE_PATH,
    PNG,
    a_refund,
    numbered,
    order_json,
    refund_json,
    todays_order,
)

#: The order every operation is about.
NUMBER = "7"
#: The invoice number and file of ``submitInvoice``.
INVOICE_NUMBER = "INV-1"
INVOICE = b"%PDF-1.4 invoice"


@dataclass(frozen=True)
class Operation:
    """One operation: ``path`` is below the base URL; ``answer`` is the JSON of a
    successful answer (``None``: the 200 has no body); ``returns`` the result's type."""

    operation_id: str
    method: str
    path: str
    call: Callable[[Any], Any]
    answer: Any
    returns: type | tuple[type, ...]

    @property
    def url_path(self) -> str:
        """The path on a server whose API lives under ``/api/v2``."""
        return BASE_PATH + self.path

    @property
    def takes_one_order(self) -> bool:
        """Whether the answer is one order (the client checks it is the one asked for)."""
        return self.returns is OrderRead


def _operations(*operations: Operation) -> dict[str, Operation]:
    return {operation.operation_id: operation for operation in operations}


#: operationId -> how to call it, in the spec's order of paths.
OPERATIONS: dict[str, Operation] = _operations(
    Operation(
        "submitOrder",
        "POST",
        f"/order/{NUMBER}",
        lambda kk: kk.orders.submit(NUMBER, todays_order()),
        order_json(NUMBER),
        OrderRead,
    ),
    Operation(
        "getOrder",
        "GET",
        f"/order/{NUMBER}",
        lambda kk: kk.orders.get(NUMBER),
        order_json(NUMBER),
        OrderRead,
    ),
    Operation(
        "readOrders", "GET", "/orders", lambda kk: kk.orders.list(), [order_json(NUMBER)], list
    ),
    Operation(
        "submitOrders",
        "POST",
        "/orders",
        lambda kk: kk.orders.submit_many([numbered(NUMBER, todays_order())]),
        [order_json(NUMBER)],
        list,
    ),
    Operation("syncOrders", "POST", "/ordersync", lambda kk: kk.orders.sync([NUMBER]), 0, int),
    Operation(
        "setOrderPaid",
        "POST",
        f"/order/{NUMBER}/setpaid",
        lambda kk: kk.orders.set_paid(NUMBER),
        order_json(NUMBER, paymentStatus="PAID"),
        OrderRead,
    ),
    Operation(
        "setOrderUnpaid",
        "POST",
        f"/order/{NUMBER}/setunpaid",
        lambda kk: kk.orders.set_unpaid(NUMBER),
        order_json(NUMBER),
        OrderRead,
    ),
    Operation(
        "cancelOrder",
        "POST",
        f"/order/{NUMBER}/cancel",
        lambda kk: kk.orders.cancel(NUMBER),
        order_json(NUMBER, paymentStatus="CANCELLED"),
        OrderRead,
    ),
    Operation(
        "removeOrder",
        "POST",
        f"/order/remove/{NUMBER}",
        lambda kk: kk.orders.remove(NUMBER),
        order_json(NUMBER, paymentStatus="DISAPPEARED"),
        OrderRead,
    ),
    Operation(
        "createRefund",
        "POST",
        f"/order/{NUMBER}/refund",
        lambda kk: kk.orders.refund(NUMBER, a_refund()),
        refund_json(),
        RefundRead,
    ),
    Operation(
        "submitInvoice",
        "POST",
        f"/order/{NUMBER}/invoice/{INVOICE_NUMBER}",
        lambda kk: kk.orders.upload_invoice(NUMBER, INVOICE_NUMBER, INVOICE),
        None,
        type(None),
    ),
    Operation("readPostings", "GET", "/postings", lambda kk: kk.postings.list(), [], list),
    Operation(
        "getImage",
        "GET",
        f"/image/{NUMBER}",
        lambda kk: kk.images.get_png(NUMBER),
        {"type": "QRCODE", "format": "png", "data": base64.b64encode(PNG).decode()},
        bytes,
    ),
)
#: The operations about one order whose answer is that order.
SINGLE_ORDER = [op for op in OPERATIONS.values() if op.takes_one_order]
#: Every operation but the bulk submit, whose errors arrive wrapped in BulkSubmitError.
UNWRAPPED = [op for op in OPERATIONS.values() if op.operation_id != "submitOrders"]
