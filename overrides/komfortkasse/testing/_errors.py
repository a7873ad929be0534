"""The fake's error answers, taken from the client's own table of documented messages.

Every documented message the fake sends is a row of
:data:`komfortkasse._exceptions.ERROR_TABLE` (read from the spec at generation
time), named here by its template -- the key of the table -- and formatted with
:meth:`ErrorMessage.format`. A row the spec no longer has fails where the fake
would send it (a :class:`LookupError` naming the template), never at import.
"""

from __future__ import annotations

from komfortkasse._exceptions import ERROR_TABLE, ErrorMessage

#: The spec's template -> its row.
ROWS: dict[str, ErrorMessage] = {row.template: row for row in ERROR_TABLE}


def row(template: str) -> ErrorMessage:
    """The documented row with this template (the spec's wording, ``{placeholder}`` parts)."""
    try:
        return ROWS[template]
    except KeyError:
        raise LookupError(f"the spec documents no error message {template!r}") from None


AUTH_MISSING = "Authentication header not present"
AUTH_INVALID = "Invalid authentication header"
AUTH_PLACEHOLDER = "Replace '[your API key]' with the API key from the merchant area"
API_NOT_ACTIVE = "API not active, contact support"
READ_ONLY_SHOP = "Update not allowed for non-API Shop"
SHOP_NOT_ACTIVE = "Shop not active"
MISSING_BODY = "Missing body"
MISSING_PARAMETER = "Missing parameter {name}"
INVALID_QUERY_DATE = "Invalid date: {value}, format should be dd-MM-yyyy"
DATE_NOT_VALID = "Parameter date is not valid"
DUE_DATE_NOT_VALID = "Parameter dueDate is not valid"
DATE_IN_FUTURE = "Parameter date must not be in the future"
DUE_DATE_TOO_FAR = "Parameter dueDate must not be more than 6 months in the future"
NUMBER_MISMATCH = "Parameter number and number in object do not match"
INITIAL_DUNNING_LEVEL = "Parameter initialDunningLevel can only be given when creating a new order"
LOCKED = "Could not acquire lock"
UPDATE_REJECTED = "Could not update order ({reason})"
REFUND_EXISTS = "Refund already exists: {referenceNumber}"
PLANNED_DATE_NOT_FUTURE = "Planned date must be in the future"
INVALID_JSON = "Invalid JSON, comments not allowed in JSON body"
FILE_MISSING = "File missing"
FILE_EMPTY = "File size 0"
ALREADY_PAID = "Order already in paymentStatus PAID"
MUST_BE_PAID = "Order must have paymentStatus PAID"
MUST_BE_MANUAL = "Order must have manual paymentStatus"
ORDER_NOT_FOUND = "Order '{n}' not found"


class ApiFailure(Exception):
    """An error answer: HTTP ``status`` with body ``{"error": message}``."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status} {message}")

    @classmethod
    def of(cls, template: str, **values: object) -> ApiFailure:
        """The documented answer with ``template``, its placeholders filled from ``values``."""
        documented = row(template)
        return cls(documented.status, documented.format(**values))

    @classmethod
    def bad_request(cls, message: str) -> ApiFailure:
        """A 400 whose message is not in the documented table (fake-specific cases)."""
        return cls(400, message)


def not_valid(parameter: str) -> ApiFailure:
    """ "Parameter <name> is not valid": documented for ``date`` and ``dueDate``; the
    fake answers the same words for any other parameter it cannot parse."""
    message = f"Parameter {parameter} is not valid"
    return ApiFailure.of(message) if message in ROWS else ApiFailure.bad_request(message)
