"""PaymentStatus: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from enum import StrEnum


class PaymentStatus(StrEnum):
    """Payment status of an order:
    - `UNPAID` — not paid
    - `PAID` — fully paid (paid amount might not be equal to amount when using 'allowed deviation' settings)
    - `PAID_PARTIAL` — partially paid
    - `CANCELLED` — cancelled because no payment was made (for paymentType `INVOICE` or `COD`, translated with *overdue*)
    - `REFUNDED` — fully refunded (if refund was made through Komfortkasse)
    - `REFUNDED_PARTIAL` — partly refunded (if refund was made through Komfortkasse)
    - `LEGACY` — order that are older than the date you started using Komfortkasse
    - `DISAPPEARED` — *removed externally* by calling `/order/remove`
    - `COLLECTION` — in collection by debt collection agency

    Fields typed with it also accept any other string: a value the server adds
    later arrives as a plain ``str`` instead of failing the whole answer.
    """

    CANCELLED = "CANCELLED"
    COLLECTION = "COLLECTION"
    DISAPPEARED = "DISAPPEARED"
    LEGACY = "LEGACY"
    PAID = "PAID"
    PAID_PARTIAL = "PAID_PARTIAL"
    REFUNDED = "REFUNDED"
    REFUNDED_PARTIAL = "REFUNDED_PARTIAL"
    UNPAID = "UNPAID"

    def __str__(self) -> str:
        return str(self.value)
