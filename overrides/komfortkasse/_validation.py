"""Client-side rules, checked before a request leaves.

Each public function validates one kind of write payload and returns the
JSON-ready dict to send. Errors are :class:`ValidationError` naming the field
path (``orders[3].billing.last_name``) and the rule. The API's own checks stay
authoritative; these catch what can be known without asking it.
"""

from __future__ import annotations

import datetime
import functools
import json
import sys
import typing
from collections.abc import Iterable
from importlib import resources
from typing import Any

import attrs

from komfortkasse_generated import models as generated_models
from komfortkasse_generated.models import (
    Address,
    OrderItem,
    OrderRead,
    OrderWrite,
    OrderWriteWithNumber,
    Refund,
)
from komfortkasse_generated.types import Unset

from ._exceptions import ValidationError
from ._money import money, rate

__all__ = [
    "add_months",
    "check_number",
    "order_body",
    "refund_body",
    "sync_body",
]

#: The API refuses a ``dueDate`` further ahead than this.
MAX_DUE_MONTHS = 6

AnyOrder = OrderWrite | OrderWriteWithNumber | OrderRead


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@functools.cache
def read_only_order_fields() -> frozenset[str]:
    """JSON names the spec marks ``readOnly`` on ``OrderRead`` (never sent back)."""
    text = resources.files("komfortkasse_generated").joinpath("openapi.json").read_text("utf-8")
    spec = json.loads(text)
    found: set[str] = set()
    for part in spec["components"]["schemas"]["OrderRead"].get("allOf", []):
        for name, prop in part.get("properties", {}).items():
            if prop.get("readOnly"):
                found.add(name)
    return frozenset(found)


