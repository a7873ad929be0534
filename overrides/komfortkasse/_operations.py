"""One builder per API operation, driven by the generated code.

Paths, methods and query parameter names come from the generated modules'
request builders (so a spec change reaches us by regeneration); path parameters
are placed by :func:`komfortkasse._paths.fill` (one segment each, never another
operation's URL). This module adds validation, our JSON bodies and the decoders.
"""

from __future__ import annotations

import base64
import collections
import datetime
import functools
import gc
import importlib
import io
import json
import mimetypes
from collections.abc import Callable, Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import IO, Any, TypeVar

from komfortkasse_generated._wire import WireError, describe
from komfortkasse_generated.models import (
    Image,
    ImageType,
    OrderRead,
    OrderWriteWithNumber,
    PaymentStatus,
    PostingRead,
    Refund,
    RefundRead,
    SubmitInvoiceBody,
)
from komfortkasse_generated.types import UNSET, File, Unset

from ._core import Call
from ._exceptions import (
    ERROR_TABLE,
    APIError,
    ResponseValidationError,
    UnexpectedResponseError,
    ValidationError,
    api_error_for,
)
from ._paths import fill
from ._retry import SAFE_TO_REPEAT
from ._validation import AnyOrder, check_number, order_body, refund_body, sync_body

M = TypeVar("M")

#: Orders per ``POST /orders``: the API asks for at most 100.
MAX_CHUNK = 100
#: The docs: "Allow a timeout of at least 10 minutes" for ``ordersync``.
SYNC_MIN_TIMEOUT = 600.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

FileInput = bytes | bytearray | memoryview | str | PathLike[str] | IO[bytes]


@functools.cache
def _builder(module: str) -> Callable[..., dict[str, Any]]:
    """The generated request builder of one operation (``single_order.get_order``),
    imported on first use so that ``import komfortkasse`` stays quick."""
    builder: Callable[..., dict[str, Any]] = importlib.import_module(
        f"komfortkasse_generated.api.{module}"
    )._get_kwargs
    return builder


def _build(module: str, *path: tuple[str, str], **kwargs: Any) -> dict[str, Any]:
    """The generated builder's request for ``module`` with the path parameters
    ``path`` (``(field, value)`` pairs, in the builder's order) placed by :func:`fill`.

    The builder gets placeholders (which it leaves as they are), so its URL is the
    path template; our encoding replaces its own.
    """
    holders = {f"KKPATHVALUE{index}": pair for index, pair in enumerate(path)}
    built = _builder(module)(*holders, **kwargs)
    built["url"] = fill(built["method"], built["url"], holders)
    return built


def _one(cls: Callable[[Any], M] | type[Any]) -> Callable[[Any], M]:
    """Decode one JSON object strictly (the generated ``from_dict`` checks every
    value and raises ``WireError`` naming the field)."""
    from_dict: Callable[[Any], M] = cls.from_dict  # type: ignore[union-attr]

    def decode(data: Any) -> M:
        if type(data) is not dict:
            raise ResponseValidationError(f"expected a JSON object, got {type(data).__name__}")
        return from_dict(data)

    return decode


def _many(cls: type[Any]) -> Callable[[Any], list[Any]]:
    """Decode a JSON array of objects; an error names the item's index."""
    from_dict: Callable[[Any], Any] = cls.from_dict

    def decode(data: Any) -> list[Any]:
        if type(data) is not list:
            raise ResponseValidationError(f"expected a JSON array, got {type(data).__name__}")
        decoded = []
        # Thousands of new objects that all survive: the cyclic collector would
        # walk the growing list again and again (~17 us per order) and free nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for index, item in enumerate(data):
                if type(item) is not dict:
                    raise WireError("object", describe(item), ((index, index),))
                try:
                    decoded.append(from_dict(item))
                except WireError as error:
                    raise error.nested(((index, index),)) from None
        finally:
            if collecting:
                gc.enable()
        return decoded

    return decode


