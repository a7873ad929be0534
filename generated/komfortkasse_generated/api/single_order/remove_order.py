"""removeOrder: Remove Order (POST /order/remove/{orderNumber}); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="removeOrder",
    method="POST",
    path="/order/remove/{orderNumber}",
    tag="single_order",
    summary="Remove Order",
    description="Mark an order as `DISAPPEARED` (removed externally). Use this if the order was cancelled in your shop and should no longer be tracked by Komfortkasse.\n\n**Difference vs `cancel`:** `remove` means the order has vanished from your shop (sets `paymentStatus` to `DISAPPEARED`), while `cancel` means the order was explicitly cancelled (sets `paymentStatus` to `CANCELLED`). Both stop reminders, but they are distinct payment statuses.",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(
        Param(
            "includePostings",
            "include_postings",
            "bool",
            required=False,
            default=False,
            description="",
        ),
        Param(
            "includeCollectionHistory",
            "include_collection_history",
            "bool",
            required=False,
            default=False,
            description="",
        ),
        Param(
            "includePaymentReminders",
            "include_payment_reminders",
            "bool",
            required=False,
            default=False,
            description="",
        ),
        Param(
            "includeRefunds",
            "include_refunds",
            "bool",
            required=False,
            default=False,
            description="",
        ),
    ),
    reply=Reply("model", "OrderRead"),
)
