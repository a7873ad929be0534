"""What the client checks before an operation is sent and what it believes after.

The generated package says what each operation is (``komfortkasse_generated.api``:
method, path, parameters with their spec defaults, body, reply) and offers one
typed method per operation. This module is the policy the spec states only in
prose, keyed by operationId: the body rules (address rule, dates, money,
numbers), the answers that are not believed, which calls are safe to repeat.
:func:`build_call` turns an operation and its arguments into a :class:`Call`;
an operation without a rule of its own gets the generic ones, so a new
operation of the spec is usable, checked and retried without a change here.
"""

from __future__ import annotations

import collections
import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from komfortkasse_generated._ops import Operation, paused_gc
from komfortkasse_generated._wire import WireError, plain
from komfortkasse_generated.models import (
    OrderRead,
    OrderWriteWithNumber,
    PaymentStatus,
    Refund,
    RefundRead,
)
from komfortkasse_generated.types import UNSET, File, Unset

from ._call import Call
from ._exceptions import (
    ERROR_TABLE,
    APIError,
    ResponseValidationError,
    ValidationError,
    api_error_for,
)
from ._paths import fill
from ._retry import SAFE_TO_REPEAT
from ._validation import check_number, order_body, refund_body, sync_body

M = TypeVar("M")

#: The docs: "Allow a timeout of at least 10 minutes" for ``ordersync``.
SYNC_MIN_TIMEOUT = 600.0


@attrs.define
class Request:
    """One operation with its arguments, while the rules check and shape it."""

    operation: Operation
    #: Path and query arguments by the spec's (wire) names; the body as given.
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any
    today: datetime.date
    #: The input index of a bulk chunk's first order (for error paths).
    first_index: int = 0
    json_body: Any = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    decode: Callable[[Any], Any] | None = None
    repeatable: bool = True
    min_timeout: float | None = None
    body_name: str = ""
    #: ``json_body`` holds only JSON's own types (see ``Call.native_json``).
    native_json: bool = False

    @property
    def number(self) -> str | None:
        """The order number in the path, if the operation has one."""
        value = self.path.get("orderNumber")
        return value if isinstance(value, str) else None


def _snake(wire: str, operation: Operation) -> str:
    for param in (*operation.path_params, *operation.query_params):
        if param.wire == wire:
            return param.python
    return wire


# -- answers that are not believed ------------------------------------------------------------


def _order(number: str, decode: Callable[[Any], OrderRead]) -> Callable[[Any], OrderRead]:
    """An ``OrderRead`` that must be the order in the path: an answer for another
    order is not believed."""

    def checked(data: Any) -> OrderRead:
        order = decode(data)
        if order.number != number:
            raise ResponseValidationError(
                f"the answer is for order {order.number!r}, not for {number!r}", field="number"
            )
        return order

    return checked


def _orders(
    numbers: Sequence[str], decode: Callable[[Any], list[OrderRead]]
) -> Callable[[Any], list[OrderRead]]:
    """The orders of a bulk submit: every number sent comes back, and no other
    (one answer per body or per distinct number, in any order)."""

    def checked(data: Any) -> list[OrderRead]:
        orders = decode(data)
        got_numbers = [order.number for order in orders]
        if got_numbers == numbers:  # the usual answer: each order once, in the order sent
            return orders
        sent = collections.Counter(numbers)
        got = collections.Counter(got_numbers)
        missing = sorted(set(sent) - set(got))
        other = sorted(set(got) - set(sent))
        repeated = sorted(n for n, count in got.items() if count > sent.get(n, 0) and n in sent)
        if missing or other or repeated:
            parts = [
                f"{label}: {', '.join(repr(n) for n in found[:10])}"
                for label, found in (
                    ("missing", missing),
                    ("not sent", other),
                    ("more often than sent", repeated),
                )
                if found
            ]
            raise ResponseValidationError(
                f"the answer does not list the {len(sent)} orders sent ({'; '.join(parts)})",
                field="number",
            )
        return orders

    return checked