def _order(number: str) -> Callable[[Any], OrderRead]:
    """An ``OrderRead`` that must be the order in the path: an answer for another
    order is not believed."""
    one: Callable[[Any], OrderRead] = _one(OrderRead)

    def decode(data: Any) -> OrderRead:
        order = one(data)
        if order.number != number:
            raise ResponseValidationError(
                f"the answer is for order {order.number!r}, not for {number!r}", field="number"
            )
        return order

    return decode


def _orders(numbers: Sequence[str]) -> Callable[[Any], list[OrderRead]]:
    """The orders of a bulk submit: every number sent comes back, and no other
    (one answer per body or per distinct number, in any order)."""
    many = _many(OrderRead)
    sent = collections.Counter(numbers)

    def decode(data: Any) -> list[OrderRead]:
        orders: list[OrderRead] = many(data)
        got = collections.Counter(order.number for order in orders)
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

    return decode


def _refund_read(external_reference: str) -> Callable[[Any], RefundRead]:
    """The created refund: its ``externalReference`` must be the one sent."""
    one: Callable[[Any], RefundRead] = _one(RefundRead)

    def decode(data: Any) -> RefundRead:
        refund = one(data)
        if refund.external_reference != external_reference:
            raise ResponseValidationError(
                f"the answer is for refund {refund.external_reference!r}, "
                f"not for {external_reference!r}",
                field="externalReference",
            )
        return refund

    return decode


def _count(data: Any) -> int:
    if isinstance(data, bool) or not isinstance(data, int):
        raise ResponseValidationError(f"expected an integer count, got {data!r}")
    if data < 0:
        raise ResponseValidationError(f"expected a count of orders, got {data!r}")
    return data


def _nothing(_: Any) -> None:
    return None


def _refusal(operation: str, data: Any) -> APIError | None:
    """A 200 whose JSON is the API's ``{"error": "..."}``: the error it names.

    The class (and ``status_code``) are those the API documents for the message;
    a note says that it came with a 200.
    """
    if not (isinstance(data, dict) and isinstance(data.get("error"), str)):
        return None
    message: str = data["error"]
    status = next((row.status for row in ERROR_TABLE if row.pattern.match(message)), 400)
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
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


class _BodyPlaceholder:
    """Stands in for a model when only a generated request builder's URL and
    query are wanted; the body is built and validated by us."""

    @staticmethod
    def to_dict() -> dict[str, Any]:
        return {}


_NO_BODY: Any = _BodyPlaceholder()


def _call(
    operation: str,
    kwargs: dict[str, Any],
    decode: Callable[[Any], M],
    *,
    repeatable: bool = True,
    **extra: Any,
) -> Call[M]:
    """``repeatable=False``: this call of an operation in ``SAFE_TO_REPEAT`` is not
    (a create with an initial dunning level)."""
    return Call(
        operation=operation,
        method=kwargs["method"],
        path=kwargs["url"],
        params=kwargs.get("params", {}),
        decode=_believe(operation, decode),
        idempotent=repeatable and operation in SAFE_TO_REPEAT,
        **extra,
    )


def repeatable_order(order: AnyOrder) -> bool:
    """Whether submitting ``order`` twice is harmless. Not when it sets an initial
    dunning level: a repeat is an update, which the API refuses with one (and the
    first one may have created the order)."""
    level = getattr(order, "initial_dunning_level", UNSET)
    return isinstance(level, Unset) or not level


def includes(
    postings: bool, collection_history: bool, payment_reminders: bool, refunds: bool
) -> dict[str, bool | Unset]:
    """The four ``include*`` flags as generated keyword arguments; unset ones are not sent."""
    flags = {
        "include_postings": postings,
        "include_collection_history": collection_history,
        "include_payment_reminders": payment_reminders,
        "include_refunds": refunds,
    }
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise ValidationError(name, f"must be True or False, got {value!r}")
    return {name: (True if value else UNSET) for name, value in flags.items()}


