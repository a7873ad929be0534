"""readOrders: Read Orders (GET /orders); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="readOrders",
    method="GET",
    path="/orders",
    tag="bulk_orders",
    summary="Read Orders",
    description="Read orders from Komfortkasse.",
    path_params=(),
    query_params=(
        Param(
            "maxAge",
            "max_age",
            "int",
            required=False,
            default="120",
            description="",
        ),
        Param(
            "paymentStatus",
            "payment_status",
            "str",
            required=False,
            default=None,
            description="",
        ),
        Param(
            "minPostingDate",
            "min_posting_date",
            "date",
            required=False,
            default=None,
            description="",
        ),
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
    reply=Reply("model", "OrderRead", many=True),
)