def _refund_read(
    external_reference: str, decode: Callable[[Any], RefundRead]
) -> Callable[[Any], RefundRead]:
    """The created refund: its ``externalReference`` must be the one sent."""

    def checked(data: Any) -> RefundRead:
        refund = decode(data)
        if refund.external_reference != external_reference:
            raise ResponseValidationError(
                f"the answer is for refund {refund.external_reference!r}, "
                f"not for {external_reference!r}",
                field="externalReference",
            )
        return refund

    return checked


def _count(decode: Callable[[Any], int]) -> Callable[[Any], int]:
    def checked(data: Any) -> int:
        count = decode(data)
        if count < 0:
            raise ResponseValidationError(f"expected a count of orders, got {count!r}")
        return count

    return checked


def _refusal(operation: str, data: Any) -> APIError | None:
    """A 200 whose JSON is the API's ``{"error": "..."}``: the error it names.

    The class (and ``status_code``) are those the API documents for the message;
    a note says that it came with a 200.
    """
    if not (isinstance(data, dict) and isinstance(data.get("error"), str)):
        return None
    message: str = data["error"]
    status = next((row.status for row in ERROR_TABLE if row.pattern.match(message)), 400)
    body = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    error = api_error_for(status, message, operation=operation, body=body)
    error.add_note(f"{operation}: the API sent this error with HTTP 200")
    return error


def _believe(operation: str, decode: Callable[[Any], M]) -> Callable[[Any], M]:
    """``decode``, after refusing a 200 that carries the API's error message."""

    def checked(data: Any) -> M:
        refused = _refusal(operation, data)
        if refused is not None:
            raise refused
        return decode(data)

    return checked


# -- the rules, by operationId ------------------------------------------------------------------


def repeatable_order(order: object) -> bool:
    """Whether submitting ``order`` twice is harmless. Not when it sets an initial
    dunning level: a repeat is an update, which the API refuses with one (and the
    first one may have created the order)."""
    level = getattr(order, "initial_dunning_level", UNSET)
    return isinstance(level, Unset) or not level


def payment_status_filter(value: object) -> str | None:
    """``PaymentStatus``, a string, or an iterable of them -> ``"PAID,PAID_PARTIAL"``.
    Every status must be one the API documents (a typo would match nothing)."""
    if value is None:
        return None
    items: Iterable[object] = [value] if isinstance(value, str) else value  # type: ignore[assignment]
    try:
        names = [item.value if isinstance(item, PaymentStatus) else item for item in items]
    except TypeError:
        raise ValidationError(
            "payment_status", f"must be a status or statuses, got {value!r}"
        ) from None
    known = PaymentStatus._value2member_map_
    for name in names:
        if not isinstance(name, str) or name not in known:
            listed = ", ".join(status.value for status in PaymentStatus)
            raise ValidationError("payment_status", f"must be one of {listed}, got {name!r}")
    if not names:
        raise ValidationError("payment_status", "must not be an empty collection")
    return ",".join(names)  # type: ignore[arg-type]


def _submit_order(request: Request) -> None:
    number = request.number or ""
    request.json_body = order_body(request.body, today=request.today, path_number=number)
    request.native_json = plain(request.body)
    request.repeatable = repeatable_order(request.body)


def _submit_orders(request: Request) -> None:
    orders = request.body
    if isinstance(orders, str | bytes) or not isinstance(orders, Iterable):
        raise ValidationError("orders", f"must be a list of orders, got {type(orders).__name__}")
    orders = list(orders)
    first = request.first_index
    request.json_body = [
        order_body(order, today=request.today, with_number=True, prefix=f"orders[{first + i}].")
        for i, order in enumerate(orders)
    ]
    request.native_json = all(map(plain, orders))
    request.repeatable = all(map(repeatable_order, orders))
    request.body_name = "orders"
    decode = request.decode or request.operation.decode
    request.decode = _orders([body["number"] for body in request.json_body], decode)  # str: checked


