"""Every error the library raises, and the table that maps the API's messages to them.

Catch at the level you care about::

    KomfortkasseError                  anything from this library
    ├── ValidationError (ValueError)   bad input, refused before any request
    ├── ConfigurationError (ValueError) bad client set-up (missing key, http:// URL)
    ├── TransportError                 no usable HTTP exchange
    │   ├── APIConnectionError         could not connect / connection dropped
    │   └── APITimeoutError            the server did not answer in time
    ├── UnexpectedResponseError        an answer that is not the API's (HTML, redirect, 520, ...)
    │   └── ResponseValidationError    JSON that does not fit the schema
    └── APIError                       the API answered with a documented error
        ├── BadRequestError (400)      LockError, OrderAlreadyPaidError, ...
        ├── AuthenticationError (401)
        ├── NotFoundError (404)        OrderNotFoundError
        └── ServerError (5xx)

The API signals everything but "not found" and auth with a 400 and an
``{"error": "..."}`` message; :data:`ERROR_TABLE` is the one place that knows
those messages. The fake server formats its answers from the same table.

Every error survives a pickle round trip with its attributes (a worker of a
``ProcessPoolExecutor`` can raise it), and keeps at most :data:`BODY_PREFIX_BYTES`
of a response body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from komfortkasse_generated.error_table import ERRORS

from ._exports import adopt

#: How much of a response body an error keeps in ``.body`` (the start is what tells
#: an HTML login page or a proxy's page apart; the rest would only hold memory).
BODY_PREFIX_BYTES = 8192


def _restore(cls: type[KomfortkasseError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Rebuild a pickled error without calling ``__init__`` (whose signature differs
    per class): the same ``args``, message and attributes."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class KomfortkasseError(Exception):
    """Root of every error this library raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's default re-calls __init__(*args), which breaks every subclass
        # whose __init__ takes other arguments than its message.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


class ValidationError(KomfortkasseError, ValueError):
    """Input that breaks a rule known client-side; raised before any request.

    ``field`` is the path of the offending value (``billing.last_name``,
    ``orders[3].amount``), ``rule`` says what it must satisfy.
    """

    def __init__(self, field: str, rule: str) -> None:
        self.field = field
        self.rule = rule
        super().__init__(f"{field}: {rule}")


class ConfigurationError(KomfortkasseError, ValueError):
    """The client cannot be built as asked (no key, placeholder key, insecure URL)."""


class TransportError(KomfortkasseError):
    """No complete HTTP exchange took place. ``operation`` names the API call."""

    def __init__(self, message: str, *, operation: str, request_sent: bool) -> None:
        self.operation = operation
        #: ``True`` when the request may have reached the server before the failure.
        self.request_sent = request_sent
        super().__init__(f"{operation}: {message}")


class APIConnectionError(TransportError):
    """Connecting failed, or the connection broke before a full answer arrived."""


class APITimeoutError(TransportError):
    """The server did not answer within the timeout."""


class UnexpectedResponseError(KomfortkasseError):
    """An answer that is not the API's: not JSON, a redirect, an unknown status.

    The API answers bad URLs with an HTML login page or a blank page; this
    error carries the status and the first bytes of the body so the cause can
    be seen without a debugger.
    """

    def __init__(
        self,
        reason: str,
        *,
        operation: str = "",
        status_code: int | None = None,
        body: bytes = b"",
        field: str | None = None,
        python_field: str | None = None,
    ) -> None:
        self.reason = reason
        self.operation = operation
        self.status_code = status_code
        #: The first :data:`BODY_PREFIX_BYTES` of the body.
        self.body = bytes(body[:BODY_PREFIX_BYTES])
        #: The offending field's path as the API spells it (``items[3].number``).
        self.field = field
        #: The same path in the models' Python names (``billing.last_name``).
        self.python_field = python_field if python_field is not None else field
        super().__init__(self._render())

    @property
    def snippet(self) -> str:
        """The first 200 bytes of the body as text, for messages and logs."""
        text = self.body[:200].decode("utf-8", "replace")
        return text + ("…" if len(self.body) > 200 else "")

    def _render(self) -> str:
        where = f"{self.operation}: " if self.operation else ""
        status = f" (HTTP {self.status_code})" if self.status_code is not None else ""
        body = f"; body starts {self.snippet!r}" if self.body else ""
        return f"{where}{self.reason}{status}{body}"

    def in_context(self, operation: str, status_code: int, body: bytes) -> UnexpectedResponseError:
        """Attach the exchange to an error raised while decoding its body."""
        return type(self)(
            self.reason,
            operation=operation,
            status_code=status_code,
            body=body,
            field=self.field,
            python_field=self.python_field,
        )