def submit(
    number: str, order: AnyOrder, flags: dict[str, bool | Unset], today: datetime.date
) -> Call[OrderRead]:
    number = check_number(number, "order_number")
    body = order_body(order, today=today, path_number=number)
    kwargs = _build("single_order.submit_order", ("order_number", number), body=_NO_BODY, **flags)
    return _call(
        "submitOrder", kwargs, _order(number), json_body=body, repeatable=repeatable_order(order)
    )


def submit_chunk(
    orders: Sequence[AnyOrder],
    flags: dict[str, bool | Unset],
    today: datetime.date,
    *,
    first_index: int = 0,
) -> Call[list[OrderRead]]:
    bodies = [
        order_body(order, today=today, with_number=True, prefix=f"orders[{first_index + i}].")
        for i, order in enumerate(orders)
    ]
    kwargs = _builder("bulk_orders.submit_orders")(body=[], **flags)
    return _call(
        "submitOrders",
        kwargs,
        _orders([str(body["number"]) for body in bodies]),
        json_body=bodies,
        repeatable=all(repeatable_order(order) for order in orders),
        body_name="orders",
        body_offset=first_index,
    )


def get(number: str, flags: dict[str, bool | Unset]) -> Call[OrderRead]:
    number = check_number(number, "order_number")
    kwargs = _build("single_order.get_order", ("order_number", number), **flags)
    return _call("getOrder", kwargs, _order(number))


def payment_status_filter(value: object) -> str | Unset:
    """``PaymentStatus``, a string, or an iterable of them -> ``"PAID,PAID_PARTIAL"``."""
    if value is None:
        return UNSET
    items: Iterable[object] = [value] if isinstance(value, str) else value  # type: ignore[assignment]
    try:
        names = [item.value if isinstance(item, PaymentStatus) else item for item in items]
    except TypeError:
        raise ValidationError(
            "payment_status", f"must be a status or statuses, got {value!r}"
        ) from None
    for name in names:
        if not isinstance(name, str) or not name or "," in name:
            raise ValidationError("payment_status", f"invalid status {name!r}")
    if not names:
        raise ValidationError("payment_status", "must not be an empty collection")
    return ",".join(names)  # type: ignore[arg-type]


def list_orders(
    max_age: int | None,
    payment_status: object,
    min_posting_date: datetime.date | None,
    flags: dict[str, bool | Unset],
) -> Call[list[OrderRead]]:
    if max_age is not None and (
        isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 1
    ):
        raise ValidationError("max_age", f"must be a positive number of days, got {max_age!r}")
    kwargs = _builder("bulk_orders.read_orders")(
        max_age=UNSET if max_age is None else str(max_age),
        payment_status=payment_status_filter(payment_status),
        min_posting_date=_query_date(min_posting_date, "min_posting_date"),
        **flags,
    )
    return _call("readOrders", kwargs, _many(OrderRead))


def _query_date(value: object, field: str) -> datetime.date | Unset:
    if value is None:
        return UNSET
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError(field, f"must be a datetime.date, got {value!r}")
    return value


def sync(numbers: Iterable[str], allow_empty: bool) -> Call[int]:
    if not isinstance(numbers, Iterable):
        raise ValidationError(
            "open_order_numbers",
            f"must be a collection of order numbers, got {type(numbers).__name__}",
        )
    body = sync_body(numbers, allow_empty=allow_empty)
    kwargs = _builder("bulk_orders.sync_orders")(body=body)
    return _call("syncOrders", kwargs, _count, json_body=body, min_timeout=SYNC_MIN_TIMEOUT)


_STATUS_CHANGES = {
    "setOrderPaid": "single_order.set_order_paid",
    "setOrderUnpaid": "single_order.set_order_unpaid",
    "cancelOrder": "single_order.cancel_order",
}


def change_status(operation: str, number: str) -> Call[OrderRead]:
    number = check_number(number, "order_number")
    kwargs = _build(_STATUS_CHANGES[operation], ("order_number", number))
    return _call(operation, kwargs, _order(number))


