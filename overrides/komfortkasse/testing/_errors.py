"""The fake's error answers, taken from the client's own table of documented messages.

Every documented message the fake sends is a row of
:data:`komfortkasse._exceptions.ERROR_TABLE`, picked here once by its error
class and a fragment of its template, then formatted with
:meth:`ErrorMessage.format`. If the table changes shape, importing this module
fails instead of the fake drifting away from the client.
"""

from __future__ import annotations

from komfortkasse._exceptions import (
    ERROR_TABLE,
    ApiNotActiveError,
    AuthenticationError,
    DueDateTooFarError,
    ErrorMessage,
    InitialDunningLevelError,
    InvalidDateError,
    InvalidFileError,
    InvalidJsonError,
    LockError,
    MissingBodyError,
    MissingParameterError,
    NumberMismatchError,
    OrderAlreadyPaidError,
    OrderNotFoundError,
    OrderUpdateRejectedError,
    PlannedDateNotInFutureError,
    ReadOnlyShopError,
    RefundAlreadyExistsError,
    SetUnpaidNotAllowedError,
    ShopNotActiveError,
)


def _row(error_class: type[Exception], fragment: str = "") -> ErrorMessage:
    """The one table row of ``error_class`` whose template contains ``fragment``."""
    rows = [r for r in ERROR_TABLE if r.error_class is error_class and fragment in r.template]
    if len(rows) != 1:
        raise LookupError(f"ERROR_TABLE: {len(rows)} rows for {error_class.__name__}/{fragment!r}")
    return rows[0]


AUTH_MISSING = _row(AuthenticationError, "not present")
AUTH_INVALID = _row(AuthenticationError, "Invalid")
AUTH_PLACEHOLDER = _row(AuthenticationError, "Replace")
API_NOT_ACTIVE = _row(ApiNotActiveError)
READ_ONLY_SHOP = _row(ReadOnlyShopError)
SHOP_NOT_ACTIVE = _row(ShopNotActiveError)
MISSING_BODY = _row(MissingBodyError)
MISSING_PARAMETER = _row(MissingParameterError)
INVALID_QUERY_DATE = _row(InvalidDateError, "{value}")
PARAMETER_NOT_VALID = _row(InvalidDateError, "{parameter}")
DATE_IN_FUTURE = _row(InvalidDateError, "future")
DUE_DATE_TOO_FAR = _row(DueDateTooFarError)
NUMBER_MISMATCH = _row(NumberMismatchError)
INITIAL_DUNNING_LEVEL = _row(InitialDunningLevelError)
LOCKED = _row(LockError)
UPDATE_REJECTED = _row(OrderUpdateRejectedError)
REFUND_EXISTS = _row(RefundAlreadyExistsError)
PLANNED_DATE_NOT_FUTURE = _row(PlannedDateNotInFutureError)
INVALID_JSON = _row(InvalidJsonError)
FILE_MISSING = _row(InvalidFileError, "missing")
FILE_EMPTY = _row(InvalidFileError, "size")
ALREADY_PAID = _row(OrderAlreadyPaidError)
MUST_BE_PAID = _row(SetUnpaidNotAllowedError, "paymentStatus PAID")
MUST_BE_MANUAL = _row(SetUnpaidNotAllowedError, "manual paymentStatus")
ORDER_NOT_FOUND = _row(OrderNotFoundError, "{number}")


class ApiFailure(Exception):
    """An error answer: HTTP ``status`` with body ``{"error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status} {message}")

    @classmethod
    def of(cls, row: ErrorMessage, **values: object) -> ApiFailure:
        """The documented answer ``row``, its placeholders filled from ``values``."""
        return cls(row.status, row.format(**values))

    @classmethod
    def bad_request(cls, message: str) -> ApiFailure:
        """A 400 whose message is not in the documented table (fake-specific cases)."""
        return cls(400, message)
