from enum import StrEnum


class RefundStatus(StrEnum):
    BANKDETAILS_MISSING = "BANKDETAILS_MISSING"
    CANCELLED = "CANCELLED"
    ERROR = "ERROR"
    IN_PROCESS = "IN_PROCESS"
    LEGACY = "LEGACY"
    NEW = "NEW"
    PROCESSED = "PROCESSED"
    RETURNED = "RETURNED"

    def __str__(self) -> str:
        return str(self.value)
