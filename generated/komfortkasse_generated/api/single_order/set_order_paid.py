"""setOrderPaid: Set Order paid (POST /order/{orderNumber}/setpaid); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="setOrderPaid",
    method="POST",
    path="/order/{orderNumber}/setpaid",
    tag="single_order",
    summary="Set Order paid",
    description="Manually mark an order as paid.",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(),
    reply=Reply("model", "OrderRead"),
)