def _read_orders(request: Request) -> None:
    max_age = request.query.get("maxAge")
    if max_age is not None and (
        isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 1
    ):
        raise ValidationError("max_age", f"must be a positive number of days, got {max_age!r}")
    request.query["paymentStatus"] = payment_status_filter(request.query.get("paymentStatus"))


def _sync_orders(request: Request) -> None:
    numbers = request.body
    if not isinstance(numbers, Iterable):
        raise ValidationError(
            "open_order_numbers",
            f"must be a collection of order numbers, got {type(numbers).__name__}",
        )
    request.json_body = sync_body(numbers, allow_empty=True)
    request.min_timeout = SYNC_MIN_TIMEOUT
    request.decode = _count(request.decode or request.operation.decode)


def _create_refund(request: Request) -> None:
    refund: Refund = request.body
    request.json_body = refund_body(refund, today=request.today)
    request.native_json = plain(refund)
    request.body_name = "refund"
    decode = request.decode or request.operation.decode
    request.decode = _refund_read(refund.external_reference, decode)


def _submit_invoice(request: Request) -> None:
    file = getattr(request.body, "file", None)
    if not isinstance(file, File):
        raise ValidationError("file", "must be given (the invoice's bytes)")
    content = file.payload.read()
    request.files = {
        "file": (
            file.file_name or "invoice.pdf",
            content,
            file.mime_type or "application/octet-stream",
        )
    }


def _read_postings(request: Request) -> None:
    low, high = request.query.get("createdMin"), request.query.get("createdMax")
    if isinstance(low, datetime.date) and isinstance(high, datetime.date) and high <= low:
        raise ValidationError(
            "created_max", f"must be after created_min (it is exclusive): {high} <= {low}"
        )
    iban = request.query.get("iban")
    if iban is not None:
        request.query["iban"] = check_number(iban, "iban").replace(" ", "")


#: The operations with rules of their own (the generic ones apply to all).
RULES: dict[str, Callable[[Request], None]] = {
    "submitOrder": _submit_order,
    "submitOrders": _submit_orders,
    "readOrders": _read_orders,
    "syncOrders": _sync_orders,
    "createRefund": _create_refund,
    "submitInvoice": _submit_invoice,
    "readPostings": _read_postings,
}


def _as_validation(error: WireError, prefix: str = "") -> ValidationError:
    path = error.python_path
    return ValidationError(f"{prefix}{path}" if path else prefix.rstrip("."),
                           f"must be {error.expected}, got {error.got}")  # fmt: skip


def _generic_body(request: Request) -> None:
    """A body with no rule of its own: the model's checked ``to_dict()``."""
    spec = request.operation.body
    body = request.body
    if spec is None or request.json_body is not None or request.files is not None:
        return
    model: Any = spec.model_class()
    try:
        if not spec.many:
            if model is not str and not isinstance(body, model):
                raise ValidationError(
                    spec.python, f"must be a {model.__name__}, got {type(body).__name__}"
                )
            request.json_body = body if model is str else body.to_dict()
            request.native_json = type(body) is str if model is str else plain(body)
            return
        items = list(body)
        for index, item in enumerate(items):
            if not isinstance(item, model):
                raise ValidationError(
                    f"{spec.python}[{index}]",
                    f"must be a {model.__name__}, got {type(item).__name__}",
                )
        request.json_body = items if model is str else [item.to_dict() for item in items]
        request.native_json = all(
            type(item) is str if model is str else plain(item) for item in items
        )
    except WireError as error:
        raise _as_validation(error, f"{spec.python}.") from None
    except TypeError:
        raise ValidationError(spec.python, f"must be a list, got {type(body).__name__}") from None