class ResponseValidationError(UnexpectedResponseError):
    """A JSON answer that does not fit the schema (wrong type, bad date, missing
    field, a non-finite number); ``field`` and ``python_field`` name where."""


class APIError(KomfortkasseError):
    """The API answered with an error status and (usually) ``{"error": "..."}``."""

    def __init__(
        self, message: str, *, status_code: int, operation: str = "", body: bytes = b""
    ) -> None:
        #: The server's own ``error`` text.
        self.message = message
        self.status_code = status_code
        self.operation = operation
        #: The first :data:`BODY_PREFIX_BYTES` of the body.
        self.body = bytes(body[:BODY_PREFIX_BYTES])
        where = f"{operation}: " if operation else ""
        super().__init__(f"{where}{message} (HTTP {status_code})")


class BadRequestError(APIError):
    """HTTP 400: the API refused the request."""


class AuthenticationError(APIError):
    """HTTP 401: key missing, unknown, or the docs' placeholder."""


class NotFoundError(APIError):
    """HTTP 404."""


class ServerError(APIError):
    """HTTP 5xx: unexpected on the server's side; safe operations are retried."""


class LockError(BadRequestError):
    """ "Could not acquire lock": the order is being updated concurrently.

    Always safe to retry; raised after the retry policy gave up, with
    ``attempts`` saying how many requests were made.
    """

    attempts: int = 1


class ApiNotActiveError(BadRequestError):
    """API access is disabled for this shop; contact Komfortkasse support."""


class ReadOnlyShopError(BadRequestError):
    """The shop allows reads only; writes are refused."""


class ShopNotActiveError(BadRequestError):
    """The shop is paused or deleted."""


class MissingBodyError(BadRequestError):
    """The request body was empty or could not be parsed."""


class MissingParameterError(BadRequestError):
    """A required field was missing or empty; ``parameter`` names it."""

    parameter: str = ""


class InvalidDateError(BadRequestError):
    """A date the server could not accept (format, or in the future)."""


class DueDateTooFarError(BadRequestError):
    """``dueDate`` more than 6 months ahead."""


class NumberMismatchError(BadRequestError):
    """The path's order number and the body's ``number`` differ."""


class InitialDunningLevelError(BadRequestError):
    """``initialDunningLevel`` sent when updating an existing order."""


class OrderUpdateRejectedError(BadRequestError):
    """The order's status no longer allows the change; ``reason`` says why."""

    reason: str = ""


class RefundAlreadyExistsError(BadRequestError):
    """A refund with this ``externalReference`` exists; ``reference_number`` is its KKBT number."""

    reference_number: str = ""


class PlannedDateNotInFutureError(BadRequestError):
    """A refund's ``plannedDate`` must be in the future."""


class InvalidJsonError(BadRequestError):
    """The body contained non-JSON content such as comments."""


class InvalidFileError(BadRequestError):
    """Invoice upload without a file, or with an empty one."""


class OrderAlreadyPaidError(BadRequestError):
    """``set_paid`` on an order that is already ``PAID``."""


class SetUnpaidNotAllowedError(BadRequestError):
    """``set_unpaid`` preconditions not met (not PAID, or not paid manually)."""


class OrderNotFoundError(NotFoundError):
    """No order with this number for the authenticated shop."""


@dataclass(frozen=True)
class ErrorMessage:
    """One row of the API's "Common error messages" table (read from the spec at
    generation time: ``komfortkasse_generated.error_table``).

    ``template`` is the spec's message with ``{placeholder}`` parts, both matched
    (to pick ``error_class``) and formatted (by the fake server); ``attributes``
    names the error attribute each placeholder's text goes to.
    """

    status: int
    template: str
    error_class: type[APIError]
    meaning: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict, compare=False)
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    _PLACEHOLDER: ClassVar[re.Pattern[str]] = re.compile(r"\{(\w+)\}")

    def __post_init__(self) -> None:
        parts = self._PLACEHOLDER.split(self.template)
        regex = "".join(
            f"(?P<{part}>.*)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
        )
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$", re.DOTALL))
        names = {name: _attribute(name) for name in self._PLACEHOLDER.findall(self.template)}
        object.__setattr__(self, "attributes", names)

    def format(self, **values: object) -> str:
        """The message with its placeholders filled in (the fake server sends these),
        given by attribute name (``parameter=``) or by placeholder (``name=``)."""
        by_placeholder = {
            placeholder: values[attribute] if attribute in values else values[placeholder]
            for placeholder, attribute in self.attributes.items()
        }
        return self.template.format(**by_placeholder)