def check_number(value: object, field: str) -> str:
    """An order, invoice or other number: a non-empty string, sent as given."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValidationError(field, "must not be empty")
    return value


def _letters(value: object, field: str, count: int, what: str) -> None:
    if isinstance(value, Unset):
        raise ValidationError(field, "is required")
    if not (isinstance(value, str) and len(value) == count and value.isascii() and value.isalpha()):
        raise ValidationError(field, f"must be {what} of {count} letters, got {value!r}")


@functools.cache
def _simple_types(cls: type) -> dict[str, tuple[str, type]]:
    """For each field of ``cls`` that is a plain str/int/bool/list[str]: (json-ish name, type)."""
    # Generated modules import sibling models only under TYPE_CHECKING.
    namespace = {**vars(generated_models), **vars(sys.modules[cls.__module__])}
    hints = typing.get_type_hints(cls, globalns=namespace)
    simple: dict[str, tuple[str, type]] = {}
    for field in attrs.fields(cls):
        options = set(typing.get_args(hints[field.name])) - {Unset, type(None)}
        if len(options) == 1:
            (only,) = options
            if only in (str, int, bool):
                simple[field.name] = ("scalar", only)
            elif typing.get_origin(only) is list and typing.get_args(only) == (str,):
                simple[field.name] = ("list", str)
    return simple


def _check_simple_fields(model: object, prefix: str) -> None:
    model_class: type = type(model)
    for name, (shape, kind) in _simple_types(model_class).items():
        value = getattr(model, name)
        if isinstance(value, Unset):
            continue
        path = f"{prefix}{name}"
        if shape == "scalar":
            ok = isinstance(value, kind) and (kind is bool or not isinstance(value, bool))
            if not ok:
                raise ValidationError(path, f"must be {kind.__name__}, got {value!r}")
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(path, f"must be a list of strings, got {value!r}")


def _check_date(value: object, field: str) -> datetime.date:
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError(field, f"must be a datetime.date, got {value!r}")
    return value


def _check_address(address: object, field: str, *, required: bool) -> None:
    if isinstance(address, Unset):
        if required:
            raise ValidationError(field, "is required")
        return
    if not isinstance(address, Address):
        raise ValidationError(field, f"must be an Address, got {type(address).__name__}")
    _check_simple_fields(address, f"{field}.")
    has_name = isinstance(address.last_name, str) and address.last_name.strip()
    has_company = isinstance(address.company, str) and address.company.strip()
    if not (has_name or has_company):
        raise ValidationError(field, "needs last_name or company (the API's address rule)")
    _letters(address.country_code, f"{field}.country_code", 2, "an ISO country code")


def _check_items(items: object, field: str) -> None:
    if isinstance(items, Unset):
        return
    if not isinstance(items, list):
        raise ValidationError(field, "must be a list of OrderItem")
    for index, item in enumerate(items):
        path = f"{field}[{index}]"
        if not isinstance(item, OrderItem):
            raise ValidationError(path, f"must be an OrderItem, got {type(item).__name__}")
        _check_simple_fields(item, f"{path}.")
        check_number(item.number, f"{path}.number")


def order_body(
    order: AnyOrder,
    *,
    today: datetime.date,
    path_number: str | None = None,
    prefix: str = "",
    with_number: bool = False,
) -> dict[str, Any]:
    """Validate an order and return its JSON body.

    ``path_number`` is the order number in the URL (single submit): a body
    ``number`` that differs is refused. ``with_number`` requires a ``number``
    in the body (bulk submit). Read-only fields (an ``OrderRead`` sent back,
    or such keys among unknown fields) are never sent.
    """
    if not isinstance(order, OrderWrite | OrderWriteWithNumber | OrderRead):
        raise ValidationError(
            prefix.rstrip(".") or "order",
            f"must be an OrderWrite or OrderWriteWithNumber, got {type(order).__name__}",
        )
    _check_simple_fields(order, prefix)
    number = getattr(order, "number", None)
    if with_number:
        check_number(number, f"{prefix}number")
    if path_number is not None and isinstance(number, str) and number != path_number:
        raise ValidationError(
            f"{prefix}number", f"{number!r} differs from the order number {path_number!r}"
        )
    _check_date(order.date, f"{prefix}date")
    if isinstance(order.type_, Unset) or not str(order.type_):
        raise ValidationError(f"{prefix}type_", "is required")
    if not isinstance(order.type_, str):
        raise ValidationError(f"{prefix}type_", f"must be an OrderType, got {order.type_!r}")
    _letters(order.currency, f"{prefix}currency", 3, "an ISO 4217 currency code")
    _check_address(order.billing, f"{prefix}billing", required=True)
    _check_address(order.shipping, f"{prefix}shipping", required=False)
    _check_items(order.items, f"{prefix}items")
    if not isinstance(order.due_date, Unset):
        due = _check_date(order.due_date, f"{prefix}due_date")
        limit = add_months(today, MAX_DUE_MONTHS)
        if due > limit:
            raise ValidationError(
                f"{prefix}due_date",
                f"must not be more than {MAX_DUE_MONTHS} months ahead ({due} > {limit})",
            )
    level = order.initial_dunning_level
    if not isinstance(level, Unset) and level < 0:
        raise ValidationError(f"{prefix}initial_dunning_level", "must not be negative")

    body = order.to_dict()
    for key in read_only_order_fields().intersection(body):
        del body[key]
    body["amount"] = money(order.amount, f"{prefix}amount")
    if not isinstance(order.exchange_rate, Unset):
        body["exchangeRate"] = rate(order.exchange_rate, f"{prefix}exchange_rate")
    return body


def refund_body(refund: Refund, *, today: datetime.date) -> dict[str, Any]:
    """Validate a refund (``planned_date`` strictly in the future) and return its JSON body."""
    if not isinstance(refund, Refund):
        raise ValidationError("refund", f"must be a Refund, got {type(refund).__name__}")
    _check_simple_fields(refund, "refund.")
    check_number(refund.external_reference, "refund.external_reference")
    _letters(refund.currency, "refund.currency", 3, "an ISO 4217 currency code")
    planned = _check_date(refund.planned_date, "refund.planned_date")
    if planned <= today:
        raise ValidationError(
            "refund.planned_date", f"must be in the future (after {today}), got {planned}"
        )
    body = refund.to_dict()
    body["amount"] = money(refund.amount, "refund.amount")
    return body


def sync_body(numbers: Iterable[str], *, allow_empty: bool) -> list[str]:
    """Validate the open order numbers for ``ordersync``; duplicates are sent once."""
    if isinstance(numbers, str | bytes):
        raise ValidationError("open_order_numbers", "must be a collection of strings, not a str")
    unique = list(
        dict.fromkeys(check_number(n, f"open_order_numbers[{i}]") for i, n in enumerate(numbers))
    )
    if not unique and not allow_empty:
        raise ValidationError(
            "open_order_numbers",
            "is empty: that would mark every open order LEGACY; pass allow_empty=True to mean it",
        )
    return unique
