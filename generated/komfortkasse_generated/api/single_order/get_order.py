"""getOrder: Get Order Details (GET /order/{orderNumber}); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="getOrder",
    method="GET",
    path="/order/{orderNumber}",
    tag="single_order",
    summary="Get Order Details",
    description="Read details of a single order from Komfortkasse.\n\nThe following fields in the response are read-only (set by Komfortkasse, not by the merchant):\n`paymentStatus`, `referenceNumber`, `bankAccount`, `dunningLevel`, `amountPaid`, `postings`,\n`collectionPartner`, `collectionFile`, `collectionStatus`, `collectionHistory`, `paymentReminders`,\n`refunds`, `hasBankDetailsForRefund`.",
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
