from enum import StrEnum


class PaymentStatus(StrEnum):
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
