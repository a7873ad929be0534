"""RefundStatus: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from enum import StrEnum


class RefundStatus(StrEnum):
    """Refund status (read only):
    - `NEW` — will be transferred to bank if plannedDate is reached
    - `BANKDETAILS_MISSING` — waiting for bank details from customer
    - `IN_PROCESS` — being processed
    - `PROCESSED` — processed by bank
    - `RETURNED` — returned to original account
    - `ERROR` — error
    - `CANCELLED` — manually cancelled before executed
    - `LEGACY` — old bank transfer, will not be processed

    See also [Detail view refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152539) for a longer explanation of each status.

    Fields typed with it also accept any other string: a value the server adds
    later arrives as a plain ``str`` instead of failing the whole answer.
    """

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
