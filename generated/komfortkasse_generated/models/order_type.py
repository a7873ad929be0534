"""OrderType: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from enum import StrEnum


class OrderType(StrEnum):
    """Order payment type:
    - `INVOICE` — invoice (German: Rechnung)
    - `PREPAYMENT` — prepayment (German: Vorkasse)
    - `COD` — cash on delivery (German: Nachnahme)
    - `OTHER` — other payment type (will not be managed by Komfortkasse) — normally not needed

    Fields typed with it also accept any other string: a value the server adds
    later arrives as a plain ``str`` instead of failing the whole answer.
    """

    COD = "COD"
    INVOICE = "INVOICE"
    OTHER = "OTHER"
    PREPAYMENT = "PREPAYMENT"

    def __str__(self) -> str:
        return str(self.value)