#: Where the text of a placeholder goes on the error (the spec names some parts
#: tersely); any other placeholder becomes the snake_case attribute of its name.
_ATTRIBUTE_OF: Mapping[str, str] = {
    "name": "parameter",
    "n": "number",
}


def _attribute(placeholder: str) -> str:
    return _ATTRIBUTE_OF.get(placeholder) or re.sub(r"(?<!^)(?=[A-Z])", "_", placeholder).lower()


#: The named classes, an overlay keyed by the spec's message template. A row the
#: overlay does not name is raised as its status class (``BadRequestError``, ...).
NAMED_ERRORS: Mapping[str, type[APIError]] = {
    "Authentication header not present": AuthenticationError,
    "Invalid authentication header": AuthenticationError,
    "Replace '[your API key]' with the API key from the merchant area": AuthenticationError,
    "API not active, contact support": ApiNotActiveError,
    "Update not allowed for non-API Shop": ReadOnlyShopError,
    "Shop not active": ShopNotActiveError,
    "Missing body": MissingBodyError,
    "Missing parameter {name}": MissingParameterError,
    "Invalid date: {value}, format should be dd-MM-yyyy": InvalidDateError,
    "Parameter date is not valid": InvalidDateError,
    "Parameter dueDate is not valid": InvalidDateError,
    "Parameter date must not be in the future": InvalidDateError,
    "Parameter dueDate must not be more than 6 months in the future": DueDateTooFarError,
    "Parameter number and number in object do not match": NumberMismatchError,
    "Parameter initialDunningLevel can only be given when creating a new order": (
        InitialDunningLevelError
    ),
    "Could not acquire lock": LockError,
    "Could not update order ({reason})": OrderUpdateRejectedError,
    "Refund already exists: {referenceNumber}": RefundAlreadyExistsError,
    "Planned date must be in the future": PlannedDateNotInFutureError,
    "Invalid JSON, comments not allowed in JSON body": InvalidJsonError,
    "File missing": InvalidFileError,
    "File size 0": InvalidFileError,
    "Order already in paymentStatus PAID": OrderAlreadyPaidError,
    "Order must have paymentStatus PAID": SetUnpaidNotAllowedError,
    "Order must have manual paymentStatus": SetUnpaidNotAllowedError,
    "Order '{n}' not found": OrderNotFoundError,
    "Order not found": OrderNotFoundError,
}


def _status_class(status: int) -> type[APIError]:
    found = _BY_STATUS.get(status)
    if found is not None:
        return found
    return ServerError if status >= 500 else APIError


def error_table(
    rows: tuple[tuple[int, str, str], ...] = ERRORS,
) -> tuple[ErrorMessage, ...]:
    """The table the client matches messages against: the spec's rows (generated),
    each with its named class from :data:`NAMED_ERRORS` or its status class."""
    return tuple(
        ErrorMessage(status, template, NAMED_ERRORS.get(template) or _status_class(status), meaning)
        for status, template, meaning in rows
    )


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
}

#: The documented error messages, in the order of the API's table.
ERROR_TABLE: tuple[ErrorMessage, ...] = error_table()


def api_error_for(
    status_code: int, message: str, *, operation: str = "", body: bytes = b""
) -> APIError:
    """Build the most specific :class:`APIError` for a status and server message."""
    for row in ERROR_TABLE:
        if row.status == status_code:
            match = row.pattern.match(message)
            if match:
                error = row.error_class(
                    message, status_code=status_code, operation=operation, body=body
                )
                for placeholder, value in match.groupdict().items():
                    setattr(error, row.attributes[placeholder], value)
                return error
    cls = _status_class(status_code)
    return cls(message, status_code=status_code, operation=operation, body=body)


adopt(globals())
