"""submitOrder: Submit Order (POST /order/{orderNumber}); generated, do not edit."""

from ... import models as _models
from ..._ops import Body, Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="submitOrder",
    method="POST",
    path="/order/{orderNumber}",
    tag="single_order",
    summary="Submit Order",
    description="Submit an order to Komfortkasse after the order has been placed in your online shop.\n\nOnly submit orders that are relevant to Komfortkasse, so don\u0027t send orders that will be paid by PayPal or creditcard. (You might submit orders with these payment methods as order type `OTHER` if you know what you are doing.)\n\nRe-submitting an order with the same `orderNumber` updates the existing order \u2014 for example, if the customer\u0027s email address or the order amount changed in your shop. The `initialDunningLevel` field is honoured **only on the first submission** of an order; on subsequent updates it must be omitted or `0`.",
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
    body=Body("application/json", "OrderWrite"),
    reply=Reply("model", "OrderRead"),
)
