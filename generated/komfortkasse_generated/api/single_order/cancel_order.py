"""cancelOrder: Cancel Order (POST /order/{orderNumber}/cancel); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="cancelOrder",
    method="POST",
    path="/order/{orderNumber}/cancel",
    tag="single_order",
    summary="Cancel Order",
    description="Cancel an order (sets `paymentStatus` to `CANCELLED`).\n\nUse `cancel` to record an explicit cancellation in your shop. To indicate that the order has vanished/been removed externally, use [Remove Order](#operation/removeOrder) instead \u2014 that produces `DISAPPEARED`.",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(),
    reply=Reply("model", "OrderRead"),
)