def _safe_to_repeat(operation: Operation) -> bool:
    """The retry-safety table; an operation not in it (new in the spec) is safe to
    repeat when it is a GET, and not otherwise."""
    if operation.operation_id in _KNOWN:
        return operation.operation_id in SAFE_TO_REPEAT
    return operation.method == "GET"


#: The operations this layer was written against (the spec's operationIds at the time).
_KNOWN = frozenset(
    {
        "submitOrder", "getOrder", "removeOrder", "getImage", "setOrderPaid",
        "setOrderUnpaid", "cancelOrder", "createRefund", "submitInvoice",
        "submitOrders", "readOrders", "syncOrders", "readPostings",
    }
)  # fmt: skip


def build_call(
    operation: Operation,
    path: dict[str, Any],
    query: dict[str, Any],
    body: Any,
    today: datetime.date,
    *,
    first_index: int = 0,
    decode: Callable[[Any], Any] | None = None,
) -> Call[Any]:
    """The checked call of ``operation`` with these arguments (raises
    :class:`ValidationError` before anything is sent); ``decode``, when given,
    reads a 200's JSON instead of the spec's model (the operation's checks stay)."""
    if body is None:  # a few small objects: nothing for the collector to be spared
        return _build_call(
            operation, path, query, body, today=today, first_index=first_index, decode=decode
        )
    # A chunk's bodies and their JSON text all outlive the checks and the encoding.
    with paused_gc():
        return _build_call(
            operation, path, query, body, today=today, first_index=first_index, decode=decode
        )


class _Traits:
    """What :func:`_build_call` reads of an operation on every call, worked out once."""

    __slots__ = ("has_body", "holders", "one_order", "operation", "rule", "safe_to_repeat")

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        #: Per path parameter: its placeholder in the path, wire and Python names.
        self.holders = tuple(
            ("{" + param.wire + "}", param.wire, param.python) for param in operation.path_params
        )
        self.rule = RULES.get(operation.operation_id)
        reply = operation.reply
        #: Whether a 200 is one ``OrderRead`` (checked to be the order in the path).
        self.one_order = not reply.many and reply.model_class() is OrderRead
        self.has_body = reply.kind != "none"
        self.safe_to_repeat = _safe_to_repeat(operation)


_traits: dict[str, _Traits] = {}


def _traits_of(operation: Operation) -> _Traits:
    traits = _traits.get(operation.operation_id)
    if traits is None or traits.operation is not operation:
        traits = _traits[operation.operation_id] = _Traits(operation)
    return traits


def _build_call(
    operation: Operation,
    path: dict[str, Any],
    query: dict[str, Any],
    body: Any,
    *,
    today: datetime.date,
    first_index: int,
    decode: Callable[[Any], Any] | None,
) -> Call[Any]:
    traits = _traits_of(operation)
    request = Request(operation, dict(path), dict(query), body, today, first_index, decode=decode)
    holders: dict[str, tuple[str, str]] = {}
    for placeholder, wire, python in traits.holders:
        holders[placeholder] = (python, check_number(request.path.get(wire), python))
    if traits.rule is not None:
        traits.rule(request)
    if operation.body is not None:
        _generic_body(request)
    try:
        params = operation.query(request.query)
    except WireError as error:
        raise _as_validation(error) from None
    decode = request.decode or operation.decode
    number = request.number
    if number is not None and traits.one_order:
        decode = _order(number, decode)
    return Call(
        operation=operation.operation_id,
        method=operation.method,
        path=fill(operation.method, operation.path, holders),
        params=params,
        decode=_believe(operation.operation_id, decode),
        json_body=request.json_body,
        files=request.files,
        idempotent=request.repeatable and traits.safe_to_repeat,
        has_body=traits.has_body,
        min_timeout=request.min_timeout,
        body_name=request.body_name,
        body_offset=first_index,
        native_json=request.native_json,
    )


__all__ = [
    "RULES",
    "OrderWriteWithNumber",
    "Request",
    "build_call",
]
