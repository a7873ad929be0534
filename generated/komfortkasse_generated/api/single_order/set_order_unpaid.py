"""setOrderUnpaid: Set Order unpaid (POST /order/{orderNumber}/setunpaid); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

_ = _models  # referenced by the descriptor below when it has a body or a model reply

OPERATION = Operation(
    operation_id="setOrderUnpaid",
    method="POST",
    path="/order/{orderNumber}/setunpaid",
    tag="single_order",
    summary="Set Order unpaid",
    description="Manually mark an order as unpaid (revert a previous setpaid).",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(),
    reply=Reply("model", _models.OrderRead),
)