def remove(number: str) -> Call[OrderRead]:
    number = check_number(number, "order_number")
    kwargs = _build("single_order.remove_order", ("order_number", number))
    return _call("removeOrder", kwargs, _order(number))


def refund(number: str, refund: Refund, today: datetime.date) -> Call[RefundRead]:
    number = check_number(number, "order_number")
    body = refund_body(refund, today=today)
    kwargs = _build("single_order.create_refund", ("order_number", number), body=_NO_BODY)
    return _call(
        "createRefund",
        kwargs,
        _refund_read(refund.external_reference),
        json_body=body,
        body_name="refund",
    )


def _read_file(file: FileInput) -> tuple[bytes, str | None]:
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file), None
    if isinstance(file, str | PathLike):
        path = Path(file)
        try:
            return path.read_bytes(), path.name
        except OSError as exc:
            raise ValidationError("file", f"cannot read {str(path)!r}: {exc.strerror}") from None
    read = getattr(file, "read", None)
    if read is None:
        raise ValidationError("file", f"must be bytes, a path or a binary file, got {file!r}")
    data = read()
    if not isinstance(data, bytes):
        raise ValidationError("file", "must be opened in binary mode ('rb')")
    name = getattr(file, "name", None)
    return data, Path(name).name if isinstance(name, str) else None


def upload_invoice(
    number: str, invoice_number: str, file: FileInput, filename: str | None
) -> Call[None]:
    number = check_number(number, "order_number")
    invoice_number = check_number(invoice_number, "invoice_number")
    content, found_name = _read_file(file)
    if not content:
        raise ValidationError("file", "is empty (the API refuses a file of size 0)")
    name = filename or found_name or f"{invoice_number}.pdf"
    if filename is not None:
        check_number(filename, "filename")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    kwargs = _build(
        "single_order.submit_invoice",
        ("order_number", number),
        ("invoice_number", invoice_number),
        body=SubmitInvoiceBody(file=File(payload=io.BytesIO(content))),
    )
    return _call(
        "submitInvoice",
        kwargs,
        _nothing,
        files={"file": (name, content, content_type)},
        has_body=False,
    )


def list_postings(
    created_min: datetime.date | None,
    created_max: datetime.date | None,
    include_orders: bool,
    iban: str | None,
) -> Call[list[PostingRead]]:
    low = _query_date(created_min, "created_min")
    high = _query_date(created_max, "created_max")
    if isinstance(low, datetime.date) and isinstance(high, datetime.date) and high <= low:
        raise ValidationError(
            "created_max", f"must be after created_min (it is exclusive): {high} <= {low}"
        )
    if not isinstance(include_orders, bool):
        raise ValidationError("include_orders", f"must be True or False, got {include_orders!r}")
    kwargs = _builder("postings.read_postings")(
        created_min=low,
        created_max=high,
        include_orders=True if include_orders else UNSET,
        iban=UNSET if iban is None else check_number(iban, "iban").replace(" ", ""),
    )
    return _call("readPostings", kwargs, _many(PostingRead))


def image(number: str, type_: ImageType | str) -> Call[Image]:
    number = check_number(number, "order_number")
    try:
        kind = ImageType(type_)
    except ValueError:
        known = ", ".join(t.value for t in ImageType)
        raise ValidationError("type", f"must be one of {known}, got {type_!r}") from None
    kwargs = _build("image.get_image", ("order_number", number), type_=kind)
    return _call("getImage", kwargs, _one(Image))


def png_bytes(image: Image) -> bytes:
    """Decode an :class:`Image`'s base64 data and check it really is a PNG."""
    data = image.data
    if not isinstance(data, str):
        raise UnexpectedResponseError("image has no data", operation="getImage")
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError:
        raise UnexpectedResponseError(
            "image data is not valid base64", operation="getImage"
        ) from None
    if not raw.startswith(PNG_SIGNATURE):
        raise UnexpectedResponseError(
            "image data is not a PNG", operation="getImage", body=raw[:64]
        )
    return raw


__all__ = ["MAX_CHUNK", "FileInput", "OrderWriteWithNumber"]
