"""setOrderUnpaid: Set Order unpaid (POST /order/{orderNumber}/setunpaid); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="setOrderUnpaid",
    method="POST",
    path="/order/{orderNumber}/setunpaid",
    tag="single_order",
    summary="Set Order unpaid",
    description="Manually mark an order as unpaid (revert a previous setpaid).",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(),
    reply=Reply("model", "OrderRead"),
)
