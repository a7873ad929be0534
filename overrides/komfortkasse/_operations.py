"""One builder per API operation, driven by the generated code.

Paths, methods and query parameter names come from the generated modules'
request builders (so a spec change reaches us by regeneration); path parameters
are placed by :func:`komfortkasse._paths.fill` (one segment each, never another
operation's URL). This module adds validation, our JSON bodies and the decoders.
"""

from __future__ import annotations

import base64
import datetime
import functools
import importlib
import io
import mimetypes
from collections.abc import Callable, Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import IO, Any, TypeVar

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
from ._exceptions import ResponseValidationError, UnexpectedResponseError, ValidationError
from ._paths import fill
from ._retry import SAFE_TO_REPEAT
from ._typecheck import check_model
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
    from_dict = cls.from_dict  # type: ignore[union-attr]

    def decode(data: Any) -> M:
        if not isinstance(data, dict):
            raise ResponseValidationError(f"expected a JSON object, got {type(data).__name__}")
        result: M = from_dict(data)
        check_model(result)
        return result

    return decode


def _many(cls: type[Any]) -> Callable[[Any], list[Any]]:
    one: Callable[[Any], Any] = _one(cls)

    def decode(data: Any) -> list[Any]:
        if not isinstance(data, list):
            raise ResponseValidationError(f"expected a JSON array, got {type(data).__name__}")
        return [one(item) for item in data]

    return decode


def _count(data: Any) -> int:
    if isinstance(data, bool) or not isinstance(data, int):
        raise ResponseValidationError(f"expected an integer count, got {data!r}")
    return data


def _nothing(_: Any) -> None:
    return None


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
    **extra: Any,
) -> Call[M]:
    return Call(
        operation=operation,
        method=kwargs["method"],
        path=kwargs["url"],
        params=kwargs.get("params", {}),
        decode=decode,
        idempotent=operation in SAFE_TO_REPEAT,
        **extra,
    )


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
    return _call("submitOrder", kwargs, _one(OrderRead), json_body=body)


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
        _many(OrderRead),
        json_body=bodies,
        body_name="orders",
        body_offset=first_index,
    )


def get(number: str, flags: dict[str, bool | Unset]) -> Call[OrderRead]:
    number = check_number(number, "order_number")
    kwargs = _build("single_order.get_order", ("order_number", number), **flags)
    return _call("getOrder", kwargs, _one(OrderRead))


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
    return _call(operation, kwargs, _one(OrderRead))


def remove(number: str) -> Call[OrderRead]:
    number = check_number(number, "order_number")
    kwargs = _build("single_order.remove_order", ("order_number", number))
    return _call("removeOrder", kwargs, _one(OrderRead))


def refund(number: str, refund: Refund, today: datetime.date) -> Call[RefundRead]:
    number = check_number(number, "order_number")
    body = refund_body(refund, today=today)
    kwargs = _build("single_order.create_refund", ("order_number", number), body=_NO_BODY)
    return _call("createRefund", kwargs, _one(RefundRead), json_body=body, body_name="refund")


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
