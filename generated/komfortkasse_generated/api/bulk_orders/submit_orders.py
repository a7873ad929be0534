"""submitOrders: Submit Orders (POST /orders); generated, do not edit."""

from ... import models as _models
from ..._ops import Body, Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="submitOrders",
    method="POST",
    path="/orders",
    tag="bulk_orders",
    summary="Submit Orders",
    description="Submit multiple orders to Komfortkasse.\n\nIt is recommended to periodically (e.g. once per day) send all open orders to Komfortkasse in order to update any data that might have been changed (e.g., amount change, change of email address, etc.).\n\nIf you have a large amount of orders to send (more than 100), please split this call into multiple calls to avoid timeout errors.",
    path_params=(),
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
    body=Body("application/json", "OrderWriteWithNumber", many=True),
    reply=Reply("model", "OrderRead", many=True),
)
