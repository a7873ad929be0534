"""setOrderPaid: Set Order paid (POST /order/{orderNumber}/setpaid); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

_ = _models  # referenced by the descriptor below when it has a body or a model reply

OPERATION = Operation(
    operation_id="setOrderPaid",
    method="POST",
    path="/order/{orderNumber}/setpaid",
    tag="single_order",
    summary="Set Order paid",
    description="Manually mark an order as paid.",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(),
    reply=Reply("model", _models.OrderRead),
)
