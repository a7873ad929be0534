"""submitInvoice: Submit an invoice file (POST /order/{orderNumber}/invoice/{invoiceNumber}); generated, do not edit."""

from ... import models as _models
from ..._ops import Body, Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="submitInvoice",
    method="POST",
    path="/order/{orderNumber}/invoice/{invoiceNumber}",
    tag="single_order",
    summary="Submit an invoice file",
    description="Upload an invoice PDF (or similar) for an order.\n\nIf this is the **first** invoice submitted for the order and the shop is configured to send invoices by letter post, this call may also trigger Komfortkasse to send the invoice to the customer as a physical letter. Do not call this multiple times for the same `invoiceNumber` \u2014 repeat uploads of an existing invoice file are silently ignored, but you should still treat the call as non-idempotent for triggering side effects.",
    path_params=(
        Param("orderNumber", "order_number", "str", required=True),
        Param("invoiceNumber", "invoice_number", "str", required=True),
    ),
    query_params=(),
    body=Body("multipart/form-data", "SubmitInvoiceBody"),
    reply=Reply("none"),
)
