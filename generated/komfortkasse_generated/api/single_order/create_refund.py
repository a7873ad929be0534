"""createRefund: Create a refund for an order (POST /order/{orderNumber}/refund); generated, do not edit."""

from ... import models as _models
from ..._ops import Body, Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="createRefund",
    method="POST",
    path="/order/{orderNumber}/refund",
    tag="single_order",
    summary="Create a refund for an order",
    description="Create a refund (bank transfer back to the customer) for an existing order.\n\n- `plannedDate` must be in the future (the date the bank transfer should be initiated).\n- If the customer\u0027s bank details are not yet known, the refund starts in status `BANKDETAILS_MISSING` and Komfortkasse asks the customer to provide their IBAN. Once received, it transitions to `NEW` and is executed at `plannedDate`.\n- `externalReference` is your own reference (e.g. RMA number) and must be unique per shop. Re-using a reference of an existing refund returns an error.\n\nSee also [Refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152280).",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(),
    body=Body("application/json", "Refund"),
    reply=Reply("model", "RefundRead"),
)
