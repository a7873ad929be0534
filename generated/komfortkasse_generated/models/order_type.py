from enum import StrEnum


class OrderType(StrEnum):
    COD = "COD"
    INVOICE = "INVOICE"
    OTHER = "OTHER"
    PREPAYMENT = "PREPAYMENT"

    def __str__(self) -> str:
        return str(self.value)
